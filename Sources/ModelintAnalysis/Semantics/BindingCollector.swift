import ModelintSyntax

/// The per-file tables the semantic model answers from. Built in one pass over the tree.
final class FileTables: @unchecked Sendable {
    let moduleScope: Scope
    /// Every scope, in the order the walk created them (`Scope.index`).
    fileprivate(set) var scopes: [Scope] = []
    /// The child scopes of each scope (by `Scope.index`), sorted by start, and the prefix maximum of their ends.
    fileprivate(set) var children: [[Scope]] = []
    fileprivate(set) var childReach: [[UInt32]] = []
    /// def/class statement or lambda/comprehension expression -> the scope it opens.
    fileprivate(set) var scopeOfNode: [ObjectIdentifier: Scope] = [:]
    /// Every def (methods and nested functions included) and class statement, in source order.
    fileprivate(set) var functions: [Stmt] = []
    fileprivate(set) var classes: [Stmt] = []
    /// class statement -> attribute -> assignments to `self.<attribute>` in its methods (and class-level names).
    fileprivate(set) var selfAttributes: [ObjectIdentifier: [String: [Binding]]] = [:]
    /// Uses of variables and attribute paths (`model`, `model.fc`), by path: the scope each use sits in.
    /// Which variable a use belongs to is decided when asked (a name is local to a function when bound anywhere
    /// in it, so it cannot be decided during the walk).
    fileprivate(set) var uses: [String: [ScopedUse]] = [:]
    /// Uses of `self.<attr>` in a class's methods: class statement -> attribute -> flags.
    fileprivate(set) var selfUses: [ObjectIdentifier: [String: UsageFlags]] = [:]
    /// Star imports per scope (`from m import *`): (module segments, level).
    fileprivate(set) var starImports: [ObjectIdentifier: [(module: [String], level: Int)]] = [:]
    /// function scope -> the name of its `self` parameter (instance methods only).
    fileprivate(set) var selfNames: [ObjectIdentifier: String] = [:]

    init(moduleScope: Scope) { self.moduleScope = moduleScope }
}

/// Walks a file once, building scopes, bindings, `self` attribute assignments and usage facts.
/// The walk uses an explicit stack: no recursion, whatever the nesting depth.
struct BindingCollector {
    private let tables: FileTables

    private enum Work {
        case stmt(Stmt, Scope)
        case expr(Expr, Scope)
    }

    private var stack: [Work] = []

    static func collect(_ module: Module, moduleName: String, sourceLength: Int) -> FileTables {
        let root = Scope(kind: .module, parent: nil, index: 0, node: nil, name: moduleName, qualifiedPath: [],
                         bodyRange: TextRange(0, sourceLength))
        var collector = BindingCollector(tables: FileTables(moduleScope: root))
        collector.stack.reserveCapacity(256)
        collector.tables.scopes.append(root)
        collector.tables.children.append([])
        collector.run(module.body, in: root)
        let tables = collector.tables
        tables.childReach.reserveCapacity(tables.scopes.count)
        for scope in tables.scopes {
            tables.children[scope.index].sort { $0.bodyRange.start < $1.bodyRange.start }
            var reach: UInt32 = 0
            tables.childReach.append(tables.children[scope.index].map { child in
                reach = max(reach, child.bodyRange.end)
                return reach
            })
            for (key, list) in scope.bindings where list.count > 1
                && !zip(list, list.dropFirst()).allSatisfy({ $0.position <= $1.position }) {
                scope.bindings[key] = list.sorted { $0.position < $1.position }
            }
        }
        return collector.tables
    }

    private init(tables: FileTables) { self.tables = tables }

    private mutating func run(_ body: [Stmt], in scope: Scope) {
        for stmt in body.reversed() { stack.append(.stmt(stmt, scope)) }
        while let work = stack.popLast() {
            switch work {
            case .stmt(let stmt, let scope): visit(stmt, scope)
            case .expr(let expr, let scope): visit(expr, scope)
            }
        }
    }

    private mutating func push(_ exprs: [Expr], _ scope: Scope) {
        for expr in exprs.reversed() { stack.append(.expr(expr, scope)) }
    }

    private mutating func push(_ block: [Stmt], _ scope: Scope) {
        for stmt in block.reversed() { stack.append(.stmt(stmt, scope)) }
    }

    private func newScope(_ kind: Scope.Kind, parent: Scope, node: AnyNode, name: String, bodyRange: TextRange,
                          outerRange: TextRange? = nil) -> Scope {
        let path = (kind == .function || kind == .classBody) ? parent.qualifiedPath + [name] : parent.qualifiedPath
        let scope = Scope(kind: kind, parent: parent, index: tables.scopes.count, node: node, name: name,
                          qualifiedPath: path, bodyRange: bodyRange, outerRange: outerRange)
        tables.children[parent.index].append(scope)
        tables.children.append([])
        tables.scopes.append(scope)
        tables.scopeOfNode[node.id] = scope
        return scope
    }

    // MARK: - Statements

    private mutating func visit(_ stmt: Stmt, _ scope: Scope) {
        switch stmt.kind {
        case .functionDef(let def), .asyncFunctionDef(let def):
            visitFunction(stmt, def, scope)
        case .classDef(let cls):
            scope.add(cls.name.text, Binding(kind: .classDef(stmt), position: cls.name.range.start))
            tables.classes.append(stmt)
            let bodyStart = cls.body.first.map(Self.start(of:)) ?? stmt.range.end
            let classScope = newScope(.classBody, parent: scope, node: .stmt(stmt), name: cls.name.text,
                                      bodyRange: TextRange(start: bodyStart, end: stmt.range.end))
            push(cls.body, classScope)
            for expr in cls.decoratorList { stack.append(.expr(expr, scope)) }
            for expr in cls.bases { stack.append(.expr(expr, scope)) }
            for keyword in cls.keywords { stack.append(.expr(keyword.value, scope)) }
        case .assign(let targets, let value):
            for target in targets { bind(target, value: value, origin: .assignment, scope) }
            stack.append(.expr(value, scope))
            push(targets, scope)
        case .annAssign(let target, let annotation, let value, _):
            bindAnnotated(target, annotation: annotation, value: value, scope)
            push([annotation] + (value.map { [$0] } ?? []) + [target], scope)
        case .augAssign(let target, _, let value):
            bindOpaque(target, scope)
            push([target, value], scope)
        case .for(let target, let iter, let body, let orelse), .asyncFor(let target, let iter, let body, let orelse):
            bind(target, value: iter, origin: .forTarget, scope)
            push(orelse, scope)
            push(body, scope)
            push([iter, target], scope)
        case .with(let items, let body), .asyncWith(let items, let body):
            for item in items {
                if let vars = item.optionalVars { bind(vars, value: item.contextExpr, origin: .withTarget, scope) }
            }
            push(body, scope)
            push(items.flatMap { [$0.contextExpr] + ($0.optionalVars.map { [$0] } ?? []) }, scope)
        case .try(let body, let handlers, let orelse, let finalbody),
             .tryStar(let body, let handlers, let orelse, let finalbody):
            for handler in handlers {
                if let name = handler.name { scope.add(name.text, Binding(kind: .opaque, position: name.range.start)) }
            }
            push(finalbody, scope)
            push(orelse, scope)
            for handler in handlers.reversed() { push(handler.body, scope) }
            push(handlers.compactMap(\.type), scope)
            push(body, scope)
        case .match(let subject, let cases):
            for matchCase in cases.reversed() {
                push(matchCase.body, scope)
                if let guardExpr = matchCase.guard_ { push([guardExpr], scope) }
                visitPattern(matchCase.pattern, scope)
            }
            push([subject], scope)
        case .import(let names):
            for alias in names {
                let segments = alias.name.text.split(separator: ".").map(String.init)
                if let asname = alias.asname {
                    scope.add(asname.text, Binding(kind: .importModule(segments: segments), position: asname.range.start))
                } else if let first = segments.first {
                    scope.add(first, Binding(kind: .importModule(segments: [first]), position: alias.range.start))
                }
            }
        case .importFrom(let module, let names, let level):
            let segments = module.map { $0.text.split(separator: ".").map(String.init) } ?? []
            for alias in names {
                if alias.name.text == "*" {
                    tables.starImports[ObjectIdentifier(scope), default: []].append((segments, level))
                    continue
                }
                let local = alias.asname ?? alias.name
                scope.add(local.text, Binding(kind: .importFrom(module: segments, level: level, name: alias.name.text),
                                              position: local.range.start))
            }
        case .global(let names):
            for name in names { scope.globals.insert(name.text) }
        case .nonlocal(let names):
            for name in names { scope.nonlocals.insert(name.text) }
        case .delete(let targets):
            for target in targets {
                if case .name(let id, _) = target.kind {
                    scope.add(id.text, Binding(kind: .deletion, position: target.range.start))
                }
            }
            push(targets, scope)
        case .if(let test, let body, let orelse):
            push(orelse, scope)
            push(body, scope)
            push([test], scope)
        case .while(let test, let body, let orelse):
            push(orelse, scope)
            push(body, scope)
            push([test], scope)
        case .expr(let value), .return(let value?):
            stack.append(.expr(value, scope))
        case .return(nil), .pass, .break, .continue:
            break
        case .typeAlias, .raise, .assert:
            push(ASTWalk.parts(of: stmt, enterDefinitions: false).exprs, scope)
        }
    }

    private mutating func visitFunction(_ stmt: Stmt, _ def: FunctionDef, _ scope: Scope) {
        scope.add(def.name.text, Binding(kind: .function(stmt), position: def.name.range.start))
        tables.functions.append(stmt)
        let bodyStart = def.body.first.map(Self.start(of:)) ?? stmt.range.end
        let functionScope = newScope(.function, parent: scope, node: .stmt(stmt), name: def.name.text,
                                     bodyRange: TextRange(start: bodyStart, end: stmt.range.end))
        let isInstanceMethod = scope.kind == .classBody
            && !def.decoratorList.contains { Self.decoratorName($0) == "staticmethod" || Self.decoratorName($0) == "classmethod" }
        bindParameters(def.args, function: .stmt(stmt), isMethod: isInstanceMethod, in: functionScope)
        if isInstanceMethod, let first = def.args.posonlyargs.first ?? def.args.args.first {
            tables.selfNames[ObjectIdentifier(functionScope)] = first.arg.text
        }
        push(def.body, functionScope)
        // Decorators, defaults and annotations run in the enclosing scope (order among them does not matter).
        for decorator in def.decoratorList { stack.append(.expr(decorator, scope)) }
        for value in def.args.defaults { stack.append(.expr(value, scope)) }
        for value in def.args.kwDefaults { if let value { stack.append(.expr(value, scope)) } }
        for list in [def.args.posonlyargs, def.args.args, def.args.kwonlyargs] {
            for arg in list { if let annotation = arg.annotation { stack.append(.expr(annotation, scope)) } }
        }
        for arg in [def.args.vararg, def.args.kwarg] { if let annotation = arg?.annotation { stack.append(.expr(annotation, scope)) } }
        if let returns = def.returns { stack.append(.expr(returns, scope)) }
    }

    /// Positional parameters get their index (including `self`); *args, **kwargs and keyword-only ones get -1.
    private func bindParameters(_ args: Arguments, function: AnyNode, isMethod: Bool, in scope: Scope) {
        func add(_ arg: Arg, index: Int, isVariadic: Bool = false) {
            scope.add(arg.arg.text, Binding(kind: .parameter(function: function, arg: arg, index: index,
                                                             isFirstOfMethod: isMethod && index == 0,
                                                             isVariadic: isVariadic),
                                            position: arg.range.start))
        }
        for (index, arg) in args.posonlyargs.enumerated() { add(arg, index: index) }
        for (position, arg) in args.args.enumerated() { add(arg, index: args.posonlyargs.count + position) }
        if let vararg = args.vararg { add(vararg, index: -1, isVariadic: true) }
        if let kwarg = args.kwarg { add(kwarg, index: -1, isVariadic: true) }
        for arg in args.kwonlyargs { add(arg, index: -1) }
    }

    /// Where a statement's text begins: a decorated def/class starts at its first decorator (CPython's node
    /// range starts at `def`/`class`).
    static func start(of stmt: Stmt) -> UInt32 {
        switch stmt.kind {
        case .functionDef(let def), .asyncFunctionDef(let def):
            return def.decoratorList.reduce(stmt.range.start) { min($0, $1.range.start) }
        case .classDef(let cls):
            return cls.decoratorList.reduce(stmt.range.start) { min($0, $1.range.start) }
        default:
            return stmt.range.start
        }
    }

    static func decoratorName(_ decorator: Expr) -> String? {
        switch decorator.kind {
        case .name(let id, _): return id.text
        case .attribute(_, let attr, _): return attr.text
        case .call(let function, _, _): return decoratorName(function)
        default: return nil
        }
    }

    private mutating func visitPattern(_ root: Pattern, _ scope: Scope) {
        var patterns = [root]
        var exprs: [Expr] = []
        while let pattern = patterns.popLast() {
            switch pattern.kind {
            case .matchValue(let value): exprs.append(value)
            case .matchSingleton: break
            case .matchSequence(let items): patterns += items
            case .matchMapping(let keys, let items, let rest):
                exprs += keys
                patterns += items
                if let rest { scope.add(rest.text, Binding(kind: .opaque, position: rest.range.start)) }
            case .matchClass(let cls, let items, _, let kwdPatterns):
                exprs.append(cls)
                patterns += items + kwdPatterns
            case .matchStar(let name):
                if let name { scope.add(name.text, Binding(kind: .opaque, position: name.range.start)) }
            case .matchAs(let inner, let name):
                if let inner { patterns.append(inner) }
                if let name { scope.add(name.text, Binding(kind: .opaque, position: name.range.start)) }
            case .matchOr(let alternatives): patterns += alternatives
            }
        }
        push(exprs, scope)
    }

    // MARK: - Targets

    /// Binds every name in an assignment target; tuple/list targets record the index path into the value.
    private mutating func bind(_ target: Expr, value: Expr, origin: Binding.ValueOrigin, _ scope: Scope) {
        var work: [(Expr, [Int])] = [(target, [])]
        while let (current, path) = work.popLast() {
            switch current.kind {
            case .name(let id, _):
                scope.add(id.text, Binding(kind: .value(value, unpack: path, origin: origin), position: current.range.start))
            case .tuple(let elts, _), .list(let elts, _):
                if elts.contains(where: { if case .starred = $0.kind { return true } else { return false } }) {
                    for elt in elts { bindOpaque(elt, scope) }
                } else {
                    for (index, elt) in elts.enumerated().reversed() { work.append((elt, path + [index])) }
                }
            case .starred(let inner, _):
                bindOpaque(inner, scope)
            case .attribute:
                if let (classStmt, attr) = selfAttribute(current, scope) {
                    tables.selfAttributes[ObjectIdentifier(classStmt), default: [:]][attr, default: []]
                        .append(Binding(kind: .value(value, unpack: path, origin: origin), position: current.range.start))
                }
            default:
                break
            }
        }
    }

    private mutating func bindAnnotated(_ target: Expr, annotation: Expr, value: Expr?, _ scope: Scope) {
        if case .name(let id, _) = target.kind {
            scope.add(id.text, Binding(kind: .annotation(annotation), position: target.range.start))
            if let value { bind(target, value: value, origin: .assignment, scope) }
        } else if let (classStmt, attr) = selfAttribute(target, scope) {
            tables.selfAttributes[ObjectIdentifier(classStmt), default: [:]][attr, default: []]
                .append(Binding(kind: .annotation(annotation), position: target.range.start))
            if let value { bind(target, value: value, origin: .assignment, scope) }
        }
    }

    /// Names in the target become opaque bindings (their value is not knowable from here).
    private mutating func bindOpaque(_ target: Expr, _ scope: Scope) {
        var work = [target]
        while let current = work.popLast() {
            switch current.kind {
            case .name(let id, _):
                scope.add(id.text, Binding(kind: .opaque, position: current.range.start))
            case .tuple(let elts, _), .list(let elts, _): work += elts
            case .starred(let inner, _): work.append(inner)
            case .attribute:
                if let (classStmt, attr) = selfAttribute(current, scope) {
                    tables.selfAttributes[ObjectIdentifier(classStmt), default: [:]][attr, default: []]
                        .append(Binding(kind: .opaque, position: current.range.start))
                }
            default: break
            }
        }
    }

    /// `self.attr` inside an instance method (or a closure in one): the class and the attribute name.
    private func selfAttribute(_ expr: Expr, _ scope: Scope) -> (Stmt, String)? {
        guard case .attribute(let base, let attr, _) = expr.kind, case .name(let id, _) = base.kind,
              let function = functionBinding(id.text, from: scope),
              tables.selfNames[ObjectIdentifier(function)] == id.text,
              let classStmt = function.methodClass?.classStatement else { return nil }
        return (classStmt, attr.text)
    }

    /// The function scope whose parameter or local `name` is, looking outwards and skipping class bodies.
    private func functionBinding(_ name: String, from scope: Scope) -> Scope? {
        var current: Scope? = scope
        while let candidate = current {
            if candidate.kind != .classBody, candidate.bindings[name] != nil {
                return candidate.kind == .function ? candidate : nil
            }
            if candidate.kind == .module { return nil }
            current = candidate.parent
        }
        return nil
    }

    // MARK: - Expressions

    /// Pushes children straight onto the work stack (no per-node arrays: this runs for every expression).
    /// Order among expressions does not matter here: bindings are sorted and uses resolved at the end.
    private mutating func visit(_ expr: Expr, _ scope: Scope) {
        switch expr.kind {
        case .boolOp(_, let values), .joinedStr(let values):
            for value in values { stack.append(.expr(value, scope)) }
        case .set(let elts), .list(let elts, _), .tuple(let elts, _):
            for elt in elts { stack.append(.expr(elt, scope)) }
        case .binOp(let left, _, let right):
            stack.append(.expr(left, scope))
            stack.append(.expr(right, scope))
        case .unaryOp(_, let operand), .await(let operand), .yieldFrom(let operand), .starred(let operand, _):
            stack.append(.expr(operand, scope))
        case .yield(let value):
            if let value { stack.append(.expr(value, scope)) }
        case .ifExp(let test, let body, let orelse):
            stack.append(.expr(test, scope))
            stack.append(.expr(body, scope))
            stack.append(.expr(orelse, scope))
        case .dict(let keys, let values):
            for key in keys { if let key { stack.append(.expr(key, scope)) } }
            for value in values { stack.append(.expr(value, scope)) }
        case .compare(let left, _, let comparators):
            stack.append(.expr(left, scope))
            for comparator in comparators { stack.append(.expr(comparator, scope)) }
        case .formattedValue(let value, _, let spec):
            stack.append(.expr(value, scope))
            if let spec { stack.append(.expr(spec, scope)) }
        case .subscript(let value, let slice, _):
            stack.append(.expr(value, scope))
            stack.append(.expr(slice, scope))
        case .slice(let lower, let upper, let step):
            for part in [lower, upper, step] { if let part { stack.append(.expr(part, scope)) } }
        case .constant, .name:
            break
        case .lambda(let args, let body):
            let lambdaScope = newScope(.lambda, parent: scope, node: .expr(expr), name: "<lambda>", bodyRange: body.range)
            bindParameters(args, function: .expr(expr), isMethod: false, in: lambdaScope)
            stack.append(.expr(body, lambdaScope))
            push(ArgumentsParts.defaults(args), scope)
        case .listComp(let elt, let generators), .setComp(let elt, let generators),
             .generatorExp(let elt, let generators):
            visitComprehension(expr, generators, results: [elt], scope)
        case .dictComp(let key, let value, let generators):
            visitComprehension(expr, generators, results: [key, value], scope)
        case .namedExpr(let target, let value):
            var owner = scope
            while owner.kind == .comprehension, let parent = owner.parent { owner = parent }
            if case .name(let id, _) = target.kind {
                owner.add(id.text, Binding(kind: .value(value, unpack: [], origin: .walrus), position: target.range.start))
            }
            stack.append(.expr(value, scope))
        case .call(let function, let args, let keywords):
            if case .attribute(let receiver, let method, _) = function.kind {
                let flags = UsageFlags.forMethod(method.text)
                if !flags.isEmpty { recordUsage(receiver, flags, scope) }
            }
            recordUsage(function, .called, scope)
            stack.append(.expr(function, scope))
            for arg in args { stack.append(.expr(arg, scope)) }
            for keyword in keywords { stack.append(.expr(keyword.value, scope)) }
        case .attribute(let value, let attr, _):
            if attr.text == "param_groups" { recordUsage(value, .notModule, scope) }
            stack.append(.expr(value, scope))
        }
    }

    private mutating func visitComprehension(_ expr: Expr, _ generators: [Comprehension], results: [Expr],
                                             _ scope: Scope) {
        guard let first = generators.first else { return }
        let name: String
        switch expr.kind {
        case .listComp: name = "<listcomp>"
        case .setComp: name = "<setcomp>"
        case .dictComp: name = "<dictcomp>"
        default: name = "<genexpr>"
        }
        let compScope = newScope(.comprehension, parent: scope, node: .expr(expr), name: name, bodyRange: expr.range,
                                 outerRange: first.iter.range)
        for generator in generators {
            bind(generator.target, value: generator.iter, origin: .comprehensionTarget, compScope)
        }
        push(results, compScope)
        for (index, generator) in generators.enumerated().reversed() {
            push(generator.ifs, compScope)
            if index > 0 { push([generator.iter], compScope) }
            push([generator.target], compScope)
        }
        push([first.iter], scope)
    }

    // MARK: - Usage facts

    /// Records a use of a variable (`x`), of `self.<attr>` in a method, or (for method calls, not plain calls)
    /// of an attribute path (`model.fc.train()`).
    private mutating func recordUsage(_ receiver: Expr, _ flags: UsageFlags, _ scope: Scope) {
        switch receiver.kind {
        case .name(let id, _):
            addUse(id.text, flags, scope)
        case .attribute(let base, let attr, _):
            if case .name(let id, _) = base.kind, let function = functionBinding(id.text, from: scope),
               tables.selfNames[ObjectIdentifier(function)] == id.text,
               let classStmt = function.methodClass?.classStatement {
                tables.selfUses[ObjectIdentifier(classStmt), default: [:]][attr.text, default: []].formUnion(flags)
                return
            }
            guard flags != .called, let path = ValueShape.dottedPath(receiver) else { return }
            addUse(path, flags, scope)
        default:
            return
        }
    }

    private mutating func addUse(_ path: String, _ flags: UsageFlags, _ scope: Scope) {
        if let last = tables.uses[path]?.last, last.scope === scope {
            tables.uses[path]![tables.uses[path]!.count - 1].flags.formUnion(flags)
        } else {
            tables.uses[path, default: []].append(ScopedUse(scope: scope, flags: flags))
        }
    }
}
