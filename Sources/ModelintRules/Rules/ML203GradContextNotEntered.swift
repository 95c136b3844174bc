import ModelintAnalysis
import ModelintSyntax

/// `torch.no_grad()` written as a statement: the context manager is created and dropped, never entered.
public struct ML203GradContextNotEntered: NodeRule {
    public static let description = RuleDescription(
        code: "ML203",
        name: "grad-context-not-entered",
        severity: .error,
        summary: "`torch.no_grad()` / `inference_mode()` / `enable_grad()` called as a statement has no effect",
        whatItDoes: """
            Checks for `torch.no_grad()`, `torch.inference_mode()` and `torch.enable_grad()` called as a \
            statement of their own.
            """,
        whyIsThisBad: """
            These are context managers: calling one only creates an object, and gradient tracking changes \
            only inside a `with` block (or a function decorated with one). As a bare statement the call does \
            nothing, so the code after it still records the autograd graph: evaluation runs slower and keeps \
            activations in memory, and anything that relies on gradients being off (for example writing to \
            parameters in place) fails later. `torch.set_grad_enabled(False)` is not reported: called as a \
            function it does switch gradients off for the current thread.
            """,
        example: """
            def evaluate(model, loader):
                model.eval()
                torch.no_grad()
                for x, y in loader:
                    loss = criterion(model(x), y)
            """,
        useInstead: """
            def evaluate(model, loader):
                model.eval()
                with torch.no_grad():
                    for x, y in loader:
                        loss = criterion(model(x), y)
            """,
        fixSafety: "No fix is offered: which statements belong inside the `with` block is the author's decision.",
        fixAvailability: .none,
        triggeringExamples: [
            RuleExample("""
                import torch

                def evaluate(model, loader):
                    model.eval()
                    torch.no_grad()  # error: [ML203]
                    return [model(x) for x in loader]
                """),
            RuleExample("""
                from torch import inference_mode, enable_grad, no_grad as frozen
                import torch as th

                inference_mode()  # error: [ML203]
                frozen()  # error: [ML203]
                th.enable_grad()  # error: [ML203]
                if True:
                    th.autograd.no_grad()  # error: [ML203]
                """),
            RuleExample("""
                from torch import nn, no_grad


                def validate(model: nn.Module, loader, criterion):
                    model.eval()
                    no_grad()  # error: [ML203]
                    total_loss = 0.0
                    for inputs, targets in loader:
                        total_loss += criterion(model(inputs), targets).item()
                    model.train()
                    return total_loss / len(loader)
                """),
            RuleExample("""
                import torch
                import torch.nn as nn

                model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10))
                optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
                criterion = nn.CrossEntropyLoss()

                for epoch in range(10):
                    model.train()
                    for images, labels in train_loader:
                        optimizer.zero_grad()
                        loss = criterion(model(images.view(-1, 784)), labels)
                        loss.backward()
                        optimizer.step()

                # Final test pass.
                model.eval()
                torch.no_grad()  # error: [ML203]
                correct = 0
                for images, labels in test_loader:
                    correct += (model(images.view(-1, 784)).argmax(dim=1) == labels).sum().item()
                print(f"test accuracy: {correct / len(test_loader.dataset):.3f}")
                """),
            RuleExample("""
                import torch
                import torch.nn as nn
                import torch.nn.functional as F


                class CharLM(nn.Module):
                    def __init__(self, vocab_size, hidden=256):
                        super().__init__()
                        self.embed = nn.Embedding(vocab_size, hidden)
                        self.rnn = nn.GRU(hidden, hidden, batch_first=True)
                        self.drop = nn.Dropout(0.3)
                        self.head = nn.Linear(hidden, vocab_size)

                    def forward(self, tokens, state=None):
                        out, state = self.rnn(self.drop(self.embed(tokens)), state)
                        return self.head(self.drop(out)), state

                    def generate(self, prompt, steps=100, temperature=1.0):
                        self.eval()
                        torch.inference_mode()  # error: [ML203]
                        tokens, state = prompt, None
                        for _ in range(steps):
                            logits, state = self(tokens[:, -1:], state)
                            probs = F.softmax(logits[:, -1] / temperature, dim=-1)
                            tokens = torch.cat([tokens, torch.multinomial(probs, 1)], dim=1)
                        return tokens
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F


                @torch.no_grad()
                def robust_accuracy(model, loader, eps=8 / 255, alpha=2 / 255, steps=10):
                    model.eval()
                    correct = 0
                    for images, labels in loader:
                        adv = images.clone()
                        for _ in range(steps):
                            # The attack needs input gradients inside the no_grad evaluation.
                            torch.enable_grad()  # error: [ML203]
                            adv.requires_grad_(True)
                            loss = F.cross_entropy(model(adv), labels)
                            (grad,) = torch.autograd.grad(loss, adv)
                            adv = (adv + alpha * grad.sign()).clamp(images - eps, images + eps).detach()
                        correct += (model(adv).argmax(1) == labels).sum().item()
                    return correct / len(loader.dataset)
                """),
            RuleExample("""
                import pytorch_lightning as pl
                import torch
                import torch.autograd as autograd
                import torch.nn as nn
                import torch.nn.functional as F


                class LitClassifier(pl.LightningModule):
                    def __init__(self):
                        super().__init__()
                        self.net = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 128), nn.ReLU(), nn.Linear(128, 10))

                    def training_step(self, batch, batch_idx):
                        x, y = batch
                        return F.cross_entropy(self.net(x), y)

                    def validation_step(self, batch, batch_idx):
                        autograd.no_grad()  # error: [ML203]
                        x, y = batch
                        self.log("val_loss", F.cross_entropy(self.net(x), y))

                    def predict_step(self, batch, batch_idx):
                        if self.hparams.get("tta", False):
                            torch.autograd.grad_mode.inference_mode()  # error: [ML203]
                            return (self.net(batch) + self.net(batch.flip(-1))) / 2
                        return self.net(batch)

                    def configure_optimizers(self):
                        return torch.optim.Adam(self.parameters(), lr=1e-3)
                """),
        ],
        nonTriggeringExamples: [
            RuleExample("""
                import torch

                def evaluate(model, loader):
                    model.eval()
                    with torch.no_grad():
                        return [model(x) for x in loader]

                @torch.no_grad()
                def predict(model, x):
                    return model(x)

                torch.set_grad_enabled(False)
                ctx = torch.inference_mode()
                """),
            RuleExample("""
                # A local function that happens to share the name is not torch's.
                def no_grad():
                    print("not torch")

                no_grad()
                """),
            SharedExamples.phaseLoop,
            RuleExample("""
                import torch
                import torchvision
                from utils import no_grad

                backbone = torchvision.models.resnet50(weights="IMAGENET1K_V2")
                head = torch.nn.Linear(1000, 5)
                # The project's own `no_grad` freezes a module's parameters; it is not torch's context manager.
                no_grad(backbone)
                backbone.eval()
                optimizer = torch.optim.SGD(head.parameters(), lr=0.1)

                for images, labels in train_loader:
                    optimizer.zero_grad()
                    with torch.no_grad():
                        features = backbone(images)
                    loss = torch.nn.functional.cross_entropy(head(features), labels)
                    loss.backward()
                    optimizer.step()
                """, files: [
                "utils.py": """
                    import torch.nn as nn


                    def no_grad(module: nn.Module) -> nn.Module:
                        for parameter in module.parameters():
                            parameter.requires_grad_(False)
                        return module
                    """,
            ]),
            RuleExample("""
                import contextlib

                import torch


                def run_epoch(model, loader, criterion, optimizer=None):
                    training = optimizer is not None
                    model.train(training)
                    ctx = contextlib.nullcontext() if training else torch.no_grad()
                    total = 0.0
                    with ctx:
                        for inputs, targets in loader:
                            loss = criterion(model(inputs), targets)
                            if training:
                                optimizer.zero_grad()
                                loss.backward()
                                optimizer.step()
                            total += loss.item()
                    return total / len(loader)
                """),
            RuleExample("""
                import torch
                import torch.nn as nn

                model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.BatchNorm2d(16), nn.ReLU(), nn.Flatten(), nn.LazyLinear(10))
                model.load_state_dict(torch.load("checkpoint.pt"))
                model.eval()

                # An inference script: switch autograd off for the whole thread, once.
                torch.set_grad_enabled(False)
                predictions = [model(batch).argmax(dim=1) for batch in test_loader]
                torch.save(torch.cat(predictions), "predictions.pt")
                """),
            RuleExample("""
                import contextlib

                import torch
                import torch.nn as nn


                @torch.no_grad
                def ema_update(ema: nn.Module, model: nn.Module, decay=0.999):
                    for e, p in zip(ema.parameters(), model.parameters()):
                        e.mul_(decay).add_(p, alpha=1 - decay)


                @torch.inference_mode()
                def predict(model, batch):
                    model.eval()
                    return model(batch).softmax(dim=-1)


                def evaluate_all(models, loader):
                    with contextlib.ExitStack() as stack:
                        stack.enter_context(torch.no_grad())
                        for m in models:
                            m.eval()
                        return [[m(x) for x in loader] for m in models]
                """),
            RuleExample("""
                import torch


                def evaluate(model, loader):
                    # Grad mode is the caller's business: this helper is called under `torch.no_grad()`.
                    model.eval()
                    correct = sum((model(x).argmax(1) == y).sum().item() for x, y in loader)
                    model.train()
                    return correct / len(loader.dataset)


                def fit(model, optimizer, criterion, train_loader, val_loader, epochs):
                    for epoch in range(epochs):
                        model.train()
                        for x, y in train_loader:
                            optimizer.zero_grad()
                            criterion(model(x), y).backward()
                            optimizer.step()
                        with torch.no_grad():
                            print(epoch, evaluate(model, val_loader))
                """),
        ]
    )

    public init() {}

    public var nodeKinds: Set<NodeKindTag> { [.expr] }

    public var requiredWords: [RequiredWord] { [.name("no_grad"), .name("inference_mode"), .name("enable_grad")] }

    public func check(_ node: AnyNode, _ context: RuleContext, _ sink: inout [Finding]) {
        guard case .stmt(let statement) = node, case .expr(let value) = statement.kind,
              case .call(let function, _, _) = value.kind,
              CalleeFilter.mayBe(function, oneOf: TorchNames.argumentFreeGradContextNames, context),
              let name = context.semantics.qualifiedName(of: function),
              TorchNames.argumentFreeGradContexts.contains(name.description) else { return }
        let call = context.snippet(of: value)
        sink.append(Self.finding(
            "`\(call)` is called as a statement and has no effect; enter it with `with \(call):`",
            at: value.range, in: context))
    }
}
