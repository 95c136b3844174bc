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
        ]
    )

    public init() {}

    public var nodeKinds: Set<NodeKindTag> { [.call] }

    public var requiredWords: [RequiredWord] { [.anywhere("dropout")] }

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
