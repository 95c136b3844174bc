import Testing
@testable import ModelintSyntax

/// The word-at-a-time byte tests and the short-name cache the lexer and parser use on their hot paths,
/// checked against the plain byte-by-byte answer.
@Suite struct ScanHelperTests {
    @Test func byteWordsFindExactlyTheBytesAPlainLoopFinds() {
        var random = SplitMix64(seed: 7)
        // Words built from a few interesting bytes, so that hits, near misses (0x0B, 0x21) and borrows occur.
        let alphabet: [UInt8] = [0x00, 0x01, 0x0A, 0x0B, 0x0D, 0x20, 0x21, 0x22, 0x27, 0x5C, 0x7F, 0x80, 0xFF]
        for _ in 0..<50_000 {
            let bytes = (0..<8).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            let word = bytes.withUnsafeBufferPointer { ByteWords.load($0, 0) }
            #expect(ByteWords.holdsZero(word) == bytes.contains(0), "\(bytes)")
            for target: UInt8 in [0x0A, 0x22, 0x27, 0x5C] {
                #expect(ByteWords.holds(word, target) == bytes.contains(target), "\(bytes) \(target)")
            }
            #expect(ByteWords.holdsLineBreak(word) == (bytes.contains(0x0A) || bytes.contains(0x0D)))
            #expect(ByteWords.isASCII(word) == bytes.allSatisfy { $0 < 0x80 })
            #expect((word == ByteWords.spaces) == bytes.allSatisfy { $0 == 0x20 })
        }
    }

    @Test func skipStopsAtTheFirstStoppingWordAndPackedMatchesALoop() {
        var random = SplitMix64(seed: 3)
        for _ in 0..<5_000 {
            let bytes = (0..<Int(random.next() % 40)).map { _ in random.next() % 6 == 0 ? UInt8(0x0A) : UInt8(0x61) }
            bytes.withUnsafeBufferPointer { buf in
                var expected = 0
                while expected + 8 <= buf.count && !buf[expected..<(expected + 8)].contains(0x0A) { expected += 8 }
                #expect(ByteWords.skip(buf, from: 0, to: buf.count, until: ByteWords.holdsLineBreak) == expected)
                for start in 0..<buf.count {
                    let count = min(8, buf.count - start)
                    var loop: UInt64 = 0
                    for offset in 0..<count { loop |= UInt64(buf[start + offset]) << UInt64(offset * 8) }
                    #expect(ByteWords.packed(buf, start, count) == loop)
                    #expect(ByteWords.packed(buf, start, min(count, 3)) == loop & 0xFF_FFFF)
                }
            }
        }
    }

    @Test func shortNameCacheAlwaysAnswersTheNameAsked() {
        var cache = ShortNameCache()
        var random = SplitMix64(seed: 11)
        let letters = Array("abcxyz_0129ABZ".utf8)
        // Far more distinct names than slots, each asked several times: slots are overwritten constantly.
        for _ in 0..<100_000 {
            let length = 1 + Int(random.next() % 12)
            let bytes = (0..<length).map { _ in letters[Int(random.next() % UInt64(letters.count))] }
            // At the end of a buffer (packed byte by byte) and inside a longer one (one word load).
            let atEnd = bytes.withUnsafeBufferPointer { cache.name($0, 0, length) }
            let inside = (bytes + Array("(x)+y".utf8)).withUnsafeBufferPointer { cache.name($0, 0, length) }
            #expect(atEnd == String(decoding: bytes, as: UTF8.self))
            #expect(inside == String(decoding: bytes, as: UTF8.self))
        }
    }
}
