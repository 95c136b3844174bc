import Testing
@testable import ModelintAnalysis
import ModelintSyntax

@Suite struct SemanticClassInfoTests {
    private func info(_ s: Snippet, _ name: String) -> ModuleClassInfo {
        s.model.classInfo(s.definition(name))!
    }

    @Test func layerInventoryOfAModel() {
        let s = Snippet("""
        import torch.nn as nn
        import torch.nn.functional as F
        class Net(nn.Module):
            def __init__(self, p):
                super().__init__()
                self.features = nn.Sequential(nn.Conv2d(3, 16, 3), nn.BatchNorm2d(16), nn.ReLU(), nn.Dropout2d(p))
                self.blocks = nn.ModuleList([nn.Linear(16, 16) for _ in range(4)])
                self.heads = nn.ModuleDict({"cls": nn.Sequential(nn.Dropout(0.1), nn.Linear(16, 10))})
                self.lstm = nn.LSTM(16, 32, num_layers=2, dropout=0.2)
                self.gru = nn.GRU(16, 32, dropout=0.2)
                self.off = nn.Dropout(p=0.0)
                self.norm = nn.BatchNorm1d(16, track_running_stats=False)
            def forward(self, x):
                return self.heads["cls"](x)
        """)
        let layers = info(s, "Net").layers
        #expect(layers.dropout == 2)
        #expect(layers.batchNorm == 1)
        // The GRU has one layer: its dropout never applies.
        #expect(layers.rnnDropout == 1)
        #expect(!layers.readsTraining)
        #expect(layers.isModeSensitive)
        #expect(layers.isComplete)
    }

    @Test func customForwardReadingTheTrainingFlag() {
        let s = Snippet("""
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        class NoisyLinear(nn.Module):
            def __init__(self):
                super().__init__()
                self.linear = nn.Linear(4, 4)
            def forward(self, x):
                if self.training:
                    x = x + torch.randn_like(x)
                return F.dropout(self.linear(x), 0.1, training=self.training)
        class Plain(nn.Module):
            def __init__(self):
                super().__init__()
                self.linear = nn.Linear(4, 4)
            def forward(self, x, training=False):
                return self.linear(x)
        """)
        #expect(info(s, "NoisyLinear").layers.readsTraining)
        #expect(info(s, "NoisyLinear").layers.isModeSensitive)
        #expect(!info(s, "Plain").layers.isModeSensitive)
        #expect(info(s, "Plain").layers.isComplete)
    }

    @Test func layersOfSubmoduleClassesBasesAndHelpersAcrossFiles() {
        let s = Snippet("""
        import torch.nn as nn
        from blocks import Block, make_head
        from backbone import Backbone
        class Net(Backbone):
            def __init__(self):
                super().__init__()
                self.block = Block()
                self.head = make_head()
        """, path: "net.py", others: [
            "blocks.py": """
            import torch.nn as nn
            class Block(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.drop = nn.Dropout(0.3)
            def make_head():
                return nn.Sequential(nn.Linear(8, 8), nn.BatchNorm1d(8))
            """,
            "backbone.py": """
            import torch.nn as nn
            class Backbone(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.rnn = nn.LSTM(8, 8, 3, dropout=0.5)
            """,
        ])
        let net = info(s, "Net")
        #expect(net.isModuleSubclass)
        #expect(net.name.description == "net.Net")
        #expect(net.layers == LayerInventory(dropout: 1, batchNorm: 1, rnnDropout: 1))
    }

    @Test func libraryBasesAndSubmodulesAreOpaque() {
        let s = Snippet("""
        import torch.nn as nn
        import torchvision
        from transformers import BertPreTrainedModel
        class Classifier(nn.Module):
            def __init__(self):
                super().__init__()
                self.backbone = torchvision.models.resnet50()
        class Tagger(BertPreTrainedModel):
            pass
        """)
        #expect(!info(s, "Classifier").layers.isComplete)
        #expect(info(s, "Tagger").isModuleSubclass)
        #expect(!info(s, "Tagger").layers.isComplete)
    }

    @Test func lightningModulesThroughSubclasses() {
        let s = Snippet("""
        import pytorch_lightning as pl
        import lightning as L
        class Base(pl.LightningModule):
            pass
        class Lit(Base):
            def training_step(self, batch, batch_idx):
                pass
        class Other(L.LightningModule):
            pass
        """)
        #expect(info(s, "Lit").isLightningModule)
        #expect(info(s, "Lit").isModuleSubclass)
        #expect(info(s, "Other").isLightningModule)
    }

    @Test func ownTrainMethodsThatAreNotModeSwitches() {
        let s = Snippet("""
        import torch.nn as nn
        class Trainer:
            def __init__(self, model):
                self.model = model
            def train(self, epochs=1):
                for _ in range(epochs):
                    pass
        class ResumableTrainer(Trainer):
            pass
        class FrozenBN(nn.Module):
            def train(self, mode=True):
                super().train(mode)
                for m in self.modules():
                    if isinstance(m, nn.BatchNorm2d):
                        m.eval()
                return self
        class Tutorial(nn.Module):
            def train(self, loader, epochs):
                pass
        class Delegating(nn.Module):
            def eval(self):
                return nn.Module.eval(self)
        class Agent:
            def eval(self, env):
                return 0
        """)
        #expect(info(s, "Trainer").definesOwnTrainMethod)
        #expect(!info(s, "Trainer").isModuleSubclass)
        #expect(info(s, "ResumableTrainer").definesOwnTrainMethod)
        #expect(!info(s, "FrozenBN").definesOwnTrainMethod)
        #expect(info(s, "Tutorial").definesOwnTrainMethod)
        #expect(!info(s, "Delegating").definesOwnTrainMethod)
        #expect(info(s, "Agent").definesOwnTrainMethod)
        #expect(s.model.classInfo(s.definition("train")) == nil)
    }

    @Test func moduleClassOfTorchLayersUsesTheirArguments() {
        let s = Snippet("""
        import torch.nn as nn
        rnn = nn.LSTM(10, 20, num_layers=2, dropout=0.2)
        single = nn.LSTM(10, 20, dropout=0.2)
        enc = nn.TransformerEncoderLayer(d_model=16, nhead=4)
        quiet = nn.TransformerEncoderLayer(d_model=16, nhead=4, dropout=0.0)
        seq = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.1))
        rnn; single; enc; quiet; seq
        """)
        let anchor = "rnn; single"
        func layers(_ name: String) -> LayerInventory? { s.model.moduleClass(of: s.expr(name, after: anchor))?.layers }
        #expect(s.model.moduleClass(of: s.expr("rnn", after: anchor))?.name.description == "torch.nn.LSTM")
        #expect(layers("rnn")?.rnnDropout == 1)
        #expect(layers("single")?.isModeSensitive == false)
        #expect(layers("enc")?.dropout == 1)
        #expect(layers("quiet")?.isModeSensitive == false)
        #expect(layers("seq")?.dropout == 1)
    }

    @Test func classesOfNonModuleInstances() {
        let s = Snippet("""
        from engine import Trainer
        trainer = Trainer(None)
        trainer.train()
        """, path: "train.py", others: [
            "engine.py": "class Trainer:\n    def __init__(self, model):\n        self.model = model\n    def train(self):\n        pass\n",
        ])
        let trainer = s.model.classOfInstance(s.expr("trainer", after: "trainer.train"))
        #expect(trainer?.name.description == "engine.Trainer")
        #expect(trainer?.definesOwnTrainMethod == true)
        #expect(!s.isModule("trainer", after: "trainer.train"))
    }

    @Test func deepAndCyclicHierarchiesStayBounded() {
        var text = "import torch.nn as nn\nclass C0(nn.Module):\n    pass\n"
        for index in 1...400 { text += "class C\(index)(C\(index - 1)):\n    pass\n" }
        text += "class A(B):\n    pass\nclass B(A):\n    pass\nm = C400()\n"
        let s = Snippet(text)
        // Beyond the nesting limit the chain is not followed: no module claimed, no crash.
        #expect(s.model.classInfo(s.definition("C400")) != nil)
        #expect(s.model.classInfo(s.definition("C10"))?.isModuleSubclass == true)
        #expect(s.model.classInfo(s.definition("A"))?.isModuleSubclass == false)
    }
}
