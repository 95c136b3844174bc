import ModelintAnalysis
import ModelintSyntax

/// `with torch.no_grad:` — the class itself is not a context manager; entering it raises TypeError.
public struct ML204GradContextNotCalled: NodeRule {
    public static let description = RuleDescription(
        code: "ML204",
        name: "grad-context-not-called",
        severity: .error,
        summary: "`with torch.no_grad:` without parentheses raises TypeError",
        whatItDoes: """
            Checks for `with` statements that use `torch.no_grad`, `torch.inference_mode`, \
            `torch.enable_grad` or `torch.set_grad_enabled` itself instead of calling it.
            """,
        whyIsThisBad: """
            These names are classes. A class is not a context manager, so `with torch.no_grad:` raises \
            `TypeError: 'type' object does not support the context manager protocol` (Python 3.11+; older \
            versions raise `AttributeError: __enter__`) when the line runs — often only at the end of the \
            first epoch, when validation starts. (As a decorator, `@torch.no_grad` without parentheses is \
            supported by PyTorch and is not reported.)
            """,
        example: """
            with torch.no_grad:
                predictions = model(batch)
            """,
        useInstead: """
            with torch.no_grad():
                predictions = model(batch)
            """,
        fixSafety: """
            The fix adds the missing `()`; it is safe because the original line cannot run. No fix is \
            offered for `torch.set_grad_enabled`, which needs the mode as an argument.
            """,
        fixAvailability: .sometimes,
        triggeringExamples: [
            RuleExample("""
                import torch

                def validate(model, loader):
                    model.eval()
                    with torch.no_grad:  # error: [ML204]
                        return [model(x) for x in loader]
                """),
            RuleExample("""
                from torch import inference_mode
                import torch.autograd as autograd
                import torch

                async def serve(model, x):
                    async with inference_mode:  # error: [ML204]
                        return model(x)

                with open("log.txt") as log, autograd.enable_grad:  # error: [ML204]
                    pass
                with torch.set_grad_enabled:  # error: [ML204]
                    pass
                """),
            RuleExample("""
                import torch as th
                import torch.nn as nn


                class Encoder(nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.conv = nn.Sequential(
                            nn.Conv2d(1, 32, 3), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1)
                        )
                        self.proj = nn.Linear(32, 128)

                    def forward(self, x):
                        return self.proj(self.conv(x).flatten(1))

                    def embed(self, images):
                        self.eval()
                        with th.inference_mode:  # error: [ML204]
                            return nn.functional.normalize(self(images), dim=-1)
                """),
            RuleExample("""
                from torch import no_grad
                from torch.nn import functional as F
                from torchvision.models import resnet18

                model = resnet18(num_classes=10)
                model.load_state_dict(torch.load("best.pt"))
                model.eval()

                test_loss = correct = 0
                with no_grad:  # error: [ML204]
                    for images, labels in test_loader:
                        logits = model(images)
                        test_loss += F.cross_entropy(logits, labels, reduction="sum").item()
                        correct += (logits.argmax(1) == labels).sum().item()
                print(test_loss / len(test_loader.dataset), correct / len(test_loader.dataset))
                """),
            RuleExample("""
                import torch


                def validate(model, loader, criterion, device):
                    model.eval()
                    losses = []
                    for images, targets in loader:
                        images, targets = images.to(device), targets.to(device)
                        with torch.no_grad, torch.autocast(device_type="cuda", dtype=torch.float16):  # error: [ML204]
                            losses.append(criterion(model(images), targets).item())
                    model.train()
                    return sum(losses) / len(losses)


                def train(model, optimizer, criterion, train_loader, val_loader, device, epochs=30):
                    for epoch in range(epochs):
                        model.train()
                        for images, targets in train_loader:
                            optimizer.zero_grad()
                            criterion(model(images.to(device)), targets.to(device)).backward()
                            optimizer.step()
                        print(epoch, validate(model, val_loader, criterion, device))
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F


                @torch.no_grad()
                def saliency_maps(model, images, labels):
                    model.eval()
                    # Gradients are wanted here although the function runs under no_grad.
                    with torch.enable_grad:  # error: [ML204]
                        images = images.clone().requires_grad_(True)
                        loss = F.cross_entropy(model(images), labels)
                        loss.backward()
                    return images.grad.abs().amax(dim=1)
                """),
            RuleExample("""
                import torch.nn as nn
                from torch.autograd import grad_mode


                class Seq2Seq(nn.Module):
                    def __init__(self, vocab, hidden=512):
                        super().__init__()
                        self.embed = nn.Embedding(vocab, hidden)
                        self.encoder = nn.LSTM(hidden, hidden, batch_first=True)
                        self.decoder = nn.LSTM(hidden, hidden, batch_first=True)
                        self.out = nn.Linear(hidden, vocab)

                    def forward(self, src, tgt):
                        _, state = self.encoder(self.embed(src))
                        dec, _ = self.decoder(self.embed(tgt), state)
                        return self.out(dec)

                    def translate(self, src, bos, max_len=50):
                        self.eval()
                        with grad_mode.no_grad:  # error: [ML204]
                            _, state = self.encoder(self.embed(src))
                            token, result = bos, []
                            for _ in range(max_len):
                                dec, state = self.decoder(self.embed(token), state)
                                token = self.out(dec).argmax(-1)
                                result.append(token)
                        return result


                def run_epoch(model, loader, optimizer, train):
                    model.train(train)
                    for src, tgt in loader:
                        with grad_mode.set_grad_enabled:  # error: [ML204]
                            loss = nn.functional.cross_entropy(model(src, tgt[:, :-1]).transpose(1, 2), tgt[:, 1:])
                        if train:
                            optimizer.zero_grad()
                            loss.backward()
                            optimizer.step()
                """),
        ],
        nonTriggeringExamples: [
            RuleExample("""
                import torch

                with torch.no_grad():
                    pass
                with torch.inference_mode(mode=True), torch.enable_grad():
                    pass
                with torch.set_grad_enabled(False):
                    pass

                @torch.no_grad
                def predict(model, x):
                    return model(x)
                """),
            RuleExample("""
                import contextlib

                no_grad = contextlib.nullcontext()
                with no_grad:
                    pass
                """),
            SharedExamples.phaseLoop,
            RuleExample("""
                import torch


                def evaluate(model, loader, grad_context):
                    # The caller decides the grad mode and passes the context manager in.
                    model.eval()
                    with grad_context:
                        outputs = [model(x) for x in loader]
                    model.train()
                    return outputs


                no_grad = torch.no_grad()
                with no_grad:
                    warmup = model(example_batch)
                scores = evaluate(model, val_loader, torch.inference_mode())
                """),
            RuleExample("""
                import torch
                import torch.nn as nn


                class Classifier(nn.Module):
                    def __init__(self, n_features, n_classes):
                        super().__init__()
                        self.body = nn.Sequential(nn.Linear(n_features, 128), nn.ReLU(), nn.Dropout(0.2))
                        self.head = nn.Linear(128, n_classes)

                    def forward(self, x):
                        return self.head(self.body(x))

                    @torch.no_grad
                    def predict_proba(self, x):
                        self.eval()
                        return self(x).softmax(dim=-1)

                    def predict(self, x):
                        self.eval()
                        with torch.inference_mode():
                            return self(x).argmax(dim=-1)
                """),
            RuleExample("""
                import torch


                def run_epoch(model, loader, criterion, optimizer, is_train: bool):
                    model.train(is_train)
                    total, count = 0.0, 0
                    with torch.set_grad_enabled(is_train):
                        for inputs, targets in loader:
                            loss = criterion(model(inputs), targets)
                            if is_train:
                                optimizer.zero_grad()
                                loss.backward()
                                optimizer.step()
                            total += loss.item() * len(inputs)
                            count += len(inputs)
                    return total / count


                for epoch in range(50):
                    train_loss = run_epoch(model, train_loader, criterion, optimizer, True)
                    val_loss = run_epoch(model, val_loader, criterion, optimizer, False)
                """),
            RuleExample("""
                import copy

                import torch
                import torch.nn as nn


                class EMATeacher:
                    \"""Mean-teacher training: the teacher follows the student and stays in eval mode.\"""

                    def __init__(self, student: nn.Module, decay=0.99):
                        self.teacher = copy.deepcopy(student).eval()
                        self.decay = decay
                        self.no_grad = torch.no_grad()

                    def targets(self, images):
                        with self.no_grad:
                            return self.teacher(images).softmax(dim=-1)

                    def update(self, student: nn.Module):
                        with torch.no_grad():
                            for t, s in zip(self.teacher.parameters(), student.parameters()):
                                t.mul_(self.decay).add_(s, alpha=1 - self.decay)
                """),
            RuleExample("""
                import contextlib

                import torch

                # Mixed-precision evaluation that only switches grads off when asked to.
                maybe_no_grad = torch.no_grad if args.eval_only else contextlib.nullcontext

                model.eval()
                with maybe_no_grad(), torch.autocast("cuda"):
                    logits = model(batch)
                """),
        ]
    )

    public init() {}

    public var nodeKinds: Set<NodeKindTag> { [.with, .asyncWith] }

    public var requiredWords: [RequiredWord] {
        [.name("no_grad"), .name("inference_mode"), .name("enable_grad"), .name("set_grad_enabled")]
    }

    public func check(_ node: AnyNode, _ context: RuleContext, _ sink: inout [Finding]) {
        guard case .stmt(let statement) = node else { return }
        let items: [WithItem]
        switch statement.kind {
        case .with(let withItems, _), .asyncWith(let withItems, _): items = withItems
        default: return
        }
        for item in items {
            let manager = item.contextExpr
            if case .call = manager.kind { continue }
            guard CalleeFilter.mayBe(manager, oneOf: TorchNames.gradContextNames, context),
                  let name = context.semantics.qualifiedName(of: manager)?.description else { continue }
            let spelled = context.snippet(of: manager)
            if TorchNames.argumentFreeGradContexts.contains(name) {
                let fix = Fix(applicability: .safe, message: "Call `\(spelled)()`",
                              edits: [.insertion(at: manager.range.end, "()")])
                sink.append(Self.finding(
                    "`\(spelled)` is not called: entering the class raises TypeError; write `\(spelled)()`",
                    at: manager.range, in: context, fix: fix))
            } else if TorchNames.setGradEnabled.contains(name) {
                sink.append(Self.finding(
                    "`\(spelled)` is not called: entering the class raises TypeError; write `\(spelled)(False)` or `\(spelled)(True)`",
                    at: manager.range, in: context))
            }
        }
    }
}
