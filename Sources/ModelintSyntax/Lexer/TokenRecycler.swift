import Foundation

/// Token arrays handed from one parse to the next. Parsing many files on a few threads would otherwise
/// allocate and free one large block per file, and each large allocation makes glibc's malloc consolidate
/// all the small blocks the previous file's freed tree left behind. Thread-safe: each parse takes an array
/// (or a new one), and gives it back when done.
public final class TokenRecycler: @unchecked Sendable {
    private let lock = NSLock()
    private var spare: [[Token]] = []

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
}
