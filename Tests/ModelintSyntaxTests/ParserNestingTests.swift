// Robustness against deep nesting: every input below must end in a clear error (or a valid tree)
// without overflowing an 8 MB stack in a debug build, both while parsing and while the tree is
// released. CPython rejects all the rejected ones as well (tokenizer limits or RecursionError).
import Foundation
import Testing
@testable import ModelintSyntax

struct ParserNestingTests {
    /// A named input, so test names stay short.
    struct Input: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        init(_ name: String, _ text: String) {
            self.name = name
            self.text = text
        }
        var testDescription: String { name }
    }

    /// The first diagnostic's message (nil if valid), parsed on an 8 MB stack; the tree is released
    /// on that thread too.
    private func outcome(_ text: String) -> String? {
        onEightMegabyteStack { parse(text).diagnostics.first?.message }
    }

    private static let tooDeep = PythonParser.nestingMessage
    private static let limit = PythonParser.maxNesting

    private static func repeated(_ text: String, _ count: Int) -> String { String(repeating: text, count: count) }

    @Test func hundredThousandNestedParenthesesAreALexerError() {
        let message = outcome(Self.repeated("(", 100_000) + "x" + Self.repeated(")", 100_000))
        #expect(message?.contains("nested parentheses") == true, "\(message ?? "accepted")")
    }

    @Test func tenThousandNestedBlocksAreAnIndentationError() {
        // 50 MB of indentation, written into a buffer of spaces: appending is slow in debug builds.
        var bytes = [UInt8](repeating: UInt8(ascii: " "), count: 10_001 * 10_000 / 2 + 70_000)
        var offset = 0
        for level in 0...10_000 {
            offset += level
            for byte in (level == 10_000 ? "pass\n" : "if x:\n").utf8 {
                bytes[offset] = byte
                offset += 1
            }
        }
        bytes.removeLast(bytes.count - offset)
        let text = bytes
        let message = onEightMegabyteStack {
            Parser.parse(SourceBuffer(path: "test.py", utf8: text)).diagnostics.first?.message
        }
        #expect(message?.contains("indentation") == true, "\(message ?? "accepted")")
    }

    @Test(arguments: [
        Input("unary minus", repeated("-", 100_000) + "x"),
        Input("unary mixed", repeated("-+~", 10_000) + "x"),
        Input("not", repeated("not ", 20_000) + "x"),
        Input("lambda", repeated("lambda: ", 20_000) + "x"),
        Input("lambda defaults", repeated("lambda a=", 10_000) + "x" + repeated(": a", 10_000)),
        Input("conditional", repeated("x if x else ", 20_000) + "x"),
        Input("power", "x" + repeated(" ** x", 100_000)),
        Input("power of negations", "x" + repeated(" ** -x", 20_000)),
        Input("sum", "a" + repeated("+a", 100_000)),
        Input("product", "a" + repeated("*a", 100_000)),
        Input("mixed precedence", "a" + repeated("+a*a", 100_000)),
        Input("attributes", "a" + repeated(".a", 20_000)),
        Input("calls", "a" + repeated("()", 20_000)),
        Input("subscripts", "a" + repeated("[0]", 20_000)),
        Input("await operands", "a" + repeated(" | await a", 20_000)),
        Input("elif", "if x: pass\n" + repeated("elif x: pass\n", 20_000)),
        Input("assignment target", "a" + repeated(".a", 20_000) + " = 1"),
        Input("pattern value", "match x:\n case a" + repeated(".a", 20_000) + ": pass\n"),
    ])
    func deepChainsAreRejected(_ input: Input) {
        #expect(outcome(input.text) == Self.tooDeep)
    }

    @Test(arguments: [
        Input("comparisons", "a" + repeated(" < a", 20_000)),
        Input("and", "a" + repeated(" and a", 20_000)),
        Input("tuple", "a" + repeated(", a", 20_000)),
        Input("arguments", "f(" + repeated("a, ", 20_000) + ")"),
        Input("string concatenation", repeated("'a' ", 20_000)),
        Input("statements", repeated("x = 1\n", 20_000)),
    ])
    func flatSequencesAreNotNesting(_ input: Input) {
        #expect(outcome(input.text) == nil)
    }

    /// CPython accepts a thousand levels of each of these; so does modelint.
    @Test(arguments: [
        Input("unary", repeated("-", 1000) + "x"),
        Input("not", repeated("not ", 1000) + "x"),
        Input("lambda", repeated("lambda: ", 1000) + "x"),
        Input("conditional", repeated("x if x else ", 1000) + "x"),
        Input("power", "x" + repeated(" ** x", 1000)),
        Input("sum", "a" + repeated("+a", 1000)),
        Input("attributes", "a" + repeated(".a", 1000)),
        Input("elif", "if x: pass\n" + repeated("elif x: pass\n", 1000)),
        Input("200 parentheses", repeated("(", 200) + "x" + repeated(")", 200)),
        Input("200 brackets", repeated("[", 200) + repeated("]", 200)),
        Input("200 calls", repeated("f(", 200) + repeated(")", 200)),
        Input("99 blocks", (0..<99).map { String(repeating: " ", count: $0) + "if x:\n" }.joined()
              + String(repeating: " ", count: 99) + "pass\n"),
    ])
    func thousandLevelsAreAccepted(_ input: Input) {
        #expect(outcome(input.text) == nil)
    }

    /// Just under the limit: the deepest recursion the parser allows must fit an 8 MB stack in a
    /// debug build, while parsing and while releasing the tree.
    @Test(arguments: [
        Input("unary", repeated("-", limit - 5) + "x"),
        Input("lambda", repeated("lambda: ", limit - 5) + "x"),
        Input("lambda defaults", repeated("lambda a=", limit / 2 - 5) + "x" + repeated(": a", limit / 2 - 5)),
        Input("power", "x" + repeated(" ** x", limit - 5)),
        Input("power of negations", "x" + repeated(" ** -x", limit / 2 - 5)),
        Input("sum", "a" + repeated("+a", limit - 5)),
        Input("elif", "if x: pass\n" + repeated("elif x: pass\n", limit - 5)),
        Input("parentheses around unary", repeated("(", 200) + repeated("-", limit - 420) + "x" + repeated(")", 200)),
        Input("calls around lambda defaults", repeated("f(", 199) + repeated("lambda a=", (limit - 420) / 2) + "x"
              + repeated(": a", (limit - 420) / 2) + repeated(")", 199)),
        Input("nested sequence patterns", "match x:\n case " + repeated("[", 199) + repeated("]", 199) + ": pass\n"),
        Input("nested f-strings", repeated("f'{", 60) + "x" + repeated("}'", 60)),
    ])
    func deepestAcceptedInputsFitTheStack(_ input: Input) {
        #expect(outcome(input.text) == nil)
    }
}
