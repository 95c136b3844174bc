import ModelintSyntax

/// An expression or a statement, for APIs that accept either. Identity is the node object's identity.
public enum AnyNode: Sendable {
    case expr(Expr)
    case stmt(Stmt)

    public var range: TextRange {
        switch self {
        case .expr(let expr): return expr.range
        case .stmt(let stmt): return stmt.range
        }
    }

    public var id: ObjectIdentifier {
        switch self {
        case .expr(let expr): return ObjectIdentifier(expr)
        case .stmt(let stmt): return ObjectIdentifier(stmt)
        }
    }
}
