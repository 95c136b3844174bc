import Testing
@testable import ModelintAnalysis
import ModelintSyntax

@Suite struct SemanticNameResolutionTests {
    @Test func importFormsResolveToQualifiedNames() {
        let s = Snippet("""
        import torch
        import torch.nn as nn
        import torch.nn.functional
        from torch import no_grad, optim as optimizers
        from torch.nn import functional as F

        def step(x):
            y = F.dropout(x, 0.1)
            z = torch.nn.functional.relu(y)
            layer = nn.Dropout(0.5)
            with no_grad():
                pass
            return optimizers.SGD
        """)
        #expect(s.qualified("F.dropout") == "torch.nn.functional.dropout")
        #expect(s.qualified("torch.nn.functional.relu") == "torch.nn.functional.relu")
        #expect(s.qualified("nn.Dropout") == "torch.nn.Dropout")
        #expect(s.qualified("no_grad", after: "with") == "torch.no_grad")
        #expect(s.qualified("no_grad()") == "torch.no_grad")
        #expect(s.qualified("optimizers.SGD") == "torch.optim.SGD")
        #expect(s.qualified("torch") == "torch")
    }

    @Test func parametersAndLocalAssignmentsShadowImports() {
        let s = Snippet("""
        import torch
        from torch.nn import functional as F

        def helper(torch, x):
            return torch.no_grad()

        def other(x):
            F = make_functional()
            return F.dropout(x)

        def clean(x):
            return F.dropout(x), torch.no_grad()
        """)
        #expect(s.qualified("torch.no_grad", after: "def helper") == nil)
        #expect(s.qualified("F.dropout", after: "def other") == nil)
        #expect(s.qualified("F.dropout", after: "def clean") == "torch.nn.functional.dropout")
        #expect(s.qualified("torch.no_grad", after: "def clean") == "torch.no_grad")
    }

    @Test func moduleLevelRebindingToSomethingElseIsUnresolved() {
        let s = Snippet("""
        import torch
        torch = load_fake_torch()
        x = torch.no_grad()
        """)
        #expect(s.qualified("torch.no_grad") == nil)
    }

    @Test func optionalImportFallingBackToNoneStillResolves() {
        let s = Snippet("""
        try:
            from apex import amp
        except ImportError:
            amp = None
        model, optimizer = amp.initialize(model, optimizer)
        """)
        #expect(s.qualified("amp.initialize") == "apex.amp.initialize")
    }

    @Test func localDefinitionsAndAliases() {
        let s = Snippet("""
        import torch.nn as nn
        Dropout = nn.Dropout

        def evaluate(model):
            pass

        class Trainer:
            def fit(self):
                evaluate(self.model)
                return Dropout(0.1)
        """)
        #expect(s.qualified("evaluate", after: "def fit") == "main.evaluate")
        #expect(s.qualified("Dropout", after: "return") == "torch.nn.Dropout")
        #expect(s.model.qualifiedName(ofDefinition: s.definition("fit"))?.description == "main.Trainer.fit")
    }

    @Test func builtinsResolveOnlyWhenNotShadowed() {
        let s = Snippet("""
        print("a")
        def f(len):
            return len(1), isinstance(1, int)
        def g():
            return frobnicate(2)
        """)
        #expect(s.qualified("print") == "builtins.print")
        #expect(s.qualified("len", after: "return") == nil)
        #expect(s.qualified("isinstance") == "builtins.isinstance")
        #expect(s.qualified("frobnicate") == nil)
    }

    @Test func classBodiesAreNotVisibleFromMethods() {
        let s = Snippet("""
        import torch.nn as nn
        class Net(nn.Module):
            nn = None
            layer = nn
            def forward(self, x):
                return nn.functional.relu(x)
        """)
        // Inside the method, `nn` skips the class body and finds the module-level import.
        #expect(s.qualified("nn.functional.relu") == "torch.nn.functional.relu")
    }

    @Test func comprehensionTargetsAndGlobalsFollowPythonScoping() {
        let s = Snippet("""
        import torch.nn as nn
        layers = [nn for nn in range(3)]
        counter = None
        def bump():
            global nn
            return nn.Linear
        """)
        #expect(s.qualified("nn", after: "[nn") == nil)
        #expect(s.qualified("nn.Linear") == "torch.nn.Linear")
    }

    @Test func globalAndNonlocalAssignmentsBindInTheOwningScope() {
        let s = Snippet("""
        import torch.nn as nn
        model = None
        def setup():
            global model
            model = nn.Linear(2, 2)
        def outer():
            layer = None
            def build():
                nonlocal layer
                layer = nn.Dropout(0.1)
            build()
            return layer
        def use():
            model.eval()
        """)
        #expect(s.isModule("model", after: "model.eval"))
        #expect(s.isModule("layer", after: "return"))
        #expect(!s.model.scope(of: .expr(s.expr("model", after: "global model\n"))).binds("model"))
    }

    @Test func starImportsResolveNamesTheyMayDefine() {
        let s = Snippet("""
        from torch.nn import *
        layer = Dropout(0.2)
        print(layer)
        """)
        #expect(s.qualified("Dropout") == "torch.nn.Dropout")
        #expect(s.qualified("print") == "builtins.print")
    }

    @Test func callsResolveToTheirCallee() {
        let s = Snippet("""
        import torch
        with torch.inference_mode():
            pass
        """)
        #expect(s.qualified("torch.inference_mode()") == "torch.inference_mode")
    }

    @Test func relativeImportsResolveAgainstThePackage() {
        let s = Snippet("""
        from .utils import helper
        from . import utils
        from ..config import settings
        helper(); utils.helper(); settings
        """, path: "pkg/engine.py", others: [
            "pkg/__init__.py": "",
            "pkg/utils.py": "def helper():\n    pass\n",
        ])
        #expect(s.qualified("helper", after: "settings\n") == "pkg.utils.helper")
        #expect(s.qualified("utils.helper") == "pkg.utils.helper")
        // Not a local file: the dotted name Python would compute.
        #expect(s.qualified("settings", after: "utils.helper()") == "config.settings")
    }

    @Test func reExportsThroughPackageInitsResolveToTheDefinition() {
        let s = Snippet("""
        from models import Net, build
        import models.heads as heads
        Net(); build(); heads.Head()
        """, path: "train.py", others: [
            "models/__init__.py": "from .net import Net\nfrom .factory import build\n",
            "models/net.py": "import torch.nn as nn\nclass Net(nn.Module):\n    pass\n",
            "models/factory.py": "def build():\n    pass\n",
            "models/heads.py": "class Head:\n    pass\n",
        ])
        #expect(s.qualified("Net", after: "heads\n") == "models.net.Net")
        #expect(s.qualified("build", after: "Net()") == "models.factory.build")
        #expect(s.qualified("heads.Head") == "models.heads.Head")
    }

    @Test func namespacePackagesResolveWithoutInitFiles() {
        let s = Snippet("""
        import utils.metrics
        from utils import metrics as m
        utils.metrics.accuracy(1, 2)
        m.accuracy(1, 2)
        """, path: "train.py", others: [
            "utils/metrics.py": "def accuracy(a, b):\n    return a\n",
        ])
        #expect(s.qualified("utils.metrics.accuracy") == "utils.metrics.accuracy")
        #expect(s.qualified("m.accuracy") == "utils.metrics.accuracy")
        #expect(s.model.resolveFunction(s.expr("m.accuracy"))?.qualifiedName.description == "utils.metrics.accuracy")
    }
}
