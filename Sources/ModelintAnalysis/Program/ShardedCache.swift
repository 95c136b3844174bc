import Foundation

/// A thread-safe dictionary split into shards, each with its own reader-writer lock: the loader's threads
/// look up thousands of keys (an import per line of every file), nearly always finding them.
final class ShardedCache<Key: Hashable, Value>: @unchecked Sendable {
    private final class Shard {
        let lock = ReadWriteLock()
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
            return shard.lock.reading { shard.entries[key] }
        }
        set {
            let shard = shard(for: key)
            shard.lock.writing { shard.entries[key] = newValue }
        }
    }

    /// The entry for `key`, created by `make` when missing (under the write lock, so only once).
    func value(_ key: Key, make: () -> Value) -> Value {
        let shard = shard(for: key)
        if let known = shard.lock.reading({ shard.entries[key] }) { return known }
        return shard.lock.writing {
            if let known = shard.entries[key] { return known }
            let made = make()
            shard.entries[key] = made
            return made
        }
    }
}
