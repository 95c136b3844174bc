// Compound statements: if/while/for/try/with, function and class definitions, decorators.
// The match statement is in MatchStatement.swift.

extension PythonParser {
    mutating func parseCompoundStatement() throws(ParseFailure) -> Stmt {
        try enter()
        defer { leave() }
        let mark = openNode()
        let statement: Stmt
        switch kind {
        case .kwIf: statement = try parseIf()
        case .kwWhile: statement = try parseWhile()
        case .kwFor: statement = try parseFor(start: start, isAsync: false)
        case .kwTry: statement = try parseTry()
        case .kwWith: statement = try parseWith(start: start, isAsync: false)
        case .kwDef: statement = try parseFunctionDef(start: start, decorators: [], isAsync: false)
        case .kwClass: statement = try parseClassDef(decorators: [])
        case .at: statement = try parseDecorated()
        case .kwAsync:
            let start = self.start
            advance()
            switch kind {
            case .kwDef: statement = try parseFunctionDef(start: start, decorators: [], isAsync: true)
            case .kwWith: statement = try parseWith(start: start, isAsync: true)
            case .kwFor: statement = try parseFor(start: start, isAsync: true)
            default: throw unexpected(expecting: "'def', 'with' or 'for' after 'async'")
            }
        default:
            throw unexpected()
        }
        try bump()
        closeNode(mark)
        return statement
    }

    /// `if`/`elif` (an `elif` is an `If` nested in the previous one's `orelse`, starting at `elif`).
    mutating func parseIf() throws(ParseFailure) -> Stmt {
        let start = self.start
        advance()
        let test = try parseNamedExpression()
        try expect(.colon, "':'")
        let body = try parseBlock()
        var orelse: [Stmt] = []
        if kind == .kwElif {
            try enter()
            defer { leave() }
            let mark = openNode()
            orelse = [try parseIf()]
            try bump()
            closeNode(mark)
        } else if kind == .kwElse {
            orelse = try parseElseBlock()
        }
        return Stmt(.if(test: test, body: body, orelse: orelse), range(from: start))
    }

    mutating func parseElseBlock() throws(ParseFailure) -> [Stmt] {
        advance()
        try expect(.colon, "':'")
        return try parseBlock()
    }

    mutating func parseWhile() throws(ParseFailure) -> Stmt {
        let start = self.start
        advance()
        let test = try parseNamedExpression()
        try expect(.colon, "':'")
        let body = try parseBlock()
        let orelse = kind == .kwElse ? try parseElseBlock() : []
        return Stmt(.while(test: test, body: body, orelse: orelse), range(from: start))
    }

    mutating func parseFor(start: UInt32, isAsync: Bool) throws(ParseFailure) -> Stmt {
        advance()
        let target = try parseStarTargets()
        try expect(.kwIn, "'in'")
        let iterable = try parseStarExpressions()
        try expect(.colon, "':'")
        let body = try parseBlock()
        let orelse = kind == .kwElse ? try parseElseBlock() : []
        let statement: StmtKind = isAsync
            ? .asyncFor(target: target, iter: iterable, body: body, orelse: orelse)
            : .for(target: target, iter: iterable, body: body, orelse: orelse)
        return Stmt(statement, range(from: start))
    }

    mutating func parseTry() throws(ParseFailure) -> Stmt {
        let start = self.start
        advance()
        try expect(.colon, "':'")
        let body = try parseBlock()
        var handlers: [ExceptHandler] = []
        var isStar = false
        while kind == .kwExcept {
            let handlerStart = self.start
            advance()
            let starred = accept(.star)
            if handlers.isEmpty {
                isStar = starred
            } else if starred != isStar {
                throw failure("cannot have both 'except' and 'except*' on the same 'try'",
                              at: TextRange(start: handlerStart, end: lastEnd))
            }
            var type: Expr? = nil
            var name: Identifier? = nil
            if kind != .colon || starred {
                if starred && kind == .colon {
                    throw failure("expected one or more exception types", at: token.range)
                }
                type = try parseExpression()
                if accept(.kwAs) { name = try expectName() }
            }
            try expect(.colon, "':'")
            let handlerBody = try parseBlock()
            handlers.append(ExceptHandler(type: type, name: name, body: handlerBody, range: range(from: handlerStart)))
        }
        let orelse = !handlers.isEmpty && kind == .kwElse ? try parseElseBlock() : []
        var finalbody: [Stmt] = []
        if kind == .kwFinally {
            advance()
            try expect(.colon, "':'")
            finalbody = try parseBlock()
        } else if handlers.isEmpty {
            throw unexpected(expecting: "'except' or 'finally' block")
        }
        let statement: StmtKind = isStar
            ? .tryStar(body: body, handlers: handlers, orelse: orelse, finalbody: finalbody)
            : .try(body: body, handlers: handlers, orelse: orelse, finalbody: finalbody)
        return Stmt(statement, range(from: start))
    }

    /// `with` items: `with (a as b, c):` is a parenthesized item list when `:` follows the `)`;
    /// otherwise the parenthesis belongs to an expression (`with (a, b) as c:`). That one case
    /// needs a second try, bounded to the header.
    mutating func parseWith(start: UInt32, isAsync: Bool) throws(ParseFailure) -> Stmt {
        advance()
        var items: [WithItem]? = nil
        if kind == .lpar {
            let before = checkpoint
            do {
                items = try parseParenthesizedWithItems()
            } catch {
                if error.fatal { throw error }
                restore(before)
            }
        }
        if items == nil {
            var list: [WithItem] = []
            repeat { list.append(try parseWithItem()) } while accept(.comma)
            items = list
        }
        try expect(.colon, "':'")
        let body = try parseBlock()
        let statement: StmtKind = isAsync ? .asyncWith(items: items ?? [], body: body) : .with(items: items ?? [], body: body)
        return Stmt(statement, range(from: start))
    }

    /// `'(' ','.with_item+ ','? ')'` followed by `:`.
    mutating func parseParenthesizedWithItems() throws(ParseFailure) -> [WithItem] {
        advance()
        var items: [WithItem] = []
        repeat {
            if kind == .rpar && !items.isEmpty { break }
            items.append(try parseWithItem())
        } while accept(.comma)
        try expect(.rpar, "')'")
        guard kind == .colon else { throw unexpected(expecting: "':'") }
        return items
    }

    /// `expression ['as' star_target]`; the target must be followed by `,`, `)` or `:`.
    mutating func parseWithItem() throws(ParseFailure) -> WithItem {
        let context = try parseExpression()
        guard accept(.kwAs) else { return WithItem(contextExpr: context, optionalVars: nil) }
        let target = try parseStarTarget()
        guard kind == .comma || kind == .rpar || kind == .colon else { throw unexpected(expecting: "':'") }
        return WithItem(contextExpr: context, optionalVars: target)
    }

    /// Decorators, then the decorated def or class (whose range starts at `def`/`async`/`class`).
    mutating func parseDecorated() throws(ParseFailure) -> Stmt {
        var decorators: [Expr] = []
        while accept(.at) {
            decorators.append(try parseNamedExpression())
            try expect(.newline, "end of line after the decorator")
        }
        switch kind {
        case .kwDef:
            return try parseFunctionDef(start: start, decorators: decorators, isAsync: false)
        case .kwClass:
            return try parseClassDef(decorators: decorators)
        case .kwAsync where kind(ahead: 1) == .kwDef:
            let start = self.start
            advance()
            return try parseFunctionDef(start: start, decorators: decorators, isAsync: true)
        default:
            throw unexpected(expecting: "a function or class definition after the decorators")
        }
    }

    mutating func parseFunctionDef(start: UInt32, decorators: [Expr], isAsync: Bool) throws(ParseFailure) -> Stmt {
        advance()
        let name = try expectName("a function name")
        let typeParams = kind == .lsqb ? try parseTypeParams() : []
        try expect(.lpar, "'('")
        let arguments = try parseParameters(lambda: false)
        try expect(.rpar, "')'")
        let returns = accept(.rarrow) ? try parseExpression() : nil
        try expect(.colon, "':'")
        let body = try parseBlock()
        let definition = FunctionDef(name: name, args: arguments, body: body, decoratorList: decorators,
                                     returns: returns, typeParams: typeParams)
        return Stmt(isAsync ? .asyncFunctionDef(definition) : .functionDef(definition), range(from: start))
    }

    mutating func parseClassDef(decorators: [Expr]) throws(ParseFailure) -> Stmt {
        let start = self.start
        advance()
        let name = try expectName("a class name")
        let typeParams = kind == .lsqb ? try parseTypeParams() : []
        var bases: [Expr] = []
        var keywords: [Keyword] = []
        if accept(.lpar) {
            let arguments = try parseCallArguments(allowGenerator: false, open: tokens[pos - 1].range.start)
            bases = arguments.args
            keywords = arguments.keywords
        }
        try expect(.colon, "':'")
        let body = try parseBlock()
        let definition = ClassDef(name: name, bases: bases, keywords: keywords, body: body, decoratorList: decorators,
                                  typeParams: typeParams)
        return Stmt(.classDef(definition), range(from: start))
    }

    /// PEP 695 `[T: bound, *Ts, **P]`.
    mutating func parseTypeParams() throws(ParseFailure) -> [TypeParam] {
        advance()
        if kind == .rsqb { throw failure("Type parameter list cannot be empty", at: token.range) }
        var params: [TypeParam] = []
        repeat {
            if kind == .rsqb { break }
            let start = self.start
            if accept(.star) {
                let name = try expectName()
                if kind == .colon { throw failure("cannot use bound with TypeVarTuple", at: token.range) }
                params.append(TypeParam(kind: .typeVarTuple, name: name, range: range(from: start)))
            } else if accept(.doubleStar) {
                let name = try expectName()
                if kind == .colon { throw failure("cannot use bound with ParamSpec", at: token.range) }
                params.append(TypeParam(kind: .paramSpec, name: name, range: range(from: start)))
            } else {
                let name = try expectName("a type parameter")
                let bound = accept(.colon) ? try parseExpression() : nil
                params.append(TypeParam(kind: .typeVar(bound: bound), name: name, range: range(from: start)))
            }
        } while accept(.comma)
        try expect(.rsqb, "']'")
        return params
    }
}
