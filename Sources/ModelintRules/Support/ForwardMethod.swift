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
