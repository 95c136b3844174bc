import ModelintAnalysis
import ModelintSyntax

/// A training loop whose module is switched to eval (directly, in a branch, or inside a called function) and
/// not back to train before the next iteration's training step.
public struct ML101TrainModeNotRestored: AnalysisRule {
    public init() {}

    public func check(_ facts: FileFacts, _ context: RuleContext, _ sink: inout [Finding]) {
        var reported: Set<UInt32> = []
        for step in facts.trainingSteps {
            guard let loop = step.loop, let firstEval = loop.evalSites.first else { continue }
            // At the `train()` that stands before the loop; at the loop header when there is none.
            let before = loop.trainBeforeLoop.last
            let range = before?.range ?? loop.loopHeader.range
            guard reported.insert(range.start).inserted else { continue }
            var message = "`\(loop.modulePath)` is switched to eval by \(firstEval.quoted) and not back before "
                + "the training step at line \(loop.stepAnchor.line)"
            if loop.evalSites.count > 1 { message += " (also by \(FactWording.list(Array(loop.evalSites.dropFirst()))))" }
            message += before == nil ? "; call `train()` at the start of each epoch" : "; move this `train()` into the loop"
            sink.append(Self.finding(message, at: range, in: context))
        }
    }

    public static let description = RuleDescription(
        code: "ML101",
        name: "train-mode-not-restored",
        severity: .warning,
        summary: "A training loop switches the module to eval and does not switch it back before the next training step",
        whatItDoes: """
            Checks training loops in which the module is put into eval mode — by `model.eval()`, \
            `model.train(False)`, or inside any function the loop calls, also in another file — and is not \
            put back into train mode before the training step of the next iteration. The finding is reported \
            at the `train()` call that stands before the loop, or at the loop header when there is none.
            """,
        whyIsThisBad: """
            The most common layout calls `model.train()` once, before `for epoch in ...`, and an evaluation \
            helper inside the loop switches to eval. From the second epoch on, every training step runs with \
            dropout disabled and batch-norm layers frozen on their running statistics: the model trains \
            without regularisation, the statistics stop adapting, and nothing fails — accuracy is just worse \
            than it should be. The helper is often in another file, which is why the bug survives review.
            """,
        example: """
            model.train()
            for epoch in range(epochs):
                for x, y in train_loader:
                    optimizer.zero_grad()
                    loss = criterion(model(x), y)
                    loss.backward()
                    optimizer.step()
                evaluate(model, val_loader)  # calls model.eval()
            """,
        useInstead: """
            for epoch in range(epochs):
                model.train()
                for x, y in train_loader:
                    optimizer.zero_grad()
                    loss = criterion(model(x), y)
                    loss.backward()
                    optimizer.step()
                evaluate(model, val_loader)
            """,
        fixSafety: "No fix is offered: where the loop's training part starts is for the author to decide.",
        fixAvailability: .none,
        triggeringExamples: [
            RuleExample("""
                import torch
                import torch.nn as nn

                model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 2))
                optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
                criterion = nn.CrossEntropyLoss()


                def test(loader):
                    model.eval()
                    correct = 0
                    with torch.no_grad():
                        for x, y in loader:
                            correct += (model(x).argmax(1) == y).sum().item()
                    return correct


                def fit(train_loader, val_loader, epochs):
                    model.train()  # error: [ML101]
                    for epoch in range(epochs):
                        for x, y in train_loader:
                            optimizer.zero_grad()
                            loss = criterion(model(x), y)
                            loss.backward()
                            optimizer.step()
                        print(epoch, test(val_loader))
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F
                from engine import evaluate
                from models import ConvNet

                model = ConvNet()
                optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)
                model.train()  # error: [ML101]
                for epoch in range(20):
                    for images, labels in train_loader:
                        optimizer.zero_grad()
                        loss = F.cross_entropy(model(images), labels)
                        loss.backward()
                        optimizer.step()
                    acc = evaluate(model, val_loader)
                    print(f"epoch {epoch}: val acc {acc:.3f}")
                """, files: [
                    "engine.py": """
                        import torch

                        def evaluate(model, loader):
                            model.eval()
                            correct = total = 0
                            with torch.no_grad():
                                for images, labels in loader:
                                    correct += (model(images).argmax(1) == labels).sum().item()
                                    total += labels.numel()
                            return correct / total
                        """,
                    "models.py": """
                        import torch.nn as nn

                        class ConvNet(nn.Module):
                            def __init__(self):
                                super().__init__()
                                self.features = nn.Sequential(nn.Conv2d(3, 32, 3), nn.BatchNorm2d(32), nn.ReLU())
                                self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.3), nn.LazyLinear(10))

                            def forward(self, x):
                                return self.head(self.features(x))
                        """,
                ]),
            RuleExample("""
                import torch
                from torchvision.models import resnet18

                model = resnet18(num_classes=10)
                optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
                criterion = torch.nn.CrossEntropyLoss()

                for epoch in range(90):  # error: [ML101]
                    for images, targets in train_loader:
                        loss = criterion(model(images), targets)
                        optimizer.zero_grad()
                        loss.backward()
                        optimizer.step()
                    if epoch % 5 == 0:
                        model.eval()
                        with torch.no_grad():
                            val_loss = sum(criterion(model(x), y).item() for x, y in val_loader)
                        print(epoch, val_loss)
                """),
            RuleExample("""
                import torch
                import torch.nn as nn
                import torch.nn.functional as F


                class Trainer:
                    def __init__(self, model, train_loader, val_loader, lr=1e-3):
                        self.model = model
                        self.optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
                        self.train_loader = train_loader
                        self.val_loader = val_loader

                    @torch.no_grad()
                    def validate(self):
                        self.model.eval()
                        losses = [F.cross_entropy(self.model(x), y).item() for x, y in self.val_loader]
                        return sum(losses) / len(losses)

                    def fit(self, epochs):
                        self.model.train()  # error: [ML101]
                        for epoch in range(epochs):
                            for x, y in self.train_loader:
                                self.optimizer.zero_grad()
                                loss = F.cross_entropy(self.model(x), y)
                                loss.backward()
                                self.optimizer.step()
                            print(f"epoch {epoch}: val loss {self.validate():.4f}")
                """),
            RuleExample("""
                import torch
                import torch.nn as nn

                net = nn.LSTM(input_size=32, hidden_size=128, num_layers=2, dropout=0.2)
                head = nn.Linear(128, 1)
                optimizer = torch.optim.Adam(list(net.parameters()) + list(head.parameters()))
                loss_fn = nn.MSELoss()
                step = 0
                net.train()  # error: [ML101]
                while step < 10_000:
                    for seq, target in loader:
                        out, _ = net(seq)
                        loss = loss_fn(head(out[-1]), target)
                        optimizer.zero_grad()
                        loss.backward()
                        optimizer.step()
                        step += 1
                        if step % 500 == 0:
                            net.train(False)
                            with torch.no_grad():
                                val_out, _ = net(val_seq)
                            print(step, loss_fn(head(val_out[-1]), val_target).item())
                """),
            RuleExample("""
                import torch
                from contextlib import contextmanager
                from transformers import AutoModelForSequenceClassification


                @contextmanager
                def evaluating(model):
                    model.eval()
                    yield model


                model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=2)
                optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
                model.train()  # error: [ML101]
                for epoch in range(3):
                    for batch in train_loader:
                        outputs = model(**batch)
                        outputs.loss.backward()
                        optimizer.step()
                        optimizer.zero_grad()
                    with evaluating(model), torch.no_grad():
                        for batch in val_loader:
                            print(model(**batch).logits.argmax(-1))
                """),
        ],
        nonTriggeringExamples: [
            RuleExample("""
                import torch
                import torch.nn.functional as F
                from engine import evaluate

                for epoch in range(20):
                    model.train()
                    for images, labels in train_loader:
                        optimizer.zero_grad()
                        loss = F.cross_entropy(model(images), labels)
                        loss.backward()
                        optimizer.step()
                    print(evaluate(model, val_loader))
                """, files: [
                    "engine.py": """
                        import torch

                        def evaluate(model, loader):
                            model.eval()
                            with torch.no_grad():
                                return sum((model(x).argmax(1) == y).sum().item() for x, y in loader)
                        """,
                ]),
            RuleExample("""
                import torch
                import torch.nn as nn
                import torch.nn.functional as F

                model = nn.Sequential(nn.Linear(10, 10), nn.Dropout(0.1), nn.Linear(10, 2))
                optimizer = torch.optim.SGD(model.parameters(), lr=0.1)


                def evaluate(loader):
                    model.eval()
                    with torch.no_grad():
                        total = sum(F.cross_entropy(model(x), y).item() for x, y in loader)
                    model.train()
                    return total


                model.train()
                for epoch in range(10):
                    for x, y in train_loader:
                        optimizer.zero_grad()
                        F.cross_entropy(model(x), y).backward()
                        optimizer.step()
                    print(evaluate(val_loader))
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F


                def evaluate(model, loader):
                    was_training = model.training
                    model.eval()
                    with torch.no_grad():
                        losses = [F.nll_loss(model(x), y).item() for x, y in loader]
                    model.train(was_training)
                    return sum(losses) / len(losses)


                def sample(model, z):
                    training = model.training
                    model.eval()
                    with torch.no_grad():
                        images = model(z)
                    if training:
                        model.train()
                    return images


                def fit(model, optimizer, train_loader, val_loader, epochs):
                    model.train()
                    for epoch in range(epochs):
                        for x, y in train_loader:
                            optimizer.zero_grad()
                            F.nll_loss(model(x), y).backward()
                            optimizer.step()
                        print(evaluate(model, val_loader))
                        sample(model, torch.randn(16, 100))
                """),
            SharedExamples.phaseLoop,
            RuleExample("""
                import torch
                from contextlib import contextmanager


                @contextmanager
                def eval_mode(model):
                    was_training = model.training
                    model.eval()
                    try:
                        yield model
                    finally:
                        model.train(was_training)


                def train(model, optimizer, loader, val_batch, epochs):
                    model.train()
                    for epoch in range(epochs):
                        for x, y in loader:
                            optimizer.zero_grad()
                            torch.nn.functional.mse_loss(model(x), y).backward()
                            optimizer.step()
                        with eval_mode(model), torch.no_grad():
                            print(model(val_batch[0]).mean())
                """),
            RuleExample("""
                import torch
                import torch.nn as nn
                import pytorch_lightning as pl


                class LitClassifier(pl.LightningModule):
                    def __init__(self):
                        super().__init__()
                        self.net = nn.Sequential(nn.Linear(28 * 28, 128), nn.Dropout(0.2), nn.Linear(128, 10))

                    def training_step(self, batch, batch_idx):
                        x, y = batch
                        return nn.functional.cross_entropy(self.net(x.flatten(1)), y)

                    def validation_step(self, batch, batch_idx):
                        self.net.eval()
                        x, y = batch
                        self.log("val_loss", nn.functional.cross_entropy(self.net(x.flatten(1)), y))

                    def configure_optimizers(self):
                        return torch.optim.Adam(self.parameters(), lr=1e-3)
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F


                class Trainer:
                    def __init__(self, model, optimizer):
                        self.model = model
                        self.optimizer = optimizer

                    def train(self, loader):
                        for x, y in loader:
                            self.optimizer.zero_grad()
                            F.cross_entropy(self.model(x), y).backward()
                            self.optimizer.step()

                    def eval(self, loader):
                        return [self.model(x) for x, _ in loader]


                trainer = Trainer(model, torch.optim.SGD(model.parameters(), lr=0.1))
                for epoch in range(10):
                    trainer.train(train_loader)
                    trainer.eval(val_loader)
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F
                from engine import evaluate

                def train(model, optimizer, loader, val_loader, epochs, train_mode):
                    model.train()
                    for epoch in range(epochs):
                        for x, y in loader:
                            optimizer.zero_grad()
                            F.cross_entropy(model(x), y).backward()
                            optimizer.step()
                        evaluate(model, val_loader)
                        model.train(mode=train_mode)
                """, files: [
                    "engine.py": """
                        import torch

                        @torch.no_grad()
                        def evaluate(model, loader):
                            model.eval()
                            return [model(x) for x, _ in loader]
                        """,
                ]),
        ]
    )
}
