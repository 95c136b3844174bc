import ModelintAnalysis
import ModelintSyntax

/// A training step (backward) reached with the module in eval mode, other than the loop-carried case of
/// ML101 and the mid-step switch of ML103.
public struct ML104TrainingStepInEvalMode: AnalysisRule {
    public init() {}

    public func check(_ facts: FileFacts, _ context: RuleContext, _ sink: inout [Finding]) {
        var reported: Set<UInt32> = []
        for step in facts.trainingSteps where step.loop == nil && !step.evalSites.isEmpty {
            guard reported.insert(step.site.range.start).inserted else { continue }
            let message = "`\(step.modulePath)` may be in eval mode in this training step "
                + "(\(FactWording.origin(of: .eval, step.evalSites))): dropout is off and batch-norm statistics "
                + "are frozen while it trains; call `\(step.modulePath).train()` before training"
            sink.append(Self.finding(message, at: step.site.range, in: context))
        }
    }

    public static let description = RuleDescription(
        code: "ML104",
        name: "training-step-in-eval-mode",
        severity: .warning,
        summary: "A training step runs while the module may be in eval mode",
        whatItDoes: """
            Checks `backward()` calls of training steps whose forward pass may run with the module in eval \
            mode on some path — after `eval()` or `train(False)`, after loading a checkpoint for evaluation, \
            or for Hugging Face models, which `from_pretrained` returns in eval mode — where the cause is not \
            an evaluation later in the same loop (ML101) or in the middle of the step (ML103). Partial \
            freezing (`model.backbone.eval()`) leaves the model "mixed" and is not reported, and neither is \
            a module whose parameters are frozen (`requires_grad_(False)`, `p.requires_grad = False` for each \
            of its parameters, also in a helper) and not unfrozen in the same function: like a teacher under \
            `no_grad`, a frozen feature extractor kept in eval trains nothing.
            """,
        whyIsThisBad: """
            A module trained in eval mode runs without dropout and with batch-norm frozen on its running \
            statistics: the regularisation the architecture relies on is gone and the statistics never \
            adapt to the data. Training still converges, so the only symptom is a worse model.
            """,
        example: """
            model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased")
            for batch in loader:
                loss = model(**batch).loss
                loss.backward()
                optimizer.step()
            """,
        useInstead: """
            model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased")
            model.train()
            for batch in loader:
                loss = model(**batch).loss
                loss.backward()
                optimizer.step()
            """,
        fixSafety: "No fix is offered: where training starts is the author's decision.",
        fixAvailability: .none,
        triggeringExamples: [
            RuleExample("""
                import torch
                from transformers import AutoModelForSequenceClassification

                model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=3)
                optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
                for epoch in range(3):
                    for batch in train_loader:
                        outputs = model(**batch)
                        outputs.loss.backward()  # error: [ML104]
                        optimizer.step()
                        optimizer.zero_grad()
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F
                from models import WideResNet

                model = WideResNet(depth=28, widen_factor=10)
                model.load_state_dict(torch.load("pretrained.pt"))
                model.eval()
                with torch.no_grad():
                    print("restored accuracy", (model(val_images).argmax(1) == val_labels).float().mean().item())
                optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
                for images, labels in train_loader:
                    loss = F.cross_entropy(model(images), labels)
                    optimizer.zero_grad()
                    loss.backward()  # error: [ML104]
                    optimizer.step()
                """, files: [
                    "models.py": """
                        import torch.nn as nn

                        class WideResNet(nn.Module):
                            def __init__(self, depth, widen_factor):
                                super().__init__()
                                width = 16 * widen_factor
                                self.body = nn.Sequential(nn.Conv2d(3, width, 3), nn.BatchNorm2d(width), nn.ReLU())
                                self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.3), nn.LazyLinear(10))

                            def forward(self, x):
                                return self.head(self.body(x))
                        """,
                ]),
            RuleExample("""
                import torch
                import torch.nn.functional as F


                def finetune(model, optimizer, loader):
                    for x, y in loader:
                        optimizer.zero_grad()
                        loss = F.cross_entropy(model(x), y)
                        loss.backward()  # error: [ML104]
                        optimizer.step()


                model = torch.hub.load("pytorch/vision", "resnet18", weights="DEFAULT")
                model.eval()
                print(model(sample).argmax(1))
                finetune(model, torch.optim.SGD(model.parameters(), lr=1e-3), loader)
                """),
            RuleExample("""
                import torch
                import torch.nn as nn

                model = nn.Sequential(nn.Linear(64, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Linear(128, 1))
                optimizer = torch.optim.Adam(model.parameters())
                model.train(False)
                for features, target in loader:
                    prediction = model(features)
                    loss = nn.functional.mse_loss(prediction, target)
                    optimizer.zero_grad()
                    loss.backward()  # error: [ML104]
                    optimizer.step()
                """),
            RuleExample("""
                import torch
                from accelerate import Accelerator
                from transformers import AutoModelForCausalLM

                accelerator = Accelerator()
                model = AutoModelForCausalLM.from_pretrained("gpt2")
                optimizer = torch.optim.AdamW(model.parameters(), lr=3e-5)
                model, optimizer, loader = accelerator.prepare(model, optimizer, loader)
                for batch in loader:
                    loss = model(**batch).loss
                    accelerator.backward(loss)  # error: [ML104]
                    optimizer.step()
                    optimizer.zero_grad()
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F


                class Finetuner:
                    def __init__(self, model, optimizer):
                        self.model = model
                        self.optimizer = optimizer

                    def epoch(self, loader, freeze_norm):
                        if freeze_norm:
                            self.model.eval()
                        for x, y in loader:
                            self.optimizer.zero_grad()
                            loss = F.cross_entropy(self.model(x), y)
                            loss.backward()  # error: [ML104]
                            self.optimizer.step()
                """),
            // Unfrozen after a warm-up: from then on the backbone trains, still in eval mode.
            RuleExample("""
                import torch
                import torch.nn.functional as F
                import torchvision

                backbone = torchvision.models.resnet50(weights="DEFAULT")
                backbone.requires_grad_(False)
                backbone.eval()
                head = torch.nn.Sequential(torch.nn.Dropout(0.2), torch.nn.Linear(1000, 10))
                optimizer = torch.optim.SGD([{"params": head.parameters()}, {"params": backbone.parameters(), "lr": 1e-4}], lr=0.01)
                for epoch in range(10):
                    if epoch == 3:
                        backbone.requires_grad_(True)
                    for images, labels in loader:
                        loss = F.cross_entropy(head(backbone(images)), labels)
                        optimizer.zero_grad()
                        loss.backward()  # error: [ML104]
                        optimizer.step()
                """),
        ],
        nonTriggeringExamples: [
            RuleExample("""
                import torch
                import torch.nn.functional as F

                teacher = torch.hub.load("pytorch/vision", "resnet101", weights="DEFAULT")
                student = torch.hub.load("pytorch/vision", "resnet18", weights=None)
                teacher.eval()
                student.train()
                optimizer = torch.optim.AdamW(student.parameters(), lr=1e-4)
                for images, labels in loader:
                    with torch.no_grad():
                        soft_targets = F.softmax(teacher(images) / 4.0, dim=-1)
                    logits = student(images)
                    loss = F.kl_div(F.log_softmax(logits / 4.0, dim=-1), soft_targets, reduction="batchmean")
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F

                teacher = torch.hub.load("pytorch/vision", "resnet101", weights="DEFAULT")
                student = torch.hub.load("pytorch/vision", "resnet18", weights=None)
                teacher.eval()
                student.train()
                for images, labels in loader:
                    teacher_logits = teacher(images).detach()
                    loss = F.mse_loss(student(images), teacher_logits)
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
                """),
            RuleExample("""
                import torch
                import torchvision

                model = torchvision.models.resnet50(weights="DEFAULT")
                model.train()
                model.layer1.eval()
                model.layer2.eval()
                optimizer = torch.optim.SGD(model.fc.parameters(), lr=0.01)
                for images, labels in loader:
                    loss = torch.nn.functional.cross_entropy(model(images), labels)
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
                """),
            SharedExamples.phaseLoop,
            RuleExample("""
                import torch
                from transformers import AutoModelForSequenceClassification

                model = AutoModelForSequenceClassification.from_pretrained("roberta-base", num_labels=2)
                optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
                model.train()
                for batch in train_loader:
                    loss = model(**batch).loss
                    loss.backward()
                    optimizer.step()
                    optimizer.zero_grad()
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F


                class Trainer:
                    def __init__(self, model, optimizer):
                        self.model = model
                        self.optimizer = optimizer

                    def train(self, loader):
                        self.model.train()
                        for x, y in loader:
                            self.optimizer.zero_grad()
                            F.cross_entropy(self.model(x), y).backward()
                            self.optimizer.step()

                    def eval(self):
                        self.model.eval()


                model = torch.nn.Sequential(torch.nn.Linear(8, 8), torch.nn.BatchNorm1d(8), torch.nn.Linear(8, 2))
                trainer = Trainer(model, torch.optim.SGD(model.parameters(), lr=0.1))
                trainer.eval()
                trainer.train(loader)
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F


                def finetune(model, optimizer, loader, mode):
                    model.train(mode=mode)
                    for x, y in loader:
                        optimizer.zero_grad()
                        F.cross_entropy(model(x), y).backward()
                        optimizer.step()


                model = torch.hub.load("pytorch/vision", "resnet18", weights="DEFAULT")
                optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
                model.eval()
                finetune(model, optimizer, loader, mode=args.train_mode)
                """),
            RuleExample("""
                import torch
                import torch.nn as nn
                import pytorch_lightning as pl


                class LitModel(pl.LightningModule):
                    def __init__(self):
                        super().__init__()
                        self.net = nn.Sequential(nn.Linear(16, 16), nn.BatchNorm1d(16), nn.Linear(16, 1))

                    def on_train_epoch_start(self):
                        self.net.eval()

                    def training_step(self, batch, batch_idx):
                        return self.net(batch).pow(2).mean()
                """),
            // A backward without an optimizer step computes gradients for their own sake (Fisher information).
            RuleExample("""
                import torch
                import torch.nn.functional as F


                def fisher_information(model, loader):
                    model.eval()
                    fisher = [torch.zeros_like(p) for p in model.parameters()]
                    for x, y in loader:
                        model.zero_grad()
                        F.cross_entropy(model(x), y).backward()
                        for f, p in zip(fisher, model.parameters()):
                            f += p.grad.detach() ** 2
                    return fisher
                """),
            // The conditional expression and the later `if` test the same flag.
            RuleExample("""
                import torch
                import torch.nn.functional as F


                def run(model, optimizer, loaders):
                    for training in (True, False):
                        model.train() if training else model.eval()
                        for x, y in loaders[training]:
                            out = model(x)
                            if training:
                                optimizer.zero_grad()
                                F.cross_entropy(out, y).backward()
                                optimizer.step()
                """),
            // A context manager taking the mode as a flag: called with `True`, only its train outcome applies.
            RuleExample("""
                import contextlib
                import torch
                import torch.nn.functional as F


                class Runner:
                    def __init__(self, network, optimizer):
                        self.network = network
                        self.optimizer = optimizer

                    @contextlib.contextmanager
                    def _training_mode(self, training):
                        old = self.network.training
                        self.network.train(training)
                        with torch.set_grad_enabled(training):
                            yield
                        self.network.train(old)

                    def fit(self, loader):
                        with self._training_mode(True):
                            for x, y in loader:
                                self.optimizer.zero_grad()
                                F.cross_entropy(self.network(x), y).backward()
                                self.optimizer.step()
                """),
            // Frozen feature extractors kept in eval while a head trains on their features: nothing of theirs
            // trains, so their eval mode is deliberate.
            RuleExample("""
                import torch
                import torch.nn.functional as F
                import torchvision

                backbone = torchvision.models.resnet50(weights="DEFAULT")
                backbone.requires_grad_(False)
                backbone.eval()
                head = torch.nn.Sequential(torch.nn.Dropout(0.2), torch.nn.Linear(1000, 10))
                optimizer = torch.optim.SGD(head.parameters(), lr=0.01)
                for images, labels in loader:
                    loss = F.cross_entropy(head(backbone(images)), labels)
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
                """),
            RuleExample("""
                import torch
                import torch.nn as nn
                import torch.nn.functional as F
                from transformers import AutoModel


                def train_epoch(encoder, classifier, optimizer, loader):
                    classifier.train()
                    for batch, labels in loader:
                        features = encoder(**batch).last_hidden_state[:, 0]
                        loss = F.cross_entropy(classifier(features), labels)
                        optimizer.zero_grad()
                        loss.backward()
                        optimizer.step()


                def main(loader):
                    encoder = AutoModel.from_pretrained("bert-base-uncased")
                    for p in encoder.parameters():
                        p.requires_grad = False
                    classifier = nn.Sequential(nn.Dropout(0.1), nn.Linear(768, 2))
                    optimizer = torch.optim.AdamW(classifier.parameters(), lr=1e-3)
                    for epoch in range(3):
                        train_epoch(encoder, classifier, optimizer, loader)
                """),
        ]
    )
}
