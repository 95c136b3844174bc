import ModelintAnalysis
import ModelintSyntax

/// An evaluation forward pass that runs with gradient recording on.
public struct ML201EvaluationWithoutNoGrad: AnalysisRule {
    public init() {}

    public func check(_ facts: FileFacts, _ context: RuleContext, _ sink: inout [Finding]) {
        var reported: Set<UInt32> = []
        // A frozen module records nothing when its input needs no gradient (and when the input does, the
        // forward is part of a training step, not an evaluation).
        for forward in facts.forwards where forward.role == .evaluation && forward.grad.values.contains(.enabled)
            && !forward.frozen {
            guard reported.insert(forward.site.range.start).inserted else { continue }
            let enabledBy = forward.grad.sites(of: .enabled)
            let how = enabledBy.isEmpty ? "" : " (enabled by \(FactWording.list(enabledBy)))"
            let message = "evaluation forward pass of `\(forward.modulePath)` runs with gradients enabled\(how): "
                + "autograd keeps every activation alive; wrap it in `with torch.no_grad():` or `torch.inference_mode()`"
            sink.append(Self.finding(message, at: forward.site.range, in: context))
        }
    }

    public static let description = RuleDescription(
        code: "ML201",
        name: "evaluation-without-no-grad",
        severity: .warning,
        summary: "An evaluation forward pass runs with gradients enabled",
        whatItDoes: """
            Checks forward passes whose result never reaches a `backward()` or an optimizer step and that may \
            run while autograd is recording: outside `torch.no_grad()` / `torch.inference_mode()` (as a \
            `with` block or a decorator), in the function itself or in every caller that reaches it. Inside \
            a context manager the analysis cannot resolve (`with grad_context:` of a parameter, a method of an \
            unknown object) the grad mode is unknown and nothing is reported; `open`, `tqdm`, \
            `contextlib.nullcontext`, `torch.autocast` and locks leave it as it was.
            """,
        whyIsThisBad: """
            With gradients enabled every operation of the forward pass is recorded and its inputs are kept \
            for a backward pass that never comes. Evaluation then needs several times the memory (batch \
            sizes that fit for training run out of memory in validation) and is slower. `model.eval()` does \
            not turn gradients off: it only changes how dropout and batch-norm behave.
            """,
        example: """
            model.eval()
            for images, labels in val_loader:
                correct += (model(images).argmax(1) == labels).sum().item()
            """,
        useInstead: """
            model.eval()
            with torch.no_grad():
                for images, labels in val_loader:
                    correct += (model(images).argmax(1) == labels).sum().item()
            """,
        fixSafety: "No fix is offered: the block to wrap is the author's decision.",
        fixAvailability: .none,
        triggeringExamples: [
            RuleExample("""
                import torch


                def evaluate(model, loader):
                    model.eval()
                    correct = 0
                    for images, labels in loader:
                        correct += (model(images).argmax(1) == labels).sum().item()  # error: [ML201]
                    return correct / len(loader.dataset)


                def fit(model, optimizer, loaders, epochs):
                    for epoch in range(epochs):
                        model.train()
                        for images, labels in loaders["train"]:
                            optimizer.zero_grad()
                            torch.nn.functional.cross_entropy(model(images), labels).backward()
                            optimizer.step()
                        print(evaluate(model, loaders["val"]))


                if __name__ == "__main__":
                    fit(build_model(), build_optimizer(), build_loaders(), epochs=10)
                """),
            RuleExample("""
                import torch
                import torchvision

                model = torchvision.models.resnet18(weights="DEFAULT")
                model.eval()
                features = []
                for batch in loader:
                    features.append(model(batch).flatten(1).cpu())  # error: [ML201]
                torch.save(torch.cat(features), "features.pt")
                """),
            RuleExample("""
                import torch
                import torch.nn as nn

                model = nn.Sequential(nn.Linear(10, 32), nn.Dropout(0.1), nn.Linear(32, 1))
                model.load_state_dict(torch.load("model.pt"))
                model.eval()
                with torch.enable_grad():
                    prediction = model(sample)  # error: [ML201]
                print(prediction.item())
                """),
            RuleExample("""
                import torch
                from transformers import AutoModel, AutoTokenizer

                tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
                encoder = AutoModel.from_pretrained("bert-base-uncased")


                def embed(sentences):
                    batch = tokenizer(sentences, padding=True, return_tensors="pt")
                    return encoder(**batch).last_hidden_state[:, 0]  # error: [ML201]


                vectors = embed(["a first sentence", "and a second one"])
                print(torch.nn.functional.cosine_similarity(vectors[0], vectors[1], dim=0))
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F


                class Evaluator:
                    def __init__(self, model, loader):
                        self.model = model
                        self.loader = loader

                    def run(self):
                        self.model.eval()
                        losses = []
                        for x, y in self.loader:
                            losses.append(F.cross_entropy(self.model(x), y).item())  # error: [ML201]
                        return sum(losses) / len(losses)

                    def report(self):
                        print(f"val loss {self.run():.3f}")


                evaluator = Evaluator(model, val_loader)
                evaluator.report()
                """),
            RuleExample("""
                import torch
                import torch.nn as nn

                net = nn.GRU(input_size=8, hidden_size=32, num_layers=2, dropout=0.3)
                net.load_state_dict(torch.load("gru.pt"))
                net.eval()
                torch.set_grad_enabled(True)
                outputs, hidden = net(test_sequences)  # error: [ML201]
                print(outputs[-1].mean().item())
                """),
            // Context managers that are not grad contexts leave gradients as they were.
            RuleExample("""
                import contextlib
                import torch
                from tqdm import tqdm

                model = torch.hub.load("pytorch/vision", "resnet18", weights="DEFAULT")
                model.eval()
                with open("predictions.txt", "w") as out, tqdm(total=len(loader)) as progress:
                    for batch in loader:
                        out.write(f"{model(batch).argmax(1).tolist()}\\n")  # error: [ML201]
                        progress.update()
                with contextlib.nullcontext():
                    print(model(sample).shape)  # error: [ML201]
                """),
        ],
        nonTriggeringExamples: [
            RuleExample("""
                import torch


                def evaluate(model, loader):
                    model.eval()
                    correct = 0
                    for images, labels in loader:
                        correct += (model(images).argmax(1) == labels).sum().item()
                    return correct


                def fit(model, optimizer, loaders, epochs):
                    for epoch in range(epochs):
                        model.train()
                        for images, labels in loaders["train"]:
                            optimizer.zero_grad()
                            torch.nn.functional.cross_entropy(model(images), labels).backward()
                            optimizer.step()
                        with torch.no_grad():
                            print(evaluate(model, loaders["val"]))
                """),
            RuleExample("""
                import torch
                import torchvision

                model = torchvision.models.resnet18(weights="DEFAULT")
                model.eval()


                @torch.inference_mode()
                def extract(loader):
                    return [model(batch).flatten(1) for batch in loader]


                @torch.no_grad
                def classify(batch):
                    return model(batch).argmax(1)


                torch.save(extract(loader), "features.pt")
                print(classify(next(iter(loader))))
                """),
            SharedExamples.phaseLoop,
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
                    loss = loss + F.cross_entropy(logits, labels)
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
                """),
            RuleExample("""
                import torch
                import torch.nn as nn
                import pytorch_lightning as pl


                class LitAutoEncoder(pl.LightningModule):
                    def __init__(self):
                        super().__init__()
                        self.encoder = nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 3))
                        self.decoder = nn.Sequential(nn.Linear(3, 64), nn.ReLU(), nn.Linear(64, 784))

                    def validation_step(self, batch, batch_idx):
                        x, _ = batch
                        x = x.view(x.size(0), -1)
                        self.log("val_loss", nn.functional.mse_loss(self.decoder(self.encoder(x)), x))
                """),
            RuleExample("""
                import torch


                def saliency(model, image, target):
                    model.eval()
                    image = image.clone().requires_grad_(True)
                    score = model(image)[0, target]
                    score.backward()
                    return image.grad.abs().amax(dim=1)
                """),
            // Frozen feature extractors (perceptual-loss networks): autograd records nothing for them.
            RuleExample("""
                import torch
                import torchvision

                vgg = torchvision.models.vgg16(weights="DEFAULT").eval()
                vgg.requires_grad_(False)
                style_features = [vgg(image.unsqueeze(0)) for image in style_images]

                extractor = torchvision.models.resnet18(weights="DEFAULT").eval()
                for p in extractor.parameters():
                    p.requires_grad = False
                print(extractor(images).shape)


                class Perceptual(torch.nn.Module):
                    def __init__(self, requires_grad=False):
                        super().__init__()
                        self.features = torchvision.models.vgg16(weights="DEFAULT").features[:16]
                        self.features.requires_grad_(requires_grad)

                    def forward(self, x):
                        return self.features(x)


                perceptual = Perceptual(requires_grad=False).to(device)
                print(perceptual(style_image).shape)
                """),
            // `cls(...)` in a classmethod constructs the module; it is not a forward pass.
            RuleExample("""
                import torch
                from torch import nn


                class Embedding(nn.Module):
                    def __init__(self, weight):
                        super().__init__()
                        self.weight = nn.Parameter(weight)

                    @classmethod
                    def from_tensor(cls, tensor, trainable=False):
                        instance = cls(tensor.clone())
                        instance.weight.requires_grad_(trainable)
                        return instance

                    def forward(self, indices):
                        return self.weight[indices]


                table = Embedding.from_tensor(torch.randn(100, 16))
                print(table.weight.shape)
                """),
            // The grad context comes from the caller (`torch.inference_mode()` here); one the analysis cannot
            // resolve leaves the grad mode unknown, and unknown is never reported.
            RuleExample("""
                import torch


                def evaluate(model, loader, grad_context):
                    model.eval()
                    correct = 0
                    with grad_context:
                        for images, labels in loader:
                            correct += (model(images).argmax(1) == labels).sum().item()
                    return correct / len(loader.dataset)


                class Validator:
                    def __init__(self, model, loader, context_factory):
                        self.model = model
                        self.loader = loader
                        self.context_factory = context_factory

                    def run(self):
                        self.model.eval()
                        with self.context_factory():
                            return [self.model(x) for x in self.loader]


                def fit(model, optimizer, loaders, epochs):
                    for epoch in range(epochs):
                        model.train()
                        for images, labels in loaders["train"]:
                            optimizer.zero_grad()
                            torch.nn.functional.cross_entropy(model(images), labels).backward()
                            optimizer.step()
                        print(evaluate(model, loaders["val"], torch.inference_mode()))
                        print(Validator(model, loaders["val"], torch.no_grad).run())


                if __name__ == "__main__":
                    fit(build_model(), build_optimizer(), build_loaders(), epochs=10)
                """),
        ]
    )
}
