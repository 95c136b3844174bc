import Testing
@testable import ModelintExecutor

@Suite struct JSONParserTests {
    static func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    static func number(_ text: String) throws -> JSONNumber {
        guard case .number(let number) = try parse(text) else { throw FixtureError("\(text) is not a number") }
        return number
    }

    @Test func numbersKeepTheirLiteralKind() throws {
        #expect(try Self.number("3").isIntegerLiteral)
        #expect(try Self.number("3").integerValue == 3)
        #expect(try !Self.number("3.0").isIntegerLiteral)
        #expect(try !Self.number("3e0").isIntegerLiteral)
        #expect(try Self.number("-9223372036854775808").integerValue == Int64.min)
        #expect(try Self.number("9223372036854775808").integerValue == nil)
    }

    /// Both the fast path and strtod must round exactly like Python's float().
    @Test(arguments: [
        ("0.1", 0.1), ("-0.0", -0.0), ("1e-05", 1e-05), ("0.16419545102119446", 0.16419545102119446),
        ("123456789012345678", 123456789012345678.0), ("2.5E+3", 2500.0), ("-1.75", -1.75),
        ("0.30000000000000004", 0.30000000000000004), ("1e308", 1e308), ("4.9e-324", Double.leastNonzeroMagnitude),
    ])
    func numbersRoundCorrectly(_ text: String, _ value: Double) throws {
        let parsed = try Self.number(text).value
        #expect(parsed == value && parsed.sign == value.sign, "\(text) parsed as \(parsed)")
    }

    @Test func pythonNonFiniteLiterals() throws {
        #expect(try Self.number("NaN").value.isNaN)
        #expect(try Self.number("Infinity").value == .infinity)
        #expect(try Self.number("-Infinity").value == -.infinity)
    }

    @Test func stringsAndEscapes() throws {
        #expect(try Self.parse(#""a\"b\\c\/\n\u00e9\ud83d\ude00""#) == .string("a\"b\\c/\né😀"))
    }

    @Test func objectsKeepOrderAndTheLastDuplicateWins() throws {
        guard case .object(let object) = try Self.parse(#"{"b": 1, "a": [true, null], "b": 2}"#) else {
            Issue.record("not an object")
            return
        }
        #expect(object.keys == ["b", "a", "b"])
        #expect(object["b"] == .number(JSONNumber(value: 2, isIntegerLiteral: true, integerValue: 2)))
        #expect(object["a"] == .array([.bool(true), .null]))
    }

    @Test(arguments: [
        ("{\"a\": 1,}", 1, 9, "expected a string key"),
        ("[1, 2", 1, 6, "expected ',' or ']' in an array"),
        ("{\n  \"a\": tru\n}", 2, 8, "invalid literal, expected 'true'"),
        ("[01]", 1, 3, "leading zeros are not allowed"),
        ("[1.]", 1, 4, "expected a digit after '.'"),
        ("\"abc", 1, 5, "unterminated string"),
        ("[1] x", 1, 5, "unexpected data after the top-level value"),
        ("", 1, 1, "unexpected end of input, expected a value"),
        ("[\"\\ud800\"]", 1, 9, "unpaired surrogate in \\u escape"),
    ])
    func syntaxErrorsAreLocated(_ text: String, _ line: Int, _ column: Int, _ message: String) {
        #expect(throws: JSONSyntaxError(line: line, column: column, message: message)) { try Self.parse(text) }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try Self.parse(deep) }
    }
}
