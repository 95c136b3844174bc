/// An expression node. Mirrors CPython's `ast.expr` subclasses case for case; field names follow
/// CPython's so the JSON dump and the rules read the same as `ast` documentation.
///
/// Nodes are immutable reference types: identity (`ObjectIdentifier`) keys the analysis side tables,
/// and immutability makes trees `Sendable` so files can be parsed on all cores.
public final class Expr: Sendable {
    public let kind: ExprKind
    /// CPython's (lineno, col_offset)–(end_lineno, end_col_offset), as byte offsets.
    public let range: TextRange

    public init(_ kind: ExprKind, _ range: TextRange) {
        self.kind = kind
        self.range = range
    }
}

public enum ExprKind: Sendable {
    case boolOp(op: BoolOperator, values: [Expr])
    case namedExpr(target: Expr, value: Expr)
    case binOp(left: Expr, op: BinaryOperator, right: Expr)
    case unaryOp(op: UnaryOperator, operand: Expr)
    /// Boxed (`indirect`): `Arguments` is 120 bytes and would triple the size of every other case.
    indirect case lambda(args: Arguments, body: Expr)
    case ifExp(test: Expr, body: Expr, orelse: Expr)
    /// `keys[i] == nil` for a `**mapping` entry.
    case dict(keys: [Expr?], values: [Expr])
    case set(elts: [Expr])
    case listComp(elt: Expr, generators: [Comprehension])
    case setComp(elt: Expr, generators: [Comprehension])
    case dictComp(key: Expr, value: Expr, generators: [Comprehension])
    case generatorExp(elt: Expr, generators: [Comprehension])
    case await(value: Expr)
    case yield(value: Expr?)
    case yieldFrom(value: Expr)
    case compare(left: Expr, ops: [CompareOperator], comparators: [Expr])
    case call(func: Expr, args: [Expr], keywords: [Keyword])
    /// `conversion` is -1 (none) or the code point of 's', 'r' or 'a', as in CPython.
    case formattedValue(value: Expr, conversion: Int, formatSpec: Expr?)
    case joinedStr(values: [Expr])
    /// `kind` is `.u` for a u-prefixed string literal, else nil.
    case constant(value: ConstantValue, kind: ConstantKind?)
    case attribute(value: Expr, attr: Identifier, ctx: ExprContext)
    case `subscript`(value: Expr, slice: Expr, ctx: ExprContext)
    case starred(value: Expr, ctx: ExprContext)
    case name(id: Identifier, ctx: ExprContext)
    case list(elts: [Expr], ctx: ExprContext)
    case tuple(elts: [Expr], ctx: ExprContext)
    case slice(lower: Expr?, upper: Expr?, step: Expr?)
}

/// CPython's `Constant.kind`: "u" for a u-prefixed string literal, its only value. An enum rather than a
/// `String?` keeps `ExprKind` at 34 bytes instead of 49, so every expression node is 64 bytes, not 80.
public enum ConstantKind: String, Sendable {
    case u
}

/// An identifier as it appears in the tree: NFKC-normalised text (as CPython does for non-ASCII names)
/// plus the byte range it was spelled at.
public struct Identifier: Sendable, Hashable {
    public let text: String
    public let range: TextRange

    public init(_ text: String, _ range: TextRange) {
        self.text = text
        self.range = range
    }
}
