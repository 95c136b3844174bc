import ModelintSyntax

/// Direct child expressions of an expression, in source order. Lambdas and comprehensions are listed whole
/// (their parts are in the same order CPython evaluates them); callers that care about scopes special-case them.
enum ExprChildren {
    static func of(_ expr: Expr) -> [Expr] {
        switch expr.kind {
        case .boolOp(_, let values): return values
        case .namedExpr(let target, let value): return [target, value]
        case .binOp(let left, _, let right): return [left, right]
        case .unaryOp(_, let operand): return [operand]
        case .lambda(let args, let body): return ArgumentsParts.defaults(args) + [body]
        case .ifExp(let test, let body, let orelse): return [test, body, orelse]
        case .dict(let keys, let values):
            var out: [Expr] = []
            for (key, value) in zip(keys, values) {
                if let key { out.append(key) }
                out.append(value)
            }
            return out
        case .set(let elts), .list(let elts, _), .tuple(let elts, _): return elts
        case .listComp(let elt, let generators), .setComp(let elt, let generators),
             .generatorExp(let elt, let generators):
            return generators.flatMap { [$0.target, $0.iter] + $0.ifs } + [elt]
        case .dictComp(let key, let value, let generators):
            return generators.flatMap { [$0.target, $0.iter] + $0.ifs } + [key, value]
        case .await(let value), .yieldFrom(let value): return [value]
        case .yield(let value): return value.map { [$0] } ?? []
        case .compare(let left, _, let comparators): return [left] + comparators
        case .call(let function, let args, let keywords): return [function] + args + keywords.map(\.value)
        case .formattedValue(let value, _, let spec): return [value] + (spec.map { [$0] } ?? [])
        case .joinedStr(let values): return values
        case .constant, .name: return []
        case .attribute(let value, _, _): return [value]
        case .subscript(let value, let slice, _): return [value, slice]
        case .starred(let value, _): return [value]
        case .slice(let lower, let upper, let step): return [lower, upper, step].compactMap { $0 }
        }
    }
}

/// Expressions inside `ast.arguments` that belong to the enclosing scope.
enum ArgumentsParts {
    static func defaults(_ args: Arguments) -> [Expr] { args.defaults + args.kwDefaults.compactMap { $0 } }

    static func annotations(_ args: Arguments) -> [Expr] {
        allArgs(args).compactMap(\.annotation)
    }

    /// Every parameter in declaration order: posonly, args, *vararg, kwonly, **kwarg.
    static func allArgs(_ args: Arguments) -> [Arg] {
        var all = args.posonlyargs + args.args
        if let vararg = args.vararg { all.append(vararg) }
        all += args.kwonlyargs
        if let kwarg = args.kwarg { all.append(kwarg) }
        return all
    }

    static func positional(_ args: Arguments) -> [Arg] { args.posonlyargs + args.args }
}

/// Every expression and statement under a list of statements, visited in source order with an explicit stack
/// (no recursion: trees can be thousands of levels deep).
enum ASTWalk {
    enum Item {
        case stmt(Stmt)
        case expr(Expr)
    }

    /// Visits `body`. Nested function and class bodies are entered only when `enterDefinitions` is true;
    /// their decorators, defaults and bases are always visited (they run in the enclosing scope).
    static func walk(_ body: [Stmt], enterDefinitions: Bool, stmt visitStmt: (Stmt) -> Void = { _ in },
                     expr visitExpr: (Expr) -> Void) {
        var stack: [Item] = body.reversed().map { .stmt($0) }
        while let item = stack.popLast() {
            switch item {
            case .expr(let expr):
                visitExpr(expr)
                for child in ExprChildren.of(expr).reversed() { stack.append(.expr(child)) }
            case .stmt(let stmt):
                visitStmt(stmt)
                let (exprs, blocks) = parts(of: stmt, enterDefinitions: enterDefinitions)
                for block in blocks.reversed() { for s in block.reversed() { stack.append(.stmt(s)) } }
                for e in exprs.reversed() { stack.append(.expr(e)) }
            }
        }
    }

    /// A statement's own expressions, then its nested blocks (handler types of a `try` come before its body here).
    static func parts(of stmt: Stmt, enterDefinitions: Bool) -> (exprs: [Expr], blocks: [[Stmt]]) {
        switch stmt.kind {
        case .functionDef(let def), .asyncFunctionDef(let def):
            let exprs = def.decoratorList + ArgumentsParts.defaults(def.args) + ArgumentsParts.annotations(def.args)
                + (def.returns.map { [$0] } ?? [])
            return (exprs, enterDefinitions ? [def.body] : [])
        case .classDef(let cls):
            return (cls.decoratorList + cls.bases + cls.keywords.map(\.value), enterDefinitions ? [cls.body] : [])
        case .return(let value): return (value.map { [$0] } ?? [], [])
        case .delete(let targets): return (targets, [])
        case .assign(let targets, let value): return ([value] + targets, [])
        case .typeAlias(let name, _, let value): return ([name, value], [])
        case .augAssign(let target, _, let value): return ([target, value], [])
        case .annAssign(let target, let annotation, let value, _):
            return ([annotation] + (value.map { [$0] } ?? []) + [target], [])
        case .for(let target, let iter, let body, let orelse), .asyncFor(let target, let iter, let body, let orelse):
            return ([iter, target], [body, orelse])
        case .while(let test, let body, let orelse): return ([test], [body, orelse])
        case .if(let test, let body, let orelse): return ([test], [body, orelse])
        case .with(let items, let body), .asyncWith(let items, let body):
            return (items.flatMap { [$0.contextExpr] + ($0.optionalVars.map { [$0] } ?? []) }, [body])
        case .match(let subject, let cases):
            return ([subject] + cases.compactMap(\.guard_), cases.map(\.body))
        case .raise(let exc, let cause): return ([exc, cause].compactMap { $0 }, [])
        case .try(let body, let handlers, let orelse, let finalbody),
             .tryStar(let body, let handlers, let orelse, let finalbody):
            return (handlers.compactMap(\.type), [body] + handlers.map(\.body) + [orelse, finalbody])
        case .assert(let test, let msg): return ([test] + (msg.map { [$0] } ?? []), [])
        case .expr(let value): return ([value], [])
        case .import, .importFrom, .global, .nonlocal, .pass, .break, .continue: return ([], [])
        }
    }
}
