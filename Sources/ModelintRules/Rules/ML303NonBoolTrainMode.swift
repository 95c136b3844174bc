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
