// Literal values against CPython's `ast.parse` (fixtures/lexer/literals.json).
import Foundation
import Testing
@testable import ModelintSyntax

struct LiteralCase: Sendable, CustomTestStringConvertible {
    var source: String
    /// The encoded `ast.Constant` value, or nil for an f-string case.
    var value: [String: String]
    var codePoints: [UInt32]?
    var bytes: [UInt8]?
    /// For f-strings: the str constants of the JoinedStr, in source order.
    var fstringConstants: [[UInt32]]?
    /// For names: the identifier of the `ast.Name`.
    var identifier: [UInt32]?
    var testDescription: String { source.debugDescription }

    static func load() throws -> [LiteralCase] {
        let cases = try #require(try LexerFixtures.json("literals.json") as? [[String: Any]])
        return cases.map { entry in
            let value = entry["value"] as? [String: Any] ?? [:]
            return LiteralCase(
                source: entry["source"] as? String ?? "",
                value: value.compactMapValues { $0 as? String },
                codePoints: (value["codePoints"] as? [Int])?.map { UInt32($0) },
                bytes: (value["bytes"] as? [Int])?.map { UInt8($0) },
                fstringConstants: (entry["fstringConstants"] as? [[Int]])?.map { $0.map { UInt32($0) } },
                identifier: (entry["identifier"] as? [Int])?.map { UInt32($0) })
        }
    }
}

func codePoints(_ string: PyString) -> [UInt32] {
    switch string {
    case .text(let text): return text.unicodeScalars.map(\.value)
    case .codePoints(let points): return points
    }
}

struct LiteralGoldenTests {
    @Test(arguments: try LiteralCase.load())
    func valueMatchesCPython(_ expected: LiteralCase) throws {
        let source = SourceBuffer(text: expected.source)
        let result = tokenize(source)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        if let constants = expected.fstringConstants {
            #expect(try fstringConstants(result.tokens, source) == constants)
            return
        }
        let token = result.tokens[0]
        #expect(result.tokens.map(\.kind) == [token.kind, .newline, .endMarker])
        if let identifier = expected.identifier {
            #expect(token.kind == .name)
            #expect(IdentifierText.normalized(source, token).unicodeScalars.map(\.value) == identifier)
            return
        }
        let decoded = token.kind == .number
            ? LiteralDecoder.decodeNumber(source, token) : LiteralDecoder.decodeString(source, token)
        let value = try decoded.get()
        switch (expected.value["type"], value) {
        case ("int", .int(let n)):
            #expect(String(n) == expected.value["value"])
        case ("int", .bigInt(let digits)):
            #expect(digits == expected.value["value"])
            #expect(Int64(digits) == nil, "a bigInt must not fit in Int64")
        case ("float", .float(let x)):
            #expect(x.bitPattern == Double(try #require(expected.value["value"]))?.bitPattern)
        case ("complex", .complex(let real, let imag)):
            #expect(real == 0)
            #expect(imag.bitPattern == Double(try #require(expected.value["imag"]))?.bitPattern)
        case ("str", .string(let string)):
            #expect(codePoints(string) == expected.codePoints)
            // Valid Unicode comes back as text; only lone surrogates need code points.
            let hasSurrogate = expected.codePoints?.contains { $0 >= 0xD800 && $0 < 0xE000 } ?? false
            if case .codePoints = string { #expect(hasSurrogate) } else { #expect(!hasSurrogate) }
        case ("bytes", .bytes(let bytes)):
            #expect(bytes == expected.bytes)
        default:
            Issue.record("expected \(expected.value), got \(value)")
        }
    }

    /// Each run of FSTRING_MIDDLE tokens between fields is one constant of the JoinedStr.
    private func fstringConstants(_ tokens: [Token], _ source: SourceBuffer) throws -> [[UInt32]] {
        let start = try #require(tokens.first)
        #expect(start.kind == .fstringStart)
        let raw = LiteralDecoder.stringPrefix(source, start).isRaw
        var constants: [[UInt32]] = []
        var previous: TokenKind = .fstringStart
        for token in tokens {
            if token.kind == .fstringMiddle {
                #expect(previous != .fstringMiddle, "adjacent middles are one run")
                constants.append(codePoints(try LiteralDecoder.decodeFStringMiddle(source, token, raw: raw).get()))
            }
            previous = token.kind
        }
        return constants
    }

    @Test func stringPrefixes() {
        func prefix(_ text: String) -> StringPrefix {
            let source = SourceBuffer(text: text)
            return LiteralDecoder.stringPrefix(source, tokenize(source).tokens[0])
        }
        #expect(prefix("'x'") == StringPrefix(isRaw: false, isBytes: false, isFormat: false, isUnicode: false, length: 0, quoteLength: 1))
        #expect(prefix("Rb'''x'''") == StringPrefix(isRaw: true, isBytes: true, isFormat: false, isUnicode: false, length: 2, quoteLength: 3))
        #expect(prefix("u\"\"") == StringPrefix(isRaw: false, isBytes: false, isFormat: false, isUnicode: true, length: 1, quoteLength: 1))
        #expect(prefix("''''''") == StringPrefix(isRaw: false, isBytes: false, isFormat: false, isUnicode: false, length: 0, quoteLength: 3))
        #expect(prefix("fR\"\"\"{x}\"\"\"") == StringPrefix(isRaw: true, isBytes: false, isFormat: true, isUnicode: false, length: 2, quoteLength: 3))
        #expect(prefix("F'{x}'") == StringPrefix(isRaw: false, isBytes: false, isFormat: true, isUnicode: false, length: 1, quoteLength: 1))
    }

    @Test func fStringMiddleEscapesAroundBraces() throws {
        // PEP 701: `\{` is an invalid escape (kept, with a warning) and the brace still counts.
        let source = SourceBuffer(text: "f'\\{{x}}\\N{BULLET}{{'")
        let middles = tokenize(source).tokens.filter { $0.kind == .fstringMiddle }
        #expect(middles.count == 1)
        #expect(try LiteralDecoder.decodeFStringMiddle(source, middles[0], raw: false).get() == .text("\\{x}\u{2022}{"))
        #expect(try LiteralDecoder.decodeFStringMiddle(source, middles[0], raw: true).get() == .text("\\{x}\\N{BULLET}{"))
    }

    @Test func hugeIntegersInEveryBase() throws {
        func value(_ text: String) throws -> ConstantValue {
            let source = SourceBuffer(text: text)
            return try LiteralDecoder.decodeNumber(source, tokenize(source).tokens[0]).get()
        }
        // 2**200 = 1606938044258990275541962092341162602522202993782792835301376
        let twoTo200 = "1606938044258990275541962092341162602522202993782792835301376"
        #expect(try value("0x1" + String(repeating: "0", count: 50)) == .bigInt(twoTo200))
        #expect(try value("0b1" + String(repeating: "_0", count: 200)) == .bigInt(twoTo200))
        #expect(try value("0o4" + String(repeating: "0", count: 66)) == .bigInt(twoTo200))
        #expect(try value(twoTo200) == .bigInt(twoTo200))
        #expect(try value("0x0000000000000000000000000001") == .int(1))
    }
}
