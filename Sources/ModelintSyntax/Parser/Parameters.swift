// Parameter lists of `def` (closed by `)`, annotations allowed) and `lambda` (closed by `:`).

extension PythonParser {
    /// Parses parameters up to (not including) the closing token. Enforces CPython's order:
    /// positional-only params and `/`, params (no default after a default), `*` or `*args`,
    /// keyword-only params, `**kwargs` last; a bare `*` needs a keyword-only param after it.
    mutating func parseParameters(lambda: Bool) throws(ParseFailure) -> Arguments {
        // Counted as a level: defaults recurse (`lambda a=lambda b=...`) and this frame is large.
        try enter()
        defer { leave() }
        let closing: TokenKind = lambda ? .colon : .rpar
        var positionalOnly: [Arg] = []
        var positional: [Arg] = []
        var defaults: [Expr] = []
        var variadic: Arg? = nil
        var keywordOnly: [Arg] = []
        var keywordDefaults: [Expr?] = []
        var keywordVariadic: Arg? = nil
        var sawSlash = false
        var star: TextRange? = nil

        while kind != closing {
            if keywordVariadic != nil {
                throw failure("parameters cannot follow var-keyword parameter", at: token.range)
            }
            switch kind {
            case .slash:
                if sawSlash { throw failure("/ may appear only once", at: token.range) }
                if star != nil { throw failure("/ must be ahead of *", at: token.range) }
                if positional.isEmpty { throw failure("at least one parameter must precede /", at: token.range) }
                positionalOnly = positional
                positional = []
                sawSlash = true
                advance()
            case .star:
                if star != nil { throw failure("* may appear only once", at: token.range) }
                star = token.range
                advance()
                if kind == .name {
                    variadic = try parseParameter(lambda: lambda, starredAnnotation: !lambda)
                    if kind == .equal {
                        throw failure("var-positional parameter cannot have default value", at: token.range)
                    }
                }
            case .doubleStar:
                advance()
                keywordVariadic = try parseParameter(lambda: lambda, starredAnnotation: false)
                if kind == .equal {
                    throw failure("var-keyword parameter cannot have default value", at: token.range)
                }
            case .name:
                let parameter = try parseParameter(lambda: lambda, starredAnnotation: false)
                let defaultValue = accept(.equal) ? try parseExpression() : nil
                if star != nil {
                    keywordOnly.append(parameter)
                    keywordDefaults.append(defaultValue)
                } else {
                    if let defaultValue {
                        defaults.append(defaultValue)
                    } else if !defaults.isEmpty {
                        throw failure("parameter without a default follows parameter with a default",
                                      at: parameter.range)
                    }
                    positional.append(parameter)
                }
            default:
                throw unexpected(expecting: "a parameter")
            }
            guard accept(.comma) else { break }
        }
        if kind != closing { throw unexpected(expecting: lambda ? "',' or ':'" : "',' or ')'") }
        if let star, variadic == nil && keywordOnly.isEmpty {
            throw failure("named parameters must follow bare *", at: star)
        }
        return Arguments(posonlyargs: positionalOnly, args: positional, vararg: variadic, kwonlyargs: keywordOnly,
                         kwDefaults: keywordDefaults, kwarg: keywordVariadic, defaults: defaults)
    }

    /// `NAME [':' expression]`; `*args` may be annotated with a starred expression (`*Ts`).
    mutating func parseParameter(lambda: Bool, starredAnnotation: Bool) throws(ParseFailure) -> Arg {
        let start = self.start
        let name = try expectName("a parameter name")
        var annotation: Expr? = nil
        if !lambda && accept(.colon) {
            annotation = starredAnnotation ? try parseStarExpression() : try parseExpression()
        }
        return Arg(arg: name, annotation: annotation, range: range(from: start))
    }
}
