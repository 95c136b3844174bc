import ModelintAnalysis
import ModelintSyntax

/// Walks one file's tree once and hands each node to the node rules that subscribed to its kind.
///
/// The walk is iterative (an explicit work stack) because left-deep expressions such as a long chain of `+`
/// nest thousands of levels, more than a Dispatch worker thread's stack allows for recursion. The stacks hold
/// unretained node references — the tree outlives the walk — so pushing and popping costs no reference
/// counting, and both stacks are reused across nodes: the walk allocates only when they grow.
struct SyntaxWalker {
    private enum Work {
        case expr(Unmanaged<Expr>)
        case stmt(Unmanaged<Stmt>)
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
        // The stacks hold unretained references: keep the tree alive until the walk is over.
        defer { withExtendedLifetime(module) {} }
        do {
            context.ancestorStack.removeAll(keepingCapacity: true)
            work.removeAll(keepingCapacity: true)
            let first = work.count
            for statement in module.body { work.append(.stmt(Unmanaged.passUnretained(statement))) }
            reverseWork(from: first)
            while let item = work.popLast() {
                switch item {
                case .exit:
                    context.ancestorStack.removeLast()
                case .expr(let reference):
                    work.append(.exit)
                    let firstChild = work.count
                    let tag = reference._withUnsafeGuaranteedRef { pushChildren(of: $0) }
                    // Children were pushed in source order; the stack pops from the end.
                    reverseWork(from: firstChild)
                    let subscribers = dispatch[Int(tag.rawValue)]
                    if !subscribers.isEmpty {
                        let node = AnyNode.expr(reference.takeUnretainedValue())
                        for index in subscribers { rules[index].check(node, context, &sink) }
                    }
                    context.ancestorStack.append(.expr(reference))
                case .stmt(let reference):
                    work.append(.exit)
                    let firstChild = work.count
                    let tag = reference._withUnsafeGuaranteedRef { pushChildren(of: $0) }
                    reverseWork(from: firstChild)
                    let subscribers = dispatch[Int(tag.rawValue)]
                    if !subscribers.isEmpty {
                        let node = AnyNode.stmt(reference.takeUnretainedValue())
                        for index in subscribers { rules[index].check(node, context, &sink) }
                    }
                    context.ancestorStack.append(.stmt(reference))
                }
            }
        }
    }

    // MARK: - Children, in source order

    private mutating func push(_ e: Expr) { work.append(.expr(Unmanaged.passUnretained(e))) }
    private mutating func push(_ e: Expr?) { if let e { push(e) } }
    // Index loops: `for e in es` hands out each element retained, only to drop it again.
    private mutating func push(_ es: [Expr]) {
        for index in es.indices { work.append(.expr(Unmanaged.passUnretained(es[index]))) }
    }
    private mutating func pushBody(_ ss: [Stmt]) {
        for index in ss.indices { work.append(.stmt(Unmanaged.passUnretained(ss[index]))) }
    }

    /// In place, by swaps: reversing a slice (`work[i...].reverse()`) copies it into a new buffer.
    private mutating func reverseWork(from start: Int) {
        var low = start
        var high = work.count - 1
        while low < high {
            work.swapAt(low, high)
            low += 1
            high -= 1
        }
    }

    /// Pushes the children of `e` and returns its kind: one switch for both.
    private mutating func pushChildren(of e: Expr) -> NodeKindTag { pushChildren(ofExpr: e.kind) }

    private mutating func pushChildren(ofExpr kind: borrowing ExprKind) -> NodeKindTag {
        switch kind {
        case .boolOp(_, let values): push(values); return .boolOp
        case .namedExpr(let target, let value): push(target); push(value); return .namedExpr
        case .binOp(let left, _, let right): push(left); push(right); return .binOp
        case .unaryOp(_, let operand): push(operand); return .unaryOp
        case .lambda(let args, let body): push(arguments: args); push(body); return .lambda
        case .ifExp(let test, let body, let orelse): push(body); push(test); push(orelse); return .ifExp
        case .dict(let keys, let values):
            for (key, value) in zip(keys, values) { push(key); push(value) }
            return .dict
        case .set(let elts): push(elts); return .set
        case .listComp(let elt, let generators): push(elt); push(generators: generators); return .listComp
        case .setComp(let elt, let generators): push(elt); push(generators: generators); return .setComp
        case .generatorExp(let elt, let generators): push(elt); push(generators: generators); return .generatorExp
        case .dictComp(let key, let value, let generators):
            push(key); push(value); push(generators: generators)
            return .dictComp
        case .await(let value): push(value); return .await
        case .yieldFrom(let value): push(value); return .yieldFrom
        case .yield(let value): push(value); return .yield
        case .compare(let left, _, let comparators): push(left); push(comparators); return .compare
        case .call(let function, let args, let keywords):
            push(function)
            push(args)
            for keyword in keywords { push(keyword.value) }
            return .call
        case .formattedValue(let value, _, let formatSpec): push(value); push(formatSpec); return .formattedValue
        case .joinedStr(let values): push(values); return .joinedStr
        case .constant: return .constant
        case .name: return .name
        case .attribute(let value, _, _): push(value); return .attribute
        case .subscript(let value, let slice, _): push(value); push(slice); return .subscript
        case .starred(let value, _): push(value); return .starred
        case .list(let elts, _): push(elts); return .list
        case .tuple(let elts, _): push(elts); return .tuple
        case .slice(let lower, let upper, let step): push(lower); push(upper); push(step); return .slice
        }
    }

    /// Pushes the children of `s` and returns its kind.
    private mutating func pushChildren(of s: Stmt) -> NodeKindTag { pushChildren(ofStmt: s.kind) }

    private mutating func pushChildren(ofStmt kind: borrowing StmtKind) -> NodeKindTag {
        switch kind {
        case .functionDef(let def):
            pushFunction(def)
            return .functionDef
        case .asyncFunctionDef(let def):
            pushFunction(def)
            return .asyncFunctionDef
        case .classDef(let def):
            push(def.decoratorList)
            push(typeParams: def.typeParams)
            push(def.bases)
            for keyword in def.keywords { push(keyword.value) }
            pushBody(def.body)
            return .classDef
        case .return(let value): push(value); return .return
        case .delete(let targets): push(targets); return .delete
        case .assign(let targets, let value): push(targets); push(value); return .assign
        case .typeAlias(let name, let typeParams, let value):
            push(name); push(typeParams: typeParams); push(value)
            return .typeAlias
        case .augAssign(let target, _, let value): push(target); push(value); return .augAssign
        case .annAssign(let target, let annotation, let value, _):
            push(target); push(annotation); push(value)
            return .annAssign
        case .for(let target, let iter, let body, let orelse):
            push(target); push(iter); pushBody(body); pushBody(orelse)
            return .for
        case .asyncFor(let target, let iter, let body, let orelse):
            push(target); push(iter); pushBody(body); pushBody(orelse)
            return .asyncFor
        case .while(let test, let body, let orelse):
            push(test); pushBody(body); pushBody(orelse)
            return .while
        case .if(let test, let body, let orelse):
            push(test); pushBody(body); pushBody(orelse)
            return .if
        case .with(let items, let body):
            for item in items { push(item.contextExpr); push(item.optionalVars) }
            pushBody(body)
            return .with
        case .asyncWith(let items, let body):
            for item in items { push(item.contextExpr); push(item.optionalVars) }
            pushBody(body)
            return .asyncWith
        case .match(let subject, let cases):
            push(subject)
            for matchCase in cases {
                push(pattern: matchCase.pattern)
                push(matchCase.guard_)
                pushBody(matchCase.body)
            }
            return .match
        case .raise(let exc, let cause): push(exc); push(cause); return .raise
        case .try(let body, let handlers, let orelse, let finalbody):
            pushTry(body, handlers, orelse, finalbody)
            return .try
        case .tryStar(let body, let handlers, let orelse, let finalbody):
            pushTry(body, handlers, orelse, finalbody)
            return .tryStar
        case .assert(let test, let msg): push(test); push(msg); return .assert
        case .expr(let value): push(value); return .expr
        case .import: return .import
        case .importFrom: return .importFrom
        case .global: return .global
        case .nonlocal: return .nonlocal
        case .pass: return .pass
        case .break: return .break
        case .continue: return .continue
        }
    }

    private mutating func pushFunction(_ def: FunctionDef) {
        push(def.decoratorList)
        push(typeParams: def.typeParams)
        push(arguments: def.args)
        push(def.returns)
        pushBody(def.body)
    }

    private mutating func pushTry(_ body: [Stmt], _ handlers: [ExceptHandler], _ orelse: [Stmt], _ finalbody: [Stmt]) {
        pushBody(body)
        for handler in handlers { push(handler.type); pushBody(handler.body) }
        pushBody(orelse)
        pushBody(finalbody)
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
