import Dispatch
import Synchronization
import Testing
@testable import ModelintAnalysis

/// The loader's thread-safe tables, driven from many threads at once.
@Suite struct LoaderCacheTests {
    /// `value(_:make:)` creates each entry once, however many threads ask for it at the same time.
    @Test func shardedCacheMakesEachEntryOnce() {
        let cache = ShardedCache<String, Int>()
        let made = Mutex(0)
        let keys = (0..<200).map { "key\($0)" }
        DispatchQueue.concurrentPerform(iterations: 8_000) { index in
            let key = keys[index % keys.count]
            let value = cache.value(key) {
                made.withLock { $0 += 1 }
                return key.utf8.count
            }
            #expect(value == key.utf8.count)
        }
        #expect(made.withLock { $0 } == keys.count)
        for key in keys { #expect(cache[key] == key.utf8.count) }
        #expect(cache["missing"] == nil)
    }

    /// Writers and readers of one lock never see a half-made update.
    @Test func readWriteLockKeepsPairsConsistent() {
        final class Pair: @unchecked Sendable {
            let lock = ReadWriteLock()
            var a = 0
            var b = 0
        }
        let pair = Pair()
        DispatchQueue.concurrentPerform(iterations: 20_000) { index in
            if index % 4 == 0 {
                pair.lock.writing {
                    pair.a += 1
                    pair.b -= 1
                }
            } else {
                let sum = pair.lock.reading { pair.a + pair.b }
                #expect(sum == 0)
            }
        }
        #expect(pair.a == 5_000 && pair.b == -5_000)
    }

    @Test func resultSlotsTakeMovesTheValueOut() {
        let slots = ResultSlots<[String]>(count: 3)
        DispatchQueue.concurrentPerform(iterations: 3) { index in slots[index] = [String(index)] }
        #expect(slots.take(1) == ["1"])
        #expect(slots[1] == nil)
        #expect(slots.take(1) == nil)
        #expect(slots[0] == ["0"] && slots[2] == ["2"])
    }
}
