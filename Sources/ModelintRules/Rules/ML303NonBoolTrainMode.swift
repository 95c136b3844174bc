import ModelintAnalysis
import ModelintSyntax

/// `model.train("False")`, `model.train(0)`, `model.train(None)`: PyTorch raises ValueError.
public struct ML303NonBoolTrainMode: NodeRule {
    public static let description = RuleDescription(
        code: "ML303",
        name: "non-bool-train-mode",
        severity: .error,
        summary: "`model.train(...)` with a literal that is not a bool raises ValueError",
        whatItDoes: """
            Checks for calls of a module's `train` method whose `mode` argument is a literal other than `True` \
            or `False`: a string (`"False"`, `"eval"`), a number (`0`, `1`), `None`, a container.
            """,
        whyIsThisBad: """
            `nn.Module.train(mode)` checks its argument and raises `ValueError: training mode is expected to be \
            boolean` for anything that is not a `bool` — including `0`, `1` and the string `"False"` (which, \
            were it accepted, would be truthy and mean *train*). The call crashes when it runs, which in a \
            training script is often hours in, at the first validation.
            """,
        example: """
            model.train("False")
            model.train(0)
            """,
        useInstead: """
            model.train(False)  # or model.eval()
            model.train(False)
            """,
        fixSafety: """
            For `"True"` / `"False"` / `"train"` / `"eval"` (any case) and `0` / `1` the fix writes the bool they \
            stand for. It is unsafe because it guesses the intent; the original line cannot run, though.
            """,
        fixAvailability: .sometimes,
        triggeringExamples: [
            RuleExample("""
                import torch.nn as nn

                model = nn.Sequential(nn.Linear(2, 2), nn.Dropout())
                model.train("False")  # error: [ML303]
                model.train(0)  # error: [ML303]
                model.train(mode="eval")  # error: [ML303]
                model.train(None)  # error: [ML303]
                """),
            RuleExample("""
                def run(model, loader, optimizer):
                    model.train(
                        1  # error: [ML303]
                    )
                    for x in loader:
                        model(x).sum().backward()
                        optimizer.step()
                    model.eval()
                """),
            RuleExample("""
                import torch as th
                import torch.nn as nn

                model = nn.Sequential(
                    nn.Conv1d(12, 32, 5), nn.BatchNorm1d(32), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 5)
                )
                optimizer = th.optim.Adam(model.parameters(), lr=3e-4)
                config = {"epochs": 40}

                for epoch in range(config["epochs"]):
                    model.train("True")  # error: [ML303]
                    for signals, labels in train_loader:
                        optimizer.zero_grad()
                        nn.functional.cross_entropy(model(signals), labels).backward()
                        optimizer.step()
                    model.train(mode="False")  # error: [ML303]
                    with th.no_grad():
                        print(epoch, sum(nn.functional.cross_entropy(model(s), l).item() for s, l in val_loader))
                """),
            RuleExample("""
                import torch.nn as nn
                from torchvision.models import efficientnet_b0


                class TransferModel(nn.Module):
                    def __init__(self, num_classes):
                        super().__init__()
                        self.backbone = efficientnet_b0(weights="IMAGENET1K_V1").features
                        self.pool = nn.AdaptiveAvgPool2d(1)
                        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.3), nn.Linear(1280, num_classes))

                    def forward(self, x):
                        return self.head(self.pool(self.backbone(x)))

                    def unfreeze_backbone(self):
                        self.backbone.requires_grad_(True)
                        self.backbone.train(1)  # error: [ML303]

                    def freeze_backbone(self):
                        self.backbone.requires_grad_(False)
                        self.backbone.train(0)  # error: [ML303]
                """),
            RuleExample("""
                import torch
                from torch.nn.parallel import DistributedDataParallel as DDP


                def evaluate(model, loader, rank):
                    model.eval()
                    with torch.no_grad():
                        correct = sum((model(x.to(rank)).argmax(1) == y.to(rank)).sum() for x, y in loader)
                    return correct


                def train(rank, net, train_loader, val_loader, epochs):
                    model = DDP(net.to(rank), device_ids=[rank])
                    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
                    for epoch in range(epochs):
                        model.module.train(mode="train")  # error: [ML303]
                        for x, y in train_loader:
                            optimizer.zero_grad()
                            torch.nn.functional.cross_entropy(model(x.to(rank)), y.to(rank)).backward()
                            optimizer.step()
                        evaluate(model, val_loader, rank)
                """),
            RuleExample("""
                import copy

                import torch
                import torch.nn.functional as F


                def self_distill(model, loader, optimizer, epochs, temperature=2.0):
                    teacher = copy.deepcopy(model)
                    teacher.train(None)  # error: [ML303]
                    teacher.requires_grad_(False)
                    model.train()
                    for epoch in range(epochs):
                        for x, _ in loader:
                            with torch.no_grad():
                                target = F.softmax(teacher(x) / temperature, dim=-1)
                            loss = F.kl_div(F.log_softmax(model(x) / temperature, dim=-1), target, reduction="batchmean")
                            optimizer.zero_grad()
                            loss.backward()
                            optimizer.step()
                """),
            RuleExample("""
                import pytorch_lightning as pl
                import torch
                import torch.nn as nn


                class LitAutoEncoder(pl.LightningModule):
                    def __init__(self):
                        super().__init__()
                        self.encoder = nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 3))
                        self.decoder = nn.Sequential(nn.Linear(3, 64), nn.ReLU(), nn.Linear(64, 784))

                    def on_train_epoch_start(self):
                        if self.current_epoch < 5:
                            # Warm up the decoder only; keep the encoder's layers in eval mode.
                            self.encoder.train("eval")  # error: [ML303]

                    def training_step(self, batch, batch_idx):
                        x, _ = batch
                        x = x.view(x.size(0), -1)
                        return nn.functional.mse_loss(self.decoder(self.encoder(x)), x)

                    def configure_optimizers(self):
                        return torch.optim.Adam(self.parameters(), lr=1e-3)
                """),
        ],
        nonTriggeringExamples: [
            RuleExample("""
                import torch.nn as nn

                model = nn.Linear(2, 2)
                model.train()
                model.train(False)
                model.train(mode=True)
                is_training = True
                model.train(is_training)
                model.train(not is_training)
                """),
            RuleExample("""
                class Trainer:
                    def train(self, epochs):
                        return epochs

                trainer = Trainer()
                trainer.train(10)
                """),
            RuleExample("""
                import torch


                def run_epoch(model, loader, optimizer, criterion, training):
                    model.train(mode=training)
                    with torch.set_grad_enabled(training):
                        for x, y in loader:
                            loss = criterion(model(x), y)
                            if training:
                                optimizer.zero_grad()
                                loss.backward()
                                optimizer.step()


                for epoch in range(args.epochs):
                    run_epoch(model, train_loader, optimizer, criterion, training=True)
                    model.train(not args.freeze_bn)
                    run_epoch(model, val_loader, optimizer, criterion, training=False)
                """),
            RuleExample("""
                import torch
                import torch.nn as nn

                model = nn.Sequential(nn.Linear(10, 32), nn.Dropout(0.1), nn.Linear(32, 1))
                optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

                for epoch in range(20):
                    model.train(True)
                    for x, y in train_loader:
                        optimizer.zero_grad()
                        nn.functional.mse_loss(model(x), y).backward()
                        optimizer.step()
                    model.train(False)  # eval mode, spelled as train(False)
                    with torch.no_grad():
                        val_loss = sum(nn.functional.mse_loss(model(x), y).item() for x, y in val_loader)
                """),
            RuleExample("""
                from transformers import AutoModelForSequenceClassification, Trainer, TrainingArguments

                model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=2)
                args = TrainingArguments(output_dir="out", num_train_epochs=3, per_device_train_batch_size=16)
                trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=val_ds)
                trainer.train(resume_from_checkpoint="out/checkpoint-500")
                trainer.evaluate()
                """),
            RuleExample("""
                import torch.nn as nn


                class GAN(nn.Module):
                    def __init__(self, generator: nn.Module, discriminator: nn.Module):
                        super().__init__()
                        self.generator = generator
                        self.discriminator = discriminator

                    def train(self, mode: bool = True, *, discriminator_only=False):
                        # Override: the generator may stay frozen while the discriminator trains.
                        self.training = mode
                        self.generator.train(mode and not discriminator_only)
                        self.discriminator.train(mode)
                        return self


                gan = GAN(generator, discriminator)
                gan.train(True, discriminator_only=True)
                gan.train(*saved_mode)
                """),
            RuleExample("""
                import torch
                from tokenizers import Tokenizer
                from tokenizers.models import BPE
                from tokenizers.trainers import BpeTrainer


                def train(model, loader, epochs):
                    optimizer = torch.optim.Adam(model.parameters())
                    for _ in range(epochs):
                        for x, y in loader:
                            optimizer.zero_grad()
                            torch.nn.functional.cross_entropy(model(x), y).backward()
                            optimizer.step()


                # A tokenizer's `train` takes files, and a local function named train is not the module method.
                tokenizer = Tokenizer(BPE(unk_token="[UNK]"))
                tokenizer.train(["data/wiki.train.raw", "data/wiki.valid.raw"], BpeTrainer(vocab_size=30000))
                train(model, train_loader, 0)
                """),
        ]
    )

    public init() {}

    public var nodeKinds: Set<NodeKindTag> { [.call] }

    public var requiredWords: [RequiredWord] { [.attribute("train")] }

    public func check(_ node: AnyNode, _ context: RuleContext, _ sink: inout [Finding]) {
        guard case .expr(let call) = node, case .call(let function, let args, let keywords) = call.kind,
              case .attribute(let object, let attr, _) = function.kind, attr.text == "train" else { return }
        let arguments = CallArguments(args: args, keywords: keywords)
        guard !arguments.hasUnpacking, let mode = arguments.argument(position: 0, name: "mode"),
              mode.isLiteral, mode.boolLiteral == nil, context.semantics.isModule(object) else { return }
        let fix = Self.intendedBool(mode).map { value in
            Fix(applicability: .unsafe, message: "Replace with `\(value ? "True" : "False")`",
                edits: [Edit(range: mode.range, content: value ? "True" : "False")])
        }
        sink.append(Self.finding(
            "`\(context.snippet(of: object)).train(...)` needs a bool, not `\(context.snippet(of: mode))`: " +
                "PyTorch raises ValueError",
            at: mode.range, in: context, fix: fix))
    }

    /// The bool a literal evidently stands for, if any.
    static func intendedBool(_ mode: Expr) -> Bool? {
        guard case .constant(let value, _) = mode.kind else { return nil }
        switch value {
        case .int(0): return false
        case .int(1): return true
        case .string(let text):
            switch text.lossyText.lowercased() {
            case "false", "eval": return false
            case "true", "train": return true
            default: return nil
            }
        default:
            return nil
        }
    }
}
