#if canImport(Glibc)
import Dispatch
import Foundation
import Glibc
import ModelintAllocator
import Testing

/// The size-class allocator that replaces malloc (Sources/ModelintAllocator). These tests call the C entry
/// points the way the Swift runtime, Foundation and Dispatch do; the rest of the suite runs on it too.
@Suite struct SizeClassAllocatorTests {
    /// Off only when the environment asks for glibc's allocator.
    static let expectedActive = ProcessInfo.processInfo.environment["MODELINT_MALLOC"] != "system"

    /// The process's `malloc_usable_size` (the Swift runtime sizes arrays with it); Glibc's Swift overlay
    /// does not import <malloc.h>, so it is looked up the way the dynamic linker binds it.
    private static let usableSize: @convention(c) (UnsafeMutableRawPointer?) -> Int = unsafeBitCast(
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_usable_size"),
        to: (@convention(c) (UnsafeMutableRawPointer?) -> Int).self)

    /// malloc's result as an optional: Swift imports it as never nil.
    private static func allocate(_ size: Int) -> UnsafeMutableRawPointer? { malloc(size) }

    @Test func servesTheProcessUnlessTurnedOff() throws {
        #expect(modelint_allocator_is_active() == Self.expectedActive)
        let block = try #require(Self.allocate(48))
        defer { free(block) }
        #expect(modelint_allocator_owns(block) == Self.expectedActive)
    }

    @Test(.enabled(if: SizeClassAllocatorTests.expectedActive))
    func smallBlocksAreOursAlignedAndAsLargeAsAsked() throws {
        for size in 0...1024 {
            let block = try #require(Self.allocate(size))
            #expect(modelint_allocator_owns(block), "size \(size)")
            #expect(Int(bitPattern: block) % 16 == 0, "size \(size)")
            let usable = Self.usableSize(block)
            #expect(usable >= max(size, 1) && usable < max(size, 1) + 16, "size \(size): usable \(usable)")
            memset(block, 0xA5, usable)
            free(block)
        }
        let large = try #require(Self.allocate(1025))
        defer { free(large) }
        #expect(!modelint_allocator_owns(large))
        #expect(Self.usableSize(large) >= 1025)
        #expect(Self.usableSize(nil) == 0)
        #expect(!modelint_allocator_owns(nil))
    }

    @Test func reallocKeepsTheBytesAcrossClassesAndIntoGlibcAndBack() throws {
        var block = try #require(Self.allocate(10))
        for index in 0..<10 { block.storeBytes(of: UInt8(index), toByteOffset: index, as: UInt8.self) }
        var written = 10
        for size in [16, 17, 200, 1024, 1025, 5000, 100_000, 700, 12] {
            block = try #require(realloc(block, size))
            let kept = min(written, size)
            for index in 0..<kept {
                #expect(block.load(fromByteOffset: index, as: UInt8.self) == UInt8(truncatingIfNeeded: index),
                        "size \(size), byte \(index)")
            }
            for index in kept..<size { block.storeBytes(of: UInt8(truncatingIfNeeded: index), toByteOffset: index, as: UInt8.self) }
            written = size
        }
        free(block)
        let small = try #require(Self.allocate(32))
        let shrinking: UnsafeMutableRawPointer? = realloc(small, 0)
        #expect(shrinking == nil, "realloc to 0 frees, as glibc does")
        let fresh = try #require(realloc(nil, 40))
        free(fresh)
    }

    @Test func callocZeroesReusedBlocksAndRefusesOverflow() throws {
        for size in [1, 24, 512, 1024, 4096] {
            let dirty = try #require(Self.allocate(size))
            memset(dirty, 0xFF, size)
            free(dirty)
            let clean = try #require(calloc(1, size))
            #expect(UnsafeRawBufferPointer(start: clean, count: size).allSatisfy { $0 == 0 }, "size \(size)")
            free(clean)
        }
        #expect(calloc(Int.max / 2, 4) == nil)
        #expect(reallocarray(nil, Int.max / 2, 4) == nil)
    }

    @Test func alignedRequestsHonourTheirAlignment() throws {
        for alignment in [8, 16, 32, 64, 4096] {
            var raw: UnsafeMutableRawPointer?
            #expect(posix_memalign(&raw, alignment, 100) == 0)
            let block = try #require(raw)
            #expect(Int(bitPattern: block) % alignment == 0, "alignment \(alignment)")
            #expect(modelint_allocator_owns(block) == (Self.expectedActive && alignment <= 16))
            free(block)
            let viaAlignedAlloc = try #require(aligned_alloc(alignment, 4096))
            #expect(Int(bitPattern: viaAlignedAlloc) % alignment == 0)
            free(viaAlignedAlloc)
        }
        var raw: UnsafeMutableRawPointer?
        #expect(posix_memalign(&raw, 24, 100) == EINVAL)
        #expect(posix_memalign(&raw, 4, 100) == EINVAL)
    }

    /// Threads allocate, fill and hand blocks to each other; every block must still hold its own pattern
    /// when another thread frees it (a block shared by two owners would be overwritten).
    @Test func blocksCrossThreadsIntact() throws {
        let threads = 4
        let rounds = 20_000
        let exchange = Exchange()
        let failures = Exchange.Counter()
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            var state = UInt64(thread + 1) &* 0x9E37_79B9_7F4A_7C15
            func next() -> Int {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                return Int(truncatingIfNeeded: state >> 1)
            }
            var mine: [(UnsafeMutableRawPointer, Int, UInt8)] = []
            for round in 0..<rounds {
                let size = next() % 3 == 0 ? next() % 3000 : next() % 200
                guard let block = Self.allocate(size) else { failures.add(); continue }
                let pattern = UInt8(truncatingIfNeeded: round &+ thread)
                memset(block, Int32(pattern), size)
                mine.append((block, size, pattern))
                if mine.count > 64 {
                    let handed = mine.removeFirst()
                    if let received = exchange.swap(handed) { Self.release(received, failures) }
                }
                if next() % 5 == 0, !mine.isEmpty { Self.release(mine.removeLast(), failures) }
            }
            for block in mine { Self.release(block, failures) }
        }
        for block in exchange.drain() { Self.release(block, failures) }
        #expect(failures.value == 0)
    }

    private static func release(_ block: (UnsafeMutableRawPointer, Int, UInt8), _ failures: Exchange.Counter) {
        let (pointer, size, pattern) = block
        if !UnsafeRawBufferPointer(start: pointer, count: size).allSatisfy({ $0 == pattern }) { failures.add() }
        free(pointer)
    }

    /// A few blocks in flight between threads.
    final class Exchange: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [(UnsafeMutableRawPointer, Int, UInt8)] = []

        /// Leaves `block` and takes the oldest one left by anybody, once a few are waiting.
        func swap(_ block: (UnsafeMutableRawPointer, Int, UInt8)) -> (UnsafeMutableRawPointer, Int, UInt8)? {
            lock.lock(); defer { lock.unlock() }
            slots.append(block)
            return slots.count > 16 ? slots.removeFirst() : nil
        }

        func drain() -> [(UnsafeMutableRawPointer, Int, UInt8)] {
            lock.lock(); defer { lock.unlock() }
            defer { slots = [] }
            return slots
        }

        final class Counter: @unchecked Sendable {
            private let lock = NSLock()
            private var count = 0
            func add() { lock.lock(); count += 1; lock.unlock() }
            var value: Int { lock.lock(); defer { lock.unlock() }; return count }
        }
    }
}
#endif
