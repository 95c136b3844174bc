// Python 3.12 syntax the 3.11 oracle cannot check (PEP 695 type parameters and aliases, PEP 701
// f-strings), written from the 3.12 grammar and documentation; positions as CPython 3.12 gives them
// (see also fixtures/syntax, generated from a real 3.12).
import Foundation
import Testing
@testable import ModelintSyntax

struct ParserSyntax312Tests {
    // MARK: - PEP 695

    @Test func typeAlias() {
        let t = tree("type Point = tuple[float, float]\n")
        #expect(type(t, "body.0") == "TypeAlias")
        #expect(span(t, "body.0") == "1:0-1:32")
        #expect(type(t, "body.0.name") == "Name")
        #expect(type(t, "body.0.name.ctx") == "Store")
        #expect(span(t, "body.0.name") == "1:5-1:10")
        #expect((node(t, "body.0.type_params") as? [Any])?.isEmpty == true)
        #expect(type(t, "body.0.value") == "Subscript")
    }

    @Test func typeAliasWithParameters() {
        let t = tree("type Alias[T: int, *Ts, **P] = Callable[P, T]\n")
        #expect(type(t, "body.0.type_params.0") == "TypeVar")
        #expect(node(t, "body.0.type_params.0.name") as? String == "T")
        #expect(type(t, "body.0.type_params.0.bound") == "Name")
        #expect(span(t, "body.0.type_params.0") == "1:11-1:17")
        #expect(type(t, "body.0.type_params.1") == "TypeVarTuple")
        #expect(span(t, "body.0.type_params.1") == "1:19-1:22")
        #expect(type(t, "body.0.type_params.2") == "ParamSpec")
        #expect(span(t, "body.0.type_params.2") == "1:24-1:27")
    }

    @Test func genericFunctionAndClass() {
        let t = tree("@dec\ndef first[T](xs: list[T]) -> T:\n    return xs[0]\nclass Box[T: (int, str)](Base, metaclass=M):\n    pass\n")
        #expect(type(t, "body.0") == "FunctionDef")
        #expect(span(t, "body.0") == "2:0-3:16")
        #expect(node(t, "body.0.type_params.0.name") as? String == "T")
        #expect(type(t, "body.1") == "ClassDef")
        #expect(type(t, "body.1.type_params.0.bound") == "Tuple")
        #expect(type(t, "body.1.bases.0") == "Name")
        #expect(node(t, "body.1.keywords.0.arg") as? String == "metaclass")
    }

    @Test func typeStaysAName() {
        let t = tree("type = 1\ntype(x)\nprint(type)\ntype.x = 2\n")
        #expect(type(t, "body.0") == "Assign")
        #expect(type(t, "body.1.value") == "Call")
        #expect(type(t, "body.3.targets.0") == "Attribute")
    }

    @Test(arguments: [
        "type X[] = int\n",
        "def f[](): pass\n",
        "type X[*Ts: int] = int\n",
        "type X[**P: int] = int\n",
        "type X[T = int] = T\n",
        "type X = *a\n",
        "type X\n",
        "type X[T] int\n",
        "class C[T,,]: pass\n",
    ])
    func invalidTypeParameterSyntax(_ text: String) {
        #expect(!parse(text).diagnostics.isEmpty)
    }

    // MARK: - PEP 701

    @Test func fStringPartsHaveTheirOwnSpans() {
        let t = tree("f'a{x}b'\n")
        #expect(type(t, "body.0.value") == "JoinedStr")
        #expect(span(t, "body.0.value") == "1:0-1:8")
        #expect(node(t, "body.0.value.values.0.value") as? String == "a")
        #expect(span(t, "body.0.value.values.0") == "1:2-1:3")
        #expect(type(t, "body.0.value.values.1") == "FormattedValue")
        #expect(span(t, "body.0.value.values.1") == "1:3-1:6")
        #expect(span(t, "body.0.value.values.1.value") == "1:4-1:5")
        #expect(span(t, "body.0.value.values.2") == "1:6-1:7")
    }

    @Test func nestedSameQuotes() {
        let t = tree("f\"{f\"{x}\"}\"\n")
        #expect(type(t, "body.0.value.values.0.value") == "JoinedStr")
        #expect(type(t, "body.0.value.values.0.value.values.0.value") == "Name")
    }

    @Test func backslashAndCommentInReplacementField() {
        let t = tree("f'{\"\\n\".join(a)}'\nf'''{\n  x  # comment\n}'''\n")
        #expect(type(t, "body.0.value.values.0.value") == "Call")
        #expect(node(t, "body.0.value.values.0.value.func.value.value") as? String == "\n")
        #expect(span(t, "body.1.value.values.0.value") == "3:2-3:3")
    }

    @Test func debugExpressions() {
        let t = tree("f'{x=}'\nf'{x = !s}'\nf'{x=:>3}'\nf'a{x=}'\n")
        #expect(node(t, "body.0.value.values.0.value") as? String == "x=")
        #expect(node(t, "body.0.value.values.1.conversion") as? Int == 114)
        #expect(node(t, "body.1.value.values.0.value") as? String == "x = ")
        #expect(node(t, "body.1.value.values.1.conversion") as? Int == 115)
        #expect(node(t, "body.2.value.values.1.conversion") as? Int == -1)
        #expect(type(t, "body.2.value.values.1.format_spec") == "JoinedStr")
        // The debug text merges with the literal before it.
        #expect(node(t, "body.3.value.values.0.value") as? String == "ax=")
    }

    @Test func formatSpecs() {
        let t = tree("f'{x:}'\nf'{x:>{width}.{precision}}'\nf'{x!r:^10}'\n")
        #expect((node(t, "body.0.value.values.0.format_spec.values") as? [Any])?.isEmpty == true)
        #expect(node(t, "body.1.value.values.0.format_spec.values.0.value") as? String == ">")
        #expect(type(t, "body.1.value.values.0.format_spec.values.1") == "FormattedValue")
        #expect(node(t, "body.1.value.values.0.format_spec.values.2.value") as? String == ".")
        #expect(node(t, "body.2.value.values.0.conversion") as? Int == 114)
    }

    @Test func concatenationMergesAndDropsEmptyText() {
        let t = tree("'a' f'{x}' 'b' f'c' ''\nf'' ''\nu'a' f'{x}'\n")
        #expect(node(t, "body.0.value.values.0.value") as? String == "a")
        #expect(node(t, "body.0.value.values.2.value") as? String == "bc")
        #expect((node(t, "body.0.value.values") as? [Any])?.count == 3)
        #expect(span(t, "body.0.value") == "1:0-1:22")
        #expect((node(t, "body.1.value.values") as? [Any])?.isEmpty == true)
        #expect(node(t, "body.2.value.values.0.kind") as? String == "u")
    }

    @Test func starredExpressionInReplacementFieldParses() {
        // 3.12 accepts it in ast.parse (the compiler rejects it later); 3.11 did not.
        let t = tree("f'{*a,}'\nf'{*a}'\n")
        #expect(type(t, "body.0.value.values.0.value") == "Tuple")
        #expect(type(t, "body.1.value.values.0.value") == "Starred")
    }

    @Test(arguments: [
        "f'{x!z}'\n", "f'{x!}'\n", "f'{x! r}'\n", "f'{}'\n", "f'{=}'\n", "f'{!r}'\n", "f'{x!s=}'\n",
        "f'{lambda x: 1}'\n", "b'a' f'b'\n",
    ])
    func invalidFStrings(_ text: String) {
        #expect(!parse(text).diagnostics.isEmpty)
    }
}
