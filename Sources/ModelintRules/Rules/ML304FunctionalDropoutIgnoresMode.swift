import ModelintAnalysis
import ModelintSyntax

/// `F.dropout(x, p)` in `forward` without `training=self.training`.
public struct ML304FunctionalDropoutIgnoresMode: NodeRule {
    public static let description = RuleDescription(
        code: "ML304",
        name: "functional-dropout-ignores-mode",
        severity: .warning,
        summary: "Functional dropout in `forward` without `training=self.training` ignores the module's mode",
        whatItDoes: """
            Checks for `torch.nn.functional.dropout`, `dropout1d`, `dropout2d`, `dropout3d`, `alpha_dropout` and \
            `feature_alpha_dropout` called inside the `forward` method of an `nn.Module` subclass whose \
            `training` argument is missing or a literal.
            """,
        whyIsThisBad: """
            Unlike the `nn.Dropout` layers, the functional forms do not know the module's mode: they read only \
            their `training` argument. `F.dropout` and `dropout1d/2d/3d` default to `training=True`, so \
            `model.eval()` has no effect on them and evaluation and inference stay random. `alpha_dropout` and \
            `feature_alpha_dropout` default to `training=False`, so they never drop anything, not even during \
            training. Pass `training=self.training`.

            Monte Carlo dropout deliberately keeps dropout active at evaluation time with `training=True`; \
            silence such a line with `# noqa: ML304`.
            """,
        example: """
            class Head(nn.Module):
                def forward(self, x):
                    return self.fc(F.dropout(x, p=0.3))
            """,
        useInstead: """
            class Head(nn.Module):
                def forward(self, x):
                    return self.fc(F.dropout(x, p=0.3, training=self.training))
            """,
        fixSafety: """
            The fix adds (or replaces the literal with) `training=self.training`. It is unsafe: outputs in \
            evaluation mode change, which is the intent but may move reported metrics.
            """,
        fixAvailability: .sometimes,
        triggeringExamples: [
            RuleExample("""
                import torch.nn as nn
                import torch.nn.functional as F

                class Head(nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.fc = nn.Linear(16, 2)

                    def forward(self, x):
                        x = F.dropout(x, p=0.3)  # error: [ML304]
                        x = F.dropout2d(x, 0.1, True)  # error: [ML304]
                        x = F.alpha_dropout(x, 0.2)  # error: [ML304]
                        return self.fc(x)
                """),
            RuleExample("""
                from torch import nn
                from torch.nn.functional import dropout, feature_alpha_dropout, dropout3d as drop3d

                class Base(nn.Module):
                    pass

                class Block(Base):
                    def forward(self, x):
                        def inner(y):
                            return dropout(y, training=False)  # error: [ML304]
                        x = drop3d(x, 0.1)  # error: [ML304]
                        return feature_alpha_dropout(inner(x), 0.5, training=True)  # error: [ML304]
                """),
            // The base class lives in another file of the project: the class is still known to be a module.
            RuleExample("""
                import torch.nn.functional as F
                from layers import Residual

                class Head(Residual):
                    def forward(self, x):
                        return F.dropout(x, 0.2)  # error: [ML304]
                """, files: [
                    "layers.py": """
                        import torch.nn as nn
                        import torch.nn.functional as F

                        class Residual(nn.Module):
                            def forward(self, x):
                                return x + F.dropout(x, 0.5)
                        """,
                ]),
            RuleExample("""
                import math

                import torch
                import torch.nn as nn
                import torch.nn.functional as F


                class SelfAttention(nn.Module):
                    def __init__(self, d_model=512, n_heads=8, attn_dropout=0.1):
                        super().__init__()
                        self.n_heads = n_heads
                        self.qkv = nn.Linear(d_model, 3 * d_model)
                        self.proj = nn.Linear(d_model, d_model)
                        self.attn_dropout = attn_dropout

                    def forward(self, x):
                        b, t, c = x.shape
                        q, k, v = self.qkv(x).view(b, t, 3, self.n_heads, c // self.n_heads).permute(2, 0, 3, 1, 4)
                        attn = (q @ k.transpose(-2, -1)) / math.sqrt(k.size(-1))
                        attn = F.dropout(attn.softmax(dim=-1), p=self.attn_dropout)  # error: [ML304]
                        return self.proj((attn @ v).transpose(1, 2).reshape(b, t, c))
                """),
            RuleExample("""
                import torch
                from torch import nn
                from torch.nn import functional as F


                class GCN(nn.Module):
                    def __init__(self, in_dim, hidden, n_classes, p=0.5):
                        super().__init__()
                        self.w1 = nn.Linear(in_dim, hidden)
                        self.w2 = nn.Linear(hidden, n_classes)
                        self.p = p

                    def forward(self, features, adj):
                        h = F.dropout(features, self.p, training=True)  # error: [ML304]
                        h = F.relu(torch.sparse.mm(adj, self.w1(h)))
                        h = F.dropout(h, self.p, training=self.training)
                        return torch.sparse.mm(adj, self.w2(h))


                model = GCN(1433, 16, 7)
                optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=5e-4)
                for epoch in range(200):
                    model.train()
                    optimizer.zero_grad()
                    F.cross_entropy(model(features, adj)[train_mask], labels[train_mask]).backward()
                    optimizer.step()
                """),
            RuleExample("""
                import torch
                import torch.nn


                class WordLM(torch.nn.Module):
                    def __init__(self, vocab, emb=400, hidden=1150, dropout=0.4):
                        super().__init__()
                        self.embedding = torch.nn.Embedding(vocab, emb)
                        self.lstm = torch.nn.LSTM(emb, hidden, num_layers=3)
                        self.decoder = torch.nn.Linear(hidden, vocab)
                        self.dropout = dropout

                    def forward(self, tokens, hidden=None):
                        emb = torch.nn.functional.dropout(self.embedding(tokens), self.dropout)  # error: [ML304]
                        output, hidden = self.lstm(emb, hidden)
                        output = torch.nn.functional.dropout(output, self.dropout, self.training)
                        return self.decoder(output), hidden
                """),
            RuleExample("""
                import pytorch_lightning as pl
                import torch
                import torch.nn as nn
                import torch.nn.functional as F


                class LitCNN(pl.LightningModule):
                    def __init__(self):
                        super().__init__()
                        self.conv1 = nn.Conv2d(1, 32, 3)
                        self.conv2 = nn.Conv2d(32, 64, 3)
                        self.fc1 = nn.Linear(9216, 128)
                        self.fc2 = nn.Linear(128, 10)

                    def forward(self, x):
                        x = F.max_pool2d(F.relu(self.conv2(F.relu(self.conv1(x)))), 2)
                        x = F.dropout2d(x, 0.25)  # error: [ML304]
                        x = F.relu(self.fc1(torch.flatten(x, 1)))
                        x = F.dropout(x, 0.5, training=self.training)
                        return self.fc2(x)

                    def training_step(self, batch, batch_idx):
                        x, y = batch
                        return F.cross_entropy(self(x), y)

                    def validation_step(self, batch, batch_idx):
                        x, y = batch
                        self.log("val_acc", (self(x).argmax(1) == y).float().mean())

                    def configure_optimizers(self):
                        return torch.optim.Adadelta(self.parameters(), lr=1.0)
                """),
        ],
        nonTriggeringExamples: [
            RuleExample("""
                import torch.nn as nn
                import torch.nn.functional as F

                class Head(nn.Module):
                    def forward(self, x, **kwargs):
                        x = F.dropout(x, p=0.3, training=self.training)
                        x = F.dropout(x, 0.3, self.training and self.extra)
                        x = F.dropout2d(x, **kwargs)
                        return x

                    def sample(self, x):
                        return F.dropout(x, p=0.5)

                def augment(x):
                    return F.dropout(x, p=0.1)
                """),
            RuleExample("""
                import torch.nn.functional as F

                class NotAModule:
                    def forward(self, x):
                        return F.dropout(x, 0.5)
                """),
            RuleExample("""
                import lightning as L
                import torch
                import torch.nn as nn
                import torch.nn.functional as F


                class LitMLP(L.LightningModule):
                    def __init__(self, p=0.2, word_dropout=0.1):
                        super().__init__()
                        self.layers = nn.ModuleList([nn.Linear(300, 300) for _ in range(3)])
                        self.out = nn.Linear(300, 2)
                        self.p, self.word_dropout = p, word_dropout

                    def forward(self, x):
                        for layer in self.layers:
                            x = F.dropout(F.gelu(layer(x)), p=self.p, training=self.training)
                        return self.out(x)

                    def training_step(self, batch, batch_idx):
                        embeddings, labels = batch
                        # Input noise applied by the training step itself, which only ever runs in training.
                        embeddings = F.dropout(embeddings, self.word_dropout)
                        return F.cross_entropy(self(embeddings), labels)

                    def configure_optimizers(self):
                        return torch.optim.AdamW(self.parameters(), lr=2e-4)
                """),
            RuleExample("""
                import torch.nn as nn
                import torch.nn.functional as F


                class ResidualBlock(nn.Module):
                    def __init__(self, channels, drop_rate=0.3):
                        super().__init__()
                        self.bn1, self.conv1 = nn.BatchNorm2d(channels), nn.Conv2d(channels, channels, 3, padding=1)
                        self.bn2, self.conv2 = nn.BatchNorm2d(channels), nn.Conv2d(channels, channels, 3, padding=1)
                        self.drop_rate = drop_rate

                    def forward(self, x):
                        out = self.conv1(F.relu(self.bn1(x)))
                        if self.training and self.drop_rate > 0:
                            out = F.dropout(out, self.drop_rate, True)
                        out = F.dropout2d(out, self.drop_rate, self.training)
                        return x + self.conv2(F.relu(self.bn2(out)))
                """),
            RuleExample("""
                import torch
                import torch.nn as nn


                def dropout(x, p):
                    # Project helper: DropConnect-style scaling used at export time, not torch's dropout.
                    return x * (1 - p)


                class ExportedHead(nn.Module):
                    def __init__(self, p=0.2):
                        super().__init__()
                        self.fc = nn.Linear(256, 10)
                        self.drop = nn.Dropout(p)
                        self.p = p

                    def forward(self, x):
                        return self.fc(dropout(self.drop(x), self.p))
                """),
            RuleExample("""
                import torch.nn as nn
                from torch.nn.functional import dropout


                class MCDropoutRegressor(nn.Module):
                    \"""Monte Carlo dropout: the caller chooses whether to sample at prediction time.\"""

                    def __init__(self, p=0.1):
                        super().__init__()
                        self.hidden = nn.Linear(8, 64)
                        self.out = nn.Linear(64, 1)
                        self.p = p

                    def forward(self, x, sample: bool = False):
                        h = self.hidden(x).relu()
                        return self.out(dropout(h, self.p, training=self.training or sample))


                def predict_with_uncertainty(model, x, n=50):
                    model.eval()
                    samples = [model(x, sample=True) for _ in range(n)]
                    return sum(samples) / n
                """),
            RuleExample("""
                import torch
                import torch.nn.functional as F


                def mask_tokens(input_ids, p=0.15):
                    # Data augmentation in the collate function, outside any module's forward.
                    keep = F.dropout(torch.ones_like(input_ids, dtype=torch.float), p=p) > 0
                    return torch.where(keep, input_ids, torch.zeros_like(input_ids))


                def collate(batch):
                    ids = torch.nn.utils.rnn.pad_sequence([b["input_ids"] for b in batch], batch_first=True)
                    return {"input_ids": mask_tokens(ids), "labels": ids}
                """),
        ]
    )

    public init() {}

    public var nodeKinds: Set<NodeKindTag> { [.call] }

    public var requiredWords: [RequiredWord] { TorchNames.functionalDropoutNames.sorted().map(RequiredWord.name) }

    public func check(_ node: AnyNode, _ context: RuleContext, _ sink: inout [Finding]) {
        guard case .expr(let call) = node, case .call(let function, let args, let keywords) = call.kind,
              CalleeFilter.mayBe(function, oneOf: TorchNames.functionalDropoutNames, context),
              let name = context.semantics.qualifiedName(of: function),
              let trainingDefault = TorchNames.functionalDropouts[name.description],
              let forward = ForwardMethod(context),
              let training = TrainingArgument(CallArguments(args: args, keywords: keywords), position: 2)
        else { return }
        let op = context.snippet(of: function)
        let wanted = forward.instanceName.map { "\($0).training" }
        let effect: (Bool) -> String = { on in
            on ? "drops out in evaluation mode too" : "never drops out, not even in training mode"
        }
        let message: String
        var fix: Fix?
        switch training {
        case .missing(let insertAt):
            message = "`\(op)` in `forward` without `training=` \(effect(trainingDefault)) " +
                "(its `training` defaults to \(trainingDefault ? "True" : "False")); pass `training=\(wanted ?? "self.training")`"
            if let wanted, let insertAt {
                fix = Fix(applicability: .unsafe, message: "Pass `training=\(wanted)`",
                          edits: [.insertion(at: insertAt, ", training=\(wanted)")])
            }
        case .literal(let value):
            if forward.isUnderModeTest(context) { return }
            let spelled = context.snippet(of: value)
            let on = value.boolLiteral ?? true
            message = "`\(op)` in `forward` with `training=\(spelled)` " +
                (value.boolLiteral == nil ? "ignores the module's mode" : effect(on)) +
                "; pass `training=\(wanted ?? "self.training")`"
            if let wanted {
                fix = Fix(applicability: .unsafe, message: "Pass `training=\(wanted)`",
                          edits: [Edit(range: value.range, content: wanted)])
            }
        }
        sink.append(Self.finding(message, at: call.range, in: context, fix: fix))
    }
}
