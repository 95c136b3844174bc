import ModelintAnalysis
import ModelintSyntax

/// `model.training = False` or `model.train = False` on a module.
public struct ML302TrainingFlagAssigned: NodeRule {
    public static let description = RuleDescription(
        code: "ML302",
        name: "training-flag-assigned",
        severity: .warning,
        summary: "`model.training = False` does not reach submodules; assigning `model.train` replaces the method",
        whatItDoes: """
            Checks for assignments to the `training` attribute of a module, and for assignments over its \
            `train` or `eval` methods.
            """,
        whyIsThisBad: """
            `training` is a plain attribute of each module. `model.eval()` and `model.train(mode)` set it on the \
            module *and every submodule*; assigning `model.training = False` changes the outer module only, so \
            its Dropout and BatchNorm layers — the modules whose behaviour depends on the mode — stay in \
            training mode. `model.train = False` is a different slip with the same outcome: it replaces the \
            method with a bool, the mode does not change, and the next `model.train()` raises a TypeError.

            Assignments inside a module's own `train` or `eval` method (an override that sets the flag and \
            recurses itself) are not reported.
            """,
        example: """
            model.training = False
            predictions = model(batch)
            """,
        useInstead: """
            model.eval()
            predictions = model(batch)
            """,
        fixSafety: """
            The fix replaces the assignment with `model.eval()`, `model.train()` or `model.train(value)`. It is \
            unsafe: it also switches every submodule, which is the intent but changes behaviour.
            """,
        fixAvailability: .sometimes,
        triggeringExamples: [
            RuleExample("""
                import torch.nn as nn

                model = nn.Sequential(nn.Linear(8, 8), nn.Dropout(0.2))
                model.training = False  # error: [ML302]
                model.train = True  # error: [ML302]
                """),
            RuleExample("""
                import torch.nn as nn

                class Net(nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.body = nn.Sequential(nn.Linear(8, 8), nn.BatchNorm1d(8))

                    def freeze(self):
                        self.body.training = False  # error: [ML302]

                    def predict(self, x):
                        self.training: bool = False  # error: [ML302]
                        return self.body(x)
                """),
        ],
        nonTriggeringExamples: [
            RuleExample("""
                import torch.nn as nn

                class Net(nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.body = nn.Sequential(nn.Linear(8, 8), nn.Dropout(0.1))

                    def train(self, mode=True):
                        self.training = mode
                        for child in self.children():
                            child.train(mode)
                        return self

                model = Net()
                model.eval()
                """),
            RuleExample("""
                import argparse

                args = argparse.Namespace()
                args.training = False
                args.train = True
                """),
            // Every submodule restored one by one, and a converted layer taking over its original's flag.
            RuleExample("""
                import torch.nn as nn


                def restore(module: nn.Module, saved: dict):
                    for name, mod in module.named_modules():
                        mod.training = saved[name]


                def convert(module: nn.Module):
                    converted = nn.SyncBatchNorm(module.num_features)
                    converted.training = module.training
                    return converted


                class QPolicy(nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.q_net = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 2))
                        self.q_net_target = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 2))

                    def set_training_mode(self, mode: bool) -> None:
                        # The target network stays in eval mode; only the online network follows.
                        self.q_net.train(mode)
                        self.training = mode
                """),
        ]
    )

    public init() {}

    public var nodeKinds: Set<NodeKindTag> { [.assign, .annAssign] }

    public var requiredWords: [RequiredWord] { [.attribute("training"), .attribute("train"), .attribute("eval")] }

    public func check(_ node: AnyNode, _ context: RuleContext, _ sink: inout [Finding]) {
        guard case .stmt(let statement) = node else { return }
        let targets: [Expr]
        let value: Expr
        switch statement.kind {
        case .assign(let assigned, let assignedValue):
            targets = assigned
            value = assignedValue
        case .annAssign(let target, _, let assignedValue?, _):
            targets = [target]
            value = assignedValue
        default:
            return
        }
        for target in targets {
            guard case .attribute(let object, let attr, .store) = target.kind,
                  attr.text == "training" || attr.text == "train" || attr.text == "eval",
                  context.semantics.isModule(object), !isInsideModeOverride(context) else { continue }
            if attr.text == "training" && (Self.copiesAFlag(value) || Self.isEveryModule(object, context)) { continue }
            let module = context.snippet(of: object)
            // The message shows a one-line snippet; the fix must reproduce the source exactly.
            let suggestion = Self.replacement(attribute: attr.text, module: object, value: value) {
                context.snippet(of: $0)
            }
            // A fix only where the whole statement is this one assignment.
            let fixText = targets.count == 1
                ? Self.replacement(attribute: attr.text, module: object, value: value) { context.text(of: $0) }
                : nil
            let fix = fixText.map {
                Fix(applicability: .unsafe, message: "Replace with `\(suggestion ?? $0)`",
                    edits: [Edit(range: statement.range, content: $0)])
            }
            let message: String
            if attr.text == "training" {
                message = "Assigning `\(module).training` does not switch its submodules (Dropout, BatchNorm keep " +
                    "their mode); call `\(suggestion ?? "\(module).train(...)")`"
            } else {
                message = "Assigning to `\(module).\(attr.text)` replaces the method and does not change the mode; " +
                    "call `\(suggestion ?? "\(module).\(attr.text)()")`"
            }
            sink.append(Self.finding(message, at: target.range, in: context, fix: fix))
        }
    }

    /// `training = False` -> `m.eval()`, `training = True` -> `m.train()`, `training = flag` -> `m.train(flag)`;
    /// `train = b` -> `m.train(b)`. Assigning over `eval` has no single meaning, so no replacement.
    private static func replacement(attribute: String, module: Expr, value: Expr,
                                    render: (Expr) -> String) -> String? {
        switch attribute {
        case "training":
            switch value.boolLiteral {
            case false?: return "\(render(module)).eval()"
            case true?: return "\(render(module)).train()"
            case nil: return "\(render(module)).train(\(render(value)))"
            }
        case "train":
            return "\(render(module)).train(\(render(value)))"
        default:
            return nil
        }
    }

    /// `new.training = old.training`: a converted layer takes over the flag of the one it replaces, whose
    /// submodules it reuses (what `torch.nn.SyncBatchNorm.convert_sync_batchnorm` does).
    private static func copiesAFlag(_ value: Expr) -> Bool {
        if case .attribute(_, let attr, _) = value.kind { return attr.text == "training" }
        return false
    }

    /// `for name, m in model.named_modules(): m.training = saved[name]`: every submodule is set one by one.
    private static func isEveryModule(_ object: Expr, _ context: RuleContext) -> Bool {
        guard case .name(let id, _) = object.kind else { return false }
        for ancestor in context.ancestors {
            guard case .stmt(let statement) = ancestor,
                  case .for(let target, let iter, _, _) = statement.kind,
                  binds(id.text, in: target), iteratesModules(iter) else { continue }
            return true
        }
        return false
    }

    private static func binds(_ name: String, in target: Expr) -> Bool {
        switch target.kind {
        case .name(let id, _): return id.text == name
        case .tuple(let elements, _), .list(let elements, _): return elements.contains { binds(name, in: $0) }
        default: return false
        }
    }

    /// `m.modules()`, `m.named_modules()`, also wrapped in `enumerate(...)` / `list(...)`.
    private static func iteratesModules(_ iter: Expr) -> Bool {
        guard case .call(let function, let args, _) = iter.kind else { return false }
        if case .attribute(_, let attr, _) = function.kind {
            return attr.text == "modules" || attr.text == "named_modules"
        }
        return args.first.map(iteratesModules) ?? false
    }

    /// Inside `def train(self, ...)` / `def eval(self)` of a class, or a method named for setting the mode
    /// (`set_training_mode`, `set_eval_mode`): an override managing the flag and the submodules itself.
    private func isInsideModeOverride(_ context: RuleContext) -> Bool {
        guard let method = context.enclosingMethod else { return false }
        let name = method.def.name.text.lowercased()
        if name == "train" || name == "eval" { return true }
        return name.contains("mode") && (name.contains("train") || name.contains("eval"))
    }
}
