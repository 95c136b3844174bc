import ModelintAnalysis
import ModelintSyntax

/// The kind of an expression or statement without its payload: what a `NodeRule` subscribes to and what
/// the walker dispatches on (an array index, so dispatch costs no hashing).
public enum NodeKindTag: UInt8, Sendable, CaseIterable {
    // Expressions.
    case boolOp, namedExpr, binOp, unaryOp, lambda, ifExp, dict, set, listComp, setComp, dictComp
    case generatorExp, await, yield, yieldFrom, compare, call, formattedValue, joinedStr, constant
    case attribute, `subscript`, starred, name, list, tuple, slice
    // Statements.
    case functionDef, asyncFunctionDef, classDef, `return`, delete, assign, typeAlias, augAssign
    case annAssign, `for`, asyncFor, `while`, `if`, with, asyncWith, match, raise, `try`, tryStar
    case assert, `import`, importFrom, global, nonlocal, expr, pass, `break`, `continue`

    public init(_ kind: ExprKind) {
        switch kind {
        case .boolOp: self = .boolOp
        case .namedExpr: self = .namedExpr
        case .binOp: self = .binOp
        case .unaryOp: self = .unaryOp
        case .lambda: self = .lambda
        case .ifExp: self = .ifExp
        case .dict: self = .dict
        case .set: self = .set
        case .listComp: self = .listComp
        case .setComp: self = .setComp
        case .dictComp: self = .dictComp
        case .generatorExp: self = .generatorExp
        case .await: self = .await
        case .yield: self = .yield
        case .yieldFrom: self = .yieldFrom
        case .compare: self = .compare
        case .call: self = .call
        case .formattedValue: self = .formattedValue
        case .joinedStr: self = .joinedStr
        case .constant: self = .constant
        case .attribute: self = .attribute
        case .subscript: self = .subscript
        case .starred: self = .starred
        case .name: self = .name
        case .list: self = .list
        case .tuple: self = .tuple
        case .slice: self = .slice
        }
    }

    public init(_ kind: StmtKind) {
        switch kind {
        case .functionDef: self = .functionDef
        case .asyncFunctionDef: self = .asyncFunctionDef
        case .classDef: self = .classDef
        case .return: self = .return
        case .delete: self = .delete
        case .assign: self = .assign
        case .typeAlias: self = .typeAlias
        case .augAssign: self = .augAssign
        case .annAssign: self = .annAssign
        case .for: self = .for
        case .asyncFor: self = .asyncFor
        case .while: self = .while
        case .if: self = .if
        case .with: self = .with
        case .asyncWith: self = .asyncWith
        case .match: self = .match
        case .raise: self = .raise
        case .try: self = .try
        case .tryStar: self = .tryStar
        case .assert: self = .assert
        case .import: self = .import
        case .importFrom: self = .importFrom
        case .global: self = .global
        case .nonlocal: self = .nonlocal
        case .expr: self = .expr
        case .pass: self = .pass
        case .break: self = .break
        case .continue: self = .continue
        }
    }

    public init(_ node: AnyNode) {
        switch node {
        case .expr(let e): self.init(e.kind)
        case .stmt(let s): self.init(s.kind)
        }
    }
}
