import Testing
@testable import ModelintAnalysis
import ModelintSyntax

@Suite struct SemanticScopeTests {
    @Test func scopesOfNodes() {
        let s = Snippet("""
        import torch
        class Trainer:
            @torch.no_grad()
            def evaluate(self, model, scale=torch.ones(1)):
                f = lambda x: model(x)
                return [y * scale for y in model.outputs]
        """)
        let method = s.model.scope(of: .expr(s.expr("f", after: "f =")))
        #expect(method.kind == .function)
        #expect(method.name == "evaluate")
        #expect(method.qualifiedPath == ["Trainer", "evaluate"])
        #expect(method.methodClass?.name == "Trainer")
        #expect(method.binds("model"))
        #expect(method.binds("f"))
        // Decorators and defaults run in the enclosing (class) scope.
        #expect(s.model.scope(of: .expr(s.expr("torch.no_grad()"))).kind == .classBody)
        #expect(s.model.scope(of: .expr(s.expr("torch.ones(1)"))).kind == .classBody)
        #expect(s.model.scope(of: .expr(s.expr("model(x)"))).kind == .lambda)
        #expect(s.model.scope(of: .expr(s.expr("y * scale"))).kind == .comprehension)
        // A comprehension's first iterable is evaluated outside it.
        #expect(s.model.scope(of: .expr(s.expr("model.outputs"))).kind == .function)
        // The def statement itself belongs to the class body.
        #expect(s.model.scope(of: .stmt(s.definition("evaluate"))).kind == .classBody)
        #expect(s.model.scope(openedBy: .stmt(s.definition("evaluate")))?.name == "evaluate")
        #expect(s.model.scope(of: .stmt(s.definition("Trainer"))).kind == .module)
    }

    @Test func lambdaInsideAComprehensionsFirstIterable() {
        let s = Snippet("""
        out = [item for item in map(lambda v: v + 1, data) if item]
        """)
        #expect(s.model.scope(of: .expr(s.expr("v + 1"))).kind == .lambda)
        #expect(s.model.scope(of: .expr(s.expr("data"))).kind == .module)
        #expect(s.model.scope(of: .expr(s.expr("item", after: "if"))).kind == .comprehension)
    }

    @Test func walrusBindsInTheEnclosingFunction() {
        let s = Snippet("""
        def f(xs):
            if any((hit := x) > 0 for x in xs):
                return hit
        """)
        #expect(s.model.scope(of: .expr(s.expr("hit", after: "return"))).binds("hit"))
    }

    @Test func deepNestingDoesNotOverflow() {
        // 95 nested functions (Python allows 100 indentation levels) around 190 nested lists.
        var text = ""
        for depth in 0..<95 {
            text += String(repeating: " ", count: depth) + "def f\(depth)():\n"
        }
        text += String(repeating: " ", count: 95) + "return " + String(repeating: "[", count: 190) + "torch"
            + String(repeating: "]", count: 190) + "\n"
        let s = Snippet("import torch\n" + text)
        #expect(s.qualified("torch", after: "return") == "torch")
        #expect(s.model.scope(of: .expr(s.expr("torch", after: "return"))).qualifiedPath.count == 95)
    }
}
