// Syntax errors: CPython-like messages at the right place, recovery to a partial tree, and the
// lexer's and parser's diagnostics merged in source order.
import Foundation
import Testing
@testable import ModelintSyntax

struct ParserErrorTests {
    struct Example: Sendable, CustomTestStringConvertible {
        let source: String
        let message: String
        let location: String
        init(_ source: String, _ message: String, _ location: String) {
            self.source = source
            self.message = message
            self.location = location
        }
        var testDescription: String { source.debugDescription }
    }

    @Test(arguments: [
        Example("f() = 1\n", "cannot assign to function call", "1:1"),
        Example("(a, 1) = x\n", "cannot assign to literal", "1:5"),
        Example("a + 1 += 2\n", "'expression' is an illegal expression for augmented assignment", "1:1"),
        Example("a, b: int\n", "only single target (not tuple) can be annotated", "1:1"),
        Example("del f()\n", "cannot delete function call", "1:5"),
        Example("del (a, *b)\n", "cannot delete starred", "1:9"),
        Example("for f() in x: pass\n", "cannot assign to function call", "1:5"),
        Example("with a as f(): pass\n", "cannot assign to function call", "1:11"),
        Example("x = (*a)\n", "cannot use starred expression here", "1:6"),
        Example("(a.b := 1)\n", "cannot use assignment expressions with attribute", "1:2"),
        Example("f(a=1, b)\n", "positional argument follows keyword argument", "1:8"),
        Example("f(**a, b)\n", "positional argument follows keyword argument unpacking", "1:8"),
        Example("f(**a, *b)\n", "iterable argument unpacking follows keyword argument unpacking", "1:8"),
        Example("f(x for x in y, 1)\n", "Generator expression must be parenthesized", "1:3"),
        Example("def f(a=1, b): pass\n", "parameter without a default follows parameter with a default", "1:12"),
        Example("def f(*): pass\n", "named parameters must follow bare *", "1:7"),
        Example("def f(*a, *b): pass\n", "* may appear only once", "1:11"),
        Example("def f(/): pass\n", "at least one parameter must precede /", "1:7"),
        Example("lambda a=1, b: 0\n", "parameter without a default follows parameter with a default", "1:13"),
        Example("print \"x\"\n", "Missing parentheses in call to 'print'. Did you mean print(...)?", "1:1"),
        Example("if x:\npass\n", "expected an indented block", "2:1"),
        Example("  a\n", "unexpected indent", "1:1"),
        Example("try:\n    pass\n", "unexpected end of file; expected 'except' or 'finally' block", "3:1"),
        Example("try:\n    pass\nexcept E:\n    pass\nexcept* F:\n    pass\n",
                "cannot have both 'except' and 'except*' on the same 'try'", "5:1"),
        Example("from a import b,\n", "trailing comma not allowed without surrounding parentheses", "1:16"),
        Example("b'a' 'b'\n", "cannot mix bytes and nonbytes literals", "1:1"),
        Example("match x:\n case A(x=1, 2): pass\n", "positional patterns follow keyword patterns", "2:14"),
        Example("match x:\n case 1+2: pass\n", "imaginary number required in complex literal", "2:9"),
        Example("match x:\n case a as _: pass\n", "cannot use '_' as a target", "2:12"),
        Example("f'{x!z}'\n", "f-string: invalid conversion character 'z': expected 's', 'r', or 'a'", "1:6"),
        Example("type X[] = int\n", "Type parameter list cannot be empty", "1:8"),
    ])
    func messageAndLocation(_ example: Example) {
        let error = firstError(example.source)
        #expect(error?.message == example.message)
        #expect(error?.location == example.location)
    }

    @Test func lexerErrorsAreReportedOnce() {
        let parsed = parse("x = 'abc\n")
        #expect(parsed.diagnostics.count == 1)
        #expect(parsed.diagnostics.first?.message.contains("unterminated string") == true)
    }

    @Test func diagnosticsAreInSourceOrder() {
        let parsed = parse("f() = 1\nx = $\n")
        #expect(parsed.diagnostics.map(\.message) == ["cannot assign to function call", "invalid syntax"])
        #expect(parsed.diagnostics.map(\.range.start) == parsed.diagnostics.map(\.range.start).sorted())
    }

    /// After a failed parse CPython tokenizes the rest of the file and reports a tokenizer error it
    /// finds there instead (the lexer's `parserErrorOverride`).
    @Test func aLaterTokenizerErrorWinsOverTheParseError() {
        #expect(parse("f() = 1\nx = 'abc\n").diagnostics.map(\.message) == ["unterminated string literal (detected at line 2)"])
        #expect(parse("x = $\ny = 'abc\n").diagnostics.map(\.message) == ["unterminated string literal (detected at line 2)"])
        // An unclosed bracket wins only over a parse error on a later line.
        #expect(parse("f() = 1\ny = [1,\n").diagnostics.first?.message == "cannot assign to function call")
        #expect(parse("x = 1\ny = [1,\n").diagnostics.first?.message == "'[' was never closed")
        // Too deep a nesting is not a syntax error CPython would replace.
        let deep = String(repeating: "-", count: 2000) + "x\ny = 'abc\n"
        #expect(parse(deep).diagnostics.first?.message == PythonParser.nestingMessage)
    }

    @Test func recoveryKeepsTheStatementsAroundAnError() {
        let parsed = parse("a = 1\nb = = 2\nc = 3\n")
        #expect(parsed.diagnostics.count == 1)
        #expect(parsed.module.body.count == 2)
    }

    @Test func recoveryInsideABlockKeepsTheBlock() {
        let parsed = parse("def f():\n    x = = 1\n    y = 2\nz = 3\n")
        #expect(parsed.diagnostics.count == 1)
        #expect(parsed.module.body.count == 2)
        guard case .functionDef(let definition) = parsed.module.body.first?.kind else {
            Issue.record("expected the function to be kept")
            return
        }
        #expect(definition.body.count == 1)
    }

    @Test func recoverySkipsTheBlockOfABrokenHeader() {
        let parsed = parse("if x y:\n    a = 1\n    b = 2\nc = 3\n")
        #expect(parsed.diagnostics.count == 1)
        #expect(parsed.module.body.count == 1)
    }

    @Test func validFilesHaveNoDiagnostics() {
        for text in ["", "\n", "# only a comment\n", "x = 1", "x = 1\r\ny = 2\r\n", "if x:\n    pass"] {
            let parsed = parse(text)
            #expect(parsed.diagnostics.isEmpty, "\(text.debugDescription): \(parsed.diagnostics)")
        }
    }

    @Test func commentsComeFromTheLexer() {
        let parsed = parse("x = 1  # one\n# two\n")
        #expect(parsed.comments.map { parsed.source.text($0) } == ["# one", "# two"])
    }

    @Test func errorRangesStayInsideTheFile() {
        for text in ["(", "x = ", "def f(", "if x:", "f'{", "match x:\n case", "@", "class"] {
            let parsed = parse(text)
            #expect(!parsed.diagnostics.isEmpty, "\(text.debugDescription)")
            for diagnostic in parsed.diagnostics {
                #expect(Int(diagnostic.range.end) <= parsed.source.count, "\(text.debugDescription)")
            }
        }
    }
}
