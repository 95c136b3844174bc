import ModelintAnalysis
import ModelintSyntax

/// `backward()` on a loss computed while gradients were disabled.
public struct ML202BackwardUnderNoGrad: AnalysisRule {
    public init() {}

    public func check(_ facts: FileFacts, _ context: RuleContext, _ sink: inout [Finding]) {
        var reported: Set<UInt32> = []
        for backward in facts.backwardsUnderNoGrad {
            guard reported.insert(backward.site.range.start).inserted else { continue }
            let message = "`backward()` on a value computed with gradients disabled by "
                + "\(FactWording.list(backward.disabledBy)): it does not require grad, so this raises a RuntimeError"
            sink.append(Self.finding(message, at: backward.site.range, in: context))
        }
    }

    public static let description = RuleDescription(
        code: "ML202",
        name: "backward-under-no-grad",
        severity: .error,
        summary: "`backward()` on a loss computed under `no_grad` / `inference_mode`",
        whatItDoes: """
            Checks `backward()` calls (also `scaler.scale(loss).backward()`, `accelerator.backward(loss)`) \
            whose loss was computed — in this function or in a helper it called — while gradients were \
            disabled by `torch.no_grad()`, `torch.inference_mode()` or `torch.set_grad_enabled(False)`, on \
            every forward pass that feeds it.
            """,
        whyIsThisBad: """
            Under `no_grad` no autograd graph is recorded, so the loss has no `grad_fn` and \
            `loss.backward()` fails with "element 0 of tensors does not require grad and does not have a \
            grad_fn". The usual cause is a training step placed inside a `with torch.no_grad():` block meant \
            for something else, or a function decorated with `@torch.no_grad()` that also trains.
            """,
        example: """
            with torch.no_grad():
                outputs = model(inputs)
                loss = criterion(outputs, targets)
            loss.backward()
            """,
        useInstead: """
            outputs = model(inputs)
            loss = criterion(outputs, targets)
            loss.backward()
            """,
        fixSafety: "No fix is offered: which part should record gradients is the author's decision.",
        fixAvailability: .none,
        triggeringExamples: [
            RuleExample("""
                import torch
                import torch.nn as nn

                model = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 10))
                criterion = nn.CrossEntropyLoss()
                optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
                model.train()
                for inputs, targets in loader:
                    with torch.no_grad():
                        outputs = model(inputs)
                        loss = criterion(outputs, targets)
                    optimizer.zero_grad()
                    loss.backward()  # error: [ML202]
                    optimizer.step()
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F


                @torch.no_grad()
                def train_step(model, optimizer, x, y):
                    model.train()
                    loss = F.mse_loss(model(x), y)
                    optimizer.zero_grad()
                    loss.backward()  # error: [ML202]
                    optimizer.step()
                    return loss.item()
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F


                def compute_loss(model, batch):
                    images, labels = batch
                    return F.cross_entropy(model(images), labels)


                def train(model, optimizer, loader):
                    model.train()
                    for batch in loader:
                        with torch.inference_mode():
                            loss = compute_loss(model, batch)
                        optimizer.zero_grad()
                        loss.backward()  # error: [ML202]
                        optimizer.step()
                """),
            RuleExample("""
                import torch
                from torch import nn

                torch.set_grad_enabled(False)
                model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU(), nn.Flatten(), nn.LazyLinear(2))
                optimizer = torch.optim.Adam(model.parameters())
                for images, labels in loader:
                    loss = nn.functional.cross_entropy(model(images), labels)
                    optimizer.zero_grad()
                    loss.backward()  # error: [ML202]
                    optimizer.step()
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F

                model = torch.hub.load("pytorch/vision", "resnet50", weights=None).cuda()
                optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
                scaler = torch.cuda.amp.GradScaler()
                model.train()
                for images, labels in loader:
                    optimizer.zero_grad()
                    with torch.no_grad(), torch.autocast("cuda"):
                        logits = model(images)
                    loss = F.cross_entropy(logits, labels)
                    scaler.scale(loss).backward()  # error: [ML202]
                    scaler.step(optimizer)
                    scaler.update()
                """),
            RuleExample("""
                import torch
                from accelerate import Accelerator

                from transformers import AutoModelForSequenceClassification

                accelerator = Accelerator()
                model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased")
                optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
                model, optimizer, loader = accelerator.prepare(model, optimizer, loader)
                model.train()
                for batch in loader:
                    with torch.no_grad():
                        outputs = model(**batch)
                    accelerator.backward(outputs.loss)  # error: [ML202]
                    optimizer.step()
                    optimizer.zero_grad()
                """),
        ],
        nonTriggeringExamples: [
            SharedExamples.phaseLoop,
            RuleExample("""
                import torch
                import torch.nn.functional as F

                teacher = torch.hub.load("pytorch/vision", "resnet101", weights="DEFAULT")
                student = torch.hub.load("pytorch/vision", "resnet18", weights=None)
                teacher.eval()
                student.train()
                for images, labels in loader:
                    with torch.no_grad():
                        teacher_logits = teacher(images)
                    student_logits = student(images)
                    loss = F.kl_div(F.log_softmax(student_logits, -1), F.softmax(teacher_logits, -1), reduction="batchmean")
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F


                @torch.no_grad()
                def evaluate(model, loader):
                    model.eval()
                    return sum(F.cross_entropy(model(x), y).item() for x, y in loader)


                def adversarial_example(model, image, label, epsilon=0.03):
                    with torch.no_grad():
                        model.eval()
                        with torch.enable_grad():
                            image = image.clone().requires_grad_(True)
                            loss = F.cross_entropy(model(image), label)
                            loss.backward()
                        return (image + epsilon * image.grad.sign()).clamp(0, 1)
                """),
            RuleExample("""
                import torch
                import torch.nn as nn

                model = nn.Sequential(nn.Linear(10, 10), nn.Dropout(0.1), nn.Linear(10, 1))
                optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
                torch.set_grad_enabled(False)
                model.eval()
                print(model(probe).mean())
                torch.set_grad_enabled(True)
                model.train()
                for x, y in loader:
                    loss = nn.functional.mse_loss(model(x), y)
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F

                model = torch.hub.load("pytorch/vision", "resnet18", weights=None)
                ema_model = torch.optim.swa_utils.AveragedModel(model)
                optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
                model.train()
                ema_model.eval()
                for images, labels in loader:
                    with torch.no_grad():
                        images = augment(images)
                        targets = ema_model(images).softmax(-1)
                    loss = F.cross_entropy(model(images), targets)
                    optimizer.zero_grad()
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
                        self.layer = nn.Linear(16, 1)
                        self.automatic_optimization = False

                    def training_step(self, batch, batch_idx):
                        optimizer = self.optimizers()
                        with torch.no_grad():
                            baseline = self.layer(batch).mean()
                        loss = (self.layer(batch) - baseline).pow(2).mean()
                        self.manual_backward(loss)
                        optimizer.step()
                """),
            // A DQN update in a method: the target network under no_grad, the online network outside it.
            RuleExample("""
                import torch as th
                import torch.nn.functional as F


                class DQN:
                    def _create_aliases(self):
                        self.q_net = self.policy.q_net
                        self.q_net_target = self.policy.q_net_target

                    def _on_step(self):
                        polyak_update(self.q_net.parameters(), self.q_net_target.parameters(), self.tau)

                    def train(self, gradient_steps, batch_size=100):
                        for _ in range(gradient_steps):
                            replay_data = self.replay_buffer.sample(batch_size)
                            with th.no_grad():
                                next_q_values = self.q_net_target(replay_data.next_observations).max(dim=1)[0]
                                target_q_values = replay_data.rewards + self.gamma * next_q_values
                            current_q_values = self.q_net(replay_data.observations)
                            loss = F.smooth_l1_loss(current_q_values, target_q_values)
                            self.policy.optimizer.zero_grad()
                            loss.backward()
                            self.policy.optimizer.step()
                """),
        ]
    )
}
