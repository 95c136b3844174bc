import ModelintAnalysis
import ModelintSyntax

/// Walks one file's tree once and hands each node to the node rules that subscribed to its kind.
///
/// The walk is iterative (an explicit work stack) because left-deep expressions such as a long chain of `+`
/// nest thousands of levels, more than a Dispatch worker thread's stack allows for recursion. The work stack
/// and the ancestor stack are reused across nodes, so the walk allocates only when they grow.
struct SyntaxWalker {
    private enum Work {
        case enter(AnyNode)
        case exit
    }

    private let rules: [any NodeRule]
    /// `dispatch[tag.rawValue]` = indices into `rules` of the rules subscribed to that kind.
    private let dispatch: [[Int]]
    private var work: [Work] = []

    init(rules: [any NodeRule]) {
        self.rules = rules
        var table = [[Int]](repeating: [], count: NodeKindTag.allCases.count)
        for (index, rule) in rules.enumerated() {
            for tag in rule.nodeKinds.sorted(by: { $0.rawValue < $1.rawValue }) {
                table[Int(tag.rawValue)].append(index)
            }
        }
        self.dispatch = table
        work.reserveCapacity(256)
    }

    mutating func walk(_ module: Module, _ context: RuleContext, _ sink: inout [Finding]) {
        guard !rules.isEmpty else { return }
        context.ancestors.removeAll(keepingCapacity: true)
        work.removeAll(keepingCapacity: true)
        pushStatements(module.body)
        while let item = work.popLast() {
            switch item {
            case .exit:
                context.ancestors.removeLast()
            case .enter(let node):
                let subscribers = dispatch[Int(NodeKindTag(node).rawValue)]
                for index in subscribers {
                    rules[index].check(node, context, &sink)
                }
                context.ancestors.append(node)
                work.append(.exit)
                let firstChild = work.count
                switch node {
                case .expr(let e): pushChildren(of: e)
                case .stmt(let s): pushChildren(of: s)
                }
                // Children were pushed in source order; the stack pops from the end.
                work[firstChild...].reverse()
            }
        }
    }

    // MARK: - Children, in source order

    private mutating func push(_ e: Expr) { work.append(.enter(.expr(e))) }
    private mutating func push(_ e: Expr?) { if let e { work.append(.enter(.expr(e))) } }
    private mutating func push(_ es: [Expr]) { for e in es { work.append(.enter(.expr(e))) } }
    private mutating func pushStatements(_ ss: [Stmt]) {
        let first = work.count
        for s in ss { work.append(.enter(.stmt(s))) }
        work[first...].reverse()
    }
    /// Statement bodies are pushed in order like any other child; the caller reverses the whole batch.
    private mutating func pushBody(_ ss: [Stmt]) { for s in ss { work.append(.enter(.stmt(s))) } }

    private mutating func pushChildren(of e: Expr) {
        switch e.kind {
        case .boolOp(_, let values): push(values)
        case .namedExpr(let target, let value): push(target); push(value)
        case .binOp(let left, _, let right): push(left); push(right)
        case .unaryOp(_, let operand): push(operand)
        case .lambda(let args, let body): push(arguments: args); push(body)
        case .ifExp(let test, let body, let orelse): push(body); push(test); push(orelse)
        case .dict(let keys, let values):
            for (key, value) in zip(keys, values) { push(key); push(value) }
        case .set(let elts): push(elts)
        case .listComp(let elt, let generators), .setComp(let elt, let generators),
             .generatorExp(let elt, let generators):
            push(elt); push(generators: generators)
        case .dictComp(let key, let value, let generators): push(key); push(value); push(generators: generators)
        case .await(let value), .yieldFrom(let value): push(value)
        case .yield(let value): push(value)
        case .compare(let left, _, let comparators): push(left); push(comparators)
        case .call(let function, let args, let keywords):
            push(function)
            push(args)
            for keyword in keywords { push(keyword.value) }
        case .formattedValue(let value, _, let formatSpec): push(value); push(formatSpec)
        case .joinedStr(let values): push(values)
        case .constant, .name: break
        case .attribute(let value, _, _): push(value)
        case .subscript(let value, let slice, _): push(value); push(slice)
        case .starred(let value, _): push(value)
        case .list(let elts, _), .tuple(let elts, _): push(elts)
        case .slice(let lower, let upper, let step): push(lower); push(upper); push(step)
        }
    }

    private mutating func pushChildren(of s: Stmt) {
        switch s.kind {
        case .functionDef(let def), .asyncFunctionDef(let def):
            push(def.decoratorList)
            push(typeParams: def.typeParams)
            push(arguments: def.args)
            push(def.returns)
            pushBody(def.body)
        case .classDef(let def):
            push(def.decoratorList)
            push(typeParams: def.typeParams)
            push(def.bases)
            for keyword in def.keywords { push(keyword.value) }
            pushBody(def.body)
        case .return(let value): push(value)
        case .delete(let targets): push(targets)
        case .assign(let targets, let value): push(targets); push(value)
        case .typeAlias(let name, let typeParams, let value): push(name); push(typeParams: typeParams); push(value)
        case .augAssign(let target, _, let value): push(target); push(value)
        case .annAssign(let target, let annotation, let value, _): push(target); push(annotation); push(value)
        case .for(let target, let iter, let body, let orelse), .asyncFor(let target, let iter, let body, let orelse):
            push(target); push(iter); pushBody(body); pushBody(orelse)
        case .while(let test, let body, let orelse), .if(let test, let body, let orelse):
            push(test); pushBody(body); pushBody(orelse)
        case .with(let items, let body), .asyncWith(let items, let body):
            for item in items { push(item.contextExpr); push(item.optionalVars) }
            pushBody(body)
        case .match(let subject, let cases):
            push(subject)
            for matchCase in cases {
                push(pattern: matchCase.pattern)
                push(matchCase.guard_)
                pushBody(matchCase.body)
            }
        case .raise(let exc, let cause): push(exc); push(cause)
        case .try(let body, let handlers, let orelse, let finalbody),
             .tryStar(let body, let handlers, let orelse, let finalbody):
            pushBody(body)
            for handler in handlers { push(handler.type); pushBody(handler.body) }
            pushBody(orelse)
            pushBody(finalbody)
        case .assert(let test, let msg): push(test); push(msg)
        case .expr(let value): push(value)
        case .import, .importFrom, .global, .nonlocal, .pass, .break, .continue: break
        }
    }

    private mutating func push(arguments args: Arguments) {
        for arg in args.posonlyargs { push(arg.annotation) }
        for arg in args.args { push(arg.annotation) }
        push(args.vararg?.annotation)
        for arg in args.kwonlyargs { push(arg.annotation) }
        push(args.kwarg?.annotation)
        push(args.defaults)
        for value in args.kwDefaults { push(value) }
    }

    private mutating func push(generators: [Comprehension]) {
        for generator in generators { push(generator.target); push(generator.iter); push(generator.ifs) }
    }

    private mutating func push(typeParams: [TypeParam]) {
        for param in typeParams {
            if case .typeVar(let bound) = param.kind { push(bound) }
        }
    }

    /// Patterns are not nodes of their own; their value expressions are.
    private mutating func push(pattern: Pattern) {
        switch pattern.kind {
        case .matchValue(let value): push(value)
        case .matchSingleton, .matchStar: break
        case .matchSequence(let patterns), .matchOr(let patterns):
            for p in patterns { push(pattern: p) }
        case .matchMapping(let keys, let patterns, _):
            for (key, p) in zip(keys, patterns) { push(key); push(pattern: p) }
        case .matchClass(let cls, let patterns, _, let kwdPatterns):
            push(cls)
            for p in patterns { push(pattern: p) }
            for p in kwdPatterns { push(pattern: p) }
        case .matchAs(let p, _):
            if let p { push(pattern: p) }
        }
    }
}
