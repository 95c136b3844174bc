// PEP 701 f-string token sequences (Python 3.12), which the 3.11 oracle cannot produce. Expected
// sequences follow CPython 3.12's tokenizer, except that one FSTRING_MIDDLE covers a whole literal
// run (CPython splits it after `{{`, `}}` and `\N{...}`) and empty middles are not emitted.
import Testing
@testable import ModelintSyntax

struct LexerFStringTests {
    @Test func plainAndSimpleFields() {
        #expect(lexed("f'abc'") == "FSTRING_START(f') FSTRING_MIDDLE(abc) FSTRING_END(') NEWLINE ENDMARKER")
        #expect(lexed("f''") == "FSTRING_START(f') FSTRING_END(') NEWLINE ENDMARKER")
        #expect(lexed("f'{x}'") == "FSTRING_START(f') OP({) NAME(x) OP(}) FSTRING_END(') NEWLINE ENDMARKER")
        #expect(lexed("f'a{x}b{y}c'") == "FSTRING_START(f') FSTRING_MIDDLE(a) OP({) NAME(x) OP(}) FSTRING_MIDDLE(b) OP({) NAME(y) OP(}) FSTRING_MIDDLE(c) FSTRING_END(') NEWLINE ENDMARKER")
        #expect(lexed("rf'\\d{x}'") == "FSTRING_START(rf') FSTRING_MIDDLE(\\d) OP({) NAME(x) OP(}) FSTRING_END(') NEWLINE ENDMARKER")
        #expect(lexed("F\"\"\"{x}\"\"\"") == "FSTRING_START(F\"\"\") OP({) NAME(x) OP(}) FSTRING_END(\"\"\") NEWLINE ENDMARKER")
    }

    @Test func doubledBracesStayInTheMiddle() {
        #expect(lexed("f'{{x}}'") == "FSTRING_START(f') FSTRING_MIDDLE({{x}}) FSTRING_END(') NEWLINE ENDMARKER")
        #expect(lexed("f'a{{{x}}}b'") == "FSTRING_START(f') FSTRING_MIDDLE(a{{) OP({) NAME(x) OP(}) FSTRING_MIDDLE(}}b) FSTRING_END(') NEWLINE ENDMARKER")
    }

    @Test func sameQuotesInsideFields() {
        #expect(lexed("f\"{x[\"a\"]}\"") == "FSTRING_START(f\") OP({) NAME(x) OP([) STRING(\"a\") OP(]) OP(}) FSTRING_END(\") NEWLINE ENDMARKER")
        #expect(lexed("f'{f'{x}'}'") == "FSTRING_START(f') OP({) FSTRING_START(f') OP({) NAME(x) OP(}) FSTRING_END(') OP(}) FSTRING_END(') NEWLINE ENDMARKER")
        #expect(lexed("f'{\", \".join(xs)}'") == "FSTRING_START(f') OP({) STRING(\", \") OP(.) NAME(join) OP(() NAME(xs) OP()) OP(}) FSTRING_END(') NEWLINE ENDMARKER")
    }

    @Test func conversionsAndDebugEquals() {
        #expect(lexed("f'{x!r}'") == "FSTRING_START(f') OP({) NAME(x) OP(!) NAME(r) OP(}) FSTRING_END(') NEWLINE ENDMARKER")
        #expect(lexed("f'{x=}'") == "FSTRING_START(f') OP({) NAME(x) OP(=) OP(}) FSTRING_END(') NEWLINE ENDMARKER")
        #expect(lexed("f'{x = !s:>4}'") == "FSTRING_START(f') OP({) NAME(x) OP(=) OP(!) NAME(s) OP(:) FSTRING_MIDDLE(>4) OP(}) FSTRING_END(') NEWLINE ENDMARKER")
        #expect(lexed("f'{x!=y}'") == "FSTRING_START(f') OP({) NAME(x) OP(!=) NAME(y) OP(}) FSTRING_END(') NEWLINE ENDMARKER")
        #expect(lexed("f'{x==y}'") == "FSTRING_START(f') OP({) NAME(x) OP(==) NAME(y) OP(}) FSTRING_END(') NEWLINE ENDMARKER")
    }

    @Test func formatSpecs() {
        #expect(lexed("f'{x:>10}'") == "FSTRING_START(f') OP({) NAME(x) OP(:) FSTRING_MIDDLE(>10) OP(}) FSTRING_END(') NEWLINE ENDMARKER")
        #expect(lexed("f'{x:}'") == "FSTRING_START(f') OP({) NAME(x) OP(:) OP(}) FSTRING_END(') NEWLINE ENDMARKER")
        #expect(lexed("f'{x:{w}.{p}f}'") == "FSTRING_START(f') OP({) NAME(x) OP(:) OP({) NAME(w) OP(}) FSTRING_MIDDLE(.) OP({) NAME(p) OP(}) FSTRING_MIDDLE(f) OP(}) FSTRING_END(') NEWLINE ENDMARKER")
        #expect(lexed("f'{x:{y:{z}}}'") == "FSTRING_START(f') OP({) NAME(x) OP(:) OP({) NAME(y) OP(:) OP({) NAME(z) OP(}) OP(}) OP(}) FSTRING_END(') NEWLINE ENDMARKER")
        // `:=` at the field's top level starts a format spec; inside parentheses it is the walrus.
        #expect(lexed("f'{x:=5}'") == "FSTRING_START(f') OP({) NAME(x) OP(:) FSTRING_MIDDLE(=5) OP(}) FSTRING_END(') NEWLINE ENDMARKER")
        #expect(lexed("f'{(x:=5)}'") == "FSTRING_START(f') OP({) OP(() NAME(x) OP(:=) NUMBER(5) OP()) OP(}) FSTRING_END(') NEWLINE ENDMARKER")
        #expect(lexed("f'{(lambda x: x)(1)}'") == "FSTRING_START(f') OP({) OP(() KW(lambda) NAME(x) OP(:) NAME(x) OP()) OP(() NUMBER(1) OP()) OP(}) FSTRING_END(') NEWLINE ENDMARKER")
        #expect(lexed("f'{ {1: 2}[1] }'") == "FSTRING_START(f') OP({) OP({) NUMBER(1) OP(:) NUMBER(2) OP(}) OP([) NUMBER(1) OP(]) OP(}) FSTRING_END(') NEWLINE ENDMARKER")
        #expect(lexed("f'{x[1:2]}'") == "FSTRING_START(f') OP({) NAME(x) OP([) NUMBER(1) OP(:) NUMBER(2) OP(]) OP(}) FSTRING_END(') NEWLINE ENDMARKER")
        // A line break ends a single-quoted f-string's spec; the field goes on (CPython 3.12, gh-110271).
        #expect(lexed("f'{x:d\n}'\n") == "FSTRING_START(f') OP({) NAME(x) OP(:) FSTRING_MIDDLE(d) OP(}) FSTRING_END(') NEWLINE ENDMARKER")
        #expect(lexed("f'''{x:d\n}'''\n") == "FSTRING_START(f''') OP({) NAME(x) OP(:) FSTRING_MIDDLE(d\n) OP(}) FSTRING_END(''') NEWLINE ENDMARKER")
        // In a spec `{` always opens a field and `}` ends the spec.
        #expect(lexed("f'{x:%H:%M}'") == "FSTRING_START(f') OP({) NAME(x) OP(:) FSTRING_MIDDLE(%H:%M) OP(}) FSTRING_END(') NEWLINE ENDMARKER")
    }

    @Test func namedEscapesAreNotFields() {
        #expect(lexed("f'\\N{BULLET} {x}'") == "FSTRING_START(f') FSTRING_MIDDLE(\\N{BULLET} ) OP({) NAME(x) OP(}) FSTRING_END(') NEWLINE ENDMARKER")
        // ... except in a raw f-string, where `\N` is just text.
        #expect(lexed("rf'\\N{x}'") == "FSTRING_START(rf') FSTRING_MIDDLE(\\N) OP({) NAME(x) OP(}) FSTRING_END(') NEWLINE ENDMARKER")
        // `\{` does not escape the brace.
        #expect(lexed("f'\\{x}'") == "FSTRING_START(f') FSTRING_MIDDLE(\\) OP({) NAME(x) OP(}) FSTRING_END(') NEWLINE ENDMARKER")
    }

    @Test func multiLineFields() {
        let text = "x = f'''a{\n    y +  # comment\n    z\n}b\nc'''\n"
        #expect(lexed(text) == "NAME(x) OP(=) FSTRING_START(f''') FSTRING_MIDDLE(a) OP({) NAME(y) OP(+) NAME(z) OP(}) FSTRING_MIDDLE(b\nc) FSTRING_END(''') NEWLINE ENDMARKER")
        let result = tokenize(SourceBuffer(text: text))
        #expect(result.comments.count == 1)
        // Python 3.12 lets a single-quoted f-string's field span lines too.
        #expect(lexed("f'{[\n1,\n2]}'\n") == "FSTRING_START(f') OP({) OP([) NUMBER(1) OP(,) NUMBER(2) OP(]) OP(}) FSTRING_END(') NEWLINE ENDMARKER")
    }

    @Test func fStringsNextToOtherTokens() {
        #expect(lexed("print(f'{a}' 'b' f'c')\n") == "NAME(print) OP(() FSTRING_START(f') OP({) NAME(a) OP(}) FSTRING_END(') STRING('b') FSTRING_START(f') FSTRING_MIDDLE(c) FSTRING_END(') OP()) NEWLINE ENDMARKER")
        #expect(lexed("if x:\n    y = f'{x}'\n") == "KW(if) NAME(x) OP(:) NEWLINE INDENT NAME(y) OP(=) FSTRING_START(f') OP({) NAME(x) OP(}) FSTRING_END(') NEWLINE DEDENT ENDMARKER")
    }

    @Test func middleRangesAreTheLiteralText() {
        let source = SourceBuffer(text: "f'ab{x:cd}ef'")
        let middles = tokenize(source).tokens.filter { $0.kind == .fstringMiddle }.map { source.text($0.range) }
        #expect(middles == ["ab", "cd", "ef"])
    }
}
