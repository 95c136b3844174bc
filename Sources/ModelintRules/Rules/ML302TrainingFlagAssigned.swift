import ModelintAnalysis
import ModelintSyntax

/// `model.training = False` or `model.train = False` on a module.
public struct ML302TrainingFlagAssigned: NodeRule {
    public static let description = RuleDescription(
        code: "ML302",
        name: "training-flag-assigned",
        severity: .warning,
        summary: "`model.training = False` does not reach submodules; assigning `model.train` replaces the method",
        whatItDoes: """
            Checks for assignments to the `training` attribute of a module, and for assignments over its \
            `train` or `eval` methods.
            """,
        whyIsThisBad: """
            `training` is a plain attribute of each module. `model.eval()` and `model.train(mode)` set it on the \
            module *and every submodule*; assigning `model.training = False` changes the outer module only, so \
            its Dropout and BatchNorm layers — the modules whose behaviour depends on the mode — stay in \
            training mode. `model.train = False` is a different slip with the same outcome: it replaces the \
            method with a bool, the mode does not change, and the next `model.train()` raises a TypeError.

            Assignments inside a module's own `train` or `eval` method (an override that sets the flag and \
            recurses itself) are not reported.
            """,
        example: """
            model.training = False
            predictions = model(batch)
            """,
        useInstead: """
            model.eval()
            predictions = model(batch)
            """,
        fixSafety: """
            The fix replaces the assignment with `model.eval()`, `model.train()` or `model.train(value)`. It is \
            unsafe: it also switches every submodule, which is the intent but changes behaviour.
            """,
        fixAvailability: .sometimes,
        triggeringExamples: [
            RuleExample("""
                import torch.nn as nn

                model = nn.Sequential(nn.Linear(8, 8), nn.Dropout(0.2))
                model.training = False  # error: [ML302]
                model.train = True  # error: [ML302]
                """),
            RuleExample("""
                import torch.nn as nn

                class Net(nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.body = nn.Sequential(nn.Linear(8, 8), nn.BatchNorm1d(8))

                    def freeze(self):
                        self.body.training = False  # error: [ML302]

                    def predict(self, x):
                        self.training: bool = False  # error: [ML302]
                        return self.body(x)
                """),
            RuleExample("""
                import torch
                from torch import nn


                def evaluate(model: nn.Module, loader):
                    model.training = False  # error: [ML302]
                    correct = 0
                    with torch.no_grad():
                        for x, y in loader:
                            correct += (model(x).argmax(1) == y).sum().item()
                    model.training = True  # error: [ML302]
                    return correct / len(loader.dataset)
                """),
            RuleExample("""
                import pytorch_lightning as pl
                import torch
                import torch.nn as nn
                import torch.nn.functional as F
                from torchvision.models import resnet34


                class LitSegmenter(pl.LightningModule):
                    def __init__(self, num_classes):
                        super().__init__()
                        self.encoder = resnet34(weights="IMAGENET1K_V1")
                        self.decoder = nn.Sequential(nn.Conv2d(512, 256, 3, padding=1), nn.BatchNorm2d(256), nn.ReLU(),
                                                     nn.Conv2d(256, num_classes, 1))

                    def on_train_epoch_start(self):
                        # Keep the pretrained BatchNorm statistics fixed while fine-tuning.
                        self.encoder.training = False  # error: [ML302]

                    def training_step(self, batch, batch_idx):
                        images, masks = batch
                        return F.cross_entropy(self(images), masks)

                    def configure_optimizers(self):
                        return torch.optim.AdamW(self.parameters(), lr=1e-4)
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F
                from torchvision import models

                teacher = models.resnet101(weights="IMAGENET1K_V2")
                student = models.mobilenet_v3_small(num_classes=1000)
                teacher.train = False  # error: [ML302]
                optimizer = torch.optim.SGD(student.parameters(), lr=0.05, momentum=0.9)

                student.train()
                for images, labels in loader:
                    with torch.no_grad():
                        target = F.softmax(teacher(images), dim=-1)
                    loss = F.kl_div(F.log_softmax(student(images), dim=-1), target, reduction="batchmean")
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
                """),
            RuleExample("""
                import torch
                import torch.distributed as dist
                import torch.nn as nn
                from torch.nn.parallel import DistributedDataParallel as DDP


                def main(rank, world_size, train_loader, val_loader, epochs=10):
                    dist.init_process_group("nccl", rank=rank, world_size=world_size)
                    net = nn.Sequential(
                        nn.Linear(128, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10)
                    )
                    model = DDP(net.to(rank), device_ids=[rank])
                    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
                    for epoch in range(epochs):
                        model.module.training = True  # error: [ML302]
                        for x, y in train_loader:
                            optimizer.zero_grad()
                            nn.functional.cross_entropy(model(x.to(rank)), y.to(rank)).backward()
                            optimizer.step()
                        model.module.training = False  # error: [ML302]
                        with torch.no_grad():
                            losses = [nn.functional.cross_entropy(model(x.to(rank)), y.to(rank)) for x, y in val_loader]
                        if rank == 0:
                            print(epoch, torch.stack(losses).mean().item())
                """),
            RuleExample("""
                import torch.nn as nn


                class TransformerClassifier(nn.Module):
                    def __init__(self, d_model=256, n_classes=4):
                        super().__init__()
                        layer = nn.TransformerEncoderLayer(d_model, nhead=8, dropout=0.1, batch_first=True)
                        self.encoder = nn.TransformerEncoder(layer, num_layers=6)
                        self.head = nn.Linear(d_model, n_classes)

                    def forward(self, x):
                        return self.head(self.encoder(x).mean(dim=1))


                model = TransformerClassifier()
                model.training = model.encoder.training = False  # error: [ML302, ML302]
                logits = model(batch)
                """),
            // Parameters annotated with a parallel wrapper are modules too.
            RuleExample("""
                import torch
                from torch.distributed.fsdp import FullyShardedDataParallel as FSDP
                from torch.nn.parallel import DistributedDataParallel


                def validate(model: DistributedDataParallel, loader):
                    model.module.training = False  # error: [ML302]
                    with torch.no_grad():
                        return [model(x) for x in loader]


                def freeze_statistics(wrapped: torch.nn.DataParallel, sharded: FSDP):
                    wrapped.training = False  # error: [ML302]
                    sharded.training = False  # error: [ML302]


                def restore(model: torch.nn.parallel.DistributedDataParallel | None):
                    if model is not None:
                        model.module.training = True  # error: [ML302]
                """),
        ],
        nonTriggeringExamples: [
            RuleExample("""
                import torch.nn as nn

                class Net(nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.body = nn.Sequential(nn.Linear(8, 8), nn.Dropout(0.1))

                    def train(self, mode=True):
                        self.training = mode
                        for child in self.children():
                            child.train(mode)
                        return self

                model = Net()
                model.eval()
                """),
            RuleExample("""
                import argparse

                args = argparse.Namespace()
                args.training = False
                args.train = True
                """),
            // Every submodule restored one by one, and a converted layer taking over its original's flag.
            RuleExample("""
                import torch.nn as nn


                def restore(module: nn.Module, saved: dict):
                    for name, mod in module.named_modules():
                        mod.training = saved[name]


                def convert(module: nn.Module):
                    converted = nn.SyncBatchNorm(module.num_features)
                    converted.training = module.training
                    return converted


                class QPolicy(nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.q_net = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 2))
                        self.q_net_target = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 2))

                    def set_training_mode(self, mode: bool) -> None:
                        # The target network stays in eval mode; only the online network follows.
                        self.q_net.train(mode)
                        self.training = mode
                """),
            RuleExample("""
                import pytorch_lightning as pl
                from torch.utils.data import random_split
                from torchvision import datasets, transforms


                class MNISTDataModule(pl.LightningDataModule):
                    def __init__(self, root="data", batch_size=64):
                        super().__init__()
                        self.root, self.batch_size = root, batch_size

                    def setup(self, stage=None):
                        full = datasets.MNIST(self.root, train=True, transform=transforms.ToTensor())
                        self.train, self.val = random_split(full, [55000, 5000])
                        self.test = datasets.MNIST(self.root, train=False, transform=transforms.ToTensor())
                """),
            RuleExample("""
                import torch


                def evaluate(model, loader, criterion):
                    was_training = model.training
                    model.eval()
                    total = 0.0
                    with torch.no_grad():
                        for x, y in loader:
                            total += criterion(model(x), y).item()
                    model.train(was_training)
                    return total / len(loader)
                """),
            RuleExample("""
                import torch.nn as nn


                class DetectionBackbone(nn.Module):
                    def __init__(self, freeze_bn=True):
                        super().__init__()
                        self.body = nn.Sequential(nn.Conv2d(3, 64, 7, 2, 3), nn.BatchNorm2d(64), nn.ReLU())
                        self.freeze_bn = freeze_bn

                    def train(self, mode: bool = True):
                        super().train(mode)
                        if self.freeze_bn:
                            for m in self.modules():
                                if isinstance(m, nn.BatchNorm2d):
                                    m.training = False
                        return self

                    def forward(self, x):
                        return self.body(x)
                """),
            RuleExample("""
                from dataclasses import dataclass


                @dataclass
                class RunConfig:
                    train: bool = True
                    eval: bool = True
                    training: bool = False


                class Trainer:
                    def __init__(self, cfg: RunConfig):
                        self.cfg = cfg
                        self.training = False

                    def train(self):
                        self.training = True


                cfg = RunConfig()
                cfg.train = not args.eval_only
                cfg.eval = True
                trainer = Trainer(cfg)
                trainer.training = cfg.train
                """),
        ]
    )

    public init() {}

    public var nodeKinds: Set<NodeKindTag> { [.assign, .annAssign] }

    public var requiredWords: [RequiredWord] { [.attribute("training"), .attribute("train"), .attribute("eval")] }

    public func check(_ node: AnyNode, _ context: RuleContext, _ sink: inout [Finding]) {
        guard case .stmt(let statement) = node else { return }
        let targets: [Expr]
        let value: Expr
        switch statement.kind {
        case .assign(let assigned, let assignedValue):
            targets = assigned
            value = assignedValue
        case .annAssign(let target, _, let assignedValue?, _):
            targets = [target]
            value = assignedValue
        default:
            return
        }
        for target in targets {
            guard case .attribute(let object, let attr, .store) = target.kind,
                  attr.text == "training" || attr.text == "train" || attr.text == "eval",
                  context.semantics.isModule(object), !isInsideModeOverride(context) else { continue }
            if attr.text == "training" && (Self.copiesAFlag(value) || Self.isEveryModule(object, context)) { continue }
            let module = context.snippet(of: object)
            // The message shows a one-line snippet; the fix must reproduce the source exactly.
            let suggestion = Self.replacement(attribute: attr.text, module: object, value: value) {
                context.snippet(of: $0)
            }
            // A fix only where the whole statement is this one assignment.
            let fixText = targets.count == 1
                ? Self.replacement(attribute: attr.text, module: object, value: value) { context.text(of: $0) }
                : nil
            let fix = fixText.map {
                Fix(applicability: .unsafe, message: "Replace with `\(suggestion ?? $0)`",
                    edits: [Edit(range: statement.range, content: $0)])
            }
            let message: String
            if attr.text == "training" {
                message = "Assigning `\(module).training` does not switch its submodules (Dropout, BatchNorm keep " +
                    "their mode); call `\(suggestion ?? "\(module).train(...)")`"
            } else {
                message = "Assigning to `\(module).\(attr.text)` replaces the method and does not change the mode; " +
                    "call `\(suggestion ?? "\(module).\(attr.text)()")`"
            }
            sink.append(Self.finding(message, at: target.range, in: context, fix: fix))
        }
    }

    /// `training = False` -> `m.eval()`, `training = True` -> `m.train()`, `training = flag` -> `m.train(flag)`;
    /// `train = b` -> `m.train(b)`. Assigning over `eval` has no single meaning, so no replacement.
    private static func replacement(attribute: String, module: Expr, value: Expr,
                                    render: (Expr) -> String) -> String? {
        switch attribute {
        case "training":
            switch value.boolLiteral {
            case false?: return "\(render(module)).eval()"
            case true?: return "\(render(module)).train()"
            case nil: return "\(render(module)).train(\(render(value)))"
            }
        case "train":
            return "\(render(module)).train(\(render(value)))"
        default:
            return nil
        }
    }

    /// `new.training = old.training`: a converted layer takes over the flag of the one it replaces, whose
    /// submodules it reuses (what `torch.nn.SyncBatchNorm.convert_sync_batchnorm` does).
    private static func copiesAFlag(_ value: Expr) -> Bool {
        if case .attribute(_, let attr, _) = value.kind { return attr.text == "training" }
        return false
    }

    /// `for name, m in model.named_modules(): m.training = saved[name]`: every submodule is set one by one.
    private static func isEveryModule(_ object: Expr, _ context: RuleContext) -> Bool {
        guard case .name(let id, _) = object.kind else { return false }
        for ancestor in context.ancestors {
            guard case .stmt(let statement) = ancestor,
                  case .for(let target, let iter, _, _) = statement.kind,
                  binds(id.text, in: target), iteratesModules(iter) else { continue }
            return true
        }
        return false
    }

    private static func binds(_ name: String, in target: Expr) -> Bool {
        switch target.kind {
        case .name(let id, _): return id.text == name
        case .tuple(let elements, _), .list(let elements, _): return elements.contains { binds(name, in: $0) }
        default: return false
        }
    }

    /// `m.modules()`, `m.named_modules()`, also wrapped in `enumerate(...)` / `list(...)`.
    private static func iteratesModules(_ iter: Expr) -> Bool {
        guard case .call(let function, let args, _) = iter.kind else { return false }
        if case .attribute(_, let attr, _) = function.kind {
            return attr.text == "modules" || attr.text == "named_modules"
        }
        return args.first.map(iteratesModules) ?? false
    }

    /// Inside `def train(self, ...)` / `def eval(self)` of a class, or a method named for setting the mode
    /// (`set_training_mode`, `set_eval_mode`): an override managing the flag and the submodules itself.
    private func isInsideModeOverride(_ context: RuleContext) -> Bool {
        guard let method = context.enclosingMethod else { return false }
        let name = method.def.name.text.lowercased()
        if name == "train" || name == "eval" { return true }
        return name.contains("mode") && (name.contains("train") || name.contains("eval"))
    }
}
