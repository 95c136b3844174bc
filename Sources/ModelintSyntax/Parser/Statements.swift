// Statement lists, blocks and simple statements (CPython grammar: statements, block, simple_stmts).

extension PythonParser {
    mutating func parseModule() -> [Stmt] {
        var body: [Stmt] = []
        do {
            try parseStatements(into: &body, endingAt: .endMarker)
        } catch {
            record(error)
        }
        return body
    }

    /// Parses statements until `end` (DEDENT for a block, ENDMARKER for the module). A statement
    /// that fails is recorded and skipped, so the rest of the file still yields a tree; fatal
    /// failures (lexer errors, nesting too deep) end the parse.
    mutating func parseStatements(into body: inout [Stmt], endingAt end: TokenKind) throws(ParseFailure) {
        if body.isEmpty { body.reserveCapacity(4) }
        while kind != end && kind != .endMarker {
            let before = checkpoint
            let bodyCount = body.count
            let importCount = imports.count
            do {
                try parseStatement(into: &body)
            } catch {
                dropImports(after: importCount, keeping: body[bodyCount...])
                if error.fatal { throw error }
                record(error)
                restore(Checkpoint(pos: pos, lastEnd: lastEnd, depth: before.depth, height: before.height))
                skipToNextStatement()
                if pos == before.pos {
                    if kind == .endMarker || kind == .error { return }
                    advance()
                }
            }
        }
    }

    /// A failed statement leaves the tree, and so do the imports parsed inside it; only the simple
    /// statements before the failing one on its line (`import a; 1 +`) stay in `kept`.
    mutating func dropImports(after count: Int, keeping kept: ArraySlice<Stmt>) {
        guard imports.count > count else { return }
        imports.removeSubrange(count...)
        for stmt in kept {
            switch stmt.kind {
            case .import, .importFrom: imports.append(stmt)
            default: break
            }
        }
    }

    mutating func record(_ failure: ParseFailure) {
        if firstError == nil, let diagnostic = failure.diagnostic { firstError = diagnostic }
    }

    /// Error recovery: skips the rest of the logical line, and the indented block under it if any.
    mutating func skipToNextStatement() {
        while true {
            switch kind {
            case .endMarker, .error, .dedent:
                return
            case .newline:
                advance()
                if kind == .indent {
                    var level = 0
                    repeat {
                        if kind == .indent { level += 1 } else if kind == .dedent { level -= 1 }
                        if kind == .endMarker || kind == .error { return }
                        advance()
                    } while level > 0
                }
                return
            default:
                advance()
            }
        }
    }

    mutating func parseStatement(into body: inout [Stmt]) throws(ParseFailure) {
        switch kind {
        case .kwDef, .kwIf, .kwClass, .kwWith, .kwFor, .kwTry, .kwWhile, .at, .kwAsync:
            body.append(try parseCompoundStatement())
        case .name where isName("match"):
            if let match = try parseMatchStatement() {
                body.append(match)
            } else {
                try parseSimpleStatements(into: &body)
            }
        default:
            try parseSimpleStatements(into: &body)
        }
    }

    /// `block`: an indented statement list, or simple statements on the header's line.
    mutating func parseBlock() throws(ParseFailure) -> [Stmt] {
        guard kind == .newline else {
            var body: [Stmt] = []
            try parseSimpleStatements(into: &body)
            return body
        }
        advance()
        guard kind == .indent else {
            if kind == .error { throw unexpected() }
            throw failure("expected an indented block", at: token.range)
        }
        advance()
        var body: [Stmt] = []
        try parseStatements(into: &body, endingAt: .dedent)
        if kind == .dedent { advance() }
        return body
    }

    /// `simple_stmts`: `;`-separated simple statements ending the logical line.
    mutating func parseSimpleStatements(into body: inout [Stmt]) throws(ParseFailure) {
        while true {
            body.append(try parseSimpleStatement())
            guard accept(.semi) else { break }
            if kind == .newline { break }
        }
        switch kind {
        case .newline: advance()
        case .endMarker: break
        default:
            if let last = body.last, case .expr(let value) = last.kind, case .name(let id, _) = value.kind,
               id.text == "print" || id.text == "exec", kind.startsExpression {
                throw failure("Missing parentheses in call to '\(id.text)'. Did you mean \(id.text)(...)?",
                              at: last.range)
            }
            throw unexpected()
        }
    }

    mutating func parseSimpleStatement() throws(ParseFailure) -> Stmt {
        let start = self.start
        switch kind {
        case .kwPass:
            advance()
            return Stmt(.pass, range(from: start))
        case .kwBreak:
            advance()
            return Stmt(.break, range(from: start))
        case .kwContinue:
            advance()
            return Stmt(.continue, range(from: start))
        case .kwReturn:
            advance()
            let value = kind.startsStarExpression ? try parseStarExpressions() : nil
            return Stmt(.return(value: value), range(from: start))
        case .kwRaise:
            return try parseRaise()
        case .kwGlobal, .kwNonlocal:
            let isGlobal = kind == .kwGlobal
            advance()
            var names = [try expectName()]
            while accept(.comma) { names.append(try expectName()) }
            return Stmt(isGlobal ? .global(names: names) : .nonlocal(names: names), range(from: start))
        case .kwDel:
            return try parseDelete()
        case .kwAssert:
            advance()
            let test = try parseExpression()
            let message = accept(.comma) ? try parseExpression() : nil
            return Stmt(.assert(test: test, msg: message), range(from: start))
        case .kwImport:
            return try parseImport()
        case .kwFrom:
            return try parseImportFrom()
        case .name where kind(ahead: 1) == .name && isName("type"):
            return try parseTypeAlias()
        default:
            return try parseExpressionStatement()
        }
    }

    mutating func parseRaise() throws(ParseFailure) -> Stmt {
        let start = self.start
        advance()
        guard kind.startsExpression else { return Stmt(.raise(exc: nil, cause: nil), range(from: start)) }
        let exception = try parseExpression()
        let cause = accept(.kwFrom) ? try parseExpression() : nil
        return Stmt(.raise(exc: exception, cause: cause), range(from: start))
    }

    /// `del` targets: primaries converted to Del context, then the end of the statement.
    mutating func parseDelete() throws(ParseFailure) -> Stmt {
        let start = self.start
        advance()
        let mark = openNode()
        var targets: [Expr] = []
        repeat {
            if kind == .semi || kind == .newline, !targets.isEmpty { break }
            targets.append(try toTarget(try parsePrimary(), .del))
        } while accept(.comma)
        guard kind == .semi || kind == .newline || kind == .endMarker else { throw unexpected() }
        try bump()
        closeNode(mark)
        return Stmt(.delete(targets: targets), range(from: start))
    }

    /// `import a.b as c, d`.
    mutating func parseImport() throws(ParseFailure) -> Stmt {
        let start = self.start
        advance()
        var names: [Alias] = []
        repeat {
            let aliasStart = self.start
            let name = try parseDottedName()
            let asName = accept(.kwAs) ? try expectName() : nil
            names.append(Alias(name: name, asname: asName, range: range(from: aliasStart)))
        } while accept(.comma)
        let stmt = Stmt(.import(names: names), range(from: start))
        imports.append(stmt)
        return stmt
    }

    /// `from .a import b as c`, `from . import (x, y,)`, `from a import *`.
    mutating func parseImportFrom() throws(ParseFailure) -> Stmt {
        let start = self.start
        advance()
        var level = 0
        while true {
            if accept(.dot) { level += 1 } else if accept(.ellipsis) { level += 3 } else { break }
        }
        let module: Identifier? = (level == 0 || kind == .name) ? try parseDottedName() : nil
        try expect(.kwImport, "'import'")
        var names: [Alias] = []
        if kind == .star {
            let star = token
            advance()
            names.append(Alias(name: Identifier("*", star.range), asname: nil, range: star.range))
        } else {
            let parenthesized = accept(.lpar)
            repeat {
                if !names.isEmpty {
                    if parenthesized && kind == .rpar { break }
                    if !parenthesized && kind == .newline {
                        throw failure("trailing comma not allowed without surrounding parentheses",
                                      at: tokens[pos - 1].range)
                    }
                }
                let aliasStart = self.start
                let name = try expectName()
                let asName = accept(.kwAs) ? try expectName() : nil
                names.append(Alias(name: name, asname: asName, range: range(from: aliasStart)))
            } while accept(.comma)
            if parenthesized { try expect(.rpar, "')'") }
        }
        let stmt = Stmt(.importFrom(module: module, names: names, level: level), range(from: start))
        imports.append(stmt)
        return stmt
    }

    /// `a.b.c` as one identifier spelled with single dots (as CPython joins it).
    mutating func parseDottedName() throws(ParseFailure) -> Identifier {
        let first = try expectName("a module name")
        guard kind == .dot else { return first }
        var text = first.text
        while accept(.dot) {
            text += "."
            text += try expectName("a module name").text
        }
        return Identifier(text, range(from: first.range.start))
    }

    /// `type X[T] = value` (PEP 695); `type` is a soft keyword.
    mutating func parseTypeAlias() throws(ParseFailure) -> Stmt {
        let start = self.start
        advance()
        let mark = openNode()
        let name = try parseName(.store)
        let typeParams = kind == .lsqb ? try parseTypeParams() : []
        try expect(.equal, "'='")
        let value = try parseExpression()
        try bump()
        closeNode(mark)
        return Stmt(.typeAlias(name: name, typeParams: typeParams, value: value), range(from: start))
    }

    /// Expression statements and the assignments that start with an expression: `a = b = c`,
    /// `a += b`, `a: T = v`. The targets are parsed as expressions, then checked and converted.
    mutating func parseExpressionStatement() throws(ParseFailure) -> Stmt {
        let start = self.start
        let firstIndex = pos
        let mark = openNode()
        let first: Expr
        if kind == .name && kind(ahead: 1) == .equal {
            // `name = ...`, the commonest statement: build the target in Store context directly.
            first = try parseName(.store)
        } else {
            first = kind == .kwYield ? try parseYieldExpression() : try parseStarExpressions()
        }
        let statement: StmtKind
        switch kind {
        case .equal:
            var targets = [first]
            var value: Expr
            repeat {
                advance()
                value = try parseAssignedValue()
                if kind == .equal { targets.append(value) }
            } while kind == .equal
            for index in targets.indices { targets[index] = try toTarget(targets[index], .store) }
            statement = .assign(targets: targets, value: value)
        case .colon:
            try checkSingleTarget(first, annotated: true)
            let simple = pos == firstIndex + 1
            advance()
            let annotation = try parseExpression()
            let value = accept(.equal) ? try parseAssignedValue() : nil
            statement = .annAssign(target: try toTarget(first, .store), annotation: annotation, value: value,
                                   simple: simple)
        default:
            guard let op = kind.augmentedOperator else {
                closeNode(mark)
                return Stmt(.expr(value: first), range(from: start))
            }
            try checkSingleTarget(first, annotated: false)
            advance()
            let value = try parseAssignedValue()
            statement = .augAssign(target: try toTarget(first, .store), op: op, value: value)
        }
        try bump()
        closeNode(mark)
        return Stmt(statement, range(from: start))
    }

    /// `annotated_rhs`: a yield expression or star expressions.
    mutating func parseAssignedValue() throws(ParseFailure) -> Expr {
        kind == .kwYield ? try parseYieldExpression() : try parseStarExpressions()
    }

    /// `single_target`: a name, attribute or subscript, possibly parenthesized (never a tuple or list).
    mutating func checkSingleTarget(_ target: Expr, annotated: Bool) throws(ParseFailure) {
        switch target.kind {
        case .name, .attribute, .subscript:
            return
        case .tuple where annotated:
            throw failure("only single target (not tuple) can be annotated", at: target.range)
        case .list where annotated:
            throw failure("only single target (not list) can be annotated", at: target.range)
        default:
            if annotated { throw failure("illegal target for annotation", at: target.range) }
            throw failure("'\(target.syntaxName)' is an illegal expression for augmented assignment",
                          at: target.range)
        }
    }
}
