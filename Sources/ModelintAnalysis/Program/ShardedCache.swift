import Foundation

/// A thread-safe dictionary split into shards, each with its own lock: the loader's threads look up
/// thousands of keys (an import per line of every file) and would otherwise queue on one lock.
final class ShardedCache<Key: Hashable, Value>: @unchecked Sendable {
    private final class Shard {
        let lock = NSLock()
        var entries: [Key: Value] = [:]
    }

    private let shards: [Shard]

    init(shards count: Int = 32) {
        shards = (0..<count).map { _ in Shard() }
    }

    private func shard(for key: Key) -> Shard {
        shards[Int(UInt(bitPattern: key.hashValue) % UInt(shards.count))]
    }

    subscript(key: Key) -> Value? {
        get {
            let shard = shard(for: key)
            shard.lock.lock()
            defer { shard.lock.unlock() }
            return shard.entries[key]
        }
        set {
            let shard = shard(for: key)
            shard.lock.lock()
            defer { shard.lock.unlock() }
            shard.entries[key] = newValue
        }
    }

    /// Runs `body` on the entry for `key` (created by `make` when missing) under its shard's lock.
    func withEntry<T>(_ key: Key, make: () -> Value, _ body: (inout Value) -> T) -> T {
        let shard = shard(for: key)
        shard.lock.lock()
        defer { shard.lock.unlock() }
        if shard.entries[key] == nil { shard.entries[key] = make() }
        return body(&shard.entries[key]!)
    }
}
