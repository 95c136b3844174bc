import ModelintAnalysis
import ModelintSyntax

/// `model.eval` without parentheses: the bound method is looked up and thrown away.
public struct ML301ModeMethodNotCalled: NodeRule {
    public static let description = RuleDescription(
        code: "ML301",
        name: "mode-method-not-called",
        severity: .warning,
        summary: "`model.eval` / `model.train` referenced but not called",
        whatItDoes: """
            Checks for `x.eval` and `x.train` written as a statement of their own, and for assignments such as \
            `model = model.eval` that store the method instead of calling it.
            """,
        whyIsThisBad: """
            Without the parentheses nothing is called: the module stays in the mode it was in, so evaluation \
            runs with Dropout active and BatchNorm updating its running statistics (or training runs with them \
            frozen). Python raises no error. `model = model.eval` is worse: `model` now names the bound method, \
            and `model(x)` later fails with a TypeError far from the cause.

            A reference that is passed on (`callbacks.append(model.eval)`) or stored under another name is not \
            reported: calling it later is a legitimate pattern.
            """,
        example: """
            model.eval
            with torch.no_grad():
                accuracy = evaluate(model, val_loader)
            """,
        useInstead: """
            model.eval()
            with torch.no_grad():
                accuracy = evaluate(model, val_loader)
            """,
        fixSafety: """
            The fix adds `()`. It is unsafe because it changes what the program does — which is the point, \
            but code after it may have come to rely on the module's previous mode.
            """,
        fixAvailability: .always,
        triggeringExamples: [
            RuleExample("""
                import torch.nn as nn

                model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
                model.eval  # error: [ML301]
                model = model.train  # error: [ML301]
                """),
            RuleExample("""
                def validate(model, loader):
                    model.eval  # error: [ML301]
                    outputs = [model(x) for x in loader]
                    model.train()
                    return outputs

                class Runner:
                    def finish(self):
                        self.net.eval()
                        self.net.train  # error: [ML301]
                        self.net = self.net.eval  # error: [ML301]
                """),
            // Python reads identifiers in NFKC form: the fullwidth `ｅ` spells `eval` too.
            RuleExample("""
                import torch.nn as nn

                net = nn.Linear(2, 2)
                net.ｅval  # error: [ML301]
                """),
        ],
        nonTriggeringExamples: [
            RuleExample("""
                import torch.nn as nn

                model = nn.Linear(4, 4)
                model.eval()
                model = model.train()
                hooks = [model.eval, model.train]
                switch = model.eval
                switch()
                print(model.training)
                """),
        ]
    )

    public init() {}

    public var nodeKinds: Set<NodeKindTag> { [.expr, .assign] }

    public var requiredWords: [RequiredWord] { [.attribute("eval"), .attribute("train")] }

    public func check(_ node: AnyNode, _ context: RuleContext, _ sink: inout [Finding]) {
        guard case .stmt(let statement) = node else { return }
        switch statement.kind {
        case .expr(let value):
            guard let object = Self.modeMethodReceiver(value) else { return }
            report(value, object: object, assignedTo: nil, context, &sink)
        case .assign(let targets, let value):
            guard let object = Self.modeMethodReceiver(value) else { return }
            // `model = model.eval`: the module's own name now holds the method.
            let objectText = context.snippet(of: object)
            guard let target = targets.first(where: { context.snippet(of: $0) == objectText }) else { return }
            report(value, object: object, assignedTo: target, context, &sink)
        default:
            return
        }
    }

    private func report(_ reference: Expr, object: Expr, assignedTo target: Expr?,
                        _ context: RuleContext, _ sink: inout [Finding]) {
        let spelled = context.snippet(of: reference)
        let consequence: String
        if target != nil {
            consequence = "`\(context.snippet(of: object))` now holds the method, not the module"
        } else if context.semantics.isModule(object) {
            consequence = "the module's mode does not change"
        } else {
            consequence = "the statement has no effect"
        }
        let fix = Fix(applicability: .unsafe, message: "Call `\(spelled)()`",
                      edits: [.insertion(at: reference.range.end, "()")])
        sink.append(Self.finding("`\(spelled)` is not called: \(consequence); write `\(spelled)()`",
                                 at: reference.range, in: context, fix: fix))
    }

    /// `x.eval` / `x.train` (a load, not a call) -> x.
    static func modeMethodReceiver(_ expr: Expr) -> Expr? {
        guard case .attribute(let object, let attr, .load) = expr.kind,
              attr.text == "eval" || attr.text == "train" else { return nil }
        return object
    }
}
