// The lexer and literal decoder on hostile input: random and mutated bytes must never crash, hang or
// produce ranges outside the file, and the token stream must keep its shape.
import Foundation
import Testing
@testable import ModelintSyntax

/// Checks every structural promise of `tokenize` and runs the literal decoder on every literal token.
func checkInvariants(_ source: SourceBuffer, _ context: String) {
    let result = tokenize(source)
    let count = UInt32(source.count)
    guard let last = result.tokens.last else {
        Issue.record("no tokens: \(context)")
        return
    }
    #expect(last.kind == .endMarker, "\(context)")
    #expect(result.tokens.filter { $0.kind == .endMarker }.count == 1, "\(context)")
    var previousStart: UInt32 = 0
    for token in result.tokens {
        #expect(token.range.start <= token.range.end && token.range.end <= count, "\(context)")
        #expect(token.range.start >= previousStart, "\(context)")
        previousStart = token.range.start
    }
    // One diagnostic per error token; all but a stream-ending one are the parser-only "invalid syntax".
    #expect(result.tokens.filter { $0.kind == .error }.count == result.diagnostics.count, "\(context)")
    for diagnostic in result.diagnostics.dropLast() {
        #expect(diagnostic.message == "invalid syntax", "\(context)")
    }
    for diagnostic in result.diagnostics {
        #expect(diagnostic.range.end <= count, "\(context)")
    }
    if let override = result.parserErrorOverride {
        #expect(result.tokens[result.tokens.count - 2].kind == .error, "\(context)")
        #expect(override.diagnostic.range.end <= count, "\(context)")
    }
    for comment in result.comments {
        #expect(comment.end <= count && source.bytes[Int(comment.start)] == 0x23, "\(context)")
    }
    var rawFlags: [Bool] = []
    for token in result.tokens {
        switch token.kind {
        case .string: _ = LiteralDecoder.decodeString(source, token)
        case .number: _ = LiteralDecoder.decodeNumber(source, token)
        case .fstringStart: rawFlags.append(LiteralDecoder.stringPrefix(source, token).isRaw)
        case .fstringEnd: _ = rawFlags.popLast()
        case .fstringMiddle: _ = LiteralDecoder.decodeFStringMiddle(source, token, raw: rawFlags.last ?? false)
        default: break
        }
    }
}

struct LexerRobustnessTests {
    /// Bytes that matter to the lexer, so random input reaches deep states.
    static let alphabet: [[UInt8]] = [
        "'", "\"", "'''", "\"\"\"", "{", "}", "{{", "}}", "(", ")", "[", "]", "\\", "\n", "\r", "\r\n", "\t",
        " ", "    ", "\u{0C}", "#", "f", "r", "b", "u", "F", "rb", "fr", "x", "0", "1", "9", "_", "e", "j", "o",
        ".", ":", "=", "!", "<", ">", "*", "/", "-", "+", "%", "if", "else", "é", "€", "漢", "😀", "\u{A0}",
        "N", "\\N{BULLET}", "\\x4", "\\u12", "$", "?", "`", ",", ";", "@", "~", "^", "|", "&", "\u{0}",
    ].map { Array($0.utf8) }

    @Test func randomTokenSoup() {
        var rng = SplitMix64(seed: 0x5EED_0001)
        for round in 0..<3_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...60, using: &rng) {
                bytes += Self.alphabet[Int.random(in: 0..<Self.alphabet.count, using: &rng)]
            }
            checkInvariants(SourceBuffer(utf8: bytes), "soup round \(round): \(bytes)")
        }
    }

    @Test func randomBytesBypassingTheDecoder() {
        var rng = SplitMix64(seed: 0x5EED_0002)
        for round in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0...120, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            checkInvariants(SourceBuffer(utf8: bytes), "bytes round \(round): \(bytes)")
            if case .success(let decoded) = SourceDecoder.decode(path: "r.py", bytes: bytes) {
                checkInvariants(decoded, "decoded round \(round)")
            }
        }
    }

    @Test func mutatedFixtures() throws {
        var rng = SplitMix64(seed: 0x5EED_0003)
        for name in try LexerFixtures.tokenFixtureNames() {
            let original = [UInt8](try LexerFixtures.data(name))
            for round in 0..<150 {
                var bytes = original
                for _ in 0..<Int.random(in: 1...4, using: &rng) where !bytes.isEmpty {
                    let at = Int.random(in: 0..<bytes.count, using: &rng)
                    switch Int.random(in: 0..<3, using: &rng) {
                    case 0: bytes.remove(at: at)
                    case 1: bytes.insert(contentsOf: Self.alphabet[Int.random(in: 0..<Self.alphabet.count, using: &rng)], at: at)
                    default: bytes[at] = Self.alphabet[Int.random(in: 0..<Self.alphabet.count, using: &rng)][0]
                    }
                }
                checkInvariants(SourceBuffer(utf8: bytes), "\(name) mutation \(round)")
            }
        }
    }

    @Test func longLinesAndDeepStructures() {
        let longLine = "x = [" + String(repeating: "1, ", count: 500_000) + "]\n"
        let result = tokenize(SourceBuffer(text: longLine))
        #expect(result.diagnostics.isEmpty)
        #expect(result.tokens.count == 1_000_000 + 6)
        let longString = "s = '" + String(repeating: "a", count: 2_000_000) + "\n"
        #expect(lexError(longString)?.message == "unterminated string literal (detected at line 1)")
        checkInvariants(SourceBuffer(text: String(repeating: "f'{", count: 10_000)), "nested f-strings")
        checkInvariants(SourceBuffer(text: String(repeating: "if 1:\n ", count: 1_000)), "deep indentation")
        checkInvariants(SourceBuffer(text: String(repeating: "\\\n", count: 10_000)), "continuations")
        checkInvariants(SourceBuffer(text: String(repeating: "f'{x:{", count: 1_000)), "nested specs")
    }
}
