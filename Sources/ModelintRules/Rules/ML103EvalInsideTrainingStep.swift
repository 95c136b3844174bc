import ModelintAnalysis
import ModelintSyntax

/// `eval()` (or a call that switches to eval) between the backward and the optimizer step of one training step.
public struct ML103EvalInsideTrainingStep: AnalysisRule {
    public init() {}

    public func check(_ facts: FileFacts, _ context: RuleContext, _ sink: inout [Finding]) {
        var reported: Set<UInt32> = []
        for fact in facts.evalInsideStep {
            guard reported.insert(fact.evalSite.range.start).inserted else { continue }
            let how = fact.evalSite.origin == .functionCall ? "switched to eval by \(fact.evalSite.description)" : "switched to eval"
            let message = "`\(fact.modulePath)` is \(how) inside a training step, between the backward at line "
                + "\(fact.backward.line) and the optimizer step at line \(fact.optimizerStep.line); evaluate after "
                + "the step and switch back to train"
            sink.append(Self.finding(message, at: fact.evalSite.range, in: context))
        }
    }

    public static let description = RuleDescription(
        code: "ML103",
        name: "eval-inside-training-step",
        severity: .warning,
        summary: "`eval()` between a training step's backward and its optimizer step",
        whatItDoes: """
            Checks for `model.eval()` — or a call of a function that switches the module to eval, also in \
            another file — placed between the `backward()` of a training step and that step's \
            `optimizer.step()`, on the module whose forward pass fed the backward.
            """,
        whyIsThisBad: """
            Evaluating in the middle of a step (logging a metric, a quick validation every N batches) leaves \
            the module in eval mode when the step completes and when the next forward pass runs: from then \
            on the model trains with dropout off and batch-norm frozen, unless every such helper restores \
            train mode. Evaluation belongs after `optimizer.step()`, followed by `model.train()`.
            """,
        example: """
            loss.backward()
            if step % 100 == 0:
                log_accuracy(model, val_batch)  # calls model.eval()
            optimizer.step()
            """,
        useInstead: """
            loss.backward()
            optimizer.step()
            if step % 100 == 0:
                log_accuracy(model, val_batch)
                model.train()
            """,
        fixSafety: "No fix is offered: moving the evaluation changes what it measures.",
        fixAvailability: .none,
        triggeringExamples: [
            RuleExample("""
                import torch
                import torch.nn as nn
                import torch.nn.functional as F

                model = nn.Sequential(nn.Linear(32, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 10))
                optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
                model.train()
                for step, (x, y) in enumerate(loader):
                    optimizer.zero_grad()
                    loss = F.cross_entropy(model(x), y)
                    loss.backward()
                    if step % 100 == 0:
                        model.eval()  # error: [ML103]
                        with torch.no_grad():
                            print(step, (model(val_x).argmax(1) == val_y).float().mean().item())
                    optimizer.step()
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F
                from metrics import log_accuracy
                from torchvision.models import resnet18

                model = resnet18(num_classes=100)
                optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
                model.train()
                for step, (images, labels) in enumerate(train_loader):
                    logits = model(images)
                    loss = F.cross_entropy(logits, labels)
                    optimizer.zero_grad()
                    loss.backward()
                    log_accuracy(model, val_batch, step)  # error: [ML103]
                    optimizer.step()
                """, files: [
                    "metrics.py": """
                        import torch

                        @torch.no_grad()
                        def log_accuracy(model, batch, step):
                            model.eval()
                            images, labels = batch
                            accuracy = (model(images).argmax(1) == labels).float().mean().item()
                            print(f"step {step}: accuracy {accuracy:.3f}")
                        """,
                ]),
            RuleExample("""
                import torch
                from torch import nn


                def train_epoch(model, loader, optimizer, scaler):
                    model.train()
                    for inputs, targets in loader:
                        optimizer.zero_grad()
                        with torch.autocast("cuda"):
                            loss = nn.functional.mse_loss(model(inputs), targets)
                        scaler.scale(loss).backward()
                        model.train(False)  # error: [ML103]
                        scaler.step(optimizer)
                        scaler.update()
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F


                class Trainer:
                    def __init__(self, model, optimizer):
                        self.model = model
                        self.optimizer = optimizer

                    def sample_predictions(self, batch):
                        self.model.eval()
                        with torch.no_grad():
                            return self.model(batch).argmax(-1)

                    def step(self, x, y, log=False):
                        self.model.train()
                        self.optimizer.zero_grad()
                        loss = F.cross_entropy(self.model(x), y)
                        loss.backward()
                        if log:
                            print(self.sample_predictions(x[:4]))  # error: [ML103]
                        self.optimizer.step()
                        return loss.item()
                """),
            RuleExample("""
                import torch
                import torch.nn as nn

                generator = nn.Sequential(nn.Linear(100, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Linear(256, 784))
                critic = nn.Sequential(nn.Linear(784, 256), nn.LeakyReLU(0.2), nn.Linear(256, 1))
                g_optimizer = torch.optim.Adam(generator.parameters(), lr=2e-4)
                fixed_noise = torch.randn(16, 100)
                generator.train()
                for real in loader:
                    g_optimizer.zero_grad()
                    fake = generator(torch.randn(real.size(0), 100))
                    g_loss = nn.functional.binary_cross_entropy_with_logits(critic(fake), torch.ones(real.size(0), 1))
                    g_loss.backward()
                    generator.eval()  # error: [ML103]
                    preview = generator(fixed_noise)
                    g_optimizer.step()
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F

                model = torch.hub.load("pytorch/vision", "resnet50", weights=None)
                optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
                accumulation = 4
                model.train()
                for i, (x, y) in enumerate(loader):
                    loss = F.cross_entropy(model(x), y) / accumulation
                    loss.backward()
                    if (i + 1) % accumulation == 0:
                        model.eval()  # error: [ML103]
                        print("train acc", (model(x).argmax(1) == y).float().mean().item())
                        optimizer.step()
                        optimizer.zero_grad()
                """),
        ],
        nonTriggeringExamples: [
            RuleExample("""
                import torch
                import torch.nn as nn
                import torch.nn.functional as F

                model = nn.Sequential(nn.Linear(32, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 10))
                optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
                model.train()
                for step, (x, y) in enumerate(loader):
                    optimizer.zero_grad()
                    loss = F.cross_entropy(model(x), y)
                    loss.backward()
                    optimizer.step()
                    if step % 100 == 0:
                        model.eval()
                        with torch.no_grad():
                            print(step, (model(val_x).argmax(1) == val_y).float().mean().item())
                        model.train()
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F


                def log_accuracy(model, x, y):
                    was_training = model.training
                    model.eval()
                    with torch.no_grad():
                        print((model(x).argmax(1) == y).float().mean().item())
                    model.train(was_training)


                model = torch.nn.Sequential(torch.nn.Linear(8, 8), torch.nn.Dropout(0.5), torch.nn.Linear(8, 2))
                optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
                model.train()
                for x, y in loader:
                    optimizer.zero_grad()
                    F.cross_entropy(model(x), y).backward()
                    log_accuracy(model, x, y)
                    optimizer.step()
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F

                teacher = torch.hub.load("pytorch/vision", "resnet101", weights="DEFAULT")
                student = torch.hub.load("pytorch/vision", "resnet18", weights=None)
                optimizer = torch.optim.SGD(student.parameters(), lr=0.05)
                teacher.eval()
                student.train()
                for images, labels in loader:
                    with torch.no_grad():
                        targets = teacher(images).softmax(-1)
                    loss = F.cross_entropy(student(images), targets)
                    optimizer.zero_grad()
                    loss.backward()
                    teacher.eval()
                    optimizer.step()
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
                        for inputs, labels in loaders[phase]:
                            optimizer.zero_grad()
                            with torch.set_grad_enabled(phase == "train"):
                                loss = criterion(model(inputs), labels)
                                if phase == "train":
                                    loss.backward()
                                    optimizer.step()
                """),
            RuleExample("""
                import torch
                import torch.nn as nn
                import pytorch_lightning as pl


                class LitModel(pl.LightningModule):
                    def __init__(self):
                        super().__init__()
                        self.net = nn.Sequential(nn.Linear(16, 16), nn.Dropout(0.1), nn.Linear(16, 1))
                        self.automatic_optimization = False

                    def training_step(self, batch, batch_idx):
                        optimizer = self.optimizers()
                        loss = self.net(batch).pow(2).mean()
                        self.manual_backward(loss)
                        self.net.eval()
                        optimizer.step()
                        self.net.train()
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F


                class Agent:
                    def __init__(self, policy, optimizer):
                        self.policy = policy
                        self.optimizer = optimizer

                    def eval(self):
                        self.epsilon = 0.0


                policy = torch.nn.Sequential(torch.nn.Linear(4, 128), torch.nn.Dropout(0.1), torch.nn.Linear(128, 2))
                optimizer = torch.optim.Adam(policy.parameters(), lr=1e-2)
                agent = Agent(policy, optimizer)
                policy.train()
                for states, actions, returns in batches:
                    loss = -(F.log_softmax(policy(states), -1).gather(1, actions) * returns).mean()
                    optimizer.zero_grad()
                    loss.backward()
                    agent.eval()
                    optimizer.step()
                """),
        ]
    )
}
