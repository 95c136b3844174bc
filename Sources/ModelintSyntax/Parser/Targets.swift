// Assignment, deletion and loop targets. Targets are parsed as expressions (primaries, or tuples
// of them), then checked and rebuilt in Store or Del context.

extension PythonParser {
    /// `star_targets` of `for` loops and comprehensions: stops before `in`.
    mutating func parseStarTargets() throws(ParseFailure) -> Expr {
        let start = self.start
        let mark = openNode()
        let first = try parseStarTarget()
        guard kind == .comma else {
            closeNode(mark)
            return first
        }
        var elements = Array(startingWith: first)
        while accept(.comma) {
            guard kind == .star || kind.startsAtom else { break }
            elements.append(try parseStarTarget())
        }
        try bump()
        closeNode(mark)
        return Expr(.tuple(elts: elements, ctx: .store), range(from: start))
    }

    /// `star_target`: `*target` or a name, attribute, subscript, or bracketed target list.
    mutating func parseStarTarget() throws(ParseFailure) -> Expr {
        if kind == .name, case let next = kind(ahead: 1), next != .dot && next != .lpar && next != .lsqb {
            return try parseName(.store)
        }
        guard kind == .star else { return try toTarget(try parsePrimary(), .store) }
        let start = self.start
        let mark = openNode()
        advance()
        if kind == .star { throw unexpected() }
        let value = try toTarget(try parsePrimary(), .store)
        try bump()
        closeNode(mark)
        return Expr(.starred(value: value, ctx: .store), range(from: start))
    }

    /// The expression rebuilt in `context`, if it is a valid target: a name, attribute or
    /// subscript, or a tuple/list of targets (starred ones too, except in `del`).
    mutating func toTarget(_ expression: Expr, _ context: ExprContext) throws(ParseFailure) -> Expr {
        switch expression.kind {
        case .name(let id, let current):
            return current == context ? expression : Expr(.name(id: id, ctx: context), expression.range)
        case .attribute(let value, let attribute, _):
            return Expr(.attribute(value: value, attr: attribute, ctx: context), expression.range)
        case .subscript(let value, let slice, _):
            return Expr(.subscript(value: value, slice: slice, ctx: context), expression.range)
        case .starred(let value, _):
            if context == .del { throw failure("cannot delete starred", at: expression.range) }
            return Expr(.starred(value: try toTarget(value, context), ctx: context), expression.range)
        case .tuple(let elements, _):
            var converted: [Expr] = []
            converted.reserveCapacity(elements.count)
            for element in elements { converted.append(try toTarget(element, context)) }
            return Expr(.tuple(elts: converted, ctx: context), expression.range)
        case .list(let elements, _):
            var converted: [Expr] = []
            converted.reserveCapacity(elements.count)
            for element in elements { converted.append(try toTarget(element, context)) }
            return Expr(.list(elts: converted, ctx: context), expression.range)
        default:
            let verb = context == .del ? "delete" : "assign to"
            throw failure("cannot \(verb) \(expression.syntaxName)", at: expression.range)
        }
    }
}

extension Expr {
    /// CPython's name for an expression kind in error messages (`_PyPegen_get_expr_name`).
    var syntaxName: String {
        switch kind {
        case .attribute: return "attribute"
        case .subscript: return "subscript"
        case .starred: return "starred"
        case .name: return "name"
        case .list: return "list"
        case .tuple: return "tuple"
        case .lambda: return "lambda"
        case .call: return "function call"
        case .boolOp, .binOp, .unaryOp: return "expression"
        case .generatorExp: return "generator expression"
        case .yield, .yieldFrom: return "yield expression"
        case .await: return "await expression"
        case .listComp: return "list comprehension"
        case .setComp: return "set comprehension"
        case .dictComp: return "dict comprehension"
        case .dict: return "dict literal"
        case .set: return "set display"
        case .joinedStr, .formattedValue: return "f-string expression"
        case .constant(let value, _):
            switch value {
            case .none: return "None"
            case .bool(let flag): return flag ? "True" : "False"
            case .ellipsis: return "ellipsis"
            default: return "literal"
            }
        case .compare: return "comparison"
        case .ifExp: return "conditional expression"
        case .namedExpr: return "named expression"
        case .slice: return "slice"
        }
    }
}
