// The small CPython node classes that are not expressions or statements.

/// `ast.arguments` (no position in CPython).
public struct Arguments: Sendable {
    public let posonlyargs: [Arg]
    public let args: [Arg]
    public let vararg: Arg?
    public let kwonlyargs: [Arg]
    /// One entry per `kwonlyargs` element; nil where that argument has no default.
    public let kwDefaults: [Expr?]
    public let kwarg: Arg?
    /// Defaults of the last `defaults.count` positional parameters (posonly + args).
    public let defaults: [Expr]

    public init(posonlyargs: [Arg] = [], args: [Arg] = [], vararg: Arg? = nil, kwonlyargs: [Arg] = [],
                kwDefaults: [Expr?] = [], kwarg: Arg? = nil, defaults: [Expr] = []) {
        self.posonlyargs = posonlyargs
        self.args = args
        self.vararg = vararg
        self.kwonlyargs = kwonlyargs
        self.kwDefaults = kwDefaults
        self.kwarg = kwarg
        self.defaults = defaults
    }

    public static let empty = Arguments()
}

/// `ast.arg`.
public struct Arg: Sendable {
    public let arg: Identifier
    public let annotation: Expr?
    public let range: TextRange

    public init(arg: Identifier, annotation: Expr?, range: TextRange) {
        self.arg = arg
        self.annotation = annotation
        self.range = range
    }
}

/// `ast.keyword`; `arg` is nil for `**kwargs`.
public struct Keyword: Sendable {
    public let arg: Identifier?
    public let value: Expr
    public let range: TextRange

    public init(arg: Identifier?, value: Expr, range: TextRange) {
        self.arg = arg
        self.value = value
        self.range = range
    }
}

/// `ast.alias`; `name` may be dotted (`import a.b.c`) or `*`.
public struct Alias: Sendable {
    public let name: Identifier
    public let asname: Identifier?
    public let range: TextRange

    public init(name: Identifier, asname: Identifier?, range: TextRange) {
        self.name = name
        self.asname = asname
        self.range = range
    }
}

/// `ast.withitem` (no position in CPython).
public struct WithItem: Sendable {
    public let contextExpr: Expr
    public let optionalVars: Expr?

    public init(contextExpr: Expr, optionalVars: Expr?) {
        self.contextExpr = contextExpr
        self.optionalVars = optionalVars
    }
}

/// `ast.comprehension` (no position in CPython).
public struct Comprehension: Sendable {
    public let target: Expr
    public let iter: Expr
    public let ifs: [Expr]
    public let isAsync: Bool

    public init(target: Expr, iter: Expr, ifs: [Expr], isAsync: Bool) {
        self.target = target
        self.iter = iter
        self.ifs = ifs
        self.isAsync = isAsync
    }
}

/// `ast.ExceptHandler`.
public struct ExceptHandler: Sendable {
    public let type: Expr?
    public let name: Identifier?
    public let body: [Stmt]
    public let range: TextRange

    public init(type: Expr?, name: Identifier?, body: [Stmt], range: TextRange) {
        self.type = type
        self.name = name
        self.body = body
        self.range = range
    }
}

/// `ast.match_case` (no position in CPython).
public struct MatchCase: Sendable {
    public let pattern: Pattern
    public let guard_: Expr?
    public let body: [Stmt]

    public init(pattern: Pattern, guard_: Expr?, body: [Stmt]) {
        self.pattern = pattern
        self.guard_ = guard_
        self.body = body
    }
}

/// `ast.pattern` subclasses.
public final class Pattern: Sendable {
    public let kind: PatternKind
    public let range: TextRange

    public init(_ kind: PatternKind, _ range: TextRange) {
        self.kind = kind
        self.range = range
    }
}

public enum PatternKind: Sendable {
    case matchValue(value: Expr)
    /// None, True or False.
    case matchSingleton(value: ConstantValue)
    case matchSequence(patterns: [Pattern])
    case matchMapping(keys: [Expr], patterns: [Pattern], rest: Identifier?)
    case matchClass(cls: Expr, patterns: [Pattern], kwdAttrs: [Identifier], kwdPatterns: [Pattern])
    case matchStar(name: Identifier?)
    case matchAs(pattern: Pattern?, name: Identifier?)
    case matchOr(patterns: [Pattern])
}

/// PEP 695 type parameters (`ast.TypeVar`, `ast.ParamSpec`, `ast.TypeVarTuple`).
public struct TypeParam: Sendable {
    public enum Kind: Sendable {
        case typeVar(bound: Expr?)
        case paramSpec
        case typeVarTuple
    }

    public let kind: Kind
    public let name: Identifier
    public let range: TextRange

    public init(kind: Kind, name: Identifier, range: TextRange) {
        self.kind = kind
        self.name = name
        self.range = range
    }
}
