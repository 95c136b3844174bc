import ModelintAnalysis
import ModelintSyntax

/// `with torch.no_grad:` — the class itself is not a context manager; entering it raises TypeError.
public struct ML204GradContextNotCalled: NodeRule {
    public static let description = RuleDescription(
        code: "ML204",
        name: "grad-context-not-called",
        severity: .error,
        summary: "`with torch.no_grad:` without parentheses raises TypeError",
        whatItDoes: """
            Checks for `with` statements that use `torch.no_grad`, `torch.inference_mode`, \
            `torch.enable_grad` or `torch.set_grad_enabled` itself instead of calling it.
            """,
        whyIsThisBad: """
            These names are classes. A class is not a context manager, so `with torch.no_grad:` raises \
            `TypeError: 'type' object does not support the context manager protocol` (Python 3.11+; older \
            versions raise `AttributeError: __enter__`) when the line runs — often only at the end of the \
            first epoch, when validation starts. (As a decorator, `@torch.no_grad` without parentheses is \
            supported by PyTorch and is not reported.)
            """,
        example: """
            with torch.no_grad:
                predictions = model(batch)
            """,
        useInstead: """
            with torch.no_grad():
                predictions = model(batch)
            """,
        fixSafety: """
            The fix adds the missing `()`; it is safe because the original line cannot run. No fix is \
            offered for `torch.set_grad_enabled`, which needs the mode as an argument.
            """,
        fixAvailability: .sometimes,
        triggeringExamples: [
            RuleExample("""
                import torch

                def validate(model, loader):
                    model.eval()
                    with torch.no_grad:  # error: [ML204]
                        return [model(x) for x in loader]
                """),
            RuleExample("""
                from torch import inference_mode
                import torch.autograd as autograd
                import torch

                async def serve(model, x):
                    async with inference_mode:  # error: [ML204]
                        return model(x)

                with open("log.txt") as log, autograd.enable_grad:  # error: [ML204]
                    pass
                with torch.set_grad_enabled:  # error: [ML204]
                    pass
                """),
        ],
        nonTriggeringExamples: [
            RuleExample("""
                import torch

                with torch.no_grad():
                    pass
                with torch.inference_mode(mode=True), torch.enable_grad():
                    pass
                with torch.set_grad_enabled(False):
                    pass

                @torch.no_grad
                def predict(model, x):
                    return model(x)
                """),
            RuleExample("""
                import contextlib

                no_grad = contextlib.nullcontext()
                with no_grad:
                    pass
                """),
        ]
    )

    public init() {}

    public var nodeKinds: Set<NodeKindTag> { [.with, .asyncWith] }

    public var requiredWords: [RequiredWord] {
        [.name("no_grad"), .name("inference_mode"), .name("enable_grad"), .name("set_grad_enabled")]
    }

    public func check(_ node: AnyNode, _ context: RuleContext, _ sink: inout [Finding]) {
        guard case .stmt(let statement) = node else { return }
        let items: [WithItem]
        switch statement.kind {
        case .with(let withItems, _), .asyncWith(let withItems, _): items = withItems
        default: return
        }
        for item in items {
            let manager = item.contextExpr
            if case .call = manager.kind { continue }
            guard CalleeFilter.mayBe(manager, oneOf: TorchNames.gradContextNames, context),
                  let name = context.semantics.qualifiedName(of: manager)?.description else { continue }
            let spelled = context.snippet(of: manager)
            if TorchNames.argumentFreeGradContexts.contains(name) {
                let fix = Fix(applicability: .safe, message: "Call `\(spelled)()`",
                              edits: [.insertion(at: manager.range.end, "()")])
                sink.append(Self.finding(
                    "`\(spelled)` is not called: entering the class raises TypeError; write `\(spelled)()`",
                    at: manager.range, in: context, fix: fix))
            } else if TorchNames.setGradEnabled.contains(name) {
                sink.append(Self.finding(
                    "`\(spelled)` is not called: entering the class raises TypeError; write `\(spelled)(False)` or `\(spelled)(True)`",
                    at: manager.range, in: context))
            }
        }
    }
}
