import ModelintAnalysis
import ModelintSyntax

/// `torch.no_grad()` written as a statement: the context manager is created and dropped, never entered.
public struct ML203GradContextNotEntered: NodeRule {
    public static let description = RuleDescription(
        code: "ML203",
        name: "grad-context-not-entered",
        severity: .error,
        summary: "`torch.no_grad()` / `inference_mode()` / `enable_grad()` called as a statement has no effect",
        whatItDoes: """
            Checks for `torch.no_grad()`, `torch.inference_mode()` and `torch.enable_grad()` called as a \
            statement of their own.
            """,
        whyIsThisBad: """
            These are context managers: calling one only creates an object, and gradient tracking changes \
            only inside a `with` block (or a function decorated with one). As a bare statement the call does \
            nothing, so the code after it still records the autograd graph: evaluation runs slower and keeps \
            activations in memory, and anything that relies on gradients being off (for example writing to \
            parameters in place) fails later. `torch.set_grad_enabled(False)` is not reported: called as a \
            function it does switch gradients off for the current thread.
            """,
        example: """
            def evaluate(model, loader):
                model.eval()
                torch.no_grad()
                for x, y in loader:
                    loss = criterion(model(x), y)
            """,
        useInstead: """
            def evaluate(model, loader):
                model.eval()
                with torch.no_grad():
                    for x, y in loader:
                        loss = criterion(model(x), y)
            """,
        fixSafety: "No fix is offered: which statements belong inside the `with` block is the author's decision.",
        fixAvailability: .none,
        triggeringExamples: [
            RuleExample("""
                import torch

                def evaluate(model, loader):
                    model.eval()
                    torch.no_grad()  # error: [ML203]
                    return [model(x) for x in loader]
                """),
            RuleExample("""
                from torch import inference_mode, enable_grad, no_grad as frozen
                import torch as th

                inference_mode()  # error: [ML203]
                frozen()  # error: [ML203]
                th.enable_grad()  # error: [ML203]
                if True:
                    th.autograd.no_grad()  # error: [ML203]
                """),
        ],
        nonTriggeringExamples: [
            RuleExample("""
                import torch

                def evaluate(model, loader):
                    model.eval()
                    with torch.no_grad():
                        return [model(x) for x in loader]

                @torch.no_grad()
                def predict(model, x):
                    return model(x)

                torch.set_grad_enabled(False)
                ctx = torch.inference_mode()
                """),
            RuleExample("""
                # A local function that happens to share the name is not torch's.
                def no_grad():
                    print("not torch")

                no_grad()
                """),
        ]
    )

    public init() {}

    public var nodeKinds: Set<NodeKindTag> { [.expr] }

    public var requiredWords: [RequiredWord] { [.name("no_grad"), .name("inference_mode"), .name("enable_grad")] }

    public func check(_ node: AnyNode, _ context: RuleContext, _ sink: inout [Finding]) {
        guard case .stmt(let statement) = node, case .expr(let value) = statement.kind,
              case .call(let function, _, _) = value.kind,
              CalleeFilter.mayBe(function, oneOf: TorchNames.argumentFreeGradContextNames, context),
              let name = context.semantics.qualifiedName(of: function),
              TorchNames.argumentFreeGradContexts.contains(name.description) else { return }
        let call = context.snippet(of: value)
        sink.append(Self.finding(
            "`\(call)` is called as a statement and has no effect; enter it with `with \(call):`",
            at: value.range, in: context))
    }
}
