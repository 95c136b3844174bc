/// A statement node. Mirrors CPython's `ast.stmt` subclasses (Python 3.12 grammar).
public final class Stmt: Sendable {
    public let kind: StmtKind
    public let range: TextRange

    public init(_ kind: StmtKind, _ range: TextRange) {
        self.kind = kind
        self.range = range
    }
}

public enum StmtKind: Sendable {
    // Boxed (`indirect`): the definitions are ~170 bytes and would quadruple every other case.
    indirect case functionDef(FunctionDef)
    indirect case asyncFunctionDef(FunctionDef)
    indirect case classDef(ClassDef)
    case `return`(value: Expr?)
    case delete(targets: [Expr])
    case assign(targets: [Expr], value: Expr)
    case typeAlias(name: Expr, typeParams: [TypeParam], value: Expr)
    case augAssign(target: Expr, op: BinaryOperator, value: Expr)
    /// `simple` is true when the target is a bare, unparenthesised name.
    case annAssign(target: Expr, annotation: Expr, value: Expr?, simple: Bool)
    case `for`(target: Expr, iter: Expr, body: [Stmt], orelse: [Stmt])
    case asyncFor(target: Expr, iter: Expr, body: [Stmt], orelse: [Stmt])
    case `while`(test: Expr, body: [Stmt], orelse: [Stmt])
    case `if`(test: Expr, body: [Stmt], orelse: [Stmt])
    case with(items: [WithItem], body: [Stmt])
    case asyncWith(items: [WithItem], body: [Stmt])
    case match(subject: Expr, cases: [MatchCase])
    case raise(exc: Expr?, cause: Expr?)
    case `try`(body: [Stmt], handlers: [ExceptHandler], orelse: [Stmt], finalbody: [Stmt])
    case tryStar(body: [Stmt], handlers: [ExceptHandler], orelse: [Stmt], finalbody: [Stmt])
    case assert(test: Expr, msg: Expr?)
    case `import`(names: [Alias])
    /// `module` is nil for `from . import x`; `level` counts the leading dots.
    case importFrom(module: Identifier?, names: [Alias], level: Int)
    case global(names: [Identifier])
    case nonlocal(names: [Identifier])
    case expr(value: Expr)
    case pass
    case `break`
    case `continue`
}

public struct FunctionDef: Sendable {
    public let name: Identifier
    public let args: Arguments
    public let body: [Stmt]
    public let decoratorList: [Expr]
    public let returns: Expr?
    public let typeParams: [TypeParam]

    public init(name: Identifier, args: Arguments, body: [Stmt], decoratorList: [Expr], returns: Expr?,
                typeParams: [TypeParam]) {
        self.name = name
        self.args = args
        self.body = body
        self.decoratorList = decoratorList
        self.returns = returns
        self.typeParams = typeParams
    }
}

public struct ClassDef: Sendable {
    public let name: Identifier
    public let bases: [Expr]
    public let keywords: [Keyword]
    public let body: [Stmt]
    public let decoratorList: [Expr]
    public let typeParams: [TypeParam]

    public init(name: Identifier, bases: [Expr], keywords: [Keyword], body: [Stmt], decoratorList: [Expr],
                typeParams: [TypeParam]) {
        self.name = name
        self.bases = bases
        self.keywords = keywords
        self.body = body
        self.decoratorList = decoratorList
        self.typeParams = typeParams
    }
}

/// `ast.Module`; `type_ignores` is always empty because modelint parses as `ast.parse` does by default
/// (no type comments).
public final class Module: Sendable {
    public let body: [Stmt]

    public init(body: [Stmt]) { self.body = body }
}
