import ModelintAnalysis
import ModelintSyntax

/// `model.eval` without parentheses: the bound method is looked up and thrown away.
public struct ML301ModeMethodNotCalled: NodeRule {
    public static let description = RuleDescription(
        code: "ML301",
        name: "mode-method-not-called",
        severity: .warning,
        summary: "`model.eval` / `model.train` referenced but not called",
        whatItDoes: """
            Checks for `x.eval` and `x.train` written as a statement of their own, and for assignments such as \
            `model = model.eval` that store the method instead of calling it.
            """,
        whyIsThisBad: """
            Without the parentheses nothing is called: the module stays in the mode it was in, so evaluation \
            runs with Dropout active and BatchNorm updating its running statistics (or training runs with them \
            frozen). Python raises no error. `model = model.eval` is worse: `model` now names the bound method, \
            and `model(x)` later fails with a TypeError far from the cause.

            A reference that is passed on (`callbacks.append(model.eval)`) or stored under another name is not \
            reported: calling it later is a legitimate pattern.
            """,
        example: """
            model.eval
            with torch.no_grad():
                accuracy = evaluate(model, val_loader)
            """,
        useInstead: """
            model.eval()
            with torch.no_grad():
                accuracy = evaluate(model, val_loader)
            """,
        fixSafety: """
            The fix adds `()`. It is unsafe because it changes what the program does — which is the point, \
            but code after it may have come to rely on the module's previous mode.
            """,
        fixAvailability: .always,
        triggeringExamples: [
            RuleExample("""
                import torch.nn as nn

                model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
                model.eval  # error: [ML301]
                model = model.train  # error: [ML301]
                """),
            RuleExample("""
                def validate(model, loader):
                    model.eval  # error: [ML301]
                    outputs = [model(x) for x in loader]
                    model.train()
                    return outputs

                class Runner:
                    def finish(self):
                        self.net.eval()
                        self.net.train  # error: [ML301]
                        self.net = self.net.eval  # error: [ML301]
                """),
            // Python reads identifiers in NFKC form: the fullwidth `ｅ` spells `eval` too.
            RuleExample("""
                import torch.nn as nn

                net = nn.Linear(2, 2)
                net.ｅval  # error: [ML301]
                """),
            RuleExample("""
                import torch as th
                import torch.nn as nn

                model = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, 1))
                optimizer = th.optim.AdamW(model.parameters(), lr=1e-3)

                for epoch in range(100):
                    model.train  # error: [ML301]
                    for features, target in train_loader:
                        optimizer.zero_grad()
                        loss = nn.functional.mse_loss(model(features).squeeze(-1), target)
                        loss.backward()
                        optimizer.step()
                    model.eval()
                    with th.no_grad():
                        val = sum(nn.functional.mse_loss(model(f).squeeze(-1), t).item() for f, t in val_loader)
                    print(epoch, val / len(val_loader))
                """),
            RuleExample("""
                import torch.nn as nn
                from torchvision.models import resnet50


                class FineTuner(nn.Module):
                    def __init__(self, num_classes):
                        super().__init__()
                        self.backbone = resnet50(weights="IMAGENET1K_V2")
                        self.backbone.fc = nn.Identity()
                        self.head = nn.Sequential(nn.Dropout(0.5), nn.Linear(2048, num_classes))

                    def freeze_backbone(self):
                        for p in self.backbone.parameters():
                            p.requires_grad = False
                        self.backbone.eval  # error: [ML301]

                    def forward(self, x):
                        return self.head(self.backbone(x))
                """),
            RuleExample("""
                import torch
                from torch.nn.parallel import DistributedDataParallel as DDP


                def evaluate(ddp_model: DDP, loader, device):
                    ddp_model.module.eval  # error: [ML301]
                    correct = torch.zeros(1, device=device)
                    with torch.no_grad():
                        for images, labels in loader:
                            preds = ddp_model(images.to(device)).argmax(1)
                            correct += (preds == labels.to(device)).sum()
                    torch.distributed.all_reduce(correct)
                    ddp_model.module.train()
                    return correct.item()
                """),
            RuleExample("""
                import copy

                import torch
                import torch.nn.functional as F


                def distill(student, teacher_ckpt, loader, optimizer, temperature=4.0):
                    teacher = copy.deepcopy(student)
                    teacher.load_state_dict(torch.load(teacher_ckpt))
                    teacher = teacher.eval  # error: [ML301]
                    student.train()
                    for x, _ in loader:
                        with torch.no_grad():
                            soft = F.softmax(teacher(x) / temperature, dim=-1)
                        loss = F.kl_div(F.log_softmax(student(x) / temperature, dim=-1), soft, reduction="batchmean")
                        optimizer.zero_grad()
                        loss.backward()
                        optimizer.step()
                """),
            RuleExample("""
                import torch


                def sample_images(generator, n, latent_dim, device):
                    generator.eval()
                    try:
                        with torch.no_grad():
                            z = torch.randn(n, latent_dim, device=device)
                            return generator(z).cpu()
                    finally:
                        generator.train  # error: [ML301]


                def train_gan(generator, discriminator, opt_g, opt_d, loader, latent_dim, device):
                    for epoch in range(200):
                        for real, _ in loader:
                            z = torch.randn(real.size(0), latent_dim, device=device)
                            fake = generator(z)
                            d_loss = -(discriminator(real).mean() - discriminator(fake.detach()).mean())
                            opt_d.zero_grad()
                            d_loss.backward()
                            opt_d.step()
                            g_loss = -discriminator(fake).mean()
                            opt_g.zero_grad()
                            g_loss.backward()
                            opt_g.step()
                        if epoch % 10 == 0:
                            sample_images(generator, 64, latent_dim, device)
                """),
        ],
        nonTriggeringExamples: [
            RuleExample("""
                import torch.nn as nn

                model = nn.Linear(4, 4)
                model.eval()
                model = model.train()
                hooks = [model.eval, model.train]
                switch = model.eval
                switch()
                print(model.training)
                """),
            RuleExample("""
                import torch
                from torchvision import models

                model = models.resnet18(weights="IMAGENET1K_V1")
                model = model.eval()
                teacher = models.resnet50(weights="IMAGENET1K_V2").eval().requires_grad_(False)

                with torch.inference_mode():
                    agreement = sum((model(x).argmax(1) == teacher(x).argmax(1)).float().mean().item() for x in loader)
                print(agreement / len(loader))
                """),
            RuleExample("""
                import threading

                import torch.nn as nn


                class Trainer:
                    \"""Not a module: `train` here runs the whole fitting loop.\"""

                    def __init__(self, model: nn.Module, loader, optimizer):
                        self.model, self.loader, self.optimizer = model, loader, optimizer

                    def train(self, epochs=1):
                        self.model.train()
                        for _ in range(epochs):
                            for x, y in self.loader:
                                self.optimizer.zero_grad()
                                nn.functional.cross_entropy(self.model(x), y).backward()
                                self.optimizer.step()


                trainer = Trainer(model, loader, optimizer)
                worker = threading.Thread(target=trainer.train, kwargs={"epochs": 5})
                worker.start()
                """),
            RuleExample("""
                import torch


                def run_phase(model, loader, phase, optimizer):
                    # The mode method is picked by phase and called.
                    {"train": model.train, "val": model.eval}[phase]()
                    set_mode = model.train if phase == "train" else model.eval
                    set_mode()
                    with torch.set_grad_enabled(phase == "train"):
                        for x, y in loader:
                            loss = torch.nn.functional.cross_entropy(model(x), y)
                            if phase == "train":
                                optimizer.zero_grad()
                                loss.backward()
                                optimizer.step()
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F


                def train_student(student, teacher, loader, optimizer, epochs, alpha=0.5):
                    teacher.eval()
                    for epoch in range(epochs):
                        student.train()
                        for x, y in loader:
                            with torch.no_grad():
                                teacher_logits = teacher(x)
                            logits = student(x)
                            loss = alpha * F.cross_entropy(logits, y) + (1 - alpha) * F.mse_loss(logits, teacher_logits)
                            optimizer.zero_grad()
                            loss.backward()
                            optimizer.step()
                """),
            RuleExample("""
                import torch


                def evaluate(model, loader):
                    was_training = model.training
                    model.eval()
                    with torch.no_grad():
                        accuracy = sum((model(x).argmax(1) == y).float().mean().item() for x, y in loader) / len(loader)
                    model.train(was_training)
                    return accuracy


                def log_mode(model):
                    print("mode:", "train" if model.training else "eval")
                """),
            RuleExample("""
                import pandas as pd
                import torch

                # Pandas' DataFrame.eval and a dataset's split attributes are not module methods.
                frame = pd.read_csv("metrics.csv")
                frame = frame.eval("gap = train_loss - val_loss")
                splits = torch.load("splits.pt")
                train_ids, val_ids = splits.train, splits.eval
                """),
        ]
    )

    public init() {}

    public var nodeKinds: Set<NodeKindTag> { [.expr, .assign] }

    public var requiredWords: [RequiredWord] { [.attribute("eval"), .attribute("train")] }

    public func check(_ node: AnyNode, _ context: RuleContext, _ sink: inout [Finding]) {
        guard case .stmt(let statement) = node else { return }
        switch statement.kind {
        case .expr(let value):
            guard let object = Self.modeMethodReceiver(value) else { return }
            report(value, object: object, assignedTo: nil, context, &sink)
        case .assign(let targets, let value):
            guard let object = Self.modeMethodReceiver(value) else { return }
            // `model = model.eval`: the module's own name now holds the method.
            let objectText = context.snippet(of: object)
            guard let target = targets.first(where: { context.snippet(of: $0) == objectText }) else { return }
            report(value, object: object, assignedTo: target, context, &sink)
        default:
            return
        }
    }

    private func report(_ reference: Expr, object: Expr, assignedTo target: Expr?,
                        _ context: RuleContext, _ sink: inout [Finding]) {
        let spelled = context.snippet(of: reference)
        let consequence: String
        if target != nil {
            consequence = "`\(context.snippet(of: object))` now holds the method, not the module"
        } else if context.semantics.isModule(object) {
            consequence = "the module's mode does not change"
        } else {
            consequence = "the statement has no effect"
        }
        let fix = Fix(applicability: .unsafe, message: "Call `\(spelled)()`",
                      edits: [.insertion(at: reference.range.end, "()")])
        sink.append(Self.finding("`\(spelled)` is not called: \(consequence); write `\(spelled)()`",
                                 at: reference.range, in: context, fix: fix))
    }

    /// `x.eval` / `x.train` (a load, not a call) -> x.
    static func modeMethodReceiver(_ expr: Expr) -> Expr? {
        guard case .attribute(let object, let attr, .load) = expr.kind,
              attr.text == "eval" || attr.text == "train" else { return nil }
        return object
    }
}
