import ModelintAnalysis
import ModelintSyntax

/// The `forward` method of an `nn.Module` subclass that a node sits in (nested functions included).
struct ForwardMethod {
    let def: FunctionDef
    let classDef: Stmt
    let classInfo: ModuleClassInfo

    init?(_ context: RuleContext) {
        guard let method = context.enclosingMethod, method.def.name.text == "forward",
              let info = context.semantics.classInfo(method.classDef), info.isModuleSubclass else { return nil }
        def = method.def
        classDef = method.classDef
        classInfo = info
    }

    /// The name `forward` calls its instance (`self` by convention).
    var instanceName: String? {
        (def.args.posonlyargs.first ?? def.args.args.first)?.arg.text
    }

    var className: String {
        if case .classDef(let c) = classDef.kind { return c.name.text }
        return ""
    }

    /// Whether the node being visited sits in a branch of an `if` (or conditional expression) that tests
    /// `self.training`: a literal `training=` there is the branch's own mode (lightly's SplitBatchNorm uses
    /// `training=True` under `if self.training:` and `training=False` in the else), not a fixed one.
    func isUnderModeTest(_ context: RuleContext) -> Bool {
        guard let instance = instanceName else { return false }
        for ancestor in context.ancestors {
            let test: Expr
            switch ancestor {
            case .stmt(let statement):
                guard case .if(let t, _, _) = statement.kind else { continue }
                test = t
            case .expr(let expr):
                guard case .ifExp(let t, _, _) = expr.kind else { continue }
                test = t
            }
            if Self.mentionsTraining(test, of: instance) { return true }
        }
        return false
    }

    private static func mentionsTraining(_ expr: Expr, of instance: String) -> Bool {
        switch expr.kind {
        case .attribute(let base, let attr, _):
            if attr.text == "training", case .name(let id, _) = base.kind, id.text == instance { return true }
            return mentionsTraining(base, of: instance)
        case .boolOp(_, let values): return values.contains { mentionsTraining($0, of: instance) }
        case .unaryOp(_, let operand): return mentionsTraining(operand, of: instance)
        case .compare(let left, _, let comparators):
            return mentionsTraining(left, of: instance) || comparators.contains { mentionsTraining($0, of: instance) }
        default: return false
        }
    }
}

/// How a call passes a functional op's `training` argument.
enum TrainingArgument {
    /// Not written: the op's default applies.
    case missing(insertAt: UInt32?)
    /// A literal: fixed whatever the module's mode.
    case literal(Expr)

    /// nil when the argument follows the module's mode (an expression) or cannot be known (`*args`).
    init?(_ arguments: CallArguments, position: Int) {
        guard !arguments.hasUnpacking else { return nil }
        guard let value = arguments.argument(position: position, name: "training") else {
            self = .missing(insertAt: arguments.endOfLastArgument)
            return
        }
        guard value.isLiteral else { return nil }
        self = .literal(value)
    }
}
