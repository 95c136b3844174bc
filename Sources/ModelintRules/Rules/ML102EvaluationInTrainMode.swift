import ModelintAnalysis
import ModelintSyntax

/// An evaluation forward pass (validation, test, prediction, inference) that may run in train mode.
public struct ML102EvaluationInTrainMode: AnalysisRule {
    public init() {}

    public func check(_ facts: FileFacts, _ context: RuleContext, _ sink: inout [Finding]) {
        var reported: Set<UInt32> = []
        for forward in facts.forwards where forward.role == .evaluation && forward.mode.values.contains(.train) {
            let sites = forward.mode.sites(of: .train)
            // A train mode with no known origin is not evidence.
            guard !sites.isEmpty, reported.insert(forward.site.range.start).inserted else { continue }
            let message = "`\(forward.modulePath)` may run this evaluation forward pass in train mode "
                + "(\(FactWording.origin(of: .train, sites))): dropout stays active and batch-norm statistics "
                + "are updated; call `\(forward.modulePath).eval()` first"
            sink.append(Self.finding(message, at: forward.site.range, in: context))
        }
    }

    public static let description = RuleDescription(
        code: "ML102",
        name: "evaluation-in-train-mode",
        severity: .warning,
        summary: "An evaluation forward pass may run with the module in train mode",
        whatItDoes: """
            Checks forward passes whose result never reaches a `backward()` or an optimizer step — \
            validation, testing, prediction, inference at module level, a model just restored with \
            `load_state_dict` — and reports those where the module may still be in train mode on some path: \
            freshly constructed (modules start in train mode), after `train()`, or after a training loop. \
            Running under `torch.no_grad()` does not help: gradient mode and train/eval mode are independent.
            """,
        whyIsThisBad: """
            In train mode dropout randomly zeroes activations and batch-norm normalises with the statistics \
            of the current batch — and updates its running statistics with them. Evaluation results become \
            noisy and pessimistic, predictions depend on what else is in the batch, and every evaluation \
            pass silently shifts the running statistics that later inference will use.
            """,
        example: """
            model = Net()
            model.load_state_dict(torch.load("checkpoint.pt"))
            with torch.no_grad():
                predictions = model(test_images).argmax(1)
            """,
        useInstead: """
            model = Net()
            model.load_state_dict(torch.load("checkpoint.pt"))
            model.eval()
            with torch.no_grad():
                predictions = model(test_images).argmax(1)
            """,
        fixSafety: "No fix is offered: where evaluation starts (and whether train mode must be restored after it) is the author's decision.",
        fixAvailability: .none,
        triggeringExamples: [
            RuleExample("""
                import torch
                from models import Net

                model = Net()
                model.load_state_dict(torch.load("checkpoint.pt", map_location="cpu"))
                with torch.no_grad():
                    predictions = model(test_images).argmax(dim=1)  # error: [ML102]
                print((predictions == test_labels).float().mean())
                """, files: [
                    "models.py": """
                        import torch.nn as nn

                        class Net(nn.Module):
                            def __init__(self):
                                super().__init__()
                                self.body = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.5))
                                self.out = nn.Linear(256, 10)

                            def forward(self, x):
                                return self.out(self.body(x.flatten(1)))
                        """,
                ]),
            RuleExample("""
                import torch
                import torch.nn.functional as F


                def validate(model, loader):
                    total = 0.0
                    with torch.no_grad():
                        for x, y in loader:
                            total += F.cross_entropy(model(x), y).item()  # error: [ML102]
                    return total / len(loader)


                def train(model, optimizer, train_loader, val_loader, epochs):
                    for epoch in range(epochs):
                        model.train()
                        for x, y in train_loader:
                            optimizer.zero_grad()
                            F.cross_entropy(model(x), y).backward()
                            optimizer.step()
                        print(epoch, validate(model, val_loader))
                """),
            RuleExample("""
                import torch
                import torchvision

                model = torchvision.models.resnet50(weights="IMAGENET1K_V2")
                image = preprocess(load_image("cat.jpg")).unsqueeze(0)
                with torch.inference_mode():
                    probabilities = model(image).softmax(dim=1)  # error: [ML102]
                print(probabilities.topk(5))
                """),
            RuleExample("""
                import torch
                import torch.nn as nn

                encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model=256, nhead=8, dropout=0.1), num_layers=4)
                optimizer = torch.optim.Adam(encoder.parameters(), lr=1e-4)

                encoder.train()
                for src, target in train_loader:
                    loss = nn.functional.mse_loss(encoder(src), target)
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()

                with torch.no_grad():
                    test_error = nn.functional.mse_loss(encoder(test_src), test_target)  # error: [ML102]
                print(f"test MSE {test_error.item():.4f}")
                """),
            RuleExample("""
                import torch
                from torch import nn


                @torch.no_grad()
                def predict(model, batch):
                    logits = model(batch)  # error: [ML102]
                    return logits.argmax(-1).tolist()


                classifier = nn.Sequential(nn.Linear(128, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 5))
                classifier.load_state_dict(torch.load("classifier.pt"))
                if args.eval_mode:
                    classifier.eval()
                print(predict(classifier, features))
                """),
            RuleExample("""
                import torch
                import torch.nn as nn

                model = nn.Sequential(nn.Conv2d(1, 16, 3), nn.BatchNorm2d(16), nn.ReLU(), nn.Flatten(), nn.LazyLinear(10))
                optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
                for epoch in range(5):
                    model.train(True)
                    for x, y in train_loader:
                        optimizer.zero_grad()
                        nn.functional.cross_entropy(model(x), y).backward()
                        optimizer.step()
                    with torch.no_grad():
                        accuracy = sum((model(x).argmax(1) == y).sum().item() for x, y in val_loader)  # error: [ML102]
                    print(epoch, accuracy)
                """),
        ],
        nonTriggeringExamples: [
            RuleExample("""
                import torch
                from models import Net

                model = Net()
                model.load_state_dict(torch.load("checkpoint.pt"))
                model.eval()
                with torch.no_grad():
                    predictions = model(test_images).argmax(dim=1)
                """, files: [
                    "models.py": """
                        import torch.nn as nn

                        class Net(nn.Module):
                            def __init__(self):
                                super().__init__()
                                self.body = nn.Sequential(nn.Linear(784, 256), nn.Dropout(0.5), nn.Linear(256, 10))

                            def forward(self, x):
                                return self.body(x.flatten(1))
                        """,
                ]),
            RuleExample("""
                import torch
                import torch.nn as nn

                model = nn.Sequential(nn.Linear(16, 32), nn.Dropout(0.2), nn.Linear(32, 1))
                model.load_state_dict(torch.load("regressor.pt"))
                model.train(False)
                with torch.no_grad():
                    print(model(inputs).squeeze(-1))
                """),
            RuleExample("""
                import torch
                import torchvision

                model = torchvision.models.mobilenet_v3_small(weights="DEFAULT")
                model = model.eval()
                with torch.inference_mode():
                    scores = model(batch).softmax(-1)
                """),
            RuleExample("""
                import torch
                import torch.nn as nn

                model = nn.Sequential(nn.Linear(4, 16), nn.BatchNorm1d(16), nn.Linear(16, 3))
                optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
                criterion = nn.CrossEntropyLoss()

                for epoch in range(25):
                    for phase in ["train", "val"]:
                        if phase == "train":
                            model.train()
                        else:
                            model.eval()
                        running_corrects = 0
                        for inputs, labels in loaders[phase]:
                            optimizer.zero_grad()
                            with torch.set_grad_enabled(phase == "train"):
                                outputs = model(inputs)
                                loss = criterion(outputs, labels)
                                if phase == "train":
                                    loss.backward()
                                    optimizer.step()
                            running_corrects += (outputs.argmax(1) == labels).sum().item()
                """),
            RuleExample("""
                import torch
                from transformers import AutoModelForCausalLM, AutoTokenizer

                tokenizer = AutoTokenizer.from_pretrained("gpt2")
                model = AutoModelForCausalLM.from_pretrained("gpt2")
                inputs = tokenizer("The training loop", return_tensors="pt")
                with torch.no_grad():
                    logits = model(**inputs).logits
                print(tokenizer.decode(logits[0, -1].argmax()))
                """),
            RuleExample("""
                import torch
                import torch.nn as nn
                import lightning as L


                class LitRegressor(L.LightningModule):
                    def __init__(self):
                        super().__init__()
                        self.net = nn.Sequential(nn.Linear(8, 64), nn.Dropout(0.1), nn.Linear(64, 1))

                    def training_step(self, batch, batch_idx):
                        x, y = batch
                        return nn.functional.mse_loss(self.net(x), y)

                    def validation_step(self, batch, batch_idx):
                        x, y = batch
                        self.log("val_mse", nn.functional.mse_loss(self.net(x), y))

                    def predict_step(self, batch, batch_idx):
                        return self.net(batch)
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F


                def evaluate(model, loader, train_mode):
                    model.train(mode=train_mode)
                    with torch.no_grad():
                        return [F.softmax(model(x), -1) for x, _ in loader]


                def run(model, loader, flag):
                    model.train(flag)
                    with torch.no_grad():
                        print(model(next(iter(loader))[0]))
                """),
            // A module that still has its random initial weights: a shape or smoke test, not an evaluation.
            RuleExample("""
                import torch
                import torch.nn as nn


                def test_block_output_shape():
                    block = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.Dropout(0.1))
                    assert block(torch.randn(2, 3, 16, 16)).shape == (2, 8, 16, 16)
                """),
            // An explicit `train()` with no training step before the forward: train mode on purpose (MC dropout).
            RuleExample("""
                import torch
                from models import Net

                model = Net()
                model.load_state_dict(torch.load("net.pt"))
                model.train()
                with torch.no_grad():
                    samples = torch.stack([model(x).softmax(-1) for _ in range(30)])
                print(samples.mean(0), samples.std(0))
                """, files: [
                    "models.py": """
                        import torch.nn as nn

                        class Net(nn.Module):
                            def __init__(self):
                                super().__init__()
                                self.body = nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, 4))

                            def forward(self, x):
                                return self.body(x)
                        """,
                ]),
            // A loss module (here a subclass of a torch loss, with a name that does not say so) is not a model's
            // forward pass.
            RuleExample("""
                import torch
                import torch.nn as nn
                import torch.nn.functional as F


                class SmoothedBCE(nn.BCEWithLogitsLoss):
                    def forward(self, logits, target):
                        return F.binary_cross_entropy_with_logits(logits, target * 0.9 + 0.05, self.weight)


                def fit(model, optimizer, loader, val_loader):
                    bce = SmoothedBCE()
                    model.train()
                    for x, y in loader:
                        optimizer.zero_grad()
                        bce(model(x), y).backward()
                        optimizer.step()
                    model.eval()
                    with torch.no_grad():
                        return sum(bce(model(x), y).item() for x, y in val_loader)
                """),
            // `isinstance(net, nn.Module)` holds for a module: the eval() under it always runs.
            RuleExample("""
                import torch
                from torch import nn


                def evaluate_accuracy(net, data_iter):
                    if isinstance(net, nn.Module):
                        net.eval()
                    correct = 0
                    with torch.no_grad():
                        for X, y in data_iter:
                            correct += (net(X).argmax(1) == y).sum().item()
                    return correct


                def train(net, train_iter, test_iter, num_epochs, optimizer):
                    for epoch in range(num_epochs):
                        net.train()
                        for X, y in train_iter:
                            optimizer.zero_grad()
                            nn.functional.cross_entropy(net(X), y).backward()
                            optimizer.step()
                        print(evaluate_accuracy(net, test_iter))
                """),
            // The output goes to a function held in a variable, which may run the backward.
            RuleExample("""
                import torch
                import torch.nn.functional as F
                import torchvision

                model = torchvision.models.resnet18(weights="DEFAULT")
                backward_step = scaled_backward if args.amp else plain_backward
                for x, y in loader:
                    loss = F.cross_entropy(model(x), y)
                    backward_step(loss, optimizer)
                """),
            // `eval()` on the value before it is bound.
            RuleExample("""
                import torch
                import torchvision

                model = torchvision.models.resnet50(weights="DEFAULT").eval()
                with torch.inference_mode():
                    print(model(batch).argmax(1))
                """),
        ]
    )
}
