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
        ]
    )

    public init() {}

    public var nodeKinds: Set<NodeKindTag> { [.call] }

    public var requiredWords: [RequiredWord] { [.anywhere("batch_norm")] }

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
