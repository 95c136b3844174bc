// Lexer and literal errors: messages and positions against CPython (fixtures/lexer/errors.json,
// from `ast.parse`), plus the Python 3.12-only errors written out by hand.
import Foundation
import Testing
@testable import ModelintSyntax

struct ErrorCase: Sendable, CustomTestStringConvertible {
    var source: String
    var message: String
    var line: Int
    var column: Int?
    var testDescription: String { source.debugDescription }

    static func load() throws -> [ErrorCase] {
        let cases = try #require(try LexerFixtures.json("errors.json") as? [[String: Any]])
        return cases.map { entry in
            ErrorCase(source: entry["source"] as? String ?? "", message: entry["message"] as? String ?? "",
                      line: entry["line"] as? Int ?? 0, column: entry["column"] as? Int)
        }
    }
}

/// The error CPython reports for input whose only syntax errors the front end can see: decoding,
/// then lexing, then literal values. A token only CPython's parser rejects ("invalid syntax") gives
/// way to the lexer's override, as `ParserErrorOverride` describes; a parser would apply the same rule.
func firstFrontEndError(_ text: String) -> (diagnostic: SyntaxDiagnostic, source: SourceBuffer?) {
    let decoded = SourceDecoder.decode(path: "<test>", bytes: Array(text.utf8))
    guard case .success(let source) = decoded else {
        guard case .failure(let diagnostic) = decoded else { preconditionFailure() }
        return (diagnostic, nil)
    }
    let result = tokenize(source)
    if let first = result.diagnostics.first {
        if first.message == "invalid syntax", let override = result.parserErrorOverride,
           override.onlyAfterLine.map({ source.location(first.range.start).line > $0 }) ?? true {
            return (override.diagnostic, source)
        }
        return (first, source)
    }
    for token in result.tokens {
        let value: Result<ConstantValue, SyntaxDiagnostic>
        switch token.kind {
        case .string: value = LiteralDecoder.decodeString(source, token)
        case .number: value = LiteralDecoder.decodeNumber(source, token)
        default: continue
        }
        if case .failure(let diagnostic) = value { return (diagnostic, source) }
    }
    return (SyntaxDiagnostic("no error", at: TextRange(0, 0)), source)
}

struct LexerErrorTests {
    /// Limits whose wording the project sets (CPython's numbers, clearer words).
    static let renamedMessages = [
        "too many nested parentheses": "too deeply nested: more than 200 nested parentheses",
        "too many levels of indentation": "too deeply nested: more than 100 indentation levels",
    ]

    @Test(arguments: try ErrorCase.load())
    func errorMatchesCPython(_ expected: ErrorCase) throws {
        let (diagnostic, decoded) = firstFrontEndError(expected.source)
        let source = try #require(decoded)
        #expect(diagnostic.message == (Self.renamedMessages[expected.message] ?? expected.message))
        // CPython reports literal-decoding errors at the token after the literal, which in these
        // one-literal cases starts where the literal ends; ours cover the literal itself.
        let isLiteralError = diagnostic.message.hasPrefix("(unicode error)") || diagnostic.message.hasPrefix("(value error)")
        let location = source.location(isLiteralError ? diagnostic.range.end : diagnostic.range.start)
        #expect(location.line == expected.line)
        if let column = expected.column {
            #expect(location.column == column)
        }
        #expect(Int(diagnostic.range.end) <= source.count)
    }

    @Test func errorLeavesAnErrorTokenThenEndMarker() {
        let result = tokenize(SourceBuffer(text: "x = 1\ny = 0x\nz = 2\n"))
        #expect(result.tokens.suffix(2).map(\.kind) == [.error, .endMarker])
        #expect(result.diagnostics.count == 1)
        #expect(result.parserErrorOverride == ParserErrorOverride(diagnostic: result.diagnostics[0], onlyAfterLine: nil))
    }

    @Test func tokensOnlyTheParserRejectsDoNotStopLexing() {
        #expect(lexed("a $ b ? c ` d <> e ! f\n") == "NAME(a) ERROR NAME(b) ERROR NAME(c) ERROR NAME(d) ERROR NAME(e) ERROR NAME(f) NEWLINE ENDMARKER")
        let result = tokenize(SourceBuffer(text: "x = $\ny = 1\n"))
        #expect(result.diagnostics.map(\.message) == ["invalid syntax"])
        #expect(result.diagnostics[0].range == TextRange(4, 5))
        #expect(result.parserErrorOverride == nil)
    }

    @Test func overridesFollowCPythonsFullSourceCheck() {
        // Status-code errors never override...
        #expect(tokenize(SourceBuffer(text: "if x:\n  y\n z\n")).parserErrorOverride == nil)
        #expect(tokenize(SourceBuffer(text: "x = 1 \\ y\n")).parserErrorOverride == nil)
        // ... except as an unclosed bracket, for parser errors after the bracket's line.
        let open = tokenize(SourceBuffer(text: "x = 1\ny = [1,\n"))
        #expect(open.parserErrorOverride == ParserErrorOverride(
            diagnostic: SyntaxDiagnostic("'[' was never closed", at: TextRange(10, 11)), onlyAfterLine: 2))
        // Inside an f-string CPython keeps the parser's error.
        #expect(tokenize(SourceBuffer(text: "f'{x!r:{0x}}'\n")).parserErrorOverride == nil)
        #expect(tokenize(SourceBuffer(text: "x = f'{a}'\ny = 0x\n")).parserErrorOverride?.diagnostic.message == "invalid hexadecimal literal")
    }

    // Python 3.12 behaviour the 3.11 oracle cannot show (messages from CPython's lexer).

    @Test func unterminatedFStrings() {
        #expect(lexError("x = f'abc\n")?.message == "unterminated f-string literal (detected at line 1)")
        #expect(lexError("x = f'abc\n")?.column == 4)
        #expect(lexError("x = rf'''abc\n\n")?.message == "unterminated triple-quoted f-string literal (detected at line 2)")
        #expect(lexError("f'{x}abc")?.message == "unterminated f-string literal (detected at line 1)")
    }

    @Test func fStringFieldErrors() {
        #expect(lexError("f'{x'\n")?.message == "f-string: expecting '}'")
        #expect(lexError("f'}'\n")?.message == "f-string: single '}' is not allowed")
        #expect(lexError("f'a}b'\n")?.column == 3)
        #expect(lexError("f'{)}'\n")?.message == "f-string: unmatched ')'")
        #expect(lexError("f'{x:{y:{z:{w}}}}'\n")?.message == "f-string: expressions nested too deeply")
        #expect(lexError("f'{x!r}' ! 1\n")?.message == "invalid syntax")
    }

    @Test func tooManyNestedFStrings() {
        let depth = 150
        let text = String(repeating: "f'{", count: depth) + String(repeating: "}'", count: depth) + "\n"
        #expect(lexError(text)?.message == "too many nested f-strings")
        let fine = String(repeating: "f'{", count: 20) + "1" + String(repeating: "}'", count: 20) + "\n"
        #expect(lexError(fine) == nil)
    }

    @Test func bracketLimitIsFastAndExact() {
        #expect(lexError(String(repeating: "(", count: 200) + String(repeating: ")", count: 200)) == nil)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            let error = lexError(String(repeating: "(", count: 100_000))
            #expect(error?.message == "too deeply nested: more than 200 nested parentheses")
            #expect(error?.column == 200)
        }
        #expect(elapsed < .seconds(1))
    }

    @Test func indentationLimitIsCPythons() {
        func nested(_ levels: Int) -> String {
            (0..<levels).map { String(repeating: " ", count: $0) + "if 1:\n" }.joined()
                + String(repeating: " ", count: levels) + "pass\n"
        }
        #expect(lexError(nested(99)) == nil)
        let error = lexError(nested(100))
        #expect(error?.message == "too deeply nested: more than 100 indentation levels")
        #expect(error?.line == 101)
    }

    @Test func nullBytesInAnInMemoryBuffer() {
        #expect(lexError("x = 1\u{0}\n")?.message == "source code cannot contain null bytes")
        #expect(lexError("x = '\u{0}'\n")?.message == "source code cannot contain null bytes")
        #expect(lexError("x = f'\u{0}'\n")?.message == "source code cannot contain null bytes")
    }

    @Test func unclosedBracketAtEndOfFileInsideAField() {
        // CPython 3.12's test_fstring.test_comments: everything after '#' is a comment.
        #expect(lexError("f'{1#}'")?.message == "'{' was never closed")
        #expect(lexError("f'one: {1#}'\n")?.column == 7)
        #expect(lexError("f\"{x\n")?.message == "'{' was never closed")
        #expect(lexError("x = [f'{(y\n")?.message == "'(' was never closed")
        // A string opened with the f-string's own quote and never closed is a missing '}'.
        #expect(lexError("x = [f'{(y'\n")?.message == "f-string: expecting '}'")
        #expect(lexError("f'''{x'''")?.message == "f-string: expecting '}'")
    }
}
