// Our tokens against CPython's `tokenize` module on the fixtures in fixtures/lexer (golden files
// written by Tests/oracles/tokenize_golden.py).
import Foundation
import Testing
@testable import ModelintSyntax

struct LexerGoldenTests {
    @Test(arguments: try LexerFixtures.tokenFixtureNames())
    func tokensMatchCPythonTokenize(fixture: String) throws {
        let bytes = [UInt8](try LexerFixtures.data(fixture))
        let golden = try #require(try LexerFixtures.json(String(fixture.dropLast(3)) + ".tokens.json") as? [String: Any])
        let source = try SourceDecoder.decode(path: fixture, bytes: bytes).get()
        let result = tokenize(source)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")

        let endsWithNewline = try #require(golden["endsWithNewline"] as? Bool)
        let expected = try #require(golden["tokens"] as? [[String: Any]]).map(describeGolden)
        let actual = result.tokens.map { describe($0, source, endsWithNewline: endsWithNewline) }
        if let mismatch = zip(expected, actual).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            Issue.record("\(fixture): token \(mismatch) differs\n  CPython: \(expected[mismatch])\n  ours:    \(actual[mismatch])")
        }
        #expect(expected.count == actual.count, "\(fixture): \(expected.count) tokens in CPython, \(actual.count) ours")

        let expectedComments = try #require(golden["comments"] as? [[String: Any]]).map { comment in
            "\(position(comment["start"]))-\(position(comment["end"]))"
        }
        let actualComments = result.comments.map { range in
            "\(format(source.location(range.start)))-\(format(source.location(range.end)))"
        }
        #expect(actualComments == expectedComments, "\(fixture): comments")
    }

    private func describeGolden(_ token: [String: Any]) -> String {
        let type = token["type"] as? String ?? "?"
        let string = token["string"] as? String ?? "?"
        let start = position(token["start"])
        // NEWLINE's end is not comparable: CPython counts the translated "\n" (or an implicit one).
        let end = type == "NEWLINE" ? "" : "-" + position(token["end"])
        let text = type == "NEWLINE" ? (string.isEmpty ? "<implicit>" : "<newline>") : string
        return "\(type) \(text.debugDescription) \(start)\(end)"
    }

    private func describe(_ token: Token, _ source: SourceBuffer, endsWithNewline: Bool) -> String {
        let type = cpythonName(token.kind)
        var start = format(source.location(token.range.start))
        var end = format(source.location(token.range.end))
        // Without a final newline CPython puts the closing DEDENTs and ENDMARKER on a line of their own.
        if !endsWithNewline && source.count > 0 && Int(token.range.start) == source.count && token.kind != .newline {
            let line = source.lines.lineCount + 1
            start = "\(line):0"
            end = "\(line):0"
        }
        let raw = source.text(token.range)
        // CPython's tokenize sees universal newlines; our ranges keep the original line endings.
        let text = type == "NEWLINE"
            ? (token.range.isEmpty ? "<implicit>" : "<newline>")
            : raw.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return "\(type) \(text.debugDescription) \(start)\(type == "NEWLINE" ? "" : "-" + end)"
    }

    private func position(_ value: Any?) -> String {
        guard let pair = value as? [Int], pair.count == 2 else { return "?" }
        return "\(pair[0]):\(pair[1])"
    }

    private func format(_ location: ModelintSyntax.SourceLocation) -> String { "\(location.line):\(location.column)" }
}
