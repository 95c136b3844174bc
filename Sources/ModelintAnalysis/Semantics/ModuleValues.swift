import ModelintSyntax

/// The class behind a module value.
enum ClassRef {
    /// A class statement of the program.
    case local(SourceFile, Stmt)
    /// A library class or factory (`torch.nn.LSTM`, `torchvision.models.resnet18`) and the call that built it.
    case library(QualifiedName, construction: Expr?)
}

/// What is known about a module value.
struct ModuleFacts {
    var origin: ModuleValueInfo.Origin
    var classRef: ClassRef?
    var startsInEval = false
    var source: Expr?

    func with(origin: ModuleValueInfo.Origin, source: Expr? = nil) -> ModuleFacts {
        var copy = self
        copy.origin = origin
        if let source { copy.source = source }
        return copy
    }
}

/// Whether a value is an `nn.Module` instance.
enum ValueClass {
    case module(ModuleFacts)
    case notModule
    case unknown

    var isModule: Bool { if case .module = self { return true } else { return false } }

    /// Flow-insensitive join of a variable's assignments: any non-module value wins (never assume a module
    /// where some assignment is not one), then any module value (the first in source order), else unknown.
    static func join(_ values: [ValueClass]) -> ValueClass {
        var firstModule: ModuleFacts?
        for value in values {
            switch value {
            case .notModule: return .notModule
            case .module(let facts): if firstModule == nil { firstModule = facts }
            case .unknown: break
            }
        }
        return firstModule.map(ValueClass.module) ?? .unknown
    }
}

/// Memo tables shared by the models of one program (class facts and factory results cross files).
struct ProgramMemo {
    var topLevel: [ObjectIdentifier: ValueClass] = [:]
    /// Variables, `self` attributes and function results, keyed by (scope/class/def, name).
    var values: [MemoKey: ValueClass] = [:]
    var inProgress: Set<MemoKey> = []
    /// Set when a computation was cut short (a cycle or the depth limit): its result depends on where the
    /// query started, so it must not be memoised.
    var truncated = false
    var classInfos: [ObjectIdentifier: ModuleClassInfo] = [:]
    var functionLayers: [ObjectIdentifier: LayerInventory] = [:]
    var callIndex: CallIndex?
    var callers: [ObjectIdentifier: [CallerSite]] = [:]
    /// Current depth of nested class-fact computations.
    var classNesting = 0
    /// The local class a name's or a `self` attribute's bindings give, by (owner scope or class, name).
    var instanceClasses: [MemoKey: InstanceClass] = [:]
    var instanceClassesInProgress: Set<MemoKey> = []
}

/// A memoised `instanceClass(ofBindings:)` result (nil: no local class).
struct InstanceClass {
    let found: (file: SourceFile, classStmt: Stmt)?
}

/// A computation in progress (guards against cycles: `a = b; b = a`, recursive factories, class cycles).
struct MemoKey: Hashable {
    let node: ObjectIdentifier
    let name: String
}

extension SemanticModel {
    static let maxValueDepth = 16

    /// Names that are never modules whatever their uses look like (optimizers, trainers, data).
    static func isNonModuleName(_ name: String) -> Bool {
        let lower = Array(name.utf8).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        if lower == Array("opt".utf8) || lower.starts(with: Array("opt_".utf8)) || lower.reversed().starts(with: Array("tpo_".utf8)) {
            return true
        }
        return nonModuleFragments.contains { fragment in
            lower.count >= fragment.count && (0...(lower.count - fragment.count)).contains { start in
                lower[start..<(start + fragment.count)].elementsEqual(fragment)
            }
        }
    }

    private static let nonModuleFragments: [[UInt8]] = [
        "optim", "sched", "trainer", "tokenizer", "loader", "dataset", "scaler", "accelerator",
    ].map { Array($0.utf8) }

    func classifyTop(_ expr: Expr) -> ValueClass {
        let key = ObjectIdentifier(expr)
        if let cached = program.memo.topLevel[key] { return cached }
        program.memo.truncated = false
        let result = classify(expr, depth: 0)
        if !program.memo.truncated { program.memo.topLevel[key] = result }
        program.memo.truncated = false
        return result
    }

    /// Runs `body` once per key: memoised unless the computation was cut short; a key already being computed
    /// (a cycle) is unknown.
    func memoized(_ key: MemoKey, _ body: () -> ValueClass) -> ValueClass {
        if let known = program.memo.values[key] { return known }
        guard program.memo.inProgress.insert(key).inserted else {
            program.memo.truncated = true
            return .unknown
        }
        let outer = program.memo.truncated
        program.memo.truncated = false
        let result = body()
        program.memo.inProgress.remove(key)
        if !program.memo.truncated { program.memo.values[key] = result }
        program.memo.truncated = outer || program.memo.truncated
        return result
    }

    /// The depth limit was reached: unknown, and not to be memoised.
    func tooDeep() -> ValueClass {
        program.memo.truncated = true
        return .unknown
    }

    func classify(_ expr: Expr, depth: Int) -> ValueClass {
        guard depth < Self.maxValueDepth else { return tooDeep() }
        switch expr.kind {
        case .name(let id, _):
            return classifyName(id.text, in: scope(of: .expr(expr)), depth: depth + 1)
        case .attribute(let value, let attr, _):
            return classifyAttribute(expr, value, attr.text, depth: depth + 1)
        case .call(let function, let args, let keywords):
            return classifyCall(expr, function, args, keywords, depth: depth + 1)
        case .subscript(let value, _, _):
            return classifySubscript(value, depth: depth + 1)
        case .ifExp(_, let body, let orelse):
            return ValueClass.join([classify(body, depth: depth + 1), classify(orelse, depth: depth + 1)])
        case .boolOp(_, let values):
            return ValueClass.join(values.map { classify($0, depth: depth + 1) })
        case .namedExpr(_, let value):
            return classify(value, depth: depth + 1)
        case .constant, .list, .tuple, .dict, .set, .listComp, .setComp, .dictComp, .generatorExp, .joinedStr,
             .formattedValue, .lambda, .compare, .binOp, .unaryOp:
            return .notModule
        case .await, .yield, .yieldFrom, .starred, .slice:
            return .unknown
        }
    }

    // MARK: - Names

    /// How the variable `root` bound in `owner` (or the attribute path starting with it) is used: the uses in
    /// `owner` and in nested scopes where `root` still means the same variable.
    func usage(of path: String, root: String, boundIn owner: Scope) -> UsageFlags {
        var flags: UsageFlags = []
        for use in tables.uses[path] ?? [] {
            if use.scope === owner || NameLookup.bindingScope(of: root, from: use.scope) === owner {
                flags.formUnion(use.flags)
            }
        }
        return flags
    }

    func classifyName(_ name: String, in scope: Scope, depth: Int) -> ValueClass {
        guard let owner = NameLookup.bindingScope(of: name, from: scope) else {
            if case .variable(let other, let variable)? = resolveName(name, in: scope, depth: depth) {
                let model = program.semantics(of: other)
                return model.classifyName(variable, in: model.tables.moduleScope, depth: depth + 1)
            }
            return .unknown
        }
        return memoized(MemoKey(node: ObjectIdentifier(owner), name: name)) {
            var values: [ValueClass] = []
            for binding in owner.bindings[name] ?? [] {
                if let value = classifyBinding(binding, depth: depth) { values.append(value) }
            }
            let joined = ValueClass.join(values)
            guard case .unknown = joined else { return joined }
            let uses = usage(of: name, root: name, boundIn: owner)
            if uses.indicatesModule && !Self.isNonModuleName(name) { return .module(ModuleFacts(origin: .usage)) }
            // A parameter the callers pass modules for: one that is called (`validate(model, loader)` running
            // `model(x)`), or a constructor argument (`self.net = net`).
            guard owner.kind == .function, uses.contains(.called) || owner.name == "__init__",
                  !uses.contains(.notModule), !Self.isNonModuleName(name) else { return .unknown }
            for binding in owner.bindings[name] ?? [] {
                guard case .parameter(let function, let arg, let index, false, false) = binding.kind,
                      arg.annotation == nil else { continue }
                let fromCallers = classifyParameterFromCallers(arg, index: index, of: function, depth: depth + 1)
                if case .module = fromCallers { return fromCallers }
            }
            return .unknown
        }
    }

    /// nil: the binding says nothing (`x = None`, `del x`).
    func classifyBinding(_ binding: Binding, depth: Int) -> ValueClass? {
        switch binding.kind {
        case .importModule, .function, .classDef:
            return .notModule
        case .importFrom(let module, let level, let name):
            switch resolveImportFrom(module, level: level, name: name, depth: depth) {
            case .variable(let other, let variable)?:
                let model = program.semantics(of: other)
                return model.classifyName(variable, in: model.tables.moduleScope, depth: depth + 1)
            case .definition?, .localModule?, .namespace?, .builtin?:
                return .notModule
            case .external?, nil:
                return .unknown
            }
        case .value(let value, let unpack, let origin):
            switch origin {
            case .assignment, .walrus:
                if unpack.isEmpty { return ValueShape.isNone(value) ? nil : classify(value, depth: depth + 1) }
                return classifyUnpacked(value, unpack, depth: depth + 1)
            case .forTarget, .comprehensionTarget:
                return classifyIterationTarget(value, unpack, depth: depth + 1)
            case .withTarget:
                return .unknown
            }
        case .annotation(let annotation):
            return classifyAnnotation(annotation, depth: depth + 1)
        case .parameter(let function, let arg, _, let isFirstOfMethod, let isVariadic):
            if isVariadic { return .unknown }
            if isFirstOfMethod, let classScope = tables.scopeOfNode[function.id]?.methodClass,
               let classStmt = classScope.classStatement {
                guard localClassInfo(classStmt)?.isModuleSubclass == true else { return .notModule }
                return .module(ModuleFacts(origin: .parameter, classRef: .local(file, classStmt)))
            }
            if let annotation = arg.annotation { return classifyAnnotation(annotation, depth: depth + 1) }
            return .unknown
        case .opaque:
            return .unknown
        case .deletion:
            return nil
        }
    }

    /// `x: nn.Module`, `x: Net`, `x: Optional[nn.Module]`, `x: nn.Module | None`.
    func classifyAnnotation(_ annotation: Expr, depth: Int) -> ValueClass {
        switch annotation.kind {
        case .subscript(let value, let slice, _):
            let wrapper = resolve(value, depth: depth).map(qualifiedName(of:))?.last
            if wrapper == "Optional" { return classifyAnnotation(slice, depth: depth + 1) }
            if wrapper == "Union", case .tuple(let elts, _) = slice.kind {
                return ValueClass.join(elts.filter { !ValueShape.isNone($0) }.map { classifyAnnotation($0, depth: depth + 1) })
            }
            return .unknown
        case .binOp(let left, .bitOr, let right):
            return ValueClass.join([left, right].filter { !ValueShape.isNone($0) }.map { classifyAnnotation($0, depth: depth + 1) })
        default:
            break
        }
        switch resolve(annotation, depth: depth) {
        case .definition(let classFile, let stmt)?:
            guard case .classDef = stmt.kind else { return .unknown }
            let info = program.semantics(of: classFile).localClassInfo(stmt)
            return info?.isModuleSubclass == true
                ? .module(ModuleFacts(origin: .parameter, classRef: .local(classFile, stmt))) : .notModule
        case .external(let name)?:
            if TorchCatalog.isModuleBase(name) {
                let isRoot = TorchCatalog.isTransparentBase(name) && name.last == "Module"
                return .module(ModuleFacts(origin: .parameter,
                                           classRef: isRoot ? nil : .library(name, construction: nil)))
            }
            return .unknown
        default:
            return .unknown
        }
    }

    /// `a, b = value`: literal tuples pick the element; `prepare`-style calls return their arguments in order.
    func classifyUnpacked(_ value: Expr, _ path: [Int], depth: Int) -> ValueClass {
        var current = value
        for (step, index) in path.enumerated() {
            switch current.kind {
            case .tuple(let elts, _), .list(let elts, _):
                guard index < elts.count else { return .unknown }
                current = elts[index]
            case .call(let function, let args, let keywords) where step == path.count - 1:
                guard let argument = Self.passThroughArgument(function, args, keywords, index: index) else {
                    return .unknown
                }
                let inner = classify(argument, depth: depth + 1)
                if case .module(let facts) = inner { return .module(facts.with(origin: .wrapper, source: argument)) }
                return .unknown
            default:
                return .unknown
            }
        }
        return classify(current, depth: depth + 1)
    }

    /// `accelerator.prepare(model, opt)`, `fabric.setup(model, opt)`, `amp.initialize(model, opt)`,
    /// `deepspeed.initialize(model=...)`: the argument that comes back at tuple position `index`.
    static func passThroughArgument(_ function: Expr, _ args: [Expr], _ keywords: [Keyword], index: Int) -> Expr? {
        guard case .attribute(_, let method, _) = function.kind else { return nil }
        switch method.text {
        case "prepare", "setup", "prepare_model":
            return index < args.count ? args[index] : nil
        case "initialize":
            if index == 0, let model = keywords.first(where: { $0.arg?.text == "model" }) { return model.value }
            return index < args.count && keywords.isEmpty ? args[index] : nil
        default:
            return nil
        }
    }

    /// The loop variable of `for m in <iter>`.
    func classifyIterationTarget(_ iterable: Expr, _ path: [Int], depth: Int) -> ValueClass {
        if case .call(let function, _, _) = iterable.kind, case .attribute(let receiver, let method, _) = function.kind {
            switch (method.text, path) {
            case ("modules", []), ("children", []):
                if case .module = classify(receiver, depth: depth + 1) { return .module(ModuleFacts(origin: .element)) }
                return .unknown
            case ("named_modules", [1]), ("named_children", [1]):
                if case .module = classify(receiver, depth: depth + 1) { return .module(ModuleFacts(origin: .element)) }
                return .unknown
            case ("parameters", _), ("named_parameters", _), ("buffers", _), ("named_buffers", _):
                return .notModule
            case ("values", []):
                return classifyElements(of: receiver, depth: depth + 1)
            default:
                break
            }
        }
        if case .call(let function, let args, _) = iterable.kind, path.first == 1, path.count == 1,
           let first = args.first, case .builtin("enumerate")? = resolve(function, depth: depth) {
            return classifyElements(of: first, depth: depth + 1)
        }
        guard path.isEmpty else { return .unknown }
        return classifyElements(of: iterable, depth: depth)
    }

    /// An element of a container: a list/tuple/dict literal of modules, or an nn container.
    func classifyElements(of container: Expr, depth: Int) -> ValueClass {
        switch container.kind {
        case .list(let elts, _), .tuple(let elts, _), .set(let elts):
            let values = elts.map { classify($0, depth: depth + 1) }
            if case .module = ValueClass.join(values) { return .module(ModuleFacts(origin: .element)) }
            return values.contains { if case .notModule = $0 { return true } else { return false } } ? .notModule : .unknown
        case .dict(_, let values):
            let classes = values.map { classify($0, depth: depth + 1) }
            if case .module = ValueClass.join(classes) { return .module(ModuleFacts(origin: .element)) }
            return .unknown
        default:
            break
        }
        if case .module(let facts) = classify(container, depth: depth + 1), isContainer(facts.classRef) {
            return .module(ModuleFacts(origin: .element))
        }
        // A name bound to a literal list of modules.
        if case .name(let id, _) = container.kind, let owner = NameLookup.bindingScope(of: id.text, from: scope(of: .expr(container))) {
            let values: [ValueClass] = (owner.bindings[id.text] ?? []).compactMap { binding in
                if case .value(let value, [], .assignment) = binding.kind {
                    switch value.kind {
                    case .list, .tuple, .dict: return classifyElements(of: value, depth: depth + 1)
                    default: return .unknown
                    }
                }
                return binding.kind.isDeletion ? nil : .unknown
            }
            return ValueClass.join(values)
        }
        return .unknown
    }

    /// nn.Sequential / ModuleList / ModuleDict, or a local class deriving from one.
    func isContainer(_ classRef: ClassRef?) -> Bool {
        switch classRef {
        case .library(let name, _)?:
            return ["Sequential", "ModuleList", "ModuleDict"].contains(name.last) && name.segments.first == "torch"
        case .local(let classFile, let stmt)?:
            guard case .classDef(let cls) = stmt.kind else { return false }
            let model = program.semantics(of: classFile)
            return cls.bases.contains { base in
                guard let resolved = model.resolve(base, depth: 0) else { return false }
                switch resolved {
                case .external(let name): return isContainer(.library(name, construction: nil))
                case .definition(let baseFile, let baseStmt): return isContainer(.local(baseFile, baseStmt))
                default: return false
                }
            }
        case nil:
            return false
        }
    }

    func classifySubscript(_ container: Expr, depth: Int) -> ValueClass {
        classifyElements(of: container, depth: depth)
    }

    // MARK: - Attributes

    func classifyAttribute(_ expr: Expr, _ value: Expr, _ attr: String, depth: Int) -> ValueClass {
        // `self.x` in a method: whatever the class's methods assign to `self.x`.
        if case .name(let id, _) = value.kind, let classStmt = enclosingClassOfSelf(id.text, in: scope(of: .expr(value))) {
            return classifySelfAttribute(attr, ofClass: classStmt, depth: depth + 1)
        }
        if case .localModule(let other)? = resolve(value, depth: depth) {
            let model = program.semantics(of: other)
            return model.classifyName(attr, in: model.tables.moduleScope, depth: depth + 1)
        }
        let base = classify(value, depth: depth + 1)
        if case .module(let facts) = base {
            if attr == "module" || attr == "_orig_mod" { return .module(facts.with(origin: .attribute)) }
            if attr == "training" { return .notModule }
            if case .local(let classFile, let classStmt)? = facts.classRef {
                let model = program.semantics(of: classFile)
                let found = model.classifySelfAttribute(attr, ofClass: classStmt, depth: depth + 1)
                if case .unknown = found {} else { return found }
            }
        } else if let (classFile, classStmt) = instanceClass(of: value, depth: depth + 1) {
            // An instance of a local class that is not a module (a Trainer holding `self.model`): what its
            // methods assign to the attribute.
            let found = program.semantics(of: classFile).classifySelfAttribute(attr, ofClass: classStmt, depth: depth + 1)
            if case .unknown = found {} else { return found }
        }
        // A library model's submodule (`model.fc`), or a module held by a library object (`trainer.model` of a
        // Hugging Face Trainer), is a module when the code uses that path as one.
        if let path = ValueShape.dottedPath(expr), let root = ValueShape.rootName(expr), !Self.isNonModuleName(attr),
           let owner = NameLookup.bindingScope(of: root, from: scope(of: .expr(expr))),
           usage(of: path, root: root, boundIn: owner).indicatesModule {
            return .module(ModuleFacts(origin: .attribute))
        }
        return .unknown
    }

    /// `self.<attr>` of a class: its assignments in the class's methods (and class-level names), then the
    /// base classes; failing that, how the class's methods use `self.<attr>`.
    func classifySelfAttribute(_ attr: String, ofClass classStmt: Stmt, depth: Int) -> ValueClass {
        guard depth < Self.maxValueDepth else { return tooDeep() }
        return memoized(MemoKey(node: ObjectIdentifier(classStmt), name: "." + attr)) {
            var values: [ValueClass] = []
            for binding in tables.selfAttributes[ObjectIdentifier(classStmt)]?[attr] ?? [] {
                if let value = classifyBinding(binding, depth: depth) { values.append(value) }
            }
            if let classScope = tables.scopeOfNode[ObjectIdentifier(classStmt)] {
                for binding in classScope.bindings[attr] ?? [] {
                    if let value = classifyBinding(binding, depth: depth) { values.append(value) }
                }
            }
            var joined = ValueClass.join(values)
            if case .unknown = joined {
                for (baseFile, baseStmt) in localBases(of: classStmt, depth: depth) {
                    let inherited = program.semantics(of: baseFile).classifySelfAttribute(attr, ofClass: baseStmt,
                                                                                           depth: depth + 1)
                    if case .unknown = inherited { continue }
                    joined = inherited
                    break
                }
            }
            guard case .unknown = joined else {
                if case .module(let facts) = joined { return .module(facts.with(origin: .attribute)) }
                return joined
            }
            let uses = tables.selfUses[ObjectIdentifier(classStmt)]?[attr] ?? []
            if uses.indicatesModule && !Self.isNonModuleName(attr) { return .module(ModuleFacts(origin: .attribute)) }
            return .unknown
        }
    }

    // MARK: - Calls

    func classifyCall(_ call: Expr, _ function: Expr, _ args: [Expr], _ keywords: [Keyword], depth: Int) -> ValueClass {
        if case .attribute(let receiver, let method, _) = function.kind {
            let name = method.text
            if TorchCatalog.sameModuleMethods.contains(name) {
                let inner = classify(receiver, depth: depth + 1)
                if case .module(let facts) = inner { return .module(facts.with(origin: .sameModule, source: receiver)) }
                // `x.to(device)` on a tensor is a tensor; on something unknown, unknown.
                if case .notModule = inner { return .notModule }
                if name == "train" || name == "eval" { return .unknown }
            }
            if name == "from_pretrained" || name == "from_config" {
                return classifyPretrained(receiver, startsInEval: name == "from_pretrained", call: call, depth: depth)
            }
            // Lightning's `Model.load_from_checkpoint(path)` on a module class: restored, mode unknown.
            if name == "load_from_checkpoint", case .definition(let target, let stmt)? = resolve(receiver, depth: depth),
               case .classDef = stmt.kind, program.semantics(of: target).localClassInfo(stmt)?.isModuleSubclass == true {
                return .module(ModuleFacts(origin: .loaded, classRef: .local(target, stmt)))
            }
            if (name == "prepare" || name == "prepare_model" || name == "setup_module") && args.count == 1 {
                if case .module(let facts) = classify(args[0], depth: depth + 1) {
                    return .module(facts.with(origin: .wrapper, source: args[0]))
                }
            }
        }
        switch resolve(function, depth: depth) {
        case .definition(let target, let stmt)?:
            let model = program.semantics(of: target)
            if case .classDef = stmt.kind {
                guard model.localClassInfo(stmt)?.isModuleSubclass == true else { return .notModule }
                return .module(ModuleFacts(origin: .constructed, classRef: .local(target, stmt)))
            }
            let returned = model.classifyReturns(of: stmt, depth: depth + 1)
            if case .module(let facts) = returned { return .module(facts.with(origin: .factory)) }
            return returned
        case .builtin(let name)?:
            if name == "getattr", args.count == 3, ValueShape.stringConstant(args[1]) == "module" {
                if case .module(let facts) = classify(args[0], depth: depth + 1) {
                    return .module(facts.with(origin: .attribute, source: args[0]))
                }
            }
            return ["getattr", "next", "super", "vars", "eval", "exec", "__import__"].contains(name) ? .unknown : .notModule
        case .external(let name)?:
            switch TorchCatalog.effect(of: name) {
            case .constructsModule(let isTorchLayer):
                return .module(ModuleFacts(origin: isTorchLayer ? .constructed : .library,
                                           classRef: .library(name, construction: call)))
            case .wrapsArgument:
                guard let inner = ValueShape.argument(args, keywords, position: 0, keyword: "module")
                    ?? ValueShape.argument(args, keywords, position: nil, keyword: "model") else {
                    return .module(ModuleFacts(origin: .wrapper))
                }
                if case .module(let facts) = classify(inner, depth: depth + 1) {
                    return .module(facts.with(origin: .wrapper, source: inner))
                }
                return .module(ModuleFacts(origin: .wrapper, classRef: .library(name, construction: call), source: inner))
            case .copiesArgument:
                guard let inner = args.first else { return .unknown }
                if case .module(let facts) = classify(inner, depth: depth + 1) {
                    return .module(facts.with(origin: .copy, source: inner))
                }
                return name.segments.first == "torch" ? .module(ModuleFacts(origin: .copy, source: inner)) : .unknown
            case .loadsModule:
                return .module(ModuleFacts(origin: .loaded, classRef: .library(name, construction: call)))
            case .notModule:
                return .notModule
            case .unknown:
                return .unknown
            }
        case .localModule?, .namespace?, .variable?:
            return .unknown
        case nil:
            // Calling a module runs its forward: the result is a tensor (or a tuple of them).
            if case .module = classify(function, depth: depth + 1) { return .notModule }
            return .unknown
        }
    }

    /// `X.from_pretrained(...)`: a model unless X is a tokenizer/config/processor/scheduler/pipeline class.
    func classifyPretrained(_ receiver: Expr, startsInEval: Bool, call: Expr, depth: Int) -> ValueClass {
        let resolved = resolve(receiver, depth: depth)
        let className: String
        switch resolved {
        case .definition(let target, let stmt)?:
            guard case .classDef = stmt.kind else { return .unknown }
            guard program.semantics(of: target).localClassInfo(stmt)?.isModuleSubclass == true else { return .notModule }
            return .module(ModuleFacts(origin: .pretrained, classRef: .local(target, stmt), startsInEval: startsInEval))
        case .external(let name)?:
            className = name.last
        default:
            guard let path = ValueShape.dottedPath(receiver) else { return .unknown }
            className = String(path.split(separator: ".").last ?? "")
        }
        if TorchCatalog.isPretrainedNonModule(className) { return .notModule }
        let name = resolved.map(qualifiedName(of:)) ?? QualifiedName(className)
        return .module(ModuleFacts(origin: .pretrained, classRef: .library(name, construction: call),
                                   startsInEval: startsInEval))
    }

    /// What a local function returns: modules if every `return` value is one (bare returns and None aside).
    func classifyReturns(of def: Stmt, depth: Int) -> ValueClass {
        guard case .functionDef(let function) = def.kind else { return .unknown }
        return memoized(MemoKey(node: ObjectIdentifier(def), name: "return")) {
            var values: [ValueClass] = []
            var stack: [[Stmt]] = [function.body]
            while let block = stack.popLast() {
                for stmt in block {
                    switch stmt.kind {
                    case .return(let value?):
                        if !ValueShape.isNone(value) { values.append(classify(value, depth: depth + 1)) }
                    case .functionDef, .asyncFunctionDef, .classDef:
                        continue
                    default:
                        stack += StatementBlocks.children(of: stmt)
                    }
                }
            }
            return ValueClass.join(values)
        }
    }

    // MARK: - Access paths

    /// The printable key of a module expression; aliases (`net = model`, `ddp = DDP(model)`,
    /// `model = model.to(device)`) map to the aliased module's path.
    func accessPath(_ expr: Expr, depth: Int) -> String? {
        guard depth < Self.maxValueDepth else { return nil }
        switch expr.kind {
        case .name(let id, _):
            return aliasTarget(id.text, in: scope(of: .expr(expr)), depth: depth + 1) ?? id.text
        case .attribute(let value, let attr, _):
            if (attr.text == "module" || attr.text == "_orig_mod"), classify(value, depth: 0).isModule {
                return accessPath(value, depth: depth + 1)
            }
            let base = classify(value, depth: 0).isModule ? accessPath(value, depth: depth + 1) : rawPath(value)
            return base.map { "\($0).\(attr.text)" }
        case .call:
            if let inner = sameObjectArgument(expr, depth: depth) { return accessPath(inner, depth: depth + 1) }
            return nil
        case .subscript(let value, let slice, _):
            guard let base = accessPath(value, depth: depth + 1) ?? rawPath(value) else { return nil }
            switch slice.kind {
            case .constant(.int(let index), _): return "\(base)[\(index)]"
            case .constant(.string(let key), _): return "\(base)['\(key.lossyText)']"
            default: return nil
            }
        case .namedExpr(let target, _):
            return accessPath(target, depth: depth + 1)
        default:
            return nil
        }
    }

    private func rawPath(_ expr: Expr) -> String? { ValueShape.dottedPath(expr) }

    /// The module a same-object call returns: `m.to(...)`, `DDP(m)`, `torch.compile(m)`, `getattr(m, "module", m)`.
    func sameObjectArgument(_ call: Expr, depth: Int) -> Expr? {
        guard case .call(let function, let args, let keywords) = call.kind else { return nil }
        if case .attribute(let receiver, let method, _) = function.kind {
            if TorchCatalog.sameModuleMethods.contains(method.text), classify(receiver, depth: 0).isModule { return receiver }
            if ["prepare", "prepare_model", "setup_module"].contains(method.text), args.count == 1 { return args[0] }
        }
        switch resolve(function, depth: depth) {
        case .external(let name)?:
            if TorchCatalog.effect(of: name) == .wrapsArgument {
                return ValueShape.argument(args, keywords, position: 0, keyword: "module")
                    ?? ValueShape.argument(args, keywords, position: nil, keyword: "model")
            }
        case .builtin("getattr")?:
            if args.count == 3, ValueShape.stringConstant(args[1]) == "module" { return args[0] }
        default:
            break
        }
        return nil
    }

    /// When every value-giving assignment of `name` makes it the same object as one other module path, that path.
    func aliasTarget(_ name: String, in scope: Scope, depth: Int) -> String? {
        guard depth < Self.maxValueDepth, let owner = NameLookup.bindingScope(of: name, from: scope) else { return nil }
        let key = MemoKey(node: ObjectIdentifier(owner), name: "alias:" + name)
        guard program.memo.inProgress.insert(key).inserted else { return nil }
        defer { program.memo.inProgress.remove(key) }
        var target: String?
        for binding in owner.bindings[name] ?? [] {
            let path: String?
            switch binding.kind {
            case .value(let value, let unpack, .assignment), .value(let value, let unpack, .walrus):
                if unpack.isEmpty && ValueShape.isNone(value) { continue }
                if unpack.isEmpty {
                    path = aliasSource(value).flatMap { accessPath($0, depth: depth + 1) }
                } else if unpack.count == 1, case .call(let function, let args, let keywords) = value.kind,
                          let argument = Self.passThroughArgument(function, args, keywords, index: unpack[0]) {
                    path = accessPath(argument, depth: depth + 1)
                } else {
                    path = nil
                }
            case .deletion, .annotation:
                continue
            default:
                path = nil
            }
            let contribution = path ?? name
            if let target, target != contribution { return nil }
            target = contribution
        }
        return target == name ? nil : target
    }

    /// The expression a value is the same object as: another name/attribute, or a same-object call's argument.
    private func aliasSource(_ value: Expr) -> Expr? {
        switch value.kind {
        case .name, .attribute: return classify(value, depth: 0).isModule ? value : nil
        case .call: return sameObjectArgument(value, depth: 0)
        default: return nil
        }
    }
}

extension Binding.Kind {
    var isDeletion: Bool { if case .deletion = self { return true } else { return false } }
}

extension ValueShape {
    /// The root name of a Name/Attribute chain.
    static func rootName(_ expr: Expr) -> String? {
        var current = expr
        while case .attribute(let value, _, _) = current.kind { current = value }
        if case .name(let id, _) = current.kind { return id.text }
        return nil
    }
}
