import ModelintAnalysis
import ModelintSyntax

/// `F.batch_norm(...)` in `forward` with `training` missing or a literal.
public struct ML305FunctionalBatchNormFixedMode: NodeRule {
    public static let description = RuleDescription(
        code: "ML305",
        name: "functional-batch-norm-fixed-mode",
        severity: .warning,
        summary: "`F.batch_norm` in `forward` with `training` missing or a literal ignores the module's mode",
        whatItDoes: """
            Checks for `torch.nn.functional.batch_norm` called inside the `forward` method of an `nn.Module` \
            subclass whose `training` argument is missing or a literal.
            """,
        whyIsThisBad: """
            `F.batch_norm` does not know the module's mode; it reads its `training` argument, which defaults to \
            `False`. Left out, the layer always normalises with the running statistics and never updates them, \
            so it does not learn the data's statistics during training. Written as `training=True`, it uses \
            batch statistics in evaluation too, so predictions depend on the batch they are in. Pass \
            `training=self.training`.

            Two deliberate uses are not reported: `training=True` when the running statistics are the literal \
            `None` (there is nothing else to normalise with), and `training=False` in a class whose name \
            contains `Frozen` (a frozen BatchNorm, as in detection models).
            """,
        example: """
            class Norm(nn.Module):
                def forward(self, x):
                    return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias)
            """,
        useInstead: """
            class Norm(nn.Module):
                def forward(self, x):
                    return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                                        training=self.training)
            """,
        fixSafety: """
            The fix adds (or replaces the literal with) `training=self.training`. It is unsafe: the layer's \
            outputs and running statistics change, which is the intent but changes results.
            """,
        fixAvailability: .sometimes,
        triggeringExamples: [
            RuleExample("""
                import torch
                import torch.nn as nn
                import torch.nn.functional as F

                class Norm(nn.Module):
                    def __init__(self, n):
                        super().__init__()
                        self.register_buffer("mean", torch.zeros(n))
                        self.register_buffer("var", torch.ones(n))

                    def forward(self, x):
                        y = F.batch_norm(x, self.mean, self.var)  # error: [ML305]
                        return F.batch_norm(y, self.mean, self.var, None, None, True)  # error: [ML305]
                """),
            RuleExample("""
                from torch import nn
                from torch.nn import functional

                class Standardize(nn.Module):
                    def forward(self, x):
                        return functional.batch_norm(  # error: [ML305]
                            x, self.mean, self.var, training=False, momentum=0.0
                        )
                """),
            RuleExample("""
                import torch
                import torch.nn as nn
                import torch.nn.functional as F


                class MetaBatchNorm2d(nn.BatchNorm2d):
                    \"""BatchNorm for MAML: the inner loop passes adapted weights explicitly.\"""

                    def forward(self, x, params=None):
                        weight = params["weight"] if params is not None else self.weight
                        bias = params["bias"] if params is not None else self.bias
                        return F.batch_norm(  # error: [ML305]
                            x, self.running_mean, self.running_var, weight, bias, training=True
                        )


                class ConvBlock(nn.Module):
                    def __init__(self, cin, cout):
                        super().__init__()
                        self.conv = nn.Conv2d(cin, cout, 3, padding=1)
                        self.norm = MetaBatchNorm2d(cout)

                    def forward(self, x, params=None):
                        return F.max_pool2d(F.relu(self.norm(self.conv(x), params)), 2)
                """),
            RuleExample("""
                import torch


                class GhostBatchNorm(torch.nn.Module):
                    def __init__(self, num_features, virtual_batch_size=128, momentum=0.01):
                        super().__init__()
                        self.virtual_batch_size = virtual_batch_size
                        self.momentum = momentum
                        self.weight = torch.nn.Parameter(torch.ones(num_features))
                        self.bias = torch.nn.Parameter(torch.zeros(num_features))
                        self.register_buffer("running_mean", torch.zeros(num_features))
                        self.register_buffer("running_var", torch.ones(num_features))

                    def forward(self, x):
                        chunks = x.chunk(max(1, x.size(0) // self.virtual_batch_size), dim=0)
                        return torch.cat([
                            torch.nn.functional.batch_norm(  # error: [ML305]
                                chunk, self.running_mean, self.running_var, self.weight, self.bias, momentum=self.momentum
                            )
                            for chunk in chunks
                        ])
                """),
            RuleExample("""
                import torch
                import torch.nn as nn
                from torch.nn.functional import batch_norm


                class ConditionalBatchNorm2d(nn.Module):
                    \"""Class-conditional BatchNorm (BigGAN): gain and bias come from an embedding of the label.\"""

                    def __init__(self, num_features, num_classes):
                        super().__init__()
                        self.embed = nn.Embedding(num_classes, num_features * 2)
                        self.register_buffer("stored_mean", torch.zeros(num_features))
                        self.register_buffer("stored_var", torch.ones(num_features))

                    def forward(self, x, y):
                        # Positional arguments: weight, bias, training, momentum, eps.
                        out = batch_norm(x, self.stored_mean, self.stored_var, None, None, False, 0.1)  # error: [ML305]
                        gamma, beta = self.embed(y).chunk(2, dim=1)
                        return gamma[:, :, None, None] * out + beta[:, :, None, None]
                """),
            RuleExample("""
                import pytorch_lightning as pl
                import torch
                import torch.nn as nn
                import torch.nn.functional as F


                class LitTabular(pl.LightningModule):
                    def __init__(self, n_features, n_classes):
                        super().__init__()
                        self.register_buffer("feat_mean", torch.zeros(n_features))
                        self.register_buffer("feat_var", torch.ones(n_features))
                        self.mlp = nn.Sequential(nn.Linear(n_features, 128), nn.ReLU(), nn.Linear(128, n_classes))

                    def forward(self, x):
                        # Standardise inputs with running statistics of the features.
                        x = F.batch_norm(x, self.feat_mean, self.feat_var, momentum=0.01)  # error: [ML305]
                        return self.mlp(x)

                    def training_step(self, batch, batch_idx):
                        x, y = batch
                        return F.cross_entropy(self(x), y)

                    def configure_optimizers(self):
                        return torch.optim.Adam(self.parameters(), lr=1e-3)
                """),
            RuleExample("""
                import torch.nn as nn
                import torch.nn.functional as F


                class SwitchableBatchNorm(nn.Module):
                    \"""Slimmable networks: one BatchNorm per width, selected at run time.\"""

                    def __init__(self, widths):
                        super().__init__()
                        self.bns = nn.ModuleList(nn.BatchNorm2d(w) for w in widths)
                        self.width_index = 0

                    def forward(self, x):
                        bn = self.bns[self.width_index]

                        def normalise(t):
                            return F.batch_norm(  # error: [ML305]
                                t, bn.running_mean, bn.running_var, bn.weight, bn.bias, training=True
                            )

                        return normalise(x)
                """),
        ],
        nonTriggeringExamples: [
            RuleExample("""
                import torch.nn as nn
                import torch.nn.functional as F

                class Norm(nn.Module):
                    def forward(self, x):
                        x = F.batch_norm(x, self.mean, self.var, training=self.training)
                        x = F.batch_norm(x, None, None, training=True)
                        return x

                class FrozenBatchNorm2d(nn.Module):
                    def forward(self, x):
                        return F.batch_norm(x, self.mean, self.var, self.weight, self.bias, training=False)

                def normalise(x, mean, var):
                    return F.batch_norm(x, mean, var)
                """),
            // The literal is the mode of the branch it sits in.
            RuleExample("""
                import torch.nn as nn


                class SplitBatchNorm(nn.BatchNorm2d):
                    def forward(self, input):
                        n, c, h, w = input.shape
                        if self.training or not self.track_running_stats:
                            return nn.functional.batch_norm(
                                input.view(-1, c * 2, h, w), self.running_mean, self.running_var,
                                self.weight.repeat(2), self.bias.repeat(2), training=True,
                            ).view(n, c, h, w)
                        return nn.functional.batch_norm(
                            input, self.running_mean[:c], self.running_var[:c], self.weight, self.bias, training=False
                        ) if not self.training else input
                """),
            RuleExample("""
                import lightning.pytorch as pl
                import torch
                import torch.nn as nn
                import torch.nn.functional as F


                class LitNormalised(pl.LightningModule):
                    def __init__(self, n_features, momentum=0.1):
                        super().__init__()
                        self.register_buffer("running_mean", torch.zeros(n_features))
                        self.register_buffer("running_var", torch.ones(n_features))
                        self.momentum = momentum
                        self.head = nn.Linear(n_features, 1)

                    def forward(self, x):
                        x = F.batch_norm(
                            x, self.running_mean, self.running_var, training=self.training, momentum=self.momentum
                        )
                        return self.head(x)

                    def training_step(self, batch, batch_idx):
                        x, y = batch
                        return F.mse_loss(self(x).squeeze(-1), y)

                    def configure_optimizers(self):
                        return torch.optim.SGD(self.parameters(), lr=0.01)
                """),
            RuleExample("""
                import torch
                import torch.nn as nn
                import torch.nn.functional as F


                def fuse_check(conv: nn.Conv2d, bn: nn.BatchNorm2d, x):
                    # Verifies a conv-bn fusion at export time: inference statistics on purpose, outside any forward.
                    reference = F.batch_norm(conv(x), bn.running_mean, bn.running_var, bn.weight, bn.bias)
                    fused = torch.nn.utils.fusion.fuse_conv_bn_eval(conv, bn)
                    return torch.allclose(fused(x), reference, atol=1e-5)


                class Net(nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.conv = nn.Conv2d(3, 8, 3)
                        self.bn = nn.BatchNorm2d(8)

                    def calibrate(self, x):
                        return F.batch_norm(x, self.bn.running_mean, self.bn.running_var, training=False)

                    def forward(self, x):
                        return self.bn(self.conv(x))
                """),
            RuleExample("""
                import torch
                import torch.nn as nn
                import torch.nn.functional as F


                class BatchStatNorm(nn.Module):
                    \"""Always batch statistics (track_running_stats=False): no running buffers to use instead.\"""

                    def __init__(self, n):
                        super().__init__()
                        self.weight = nn.Parameter(torch.ones(n))
                        self.bias = nn.Parameter(torch.zeros(n))

                    def forward(self, x):
                        return F.batch_norm(x, None, None, self.weight, self.bias, True)


                class RunningNorm(nn.BatchNorm1d):
                    def forward(self, x):
                        use_batch_stats = self.training or not self.track_running_stats
                        return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                                            use_batch_stats, self.momentum, self.eps)
                """),
            RuleExample("""
                import torch
                import torch.nn as nn


                def batch_norm(x, mean, var, eps=1e-5):
                    # The project's own normalisation for feature maps from a frozen extractor.
                    return (x - mean) / torch.sqrt(var + eps)


                class FeatureHead(nn.Module):
                    def __init__(self, mean, var):
                        super().__init__()
                        self.register_buffer("mean", mean)
                        self.register_buffer("var", var)
                        self.fc = nn.Linear(mean.numel(), 10)

                    def forward(self, features):
                        return self.fc(batch_norm(features, self.mean, self.var))
                """),
            RuleExample("""
                import torch
                import torch.nn as nn
                import torch.nn.functional as F


                class AdaBN(nn.BatchNorm2d):
                    \"""Domain adaptation: the caller may force target-domain batch statistics at test time.\"""

                    def forward(self, x, training=None):
                        use_batch = self.training if training is None else training
                        return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                                            training=use_batch, momentum=self.momentum, eps=self.eps)


                class FrozenBatchNorm2d(nn.Module):
                    def __init__(self, n):
                        super().__init__()
                        for name, init in (("weight", 1.0), ("bias", 0.0), ("running_mean", 0.0), ("running_var", 1.0)):
                            self.register_buffer(name, torch.full((n,), init))

                    def forward(self, x):
                        return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias, False)
                """),
        ]
    )

    public init() {}

    public var nodeKinds: Set<NodeKindTag> { [.call] }

    public var requiredWords: [RequiredWord] { [.name("batch_norm")] }

    public func check(_ node: AnyNode, _ context: RuleContext, _ sink: inout [Finding]) {
        guard case .expr(let call) = node, case .call(let function, let args, let keywords) = call.kind,
              CalleeFilter.mayBe(function, oneOf: ["batch_norm"], context),
              let name = context.semantics.qualifiedName(of: function), name.matches(TorchNames.functionalBatchNorm),
              let forward = ForwardMethod(context) else { return }
        let arguments = CallArguments(args: args, keywords: keywords)
        guard let training = TrainingArgument(arguments, position: 5) else { return }
        let op = context.snippet(of: function)
        let wanted = forward.instanceName.map { "\($0).training" }
        let message: String
        var fix: Fix?
        switch training {
        case .missing(let insertAt):
            message = "`\(op)` in `forward` without `training=` always uses the running statistics and never " +
                "updates them (`training` defaults to False); pass `training=\(wanted ?? "self.training")`"
            if let wanted, let insertAt {
                fix = Fix(applicability: .unsafe, message: "Pass `training=\(wanted)`",
                          edits: [.insertion(at: insertAt, ", training=\(wanted)")])
            }
        case .literal(let value):
            if forward.isUnderModeTest(context) { return }
            switch value.boolLiteral {
            case true?:
                // No running statistics to use: batch statistics are the only choice.
                if let runningMean = arguments.argument(position: 1, name: "running_mean"),
                   case .constant(.none, _) = runningMean.kind { return }
                message = "`\(op)` in `forward` with `training=True` normalises with batch statistics in " +
                    "evaluation mode too; pass `training=\(wanted ?? "self.training")`"
            case false?:
                if forward.className.contains("Frozen") { return }
                message = "`\(op)` in `forward` with `training=False` never updates the running statistics, not " +
                    "even in training mode; pass `training=\(wanted ?? "self.training")`"
            case nil:
                message = "`\(op)` in `forward` with `training=\(context.snippet(of: value))` ignores the " +
                    "module's mode; pass `training=\(wanted ?? "self.training")`"
            }
            if let wanted {
                fix = Fix(applicability: .unsafe, message: "Pass `training=\(wanted)`",
                          edits: [Edit(range: value.range, content: wanted)])
            }
        }
        sink.append(Self.finding(message, at: call.range, in: context, fix: fix))
    }
}
