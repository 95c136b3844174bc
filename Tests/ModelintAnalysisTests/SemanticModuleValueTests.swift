import Testing
@testable import ModelintAnalysis
import ModelintSyntax

@Suite struct SemanticModuleValueTests {
    @Test func torchLayersAndContainersAreModulesTensorsAndOptimizersAreNot() {
        let s = Snippet("""
        import torch
        import torch.nn as nn
        model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.5))
        head = torch.nn.modules.linear.Linear(8, 2)
        x = torch.randn(3, 4)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        weight = nn.Parameter(torch.zeros(3))
        out = model(x)
        """)
        #expect(s.isModule("model", after: "out ="))
        #expect(s.isModule("head"))
        #expect(!s.isModule("x", after: "out ="))
        #expect(!s.isModule("opt"))
        #expect(!s.isModule("weight"))
        #expect(!s.isModule("out"))
        #expect(s.model.moduleValue(s.expr("model", after: "out ="))?.origin == .constructed)
    }

    @Test func instancesOfLocalSubclassesThroughAnyChainOfBases() {
        let s = Snippet("""
        import torch.nn as nn
        class Base(nn.Module):
            pass
        class Net(Base):
            pass
        class Helper:
            pass
        model = Net()
        helper = Helper()
        """)
        #expect(s.isModule("model"))
        #expect(!s.isModule("helper"))
        #expect(s.model.moduleClass(of: s.expr("model"))?.name.description == "main.Net")
    }

    @Test func libraryModelConstructors() {
        let s = Snippet("""
        import timm
        import torchvision
        from torchvision.models import resnet50, ResNet50_Weights
        from transformers import AutoModelForSequenceClassification, AutoTokenizer, BertConfig
        a = torchvision.models.resnet18(weights=None)
        b = resnet50(weights=ResNet50_Weights.DEFAULT)
        c = timm.create_model("vit_base_patch16_224", pretrained=True)
        d = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased")
        e = AutoTokenizer.from_pretrained("bert-base-uncased")
        f = BertConfig.from_pretrained("bert-base-uncased")
        g = torchvision.models.detection.fasterrcnn_resnet50_fpn()
        w = ResNet50_Weights.DEFAULT
        """)
        for name in ["a", "b", "c", "d", "g"] { #expect(s.isModule(name), "\(name)") }
        for name in ["e", "f", "w"] { #expect(!s.isModule(name), "\(name)") }
        #expect(s.model.moduleValue(s.expr("d"))?.startsInEvalMode == true)
        #expect(s.model.moduleValue(s.expr("d"))?.origin == .pretrained)
        #expect(s.model.moduleValue(s.expr("a"))?.startsInEvalMode == false)
        #expect(s.model.moduleValue(s.expr("c"))?.origin == .library)
    }

    @Test func restoredModulesHaveAnUnknownStartingMode() {
        let s = Snippet("""
        import torch
        import pytorch_lightning as pl
        from torch.optim.swa_utils import AveragedModel
        class Lit(pl.LightningModule):
            pass
        scripted = torch.jit.load("model.pt")
        lit = Lit.load_from_checkpoint("last.ckpt")
        swa = AveragedModel(lit)
        pickled = torch.load("model.pt")
        scripted; lit; swa; pickled
        """)
        let anchor = "scripted; lit"
        #expect(s.model.moduleValue(s.expr("scripted", after: anchor))?.origin == .loaded)
        #expect(s.model.moduleValue(s.expr("lit", after: anchor))?.origin == .loaded)
        #expect(s.model.moduleClass(of: s.expr("lit", after: anchor))?.isLightningModule == true)
        #expect(s.model.moduleValue(s.expr("swa", after: anchor))?.origin == .copy)
        // torch.load returns whatever was pickled: only its uses could tell.
        #expect(!s.isModule("pickled", after: anchor))
    }

    @Test func copiesAreNewModulesWithTheirOwnPath() {
        let s = Snippet("""
        import copy
        import torch.nn as nn
        model = nn.Linear(2, 2)
        ema = copy.deepcopy(model)
        ema; model
        """)
        #expect(s.isModule("ema", after: "ema;"))
        #expect(s.path("ema", after: "ema;") == "ema")
        #expect(s.model.moduleValue(s.expr("ema", after: "ema;"))?.origin == .copy)
    }

    @Test func sameObjectMethodsAndWrappersShareTheWrappedPath() {
        let s = Snippet("""
        import torch
        import torch.nn as nn
        from torch.nn.parallel import DistributedDataParallel as DDP
        class Net(nn.Module):
            pass
        model = Net().to("cuda")
        model = model.eval()
        net = model.cuda()
        ddp = DDP(model, device_ids=[0])
        compiled = torch.compile(model)
        inner = ddp.module
        unwrapped = getattr(ddp, "module", ddp)
        dp = nn.DataParallel(Net())
        ddp; net; compiled; inner; unwrapped; dp.module; model.half().float()
        """)
        let anchor = "ddp; net"
        #expect(s.isModule("model", after: "model = model"))
        #expect(s.path("net", after: anchor) == "model")
        #expect(s.path("ddp", after: anchor) == "model")
        #expect(s.path("compiled", after: anchor) == "model")
        #expect(s.path("inner", after: anchor) == "model")
        #expect(s.path("unwrapped", after: anchor) == "model")
        #expect(s.path("dp.module", after: anchor) == "dp")
        #expect(s.path("model.half().float()") == "model")
        #expect(s.model.moduleValue(s.expr("ddp", after: anchor))?.origin == .wrapper)
        #expect(s.model.moduleClass(of: s.expr("ddp", after: anchor))?.name.description == "main.Net")
    }

    @Test func peftAdaptersWrapTheBaseModel() {
        let s = Snippet("""
        from peft import LoraConfig, get_peft_model
        from transformers import AutoModelForCausalLM
        base = AutoModelForCausalLM.from_pretrained("gpt2")
        model = get_peft_model(base, LoraConfig(r=8))
        model
        """)
        #expect(s.path("model", after: "))\n") == "base")
        #expect(s.model.moduleValue(s.expr("model", after: "))\n"))?.origin == .wrapper)
    }

    @Test func selfAttributesAssignedModulesInAnyMethod() {
        let s = Snippet("""
        import torch
        import torch.nn as nn
        class Trainer:
            def __init__(self, model, lr):
                self.model = model
                self.optimizer = torch.optim.Adam(model.parameters(), lr=lr)
                self.lr = lr
            def setup(self):
                self.head = nn.Linear(3, 3)
            def fit(self):
                self.model.train()
                self.head.eval()
                self.optimizer.step()
                return self.lr
        """)
        #expect(s.isModule("self.model", after: "def fit"))
        #expect(s.path("self.model", after: "def fit") == "self.model")
        #expect(s.isModule("self.head", after: "def fit"))
        #expect(!s.isModule("self.optimizer", after: "def fit"))
        #expect(!s.isModule("self.lr", after: "return"))
        // The Trainer is not a module, so `self` is not one either.
        #expect(!s.isModule("self", after: "def fit"))
    }

    @Test func attributesOfLocalNonModuleInstances() {
        let s = Snippet("""
        import torch.nn as nn
        class Trainer:
            def __init__(self, model, lr):
                self.model = model
                self.lr = lr
        trainer = Trainer(nn.Linear(2, 2), 0.1)
        trainer.model.eval()
        trainer.lr
        """)
        #expect(s.isModule("trainer.model"))
        #expect(s.path("trainer.model") == "trainer.model")
        #expect(!s.isModule("trainer.lr"))
        #expect(!s.isModule("trainer", after: "trainer.lr"))
    }

    @Test func modulesHeldByLibraryObjectsWhenUsedAsModules() {
        let s = Snippet("""
        from transformers import Trainer
        trainer = Trainer(model=model, args=args)
        trainer.model.eval()
        trainer.optimizer.train()
        trainer.args
        """)
        #expect(!s.isModule("trainer", after: "trainer.args"))
        #expect(s.isModule("trainer.model"))
        #expect(!s.isModule("trainer.optimizer"))
        #expect(!s.isModule("trainer.args"))
    }

    @Test func selfInsideModuleMethodsIsTheModule() {
        let s = Snippet("""
        import torch.nn as nn
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.backbone = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8))
            def freeze(self):
                self.backbone.eval()
                return self
        """)
        #expect(s.isModule("self", after: "return"))
        #expect(s.path("self", after: "return") == "self")
        #expect(s.path("self.backbone", after: "def freeze") == "self.backbone")
    }

    @Test func parametersUsedAsModules() {
        let s = Snippet("""
        import torch.nn as nn
        def evaluate(model, loader):
            model.eval()
            for x in loader:
                model(x)
        def count(net):
            return sum(p.numel() for p in net.parameters())
        def step(optimizer, scheduler):
            optimizer.step()
            scheduler.step()
        def run(trainer):
            trainer.train()
        def restore(model, ckpt):
            model.load_state_dict(ckpt)
        def typed(m: nn.Module, maybe: "nn.Module" = None, opt: nn.Module | None = None):
            return m, opt
        """)
        #expect(s.isModule("model", after: "model.eval"))
        #expect(s.isModule("net", after: "net.parameters"))
        #expect(!s.isModule("optimizer", after: "optimizer.step"))
        #expect(!s.isModule("scheduler", after: "scheduler.step"))
        #expect(!s.isModule("trainer", after: "trainer.train"))
        // load_state_dict alone is shared with optimizers: not enough.
        #expect(!s.isModule("model", after: "model.load_state_dict"))
        #expect(s.isModule("m", after: "return"))
        #expect(s.isModule("opt", after: "return"))
        #expect(s.model.moduleValue(s.expr("model", after: "model.eval"))?.origin == .usage)
    }

    @Test func parametersAnnotatedWithParallelWrappers() {
        let s = Snippet("""
        import torch
        from torch.distributed.fsdp import FullyShardedDataParallel as FSDP
        from torch.nn.parallel import DistributedDataParallel
        def wrapped(a: DistributedDataParallel, b: torch.nn.DataParallel, c: FSDP,
                    d: torch.nn.parallel.DistributedDataParallel | None, e: torch.distributed.fsdp.FullyShardedDataParallel):
            return a.module, b, c, d, e
        """)
        for name in ["b", "c", "d", "e"] { #expect(s.isModule(name, after: "return"), "\(name)") }
        #expect(s.isModule("a.module", after: "return"))
        #expect(s.model.modulePath(s.expr("a.module", after: "return")) == "a")
        #expect(s.model.moduleClass(of: s.expr("b", after: "return"))?.layers.opaque == 1)
    }

    @Test func parametersTheCallersPassModulesFor() {
        let s = Snippet("""
        import torch
        from evaluation import validate
        from models import Net
        class Evaluator:
            def __init__(self, net, threshold):
                self.net = net
                self.threshold = threshold
            def run(self, batch):
                return self.net(batch) > self.threshold
        def log_value(value):
            print(value)
        def main(loader):
            model = Net()
            validate(model, loader)
            Evaluator(model, 0.5).run(1)
            log_value(3)
        """, path: "train.py", others: [
            "models.py": "import torch.nn as nn\nclass Net(nn.Module):\n    pass\n",
            "evaluation.py": """
            import torch
            def validate(model, loader):
                with torch.no_grad():
                    for x in loader:
                        model(x)
            """,
        ])
        let evaluation = s.model(of: "evaluation.py")
        let param = Snippet.find("model", after: "        model(x)", in: evaluation.file)!
        #expect(evaluation.isModule(param))
        #expect(evaluation.moduleClass(of: param)?.name.description == "models.Net")
        #expect(evaluation.moduleValue(param)?.origin == .parameter)
        #expect(!s.isModule("loader", after: "validate(model, "))
        #expect(s.isModule("self.net", after: "return"))
        #expect(!s.isModule("self.threshold", after: "return"))
        #expect(!s.isModule("value", after: "print("))
    }

    @Test func shadowedTorchNamesDoNotMakeModules() {
        let s = Snippet("""
        import torch.nn as nn
        def build(nn):
            layer = nn.Linear(3, 3)
            return layer
        def other():
            nn = FakeNN()
            return nn.Dropout(0.1)
        """)
        #expect(!s.isModule("layer", after: "return"))
        #expect(!s.isModule("nn.Dropout(0.1)"))
    }

    @Test func loopVariablesOverSubmodulesAndModuleLists() {
        let s = Snippet("""
        import torch.nn as nn
        model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
        for m in model.modules():
            if isinstance(m, nn.BatchNorm1d):
                m.eval()
        for name, child in model.named_children():
            child.train()
        teacher = nn.Linear(2, 2)
        for net in [model, teacher]:
            net.eval()
        for i, layer in enumerate(model):
            layer.eval
        for p in model.parameters():
            p.requires_grad = False
        """)
        #expect(s.isModule("m", after: "m.eval"))
        #expect(s.isModule("child", after: "child.train"))
        #expect(s.isModule("net", after: "net.eval"))
        #expect(s.isModule("layer", after: "layer.eval"))
        #expect(!s.isModule("p", after: "p.requires_grad"))
    }

    @Test func factoriesAcrossFilesReturnModules() {
        let s = Snippet("""
        from models import build_model, make_optimizer
        model = build_model("resnet")
        optimizer = make_optimizer(model)
        model; optimizer
        """, path: "train.py", others: [
            "models.py": """
            import torch
            import torch.nn as nn
            class Net(nn.Module):
                pass
            def build_model(name):
                if name == "none":
                    return None
                return Net()
            def make_optimizer(model):
                return torch.optim.SGD(model.parameters(), lr=0.1)
            """,
        ])
        #expect(s.isModule("model", after: "model; "))
        #expect(!s.isModule("optimizer", after: "model; "))
        #expect(s.model.moduleValue(s.expr("model", after: "model; "))?.origin == .factory)
        #expect(s.model.moduleClass(of: s.expr("model", after: "model; "))?.name.description == "models.Net")
    }

    @Test func recursiveFactoriesAndAliasCyclesTerminate() {
        let s = Snippet("""
        def build(n):
            if n == 0:
                return build(n - 1)
            return build(n + 1)
        a = b
        b = a
        m = build(3)
        a; m
        """)
        #expect(!s.isModule("a", after: "a; m"))
        #expect(!s.isModule("m", after: "a; m"))
    }

    @Test func acceleratorPrepareReturnsItsArgumentsInOrder() {
        let s = Snippet("""
        import torch
        import torch.nn as nn
        from accelerate import Accelerator
        accelerator = Accelerator()
        model = nn.Linear(2, 2)
        optimizer = torch.optim.AdamW(model.parameters())
        model, optimizer = accelerator.prepare(model, optimizer)
        model; optimizer
        """)
        #expect(s.isModule("model", after: "model; "))
        #expect(!s.isModule("optimizer", after: "model; "))
        #expect(s.path("model", after: "model; ") == "model")
    }

    @Test func noneInitialisedVariablesAndIndexedContainers() {
        let s = Snippet("""
        import copy
        import torch.nn as nn
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.blocks = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
                self.heads = nn.ModuleDict({"a": nn.Linear(2, 1)})
            def forward(self, x):
                return self.blocks[0](x) + self.heads["a"](x)
        best = None
        model = Net()
        best = copy.deepcopy(model)
        best; model
        """)
        #expect(s.isModule("best", after: "best;"))
        #expect(s.isModule("self.blocks[0]"))
        #expect(s.path("self.blocks[0]") == "self.blocks[0]")
        #expect(s.isModule("self.heads[\"a\"]"))
    }

    @Test func moduleLevelModelsImportedFromAnotherFile() {
        let s = Snippet("""
        from setup_model import model
        import setup_model
        model.eval()
        setup_model.model.train()
        """, path: "evaluate.py", others: [
            "setup_model.py": "import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.1))\n",
        ])
        #expect(s.isModule("model", after: "model.eval"))
        #expect(s.isModule("setup_model.model"))
        #expect(s.qualified("model", after: "model.eval") == "setup_model.model")
    }

    @Test func librarySubmodulesUsedAsModules() {
        let s = Snippet("""
        import torchvision
        model = torchvision.models.resnet18()
        model.fc.train()
        model.layer4.requires_grad_(False)
        model.fc; model.layer4; model.avgpool
        """)
        #expect(s.isModule("model.fc", after: "model.fc;"))
        #expect(s.isModule("model.layer4", after: "model.fc;"))
        #expect(!s.isModule("model.avgpool"))
        #expect(s.path("model.fc", after: "model.fc;") == "model.fc")
    }
}
