// Atoms: names, constants, parenthesized forms, list/set/dict displays and comprehensions.

extension PythonParser {
    /// `None`, `True` or `False` at the current token, as a Constant.
    mutating func parseKeywordConstant() -> Expr {
        let start = self.start
        let value = keywordConstantValue
        advance()
        return Expr(.constant(value: value, kind: nil), range(from: start))
    }

    /// The value of the current `None` / `True` / `False` token (`None` for any other token).
    var keywordConstantValue: ConstantValue {
        mutating get {
            switch kind {
            case .kwTrue: return .bool(true)
            case .kwFalse: return .bool(false)
            default: return .none
            }
        }
    }

    mutating func parseAtom() throws(ParseFailure) -> Expr {
        let start = self.start
        switch kind {
        case .name:
            return try parseName(.load)
        case .number:
            return try parseNumber()
        case .string, .fstringStart:
            return try parseStrings()
        case .kwNone, .kwTrue, .kwFalse:
            return parseKeywordConstant()
        case .ellipsis:
            advance()
            return Expr(.constant(value: .ellipsis, kind: nil), range(from: start))
        case .lpar:
            return try parseParenthesized()
        case .lsqb:
            return try parseListDisplay()
        case .lbrace:
            return try parseBraceDisplay()
        default:
            throw unexpected(expecting: "an expression")
        }
    }

    var startsComprehension: Bool {
        mutating get { kind == .kwFor || (kind == .kwAsync && kind(ahead: 1) == .kwFor) }
    }

    /// `()`, `(yield)`, a group `(x)` (the node keeps its own range), a tuple `(x, *y)` (the range
    /// includes the parentheses), or a generator expression.
    mutating func parseParenthesized() throws(ParseFailure) -> Expr {
        try enter()
        defer { leave() }
        let start = self.start
        advance()
        if accept(.rpar) { return Expr(.tuple(elts: [], ctx: .load), range(from: start)) }
        if kind == .kwYield {
            let value = try parseYieldExpression()
            try expect(.rpar, "')'")
            return value
        }
        let mark = openNode()
        let first = try parseStarNamedExpression()
        if startsComprehension {
            if case .starred = first.kind { throw failure("cannot use starred expression here", at: first.range) }
            let generators = try parseComprehensionClauses()
            try expect(.rpar, "')'")
            try bump()
            closeNode(mark)
            return Expr(.generatorExp(elt: first, generators: generators), range(from: start))
        }
        if accept(.rpar) {
            if case .starred = first.kind { throw failure("cannot use starred expression here", at: first.range) }
            closeNode(mark)
            return first
        }
        guard kind == .comma else { throw unexpected(expecting: "',' or ')'") }
        var elements = Array(startingWith: first)
        while accept(.comma) {
            if kind == .rpar { break }
            elements.append(try parseStarNamedExpression())
        }
        try expect(.rpar, "',' or ')'")
        try bump()
        closeNode(mark)
        return Expr(.tuple(elts: elements, ctx: .load), range(from: start))
    }

    /// `[a, *b]` or `[x for ...]`.
    mutating func parseListDisplay() throws(ParseFailure) -> Expr {
        try enter()
        defer { leave() }
        let start = self.start
        advance()
        let mark = openNode()
        var elements: [Expr] = []
        if kind != .rsqb {
            let first = try parseStarNamedExpression()
            if startsComprehension {
                if case .starred = first.kind { throw failure("iterable unpacking cannot be used in comprehension", at: first.range) }
                let generators = try parseComprehensionClauses()
                try expect(.rsqb, "']'")
                try bump()
                closeNode(mark)
                return Expr(.listComp(elt: first, generators: generators), range(from: start))
            }
            elements.append(first)
            while accept(.comma) {
                if kind == .rsqb { break }
                elements.append(try parseStarNamedExpression())
            }
        }
        try expect(.rsqb, "',' or ']'")
        try bump()
        closeNode(mark)
        return Expr(.list(elts: elements, ctx: .load), range(from: start))
    }

    /// `{}`, `{k: v, **m}`, `{a, *b}`, and dict/set comprehensions.
    mutating func parseBraceDisplay() throws(ParseFailure) -> Expr {
        try enter()
        defer { leave() }
        let start = self.start
        advance()
        let mark = openNode()
        defer { closeNode(mark) }
        if accept(.rbrace) { return Expr(.dict(keys: [], values: []), range(from: start)) }
        if kind == .doubleStar {
            advance()
            let mapping = try parseBitwiseOr()
            return try parseDictRest(keys: [nil], values: [mapping], start: start)
        }
        let bareWalrus = kind == .name && kind(ahead: 1) == .colonEqual
        let first = try parseStarNamedExpression()
        if kind == .colon {
            if case .starred = first.kind { throw failure("cannot use a starred expression in a dictionary key", at: first.range) }
            if bareWalrus { throw unexpected() }
            advance()
            let value = try parseExpression()
            if startsComprehension {
                let generators = try parseComprehensionClauses()
                try expect(.rbrace, "'}'")
                try bump()
                return Expr(.dictComp(key: first, value: value, generators: generators), range(from: start))
            }
            return try parseDictRest(keys: [first], values: [value], start: start)
        }
        if startsComprehension {
            if case .starred = first.kind { throw failure("iterable unpacking cannot be used in comprehension", at: first.range) }
            let generators = try parseComprehensionClauses()
            try expect(.rbrace, "'}'")
            try bump()
            return Expr(.setComp(elt: first, generators: generators), range(from: start))
        }
        var elements = Array(startingWith: first)
        while accept(.comma) {
            if kind == .rbrace { break }
            elements.append(try parseStarNamedExpression())
        }
        try expect(.rbrace, "',' or '}'")
        try bump()
        return Expr(.set(elts: elements), range(from: start))
    }

    /// The items of a dict display after the first, through `}`.
    mutating func parseDictRest(keys: [Expr?], values: [Expr], start: UInt32) throws(ParseFailure) -> Expr {
        var keys = keys
        var values = values
        while accept(.comma) {
            if kind == .rbrace { break }
            if accept(.doubleStar) {
                keys.append(nil)
                values.append(try parseBitwiseOr())
            } else {
                keys.append(try parseExpression())
                try expect(.colon, "':'")
                values.append(try parseExpression())
            }
        }
        try expect(.rbrace, "',' or '}'")
        try bump()
        return Expr(.dict(keys: keys, values: values), range(from: start))
    }

    /// `for_if_clauses`: `[async] for targets in disjunction (if disjunction)*`, one or more.
    mutating func parseComprehensionClauses() throws(ParseFailure) -> [Comprehension] {
        var generators: [Comprehension] = []
        while startsComprehension {
            let isAsync = accept(.kwAsync)
            advance()
            let target = try parseStarTargets()
            try expect(.kwIn, "'in'")
            let iterable = try parseDisjunction()
            var conditions: [Expr] = []
            while accept(.kwIf) { conditions.append(try parseDisjunction()) }
            generators.append(Comprehension(target: target, iter: iterable, ifs: conditions, isAsync: isAsync))
        }
        return generators
    }
}
