import Testing
@testable import ModelintAnalysis
import ModelintSyntax

@Suite struct SemanticFunctionResolutionTests {
    private let others = [
        "engine.py": """
        import torch
        @torch.no_grad()
        def evaluate(model, loader):
            model.eval()
        class BaseTrainer:
            def validate(self):
                evaluate(self.model, None)
        """,
    ]

    @Test func importedFunctionsAndModuleAttributes() {
        let s = Snippet("""
        from engine import evaluate
        import engine
        import engine as eng
        evaluate(model, loader)
        engine.evaluate(model, loader)
        eng.evaluate(model, loader)
        """, path: "train.py", others: others)
        let direct = s.model.resolveFunction(s.expr("evaluate", after: "as eng\n"))
        #expect(direct?.qualifiedName.description == "engine.evaluate")
        #expect(direct?.file.path == "engine.py")
        #expect(direct?.file.isGiven == false)
        #expect(direct?.enclosingClass == nil)
        #expect(s.model.resolveFunction(s.expr("engine.evaluate"))?.qualifiedName.description == "engine.evaluate")
        #expect(s.model.resolveFunction(s.expr("eng.evaluate"))?.qualifiedName.description == "engine.evaluate")
    }

    @Test func methodsThroughSelfSuperInstancesAndInheritance() {
        let s = Snippet("""
        from engine import BaseTrainer
        class Trainer(BaseTrainer):
            def fit(self):
                self.validate()
                self.log()
            def log(self):
                pass
            def validate(self):
                super().validate()
        trainer = Trainer()
        trainer.fit()
        Trainer.log(trainer)
        """, path: "train.py", others: others)
        let validate = s.model.resolveFunction(s.expr("self.validate"))
        #expect(validate?.qualifiedName.description == "train.Trainer.validate")
        #expect(validate?.enclosingClass != nil)
        let parent = s.model.resolveFunction(s.expr("super().validate"))
        #expect(parent?.qualifiedName.description == "engine.BaseTrainer.validate")
        #expect(s.model.resolveFunction(s.expr("self.log"))?.qualifiedName.description == "train.Trainer.log")
        #expect(s.model.resolveFunction(s.expr("trainer.fit"))?.qualifiedName.description == "train.Trainer.fit")
        #expect(s.model.resolveFunction(s.expr("Trainer.log"))?.qualifiedName.description == "train.Trainer.log")
    }

    @Test func inheritedMethodsFromAnotherFile() {
        let s = Snippet("""
        from engine import BaseTrainer
        class Trainer(BaseTrainer):
            def fit(self):
                self.validate()
        """, path: "train.py", others: others)
        #expect(s.model.resolveFunction(s.expr("self.validate"))?.qualifiedName.description == "engine.BaseTrainer.validate")
    }

    @Test func shadowedAndUnknownCalleesDoNotResolve() {
        let s = Snippet("""
        from engine import evaluate
        import torch
        def run(evaluate, model):
            evaluate(model)
        def other(model):
            fn = evaluate
            fn(model)
            torch.save(model, "x")
            model.forward(1)
        """, path: "train.py", others: others)
        #expect(s.model.resolveFunction(s.expr("evaluate", after: "    evaluate(")) == nil)
        #expect(s.model.resolveFunction(s.expr("fn", after: "fn(model)"))?.qualifiedName.description == "engine.evaluate")
        #expect(s.model.resolveFunction(s.expr("torch.save")) == nil)
        #expect(s.model.resolveFunction(s.expr("model.forward")) == nil)
    }

    @Test func functionListOfAFile() {
        let s = Snippet("""
        def outer():
            def inner():
                pass
        class C:
            def method(self):
                pass
        """)
        #expect(s.model.functions.map(\.qualifiedName.description) == ["main.outer", "main.outer.inner", "main.C.method"])
    }
}
