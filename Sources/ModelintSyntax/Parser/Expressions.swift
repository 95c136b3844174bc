// Expressions from `star_expressions` down to `await_primary`: tuples, walrus, lambda, conditional,
// boolean operators, comparisons, and binary operators by precedence climbing.

extension PythonParser {
    /// `star_expressions`: one star expression, or a tuple of them (unparenthesized; its range ends
    /// at the trailing comma if there is one).
    mutating func parseStarExpressions() throws(ParseFailure) -> Expr {
        let start = self.start
        let mark = openNode()
        let first = try parseStarExpression()
        guard kind == .comma else {
            closeNode(mark)
            return first
        }
        var elements = Array(startingWith: first)
        while accept(.comma) {
            guard kind.startsStarExpression else { break }
            elements.append(try parseStarExpression())
        }
        try bump()
        closeNode(mark)
        return Expr(.tuple(elts: elements, ctx: .load), range(from: start))
    }

    /// `star_expression`: `'*' bitwise_or | expression`.
    mutating func parseStarExpression() throws(ParseFailure) -> Expr {
        kind == .star ? try parseStarred(valueIsExpression: false) : try parseExpression()
    }

    /// `star_named_expression`: `'*' bitwise_or | named_expression`.
    mutating func parseStarNamedExpression() throws(ParseFailure) -> Expr {
        kind == .star ? try parseStarred(valueIsExpression: false) : try parseNamedExpression()
    }

    /// `'*' bitwise_or` in displays and assignments, `'*' expression` in calls and subscripts.
    mutating func parseStarred(valueIsExpression: Bool) throws(ParseFailure) -> Expr {
        let start = self.start
        let mark = openNode()
        advance()
        let value = valueIsExpression ? try parseExpression() : try parseBitwiseOr()
        try bump()
        closeNode(mark)
        return Expr(.starred(value: value, ctx: .load), range(from: start))
    }

    /// `named_expression`: `NAME ':=' expression`, or an expression not followed by `:=`.
    mutating func parseNamedExpression() throws(ParseFailure) -> Expr {
        guard kind == .name && kind(ahead: 1) == .colonEqual else {
            let expression = try parseExpression()
            if kind == .colonEqual {
                throw failure("cannot use assignment expressions with \(expression.syntaxName)",
                              at: expression.range)
            }
            return expression
        }
        let start = self.start
        let mark = openNode()
        let target = try parseName(.store)
        advance()
        let value = try parseExpression()
        try bump()
        closeNode(mark)
        return Expr(.namedExpr(target: target, value: value), range(from: start))
    }

    /// `expression`: a conditional expression, a lambda, or a disjunction.
    mutating func parseExpression() throws(ParseFailure) -> Expr {
        try enter()
        defer { leave() }
        if kind == .kwLambda { return try parseLambda() }
        // Fast path: a lone name or number (most call arguments, subscripts, right-hand sides)
        // skips the dozen precedence levels, none of which could add anything to it.
        if (kind == .name || kind == .number) && kind(ahead: 1).endsExpression { return try parseAtom() }
        let start = self.start
        let mark = openNode()
        let body = try parseDisjunction()
        guard accept(.kwIf) else {
            closeNode(mark)
            return body
        }
        let test = try parseDisjunction()
        try expect(.kwElse, "'else' after 'if' expression")
        let orelse = try parseExpression()
        try bump()
        closeNode(mark)
        return Expr(.ifExp(test: test, body: body, orelse: orelse), range(from: start))
    }

    mutating func parseLambda() throws(ParseFailure) -> Expr {
        let start = self.start
        let mark = openNode()
        advance()
        let arguments = kind == .colon ? Arguments.empty : try parseParameters(lambda: true)
        try expect(.colon, "':'")
        let body = try parseExpression()
        try bump()
        closeNode(mark)
        return Expr(.lambda(args: arguments, body: body), range(from: start))
    }

    /// `yield_expr`: `yield`, `yield star_expressions`, `yield from expression`.
    mutating func parseYieldExpression() throws(ParseFailure) -> Expr {
        let start = self.start
        let mark = openNode()
        advance()
        let kind: ExprKind
        if accept(.kwFrom) {
            kind = .yieldFrom(value: try parseExpression())
        } else if self.kind.startsStarExpression {
            kind = .yield(value: try parseStarExpressions())
        } else {
            kind = .yield(value: nil)
        }
        try bump()
        closeNode(mark)
        return Expr(kind, range(from: start))
    }

    mutating func parseDisjunction() throws(ParseFailure) -> Expr {
        let start = self.start
        let mark = openNode()
        let first = try parseConjunction()
        guard kind == .kwOr else {
            closeNode(mark)
            return first
        }
        var values = Array(startingWith: first)
        while accept(.kwOr) { values.append(try parseConjunction()) }
        try bump()
        closeNode(mark)
        return Expr(.boolOp(op: .or, values: values), range(from: start))
    }

    mutating func parseConjunction() throws(ParseFailure) -> Expr {
        let start = self.start
        let mark = openNode()
        let first = try parseInversion()
        guard kind == .kwAnd else {
            closeNode(mark)
            return first
        }
        var values = Array(startingWith: first)
        while accept(.kwAnd) { values.append(try parseInversion()) }
        try bump()
        closeNode(mark)
        return Expr(.boolOp(op: .and, values: values), range(from: start))
    }

    mutating func parseInversion() throws(ParseFailure) -> Expr {
        guard kind == .kwNot else { return try parseComparison() }
        try enter()
        defer { leave() }
        let start = self.start
        let mark = openNode()
        advance()
        let operand = try parseInversion()
        try bump()
        closeNode(mark)
        return Expr(.unaryOp(op: .not, operand: operand), range(from: start))
    }

    mutating func parseComparison() throws(ParseFailure) -> Expr {
        let start = self.start
        let mark = openNode()
        let left = try parseBitwiseOr()
        guard var op = try comparisonOperator() else {
            closeNode(mark)
            return left
        }
        var ops: [CompareOperator] = []
        var comparators: [Expr] = []
        while true {
            ops.append(op)
            comparators.append(try parseBitwiseOr())
            guard let next = try comparisonOperator() else { break }
            op = next
        }
        try bump()
        closeNode(mark)
        return Expr(.compare(left: left, ops: ops, comparators: comparators), range(from: start))
    }

    /// Consumes a comparison operator (`not in` and `is not` are two tokens) if one is next.
    mutating func comparisonOperator() throws(ParseFailure) -> CompareOperator? {
        let op: CompareOperator
        switch kind {
        case .eqEqual: op = .eq
        case .notEqual:
            // The tokenizer reads `<>` as NOTEQUAL; only `!=` is valid without `barry_as_FLUFL`.
            guard spelled("!=") else { throw failure("invalid syntax: '<>' is not an operator", at: token.range) }
            op = .notEq
        case .less: op = .lt
        case .lessEqual: op = .ltE
        case .greater: op = .gt
        case .greaterEqual: op = .gtE
        case .kwIn: op = .in
        case .kwIs:
            if kind(ahead: 1) == .kwNot {
                advance()
                op = .isNot
            } else {
                op = .is
            }
        case .kwNot where kind(ahead: 1) == .kwIn:
            advance()
            op = .notIn
        default:
            return nil
        }
        advance()
        return op
    }

    mutating func parseBitwiseOr() throws(ParseFailure) -> Expr {
        try parseBinary(minimumPrecedence: 1)
    }

    /// Precedence climbing: a left-deep chain is built in a loop, its height counted by `bump`.
    mutating func parseBinary(minimumPrecedence: Int) throws(ParseFailure) -> Expr {
        let start = self.start
        let mark = openNode()
        var left = try parseFactor()
        while let (op, precedence) = kind.binaryOperator, precedence >= minimumPrecedence {
            advance()
            let right = precedence == 6 ? try parseFactor() : try parseBinary(minimumPrecedence: precedence + 1)
            try bump()
            left = Expr(.binOp(left: left, op: op, right: right), range(from: start))
        }
        closeNode(mark)
        return left
    }

    /// `factor`: unary `+`, `-`, `~`, then `power`.
    mutating func parseFactor() throws(ParseFailure) -> Expr {
        let op: UnaryOperator
        switch kind {
        case .plus: op = .uAdd
        case .minus: op = .uSub
        case .tilde: op = .invert
        default: return try parsePower()
        }
        try enter()
        defer { leave() }
        let start = self.start
        let mark = openNode()
        advance()
        let operand = try parseFactor()
        try bump()
        closeNode(mark)
        return Expr(.unaryOp(op: op, operand: operand), range(from: start))
    }

    /// `power`: `await_primary ['**' factor]` (right-associative through `factor`).
    mutating func parsePower() throws(ParseFailure) -> Expr {
        let start = self.start
        let mark = openNode()
        let base = try parseAwaitPrimary()
        guard accept(.doubleStar) else {
            closeNode(mark)
            return base
        }
        try enter()
        defer { leave() }
        let exponent = try parseFactor()
        try bump()
        closeNode(mark)
        return Expr(.binOp(left: base, op: .pow, right: exponent), range(from: start))
    }

    mutating func parseAwaitPrimary() throws(ParseFailure) -> Expr {
        guard kind == .kwAwait else { return try parsePrimary() }
        let start = self.start
        let mark = openNode()
        advance()
        let value = try parsePrimary()
        try bump()
        closeNode(mark)
        return Expr(.await(value: value), range(from: start))
    }
}
