// `primary`: an atom followed by attribute, call and subscript trailers; call arguments; slices.

extension PythonParser {
    /// Atom plus trailers; the chain `a.b(c)[d]` is built in a loop, its height counted by `bump`.
    mutating func parsePrimary() throws(ParseFailure) -> Expr {
        let start = self.start
        let mark = openNode()
        var value = try parseAtom()
        while true {
            switch kind {
            case .dot:
                advance()
                let attribute = try expectName("an attribute name")
                try bump()
                value = Expr(.attribute(value: value, attr: attribute, ctx: .load), range(from: start))
            case .lpar:
                let open = self.start
                advance()
                let arguments = try parseCallArguments(allowGenerator: true, open: open)
                try bump()
                value = Expr(.call(func: value, args: arguments.args, keywords: arguments.keywords), range(from: start))
            case .lsqb:
                advance()
                let slice = try parseSlices()
                try expect(.rsqb, "']'")
                try bump()
                value = Expr(.subscript(value: value, slice: slice, ctx: .load), range(from: start))
            default:
                closeNode(mark)
                return value
            }
        }
    }

    struct CallArguments {
        var args: [Expr] = []
        var keywords: [Keyword] = []
    }

    /// Arguments after `(`, through the closing `)`. Positional arguments (and `*x`) come first;
    /// after a keyword only keywords, `*x` and `**x`; after `**x` no more `*x`. A lone generator
    /// expression `f(x for x in y)` takes the call's parentheses as its own.
    mutating func parseCallArguments(allowGenerator: Bool, open: UInt32) throws(ParseFailure) -> CallArguments {
        try enter()
        defer { leave() }
        var result = CallArguments()
        if accept(.rpar) { return result }
        if kind(ahead: 1) != .rpar { result.args.reserveCapacity(4) }
        var sawKeyword = false
        var sawDoubleStar = false
        while true {
            let itemStart = self.start
            switch kind {
            case .star:
                if sawDoubleStar {
                    throw failure("iterable argument unpacking follows keyword argument unpacking", at: token.range)
                }
                result.args.append(try parseStarred(valueIsExpression: true))
            case .doubleStar:
                advance()
                let value = try parseExpression()
                result.keywords.append(Keyword(arg: nil, value: value, range: range(from: itemStart)))
                sawDoubleStar = true
            case .name where kind(ahead: 1) == .equal:
                let name = try expectName()
                advance()
                let value = try parseExpression()
                result.keywords.append(Keyword(arg: name, value: value, range: range(from: itemStart)))
                sawKeyword = true
            default:
                if sawDoubleStar {
                    throw failure("positional argument follows keyword argument unpacking", at: token.range)
                }
                if sawKeyword { throw failure("positional argument follows keyword argument", at: token.range) }
                let value = try parseNamedExpression()
                if kind == .equal {
                    throw failure("expression cannot contain assignment, perhaps you meant \"==\"?",
                                  at: range(from: itemStart))
                }
                if startsComprehension {
                    guard allowGenerator && result.args.isEmpty && result.keywords.isEmpty else {
                        throw failure("Generator expression must be parenthesized", at: range(from: itemStart))
                    }
                    let generators = try parseComprehensionClauses()
                    guard kind == .rpar else {
                        throw failure("Generator expression must be parenthesized", at: range(from: itemStart))
                    }
                    advance()
                    try bump()
                    result.args.append(Expr(.generatorExp(elt: value, generators: generators), range(from: open)))
                    return result
                }
                result.args.append(value)
            }
            if accept(.comma) {
                if accept(.rpar) { return result }
                continue
            }
            try expect(.rpar, "',' or ')'")
            return result
        }
    }

    /// `slices`: one slice or expression, or a tuple of them (`a[1:2, ::3]`, `a[*b]`).
    mutating func parseSlices() throws(ParseFailure) -> Expr {
        try enter()
        defer { leave() }
        let start = self.start
        let mark = openNode()
        let first = try parseSliceItem()
        if kind != .comma {
            closeNode(mark)
            guard case .starred = first.kind else { return first }
            try bump()
            return Expr(.tuple(elts: [first], ctx: .load), range(from: start))
        }
        var elements = Array(startingWith: first)
        while accept(.comma) {
            if kind == .rsqb { break }
            elements.append(try parseSliceItem())
        }
        try bump()
        closeNode(mark)
        return Expr(.tuple(elts: elements, ctx: .load), range(from: start))
    }

    /// `slice | starred_expression`: `[lower] ':' [upper] [':' [step]]`, `*x`, or a named expression.
    mutating func parseSliceItem() throws(ParseFailure) -> Expr {
        if kind == .star { return try parseStarred(valueIsExpression: true) }
        if kind == .name && kind(ahead: 1) == .colonEqual { return try parseNamedExpression() }
        let start = self.start
        let mark = openNode()
        var lower: Expr? = nil
        if kind != .colon {
            let expression = try parseExpression()
            if kind == .colonEqual {
                throw failure("cannot use assignment expressions with \(expression.syntaxName)",
                              at: expression.range)
            }
            guard kind == .colon else {
                closeNode(mark)
                return expression
            }
            lower = expression
        }
        advance()
        let upper = kind.startsExpression ? try parseExpression() : nil
        var step: Expr? = nil
        if accept(.colon) && kind.startsExpression { step = try parseExpression() }
        try bump()
        closeNode(mark)
        return Expr(.slice(lower: lower, upper: upper, step: step), range(from: start))
    }
}
