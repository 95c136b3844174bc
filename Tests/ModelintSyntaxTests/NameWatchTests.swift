import Testing
@testable import ModelintSyntax

/// The lexer reports which watched names occur as NAME tokens, attributes only after a `.` token.
@Suite struct NameWatchTests {
    private let watch = NameWatch([NameWatch.Name("eval", onlyAsAttribute: true),
                                   NameWatch.Name("no_grad", onlyAsAttribute: false),
                                   NameWatch.Name("training", onlyAsAttribute: true)])

    private func seen(_ text: String) -> UInt64 {
        Parser.parse(SourceBuffer(text: text), watching: watch).watchedNames
    }

    @Test func namesAndAttributes() {
        #expect(seen("m.eval()\n") == 0b001)
        #expect(seen("eval('1')\n") == 0)
        #expect(seen("from torch import no_grad\n") == 0b010)
        #expect(seen("torch.no_grad()\nm.training = False\n") == 0b110)
        #expect(seen("(m.  # the mode\n    eval)()\n") == 0b001)
        #expect(seen("m.\\\n    eval()\n") == 0b001)
        #expect(seen("f'{m.eval()}'\n") == 0b001)
    }

    @Test func stringsCommentsAndLongerNamesDoNotCount() {
        #expect(seen("x = 'm.eval()'  # m.eval()\n") == 0)
        #expect(seen("m.evaluate(no_grads)\n") == 0)
        #expect(seen("my_no_grad = m.eval_mode\n") == 0)
        #expect(Parser.parse(SourceBuffer(text: "m.eval()\n")).watchedNames == 0, "nothing watched")
    }

    @Test func nonASCIINamesAreFlaggedNotMatched() {
        let parsed = Parser.parse(SourceBuffer(text: "m.ｅval()\n"), watching: watch)
        #expect(parsed.watchedNames == 0 && parsed.hasNonASCIINames)
        #expect(!Parser.parse(SourceBuffer(text: "x = 'é'  # café\n")).hasNonASCIINames)
    }
}

/// A recycled token array must never leak tokens from one parse into the next.
@Suite struct ParseRecyclerTests {
    @Test func recycledParsesMatchFreshOnes() {
        let recycler = ParseRecycler()
        let sources = ["x = [1, 2, 3]\n" + String(repeating: "y = f(a, b) + g[c]\n", count: 500),
                       "def f():\n    return 1\n", "", "if x:\n    pass\nelse:\n    y = (\n", "z = 1\n"]
        for text in sources + sources.reversed() {
            let source = SourceBuffer(text: text)
            let fresh = Parser.parse(source)
            let recycled = Parser.parse(source, recycling: recycler)
            #expect(ASTJSON.encode(recycled.module, in: source) == ASTJSON.encode(fresh.module, in: source))
            #expect(recycled.diagnostics == fresh.diagnostics)
        }
    }
}
