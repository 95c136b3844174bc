import Foundation

/// Token arrays and name caches handed from one parse to the next. Parsing many files on a few threads would
/// otherwise allocate and free one large block per file, and each large allocation makes glibc's malloc
/// consolidate all the small blocks the previous file's freed tree left behind; a name cache kept across
/// files also starts warm. Thread-safe: each parse takes an array and a cache (or new ones), and gives them
/// back when done.
public final class ParseRecycler: @unchecked Sendable {
    private let lock = NSLock()
    private var spare: [[Token]] = []
    private var spareNames: [ShortNameCache] = []

    public init() {}

    func take() -> [Token] {
        lock.lock()
        defer { lock.unlock() }
        return spare.popLast() ?? []
    }

    func giveBack(_ tokens: inout [Token]) {
        var array: [Token] = []
        swap(&array, &tokens)
        lock.lock()
        spare.append(array)
        lock.unlock()
    }

    func takeNames() -> ShortNameCache {
        lock.lock()
        defer { lock.unlock() }
        return spareNames.popLast() ?? ShortNameCache()
    }

    func giveBack(_ names: consuming ShortNameCache) {
        lock.lock()
        spareNames.append(names)
        lock.unlock()
    }
}
