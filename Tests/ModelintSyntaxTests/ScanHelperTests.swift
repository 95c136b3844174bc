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

    @Test func shortNameCacheAlwaysAnswersTheNameAsked() {
        var cache = ShortNameCache()
        var random = SplitMix64(seed: 11)
        let letters = Array("abcxyz_0129ABZ".utf8)
        // Far more distinct names than slots, each asked several times: slots are overwritten constantly.
        for _ in 0..<100_000 {
            let length = 1 + Int(random.next() % 12)
            let bytes = (0..<length).map { _ in letters[Int(random.next() % UInt64(letters.count))] }
            let name = bytes.withUnsafeBufferPointer { cache.name($0) }
            #expect(name == String(decoding: bytes, as: UTF8.self))
        }
    }
}
