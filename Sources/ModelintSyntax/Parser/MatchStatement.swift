// The match statement and its patterns (PEP 634). `match`, `case` and `_` are soft keywords.

extension PythonParser {
    /// A match statement if the line is one (`match <subject>:` then a newline), else nil with the
    /// cursor unchanged: `match(x)`, `match = 1`, `match[i]: int` are ordinary statements.
    mutating func parseMatchStatement() throws(ParseFailure) -> Stmt? {
        let before = checkpoint
        let start = self.start
        advance()
        let subject: Expr
        do {
            guard kind.startsStarExpression else {
                restore(before)
                return nil
            }
            subject = try parseMatchSubject()
            guard kind == .colon && kind(ahead: 1) == .newline else {
                restore(before)
                return nil
            }
        } catch {
            if error.fatal { throw error }
            restore(before)
            return nil
        }
        try enter()
        defer { leave() }
        let mark = openNode()
        advance()
        advance()
        guard kind == .indent else {
            if kind == .error { throw unexpected() }
            throw failure("expected an indented block after 'match' statement", at: token.range)
        }
        advance()
        var cases: [MatchCase] = []
        while kind != .dedent && kind != .endMarker {
            guard isName("case") else { throw unexpected(expecting: "'case' block") }
            cases.append(try parseCaseBlock())
        }
        if kind == .dedent { advance() }
        try bump()
        closeNode(mark)
        return Stmt(.match(subject: subject, cases: cases), range(from: start))
    }

    /// `subject_expr`: `star_named_expression ',' star_named_expressions?` or `named_expression`.
    mutating func parseMatchSubject() throws(ParseFailure) -> Expr {
        let start = self.start
        let mark = openNode()
        let first = try parseStarNamedExpression()
        guard kind == .comma else {
            if case .starred = first.kind { throw failure("cannot use starred expression here", at: first.range) }
            closeNode(mark)
            return first
        }
        var elements = Array(startingWith: first)
        while accept(.comma) {
            guard kind.startsStarExpression else { break }
            elements.append(try parseStarNamedExpression())
        }
        try bump()
        closeNode(mark)
        return Expr(.tuple(elts: elements, ctx: .load), range(from: start))
    }

    mutating func parseCaseBlock() throws(ParseFailure) -> MatchCase {
        advance()
        let pattern = try parsePatterns()
        let guardExpression = accept(.kwIf) ? try parseNamedExpression() : nil
        try expect(.colon, "':'")
        let body = try parseBlock()
        return MatchCase(pattern: pattern, guard_: guardExpression, body: body)
    }

    /// `patterns`: an open sequence `a, *b` (a MatchSequence without brackets) or one pattern.
    mutating func parsePatterns() throws(ParseFailure) -> Pattern {
        let start = self.start
        let mark = openNode()
        let first = try parseMaybeStarPattern()
        guard kind == .comma else {
            if case .matchStar = first.kind { throw failure("star pattern outside a sequence pattern", at: first.range) }
            closeNode(mark)
            return first
        }
        var patterns = Array(startingWith: first)
        while accept(.comma) {
            guard kind.startsPattern else { break }
            patterns.append(try parseMaybeStarPattern())
        }
        try bump()
        closeNode(mark)
        return Pattern(.matchSequence(patterns: patterns), range(from: start))
    }

    /// `star_pattern | pattern`.
    mutating func parseMaybeStarPattern() throws(ParseFailure) -> Pattern {
        guard kind == .star else { return try parsePattern() }
        let start = self.start
        advance()
        if isName("_") {
            advance()
            return Pattern(.matchStar(name: nil), range(from: start))
        }
        let name = try parseCaptureTarget()
        return Pattern(.matchStar(name: name), range(from: start))
    }

    /// `pattern_capture_target`: a name other than `_`, not followed by `.`, `(` or `=`.
    mutating func parseCaptureTarget() throws(ParseFailure) -> Identifier {
        if isName("_") { throw failure("cannot use '_' as a target", at: token.range) }
        let name = try expectName("a capture name")
        if kind == .dot || kind == .lpar || kind == .equal { throw unexpected() }
        return name
    }

    /// `as_pattern | or_pattern`.
    mutating func parsePattern() throws(ParseFailure) -> Pattern {
        try enter()
        defer { leave() }
        let start = self.start
        let mark = openNode()
        let pattern = try parseOrPattern()
        guard accept(.kwAs) else {
            closeNode(mark)
            return pattern
        }
        let name = try parseCaptureTarget()
        try bump()
        closeNode(mark)
        return Pattern(.matchAs(pattern: pattern, name: name), range(from: start))
    }

    mutating func parseOrPattern() throws(ParseFailure) -> Pattern {
        let start = self.start
        let mark = openNode()
        let first = try parseClosedPattern()
        guard kind == .vbar else {
            closeNode(mark)
            return first
        }
        var patterns = Array(startingWith: first)
        while accept(.vbar) { patterns.append(try parseClosedPattern()) }
        try bump()
        closeNode(mark)
        return Pattern(.matchOr(patterns: patterns), range(from: start))
    }

    mutating func parseClosedPattern() throws(ParseFailure) -> Pattern {
        let start = self.start
        let mark = openNode()
        defer { closeNode(mark) }
        let pattern: PatternKind
        switch kind {
        case .number, .minus:
            pattern = .matchValue(value: try parseSignedNumberLiteral())
        case .string, .fstringStart:
            pattern = .matchValue(value: try parseStrings())
        case .kwNone, .kwTrue, .kwFalse:
            let value = keywordConstantValue
            advance()
            return Pattern(.matchSingleton(value: value), range(from: start))
        case .name:
            if isName("_") {
                advance()
                return Pattern(.matchAs(pattern: nil, name: nil), range(from: start))
            }
            if kind(ahead: 1) != .dot && kind(ahead: 1) != .lpar {
                let name = try parseCaptureTarget()
                return Pattern(.matchAs(pattern: nil, name: name), range(from: start))
            }
            let value = try parseNameOrAttribute()
            if kind == .lpar {
                return try parseClassPattern(cls: value, start: start)
            }
            if kind == .equal { throw unexpected() }
            pattern = .matchValue(value: value)
        case .lpar:
            return try parseParenthesizedPattern()
        case .lsqb:
            advance()
            let patterns = try parseSequencePatternItems(closing: .rsqb)
            pattern = .matchSequence(patterns: patterns)
        case .lbrace:
            return try parseMappingPattern()
        default:
            throw unexpected(expecting: "a pattern")
        }
        try bump()
        return Pattern(pattern, range(from: start))
    }

    /// `(p)` is the pattern p itself; `()`, `(p,)`, `(p, q)` are sequence patterns.
    mutating func parseParenthesizedPattern() throws(ParseFailure) -> Pattern {
        let start = self.start
        advance()
        if accept(.rpar) { return Pattern(.matchSequence(patterns: []), range(from: start)) }
        let first = try parseMaybeStarPattern()
        if accept(.rpar) {
            if case .matchStar = first.kind { throw failure("star pattern outside a sequence pattern", at: first.range) }
            return first
        }
        guard kind == .comma else { throw unexpected(expecting: "',' or ')'") }
        var patterns = Array(startingWith: first)
        while accept(.comma) {
            if kind == .rpar { break }
            patterns.append(try parseMaybeStarPattern())
        }
        try expect(.rpar, "')'")
        try bump()
        return Pattern(.matchSequence(patterns: patterns), range(from: start))
    }

    /// Items of `[...]` up to and including the closing bracket; trailing comma allowed.
    mutating func parseSequencePatternItems(closing: TokenKind) throws(ParseFailure) -> [Pattern] {
        var patterns: [Pattern] = []
        while kind != closing {
            patterns.append(try parseMaybeStarPattern())
            guard accept(.comma) else { break }
        }
        try expect(closing, "']'")
        return patterns
    }

    /// `{key: pattern, ..., **rest}`; keys are literals or dotted names.
    mutating func parseMappingPattern() throws(ParseFailure) -> Pattern {
        let start = self.start
        advance()
        var keys: [Expr] = []
        var patterns: [Pattern] = []
        var rest: Identifier? = nil
        while kind != .rbrace {
            if accept(.doubleStar) {
                rest = try parseCaptureTarget()
                _ = accept(.comma)
                guard kind == .rbrace else {
                    throw failure("double star pattern must be the last (right-most) subpattern in the mapping pattern",
                                  at: rest?.range ?? token.range)
                }
                break
            }
            keys.append(try parseMappingKey())
            try expect(.colon, "':'")
            patterns.append(try parsePattern())
            guard accept(.comma) else { break }
        }
        try expect(.rbrace, "'}'")
        try bump()
        return Pattern(.matchMapping(keys: keys, patterns: patterns, rest: rest), range(from: start))
    }

    /// `literal_expr | attr`.
    mutating func parseMappingKey() throws(ParseFailure) -> Expr {
        switch kind {
        case .number, .minus:
            return try parseSignedNumberLiteral()
        case .string, .fstringStart:
            return try parseStrings()
        case .kwNone, .kwTrue, .kwFalse:
            return parseKeywordConstant()
        case .name where kind(ahead: 1) == .dot:
            return try parseNameOrAttribute()
        default:
            throw unexpected(expecting: "a literal or dotted name as mapping pattern key")
        }
    }

    /// `name_or_attr`: `a` or `a.b.c` (Load context).
    mutating func parseNameOrAttribute() throws(ParseFailure) -> Expr {
        let start = self.start
        var value = try parseName(.load)
        while accept(.dot) {
            let attribute = try expectName()
            try bump()
            value = Expr(.attribute(value: value, attr: attribute, ctx: .load), range(from: start))
        }
        return value
    }

    /// `name_or_attr '(' [patterns] [keyword patterns] ')'`.
    mutating func parseClassPattern(cls: Expr, start: UInt32) throws(ParseFailure) -> Pattern {
        advance()
        var patterns: [Pattern] = []
        var keywordNames: [Identifier] = []
        var keywordPatterns: [Pattern] = []
        while kind != .rpar {
            if kind == .name && kind(ahead: 1) == .equal {
                let name = try expectName()
                advance()
                keywordNames.append(name)
                keywordPatterns.append(try parsePattern())
            } else {
                let patternStart = self.start
                let pattern = try parsePattern()
                if !keywordNames.isEmpty {
                    throw failure("positional patterns follow keyword patterns", at: range(from: patternStart))
                }
                patterns.append(pattern)
            }
            guard accept(.comma) else { break }
        }
        try expect(.rpar, "')'")
        try bump()
        return Pattern(.matchClass(cls: cls, patterns: patterns, kwdAttrs: keywordNames, kwdPatterns: keywordPatterns),
                       range(from: start))
    }

    /// `signed_number !('+' | '-')` or `complex_number` (`-1`, `3.5`, `-1+2j`, `1-2j`).
    mutating func parseSignedNumberLiteral() throws(ParseFailure) -> Expr {
        let start = self.start
        let negative = accept(.minus)
        guard kind == .number else { throw unexpected(expecting: "a number") }
        let number = try parseNumber()
        var value = number
        if negative {
            value = Expr(.unaryOp(op: .uSub, operand: number), range(from: start))
        }
        guard kind == .plus || kind == .minus else { return value }
        if case .constant(.complex, _) = number.kind {
            throw failure("real number required in complex literal", at: number.range)
        }
        let op: BinaryOperator = kind == .plus ? .add : .sub
        advance()
        guard kind == .number else { throw unexpected(expecting: "an imaginary number") }
        let imaginary = try parseNumber()
        guard case .constant(.complex, _) = imaginary.kind else {
            throw failure("imaginary number required in complex literal", at: imaginary.range)
        }
        return Expr(.binOp(left: value, op: op, right: imaginary), range(from: start))
    }
}
