import ModelintAnalysis
import ModelintSyntax

/// `torch.jit.trace`, `torch.jit.trace_module` or `torch.export.export` of a module that may be in train mode.
public struct ML105TraceInTrainMode: AnalysisRule {
    public init() {}

    public func check(_ facts: FileFacts, _ context: RuleContext, _ sink: inout [Finding]) {
        var reported: Set<UInt32> = []
        for trace in facts.traces where trace.mode.values.contains(.train) {
            let sites = trace.mode.sites(of: .train)
            guard !sites.isEmpty, reported.insert(trace.site.range.start).inserted else { continue }
            let message = "`\(trace.kind.rawValue)` captures `\(trace.modulePath)` in train mode "
                + "(\(FactWording.origin(of: .train, sites))): dropout and batch-norm batch statistics are baked into "
                + "the exported graph; call `\(trace.modulePath).eval()` first"
            sink.append(Self.finding(message, at: trace.site.range, in: context))
        }
    }

    public static let description = RuleDescription(
        code: "ML105",
        name: "trace-in-train-mode",
        severity: .warning,
        summary: "A module is traced or exported while it may be in train mode",
        whatItDoes: """
            Checks `torch.jit.trace`, `torch.jit.trace_module` and `torch.export.export` calls whose module \
            may be in train mode: freshly constructed, restored with `load_state_dict` without `eval()`, or \
            still in train mode after a training loop.
            """,
        whyIsThisBad: """
            Tracing and export record the operations one forward pass executes. In train mode that pass \
            applies dropout and normalises with batch statistics, and the recorded graph keeps doing so for \
            ever: the deployed model gives random, batch-dependent predictions, and calling `.eval()` on the \
            traced module no longer changes anything (verified with PyTorch 2.15).
            """,
        example: """
            model = Net()
            model.load_state_dict(torch.load("net.pt"))
            traced = torch.jit.trace(model, torch.randn(1, 3, 224, 224))
            """,
        useInstead: """
            model = Net()
            model.load_state_dict(torch.load("net.pt"))
            model.eval()
            traced = torch.jit.trace(model, torch.randn(1, 3, 224, 224))
            """,
        fixSafety: "No fix is offered: whether train mode must be restored after export is the author's decision.",
        fixAvailability: .none,
        triggeringExamples: [
            RuleExample("""
                import torch
                from models import Net

                model = Net()
                model.load_state_dict(torch.load("net.pt", map_location="cpu"))
                traced = torch.jit.trace(model, torch.randn(1, 3, 224, 224))  # error: [ML105]
                traced.save("net_traced.pt")
                """, files: [
                    "models.py": """
                        import torch.nn as nn

                        class Net(nn.Module):
                            def __init__(self):
                                super().__init__()
                                self.features = nn.Sequential(nn.Conv2d(3, 16, 3), nn.BatchNorm2d(16), nn.ReLU())
                                self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.5), nn.LazyLinear(1000))

                            def forward(self, x):
                                return self.classifier(self.features(x))
                        """,
                ]),
            RuleExample("""
                import torch
                import torchvision

                model = torchvision.models.mobilenet_v2(weights="DEFAULT")
                example = torch.randn(1, 3, 224, 224)
                exported = torch.export.export(model, (example,))  # error: [ML105]
                torch.export.save(exported, "mobilenet.pt2")
                """),
            RuleExample("""
                import torch
                import torch.nn as nn

                model = nn.Sequential(nn.Linear(20, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 2))
                optimizer = torch.optim.Adam(model.parameters())
                model.train()
                for x, y in loader:
                    optimizer.zero_grad()
                    nn.functional.cross_entropy(model(x), y).backward()
                    optimizer.step()
                scripted = torch.jit.trace(model, x[:1])  # error: [ML105]
                scripted.save("classifier.pt")
                """),
            RuleExample("""
                import torch
                import torchvision


                def export_for_mobile(model, path):
                    example = torch.rand(1, 3, 256, 256)
                    traced = torch.jit.trace_module(model, {"forward": example})  # error: [ML105]
                    traced._save_for_lite_interpreter(path)


                model = torchvision.models.segmentation.deeplabv3_mobilenet_v3_large(weights=None)
                model.train()
                export_for_mobile(model, "segmenter.ptl")
                """),
            RuleExample("""
                import torch
                import torch.nn as nn


                class Encoder(nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.rnn = nn.LSTM(32, 64, num_layers=2, dropout=0.3)

                    def forward(self, x):
                        return self.rnn(x)[0]


                encoder = Encoder()
                encoder.load_state_dict(torch.load("encoder.pt"))
                if args.deterministic:
                    encoder.eval()
                torch.jit.trace(encoder, torch.randn(10, 1, 32)).save("encoder.pt")  # error: [ML105]
                """),
            RuleExample("""
                import torch
                from torch.export import export

                net = torch.nn.Sequential(torch.nn.Conv1d(1, 8, 5), torch.nn.BatchNorm1d(8), torch.nn.ReLU())
                net.train(True)
                program = export(net, (torch.randn(4, 1, 128),))  # error: [ML105]
                """),
        ],
        nonTriggeringExamples: [
            RuleExample("""
                import torch
                import torchvision

                model = torchvision.models.resnet18(weights="DEFAULT")
                model.eval()
                traced = torch.jit.trace(model, torch.randn(1, 3, 224, 224))
                traced.save("resnet18.pt")
                """),
            RuleExample("""
                import torch
                import torch.nn as nn

                model = nn.Sequential(nn.Linear(8, 8), nn.Dropout(0.1), nn.Linear(8, 1))
                model.load_state_dict(torch.load("model.pt"))
                model = model.eval()
                exported = torch.export.export(model, (torch.randn(2, 8),))
                """),
            RuleExample("""
                import torch
                from transformers import AutoModel

                model = AutoModel.from_pretrained("bert-base-uncased", torchscript=True)
                traced = torch.jit.trace(model, (input_ids, attention_mask))
                torch.jit.save(traced, "bert.pt")
                """),
            RuleExample("""
                import torch


                def export(model, example, path):
                    torch.jit.trace(model, example).save(path)
                """),
            RuleExample("""
                import torch
                import torch.nn as nn

                model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8))
                model.train(False)
                torch.jit.trace(model, torch.randn(1, 3, 32, 32)).save("conv.pt")
                model.train()
                """),
            RuleExample("""
                import torch
                import torch.nn as nn

                model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
                scripted = torch.jit.script(model)
                model.eval()
                traced = torch.jit.trace(model, torch.randn(1, 4))
                """),
            // A module with its random initial weights: a test that tracing works, not a model for deployment.
            RuleExample("""
                import torch
                import torch.nn as nn


                def test_trace_roundtrip():
                    model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.2), nn.Linear(8, 1))
                    traced = torch.jit.trace(model, torch.randn(2, 4))
                    assert traced(torch.randn(3, 4)).shape == (3, 1)
                """),
        ]
    )
}
