import ModelintSyntax

/// A forward or trace call of a module as seen from one function: its own, or one inside a callee seen
/// through the call that leads to it. Modes and grad may still contain `entry`, to be filled in by callers.
struct ModeEvent: Sendable {
    enum Kind: Sendable, Equatable {
        case forward
        case trace(TraceKind)
        /// A backward completing a training step of the forward at `forward`: modes are that forward's.
        case trainingStep(forward: CodeSite)
        /// A backward whose loss's grad mode is not known yet (ML202 is decided when it is).
        case backward
    }

    let kind: Kind
    /// The call itself, in its own file.
    let origin: CodeSite
    /// The module as written at the call.
    let originPath: String
    let moduleClass: ModuleClassInfo?
    /// In the coordinates of the function that holds the event.
    var path: String
    var modes: ModeSet
    var grad: GradSet
    /// Calls from the holding function down to the origin.
    var chain: [SwitchSite]
    /// The module is a parameter only called (`model(x)`), which the semantic model cannot call a module on
    /// its own: the event counts only where a caller passes a module for it.
    var conditional = false
    /// The module's parameters are frozen in the function that holds the event (see `ForwardFact.frozen`); for
    /// a training step, the step trains nothing of the module.
    var frozen = false

    var isOpen: Bool { conditional || modes.contains(.entry) || grad.contains(.entry) }

    var anchorRange: TextRange { chain.first?.range ?? origin.range }
    var anchorFile: String { chain.first?.file ?? origin.file }
}

struct EventKey: Hashable {
    let origin: CodeSite
    let anchor: TextRange
    let kind: String

    init(_ event: ModeEvent) {
        origin = event.origin
        anchor = event.anchorRange
        kind = "\(event.kind)|\(event.path)"
    }
}

/// Mode events merged by where they happen and what they are: the same event reached on several paths (or
/// recorded by several analyzers) keeps one entry whose modes and grad modes are the union; first-seen order.
struct EventTable {
    private var byKey: [EventKey: ModeEvent] = [:]
    private var order: [EventKey] = []

    mutating func merge(_ event: ModeEvent) {
        let key = EventKey(event)
        if var existing = byKey[key] {
            existing.modes.formUnion(event.modes)
            existing.grad.formUnion(event.grad)
            byKey[key] = existing
        } else {
            byKey[key] = event
            order.append(key)
        }
    }

    var inOrder: [ModeEvent] { order.map { byKey[$0]! } }

    /// A canonical order, for events whose first-seen order depends on timing.
    mutating func sortCanonically() {
        order.sort { a, b in
            (a.origin, a.anchor.start, a.anchor.end, a.kind) < (b.origin, b.anchor.start, b.anchor.end, b.kind)
        }
    }
}

/// Everything a caller needs to apply a call of a function.
struct FunctionSummary: Sendable {
    /// Parameter names in positional order (including `self`), keyword-only names after.
    let parameters: [String]
    let positionalCount: Int
    let isMethod: Bool
    /// The global names of the function's file it reads as modules (paths rooted there map to the same global).
    let file: String
    let qualifiedName: String
    /// Mode on normal exit per path whose root is a parameter, `self` or a global; only paths it changes.
    var exitModes: [String: ModeSet] = [:]
    var exitGrad = GradSet(.entry)
    /// For `@contextmanager` generators: the state at `yield`, i.e. inside the `with` body.
    var yieldModes: [String: ModeSet]?
    var yieldGrad: GradSet?
    /// Modes of the module the function returns, when it returns one (`build_model()`).
    var returnedModule: ModeSet?
    /// The path of a parameter the function returns as is (`return model`).
    var returnedPath: String?
    var returnTaint = Taint()
    /// Events that depend on the caller's state.
    var openEvents: [ModeEvent] = []
    /// Parameters whose value reaches a backward inside (a `backward_step(loss)` helper).
    var backwardParameters: Set<String> = []
    var runsOptimizerStep = false
    /// Paths rooted at a parameter, `self` or a global whose weights it loads or trains.
    var weightsSetPaths: Set<String> = []
    /// Paths rooted at a parameter, `self` or a global whose parameters it freezes (a `freeze(model)` helper),
    /// or unfreezes; see `FunctionAnalysis.isFrozen`.
    var frozenPaths: Set<String> = []
    var unfrozenPaths: Set<String> = []
    /// Backwards still waiting for their optimizer step when it returns (the caller may step), and the
    /// modules that fed them.
    var openBackwardsAtExit: Set<CodeSite> = []
    var openStepModulesAtExit: Set<String> = []
    /// Gave up (recursion, too many iterations): calls have an unknown effect.
    var isUnknown = false
    /// Computed while a recursion cut happened below it: depends on where the cycle was entered.
    var contextDependent = false
    /// Exit/yield modes per outcome of boolean parameters; see `ModeAnalyzer.flagVariants`.
    var flagVariants: [FlagVariant] = []
    /// Parameters with a constant boolean default (`train=False`).
    var flagDefaults: [String: Bool] = [:]

    /// The exit and yield modes of a call whose arguments fix some flag parameters.
    func modes(forFlags known: [String: Bool]) -> (exit: [String: ModeSet], yield: [String: ModeSet]?) {
        guard !flagVariants.isEmpty, !known.isEmpty else { return (exitModes, yieldModes) }
        let matching = flagVariants.filter { variant in variant.flags.allSatisfy { known[$0.key] ?? $0.value == $0.value } }
        guard !matching.isEmpty, matching.count < flagVariants.count else { return (exitModes, yieldModes) }
        func join(_ parts: [[String: ModeSet]]) -> [String: ModeSet] {
            var result: [String: ModeSet] = [:]
            for key in Set(parts.flatMap(\.keys)) {
                var modes = ModeSet()
                for part in parts { modes.formUnion(part[key] ?? ModeSet(.entry)) }
                result[key] = modes
            }
            return result
        }
        let exits = matching.compactMap(\.exitModes)
        let yields = matching.compactMap(\.yieldModes)
        return (exits.isEmpty ? exitModes : join(exits), yieldModes == nil ? nil : (yields.isEmpty ? yieldModes : join(yields)))
    }
}

/// The modes a function leaves when its boolean parameters have the outcomes in `flags`.
struct FlagVariant: Sendable {
    let flags: [String: Bool]
    let exitModes: [String: ModeSet]?
    let yieldModes: [String: ModeSet]?
}

/// The loops of a function, to tell a switch that comes around a loop's back edge (ML101).
struct LoopInfo {
    let statement: Stmt
    let header: TextRange
}

/// The fixpoint over one function (or module) body, then one recording pass over the final states.
final class FunctionAnalysis {
    let analyzer: ModeAnalyzer
    let file: SourceFile
    let semantics: CachedSemantics
    let function: Stmt?
    let def: FunctionDef?
    let body: [Stmt]
    let qualifiedName: String
    let isMethod: Bool
    let parameters: [String]
    let positionalCount: Int
    /// Names bound in the body (other than parameters): they start unbound, not at the caller's value.
    let localNames: Set<String>
    let cfg: ControlFlowGraph
    let loops: [LoopInfo]
    /// Predicates tested at least twice: only those are worth keeping as assumptions.
    let correlatedPredicates: Set<String>
    /// `if was_training:` tests whose body restores the module: key -> restored module path.
    let restoreTests: [ObjectIdentifier: String]
    /// Modules whose parameters this body freezes (flow-insensitive: freezing is done once, at setup), also
    /// through the helpers it calls (added while the fixpoint applies their summaries, complete before the
    /// recording pass).
    var frozenPaths: Set<String>
    /// Modules whose parameters this body unfreezes, or sets with a flag (see `isFrozen`).
    var unfrozenPaths: Set<String>
    let isContextManager: Bool
    let initialGrad: GradSet
    /// The `cls` of a `@classmethod`: calling it constructs an instance, it runs no forward.
    let classParameter: String?

    var recording = false
    var events = EventTable()
    var returnedModule: ModeSet?
    var returnedPath: String?
    var returnTaint = Taint()
    var yieldState = AbstractState()
    var backwardParameters: Set<String> = []
    var runsOptimizerStep = false
    /// Paths rooted at the caller whose weights are loaded or trained here.
    var weightsSetPaths: Set<String> = []
    /// Context expressions the analysis does not model -> whether entering them may change the grad mode.
    var unmodeledContexts: [ObjectIdentifier: Bool] = [:]

    init(analyzer: ModeAnalyzer, file: SourceFile, function: Stmt?, qualifiedName: String, isMethod: Bool) {
        self.analyzer = analyzer
        self.file = file
        self.semantics = analyzer.cachedSemantics(of: file)
        self.function = function
        self.qualifiedName = qualifiedName
        self.isMethod = isMethod
        var def: FunctionDef?
        if let function {
            switch function.kind {
            case .functionDef(let d), .asyncFunctionDef(let d): def = d
            default: break
            }
        }
        self.def = def
        self.body = def?.body ?? file.module.body
        var parameters: [String] = []
        var positional = 0
        if let args = def?.args {
            parameters = (args.posonlyargs + args.args).map(\.arg.text)
            positional = parameters.count
            parameters += args.kwonlyargs.map(\.arg.text)
            if let vararg = args.vararg { parameters.append(vararg.arg.text) }
            if let kwarg = args.kwarg { parameters.append(kwarg.arg.text) }
        }
        self.parameters = parameters
        self.positionalCount = positional
        let scan = BodyScan(body: body, source: file.source)
        self.localNames = def == nil ? [] : scan.assignedNames.subtracting(parameters).subtracting(scan.globalDeclarations)
        self.loops = scan.loops
        self.correlatedPredicates = scan.correlatedPredicates
        self.restoreTests = scan.restoreTests
        self.frozenPaths = scan.frozenPaths
        self.unfrozenPaths = scan.unfrozenPaths
        self.cfg = ControlFlowGraph.build(body: body)
        var isContextManager = false
        var grad = def == nil ? GradSet(.enabled) : GradSet(.entry)
        if let def {
            for decorator in def.decoratorList {
                if TorchAPI.isContextManagerDecorator(decorator, semantics) { isContextManager = true }
                if let context = TorchAPI.gradContext(decorator, semantics, allowBare: true) {
                    let site = analyzer.switchSite(file, decorator.range, description: "`@\(file.source.text(decorator.range))`")
                    switch context {
                    case .disable: grad = GradSet(.disabled, site: site)
                    case .enable: grad = GradSet(.enabled, site: site)
                    case .setEnabled(let flag):
                        if let flag, let value = constantTruth(flag) {
                            grad = GradSet(value ? .enabled : .disabled, site: site)
                        } else {
                            grad = GradSet(.unknown, site: site)
                        }
                    }
                }
            }
        }
        self.isContextManager = isContextManager
        self.initialGrad = grad
        let isClassMethod = def?.decoratorList.contains { decorator in
            if case .name(let id, _) = decorator.kind { return id.text == "classmethod" }
            return false
        } ?? false
        self.classParameter = isClassMethod ? parameters.first : nil
    }

    // MARK: Mode lookup

    /// The root of a path may hold the caller's module: a parameter, `self`, or a global read here.
    func rootIsFromCaller(_ root: String) -> Bool {
        guard def != nil else { return false }
        return !localNames.contains(root)
    }

    func mode(of path: String, in state: PathState) -> ModeSet {
        if let set = state.modes[path] { return set }
        var prefix = Substring(path)
        while let dot = prefix.lastIndex(of: ".") {
            prefix = prefix[..<dot]
            if let parent = state.modes[String(prefix)] { return inherited(parent) }
        }
        let root = String(prefix)
        return rootIsFromCaller(root) ? ModeSet(.entry) : ModeSet(.unknown)
    }

    /// A submodule follows its parent's switch, except a mixed parent tells nothing about one child.
    private func inherited(_ parent: ModeSet) -> ModeSet {
        var result = ModeSet()
        for atom in parent.atoms {
            if atom == .mixed { result.insert(.unknown) } else { result.insert(atom, sites: parent.sites(of: atom)) }
        }
        return result
    }

    // MARK: Joins

    func join(_ a: PathState, _ b: PathState) -> PathState {
        var result = a
        for key in Set(a.modes.keys).union(b.modes.keys) {
            result.modes[key] = mode(of: key, in: a).union(mode(of: key, in: b))
        }
        result.grad = a.grad.union(b.grad)
        result.assumptions = a.assumptions.filter { b.assumptions[$0.key] == $0.value }
        for (name, taint) in b.values { result.values[name, default: Taint()].formUnion(taint) }
        result.snapshots = a.snapshots.filter { key, snapshot in
            guard let other = b.snapshots[key], other.path == snapshot.path else { return false }
            return true
        }
        for key in result.snapshots.keys {
            let snapshot = result.snapshots[key]!
            result.snapshots[key] = ModeSnapshot(path: snapshot.path, modes: snapshot.modes.union(b.snapshots[key]!.modes))
        }
        for (key, save) in b.contextSaves {
            if var mine = result.contextSaves[key] {
                for (path, set) in save.modes { mine.modes[path, default: ModeSet()].formUnion(set) }
                mine.grad.formUnion(save.grad)
                result.contextSaves[key] = mine
            } else {
                result.contextSaves[key] = save
            }
        }
        result.openBackwards.formUnion(b.openBackwards)
        result.openStepModules.formUnion(b.openStepModules)
        for (key, sites) in b.evalsInOpenStep { result.evalsInOpenStep[key, default: []].formUnion(sites) }
        result.pendingForwards.formUnion(b.pendingForwards)
        result.trainedSince = a.trainedSince.union(b.trainedSince)
        return result
    }

    /// Adds a path group, merging it with one under the same assumptions, and merging beyond the cap.
    func add(_ path: PathState, to state: inout AbstractState) {
        if let index = state.paths.firstIndex(where: { $0.assumptions == path.assumptions }) {
            state.paths[index] = join(state.paths[index], path)
            return
        }
        state.paths.append(path)
        if state.paths.count > AbstractState.maxPaths {
            let last = state.paths.removeLast()
            state.paths[state.paths.count - 1] = join(state.paths[state.paths.count - 1], last)
        }
    }

    func joined(_ a: AbstractState, _ b: AbstractState) -> AbstractState {
        var result = a
        for path in b.paths { add(path, to: &result) }
        return result
    }

    /// Re-merges path groups whose assumptions became equal (after an assignment dropped one).
    func normalized(_ state: AbstractState) -> AbstractState {
        var result = AbstractState()
        for path in state.paths { add(path, to: &result) }
        return result
    }

    // MARK: Solving

    func initialState() -> PathState {
        var state = PathState()
        state.grad = initialGrad
        return state
    }

    /// Runs to the fixpoint, then once more over every reachable block with recording on. Returns the state
    /// at the normal exit, or nil when the iteration did not settle.
    func run() -> AbstractState? {
        let order = cfg.reversePostOrder()
        var inStates = [AbstractState?](repeating: nil, count: cfg.blocks.count)
        inStates[cfg.entry] = AbstractState([initialState()])
        // Round-robin in reverse post-order: each round visits the blocks whose input changed.
        var dirty = [Bool](repeating: false, count: cfg.blocks.count)
        dirty[cfg.entry] = true
        var budget = 64 * cfg.blocks.count + 256
        var changed = true
        while changed {
            changed = false
            for block in order where dirty[block] {
                dirty[block] = false
                budget -= 1
                if budget < 0 { return nil }
                guard let input = inStates[block] else { continue }
                let output = transfer(block: block, input)
                for edge in cfg.blocks[block].successors {
                    let flowing = follow(edge, output)
                    if flowing.isBottom { continue }
                    let merged = inStates[edge.target].map { joined($0, flowing) } ?? normalized(flowing)
                    if merged != inStates[edge.target] {
                        inStates[edge.target] = merged
                        dirty[edge.target] = true
                        changed = true
                    }
                }
            }
        }
        recording = true
        for block in order {
            if let input = inStates[block] { _ = transfer(block: block, input) }
        }
        recording = false
        return inStates[cfg.exit] ?? AbstractState()
    }

    private func transfer(block: Int, _ input: AbstractState) -> AbstractState {
        var state = input
        for element in cfg.blocks[block].elements {
            var next = AbstractState()
            for path in state.paths {
                for result in transfer(element, path) { add(result, to: &next) }
            }
            state = next
            if state.isBottom { break }
        }
        return state
    }

    /// Applies an edge: assumes the branch outcome (dropping paths that contradict an earlier assumption) and
    /// ends the loop iteration on a back edge.
    private func follow(_ edge: CFGEdge, _ state: AbstractState) -> AbstractState {
        var result = AbstractState()
        for var path in state.paths {
            if edge.isBack { path.pendingForwards = [] }
            if let condition = edge.condition {
                guard assume(condition, edge.outcome, in: &path) else { continue }
            }
            add(path, to: &result)
        }
        return result
    }

    /// False when the path contradicts an assumption already made.
    func assume(_ condition: Expr, _ outcome: Bool, in path: inout PathState) -> Bool {
        if let known = knownModuleTest(condition) { return known == outcome }
        guard let (key, polarity) = PredicateKey.normalize(condition, in: file.source) else { return true }
        let holds = outcome == polarity
        if let known = path.assumptions[key.text] { return known == holds }
        if let restored = restoreTests[ObjectIdentifier(condition)], !outcome,
           let snapshot = path.snapshots[key.text], snapshot.path == restored {
            // `if was_training: model.train()`: when it was not training, the mode it had is kept as it was.
            var kept = snapshot.modes
            _ = kept.remove(.train)
            if !kept.isEmpty {
                path.modes[restored] = kept
                removeSubpaths(of: restored, in: &path)
            }
        }
        if correlatedPredicates.contains(key.text) {
            path.assumptions[key.text] = holds
            analyzer.predicateNames[key.text] = key.names
        }
        return true
    }

    /// `isinstance(m, nn.Module)` (or `not ...`) on a value the analysis tracks as a module is true: the
    /// other branch (`if isinstance(net, nn.Module): net.eval()`) cannot run.
    private func knownModuleTest(_ condition: Expr) -> Bool? {
        switch condition.kind {
        case .unaryOp(.not, let operand):
            return knownModuleTest(operand).map { !$0 }
        case .call(let function, let args, let keywords):
            guard keywords.isEmpty, args.count == 2, semantics.qualifiedName(of: function)?.description == "builtins.isinstance",
                  modulePath(of: args[0]) != nil else { return nil }
            var classes = [args[1]]
            if case .tuple(let elements, _) = args[1].kind { classes = elements }
            let isModuleClass = classes.contains { cls in
                guard let name = semantics.qualifiedName(of: cls) else { return false }
                // `*.nn.Module` too: a package holding its own `torch.py` (d2l) makes `torch` resolve locally.
                return name.segments.suffix(2) == ["nn", "Module"] || name.description == "torch.nn.modules.module.Module"
            }
            return isModuleClass ? true : nil
        default:
            return nil
        }
    }

    func removeSubpaths(of path: String, in state: inout PathState) {
        let prefix = path + "."
        for key in state.modes.keys where key.hasPrefix(prefix) { state.modes[key] = nil }
    }

    /// Drops assumptions that mention `name` (it was reassigned).
    func forgetAssumptions(mentioning name: String, in state: inout PathState) {
        guard !state.assumptions.isEmpty else { return }
        for key in state.assumptions.keys where analyzer.predicateNames[key]?.contains(name) ?? false {
            state.assumptions[key] = nil
        }
    }

    // MARK: Events

    func record(_ event: ModeEvent) {
        guard recording else { return }
        events.merge(event)
        if case .trainingStep(let forward) = event.kind { detectLoopCarriedEval(event, forward: forward) }
    }

    /// ML101: an eval whose switch is later in an enclosing loop than the training forward reaches that
    /// forward only around the back edge, i.e. in the next iteration.
    private func detectLoopCarriedEval(_ event: ModeEvent, forward: CodeSite) {
        guard event.anchorFile == file.path else { return }
        let evalSites = event.modes.sites(of: .eval).filter { $0.file == file.path }
        guard !evalSites.isEmpty else { return }
        let anchor = event.anchorRange
        for loop in loops.reversed() where contains(loop.statement.range, anchor) {
            let carried = evalSites.filter { contains(loop.statement.range, $0.range) && $0.range.start >= anchor.start }
            guard !carried.isEmpty else { continue }
            let before = event.modes.sites(of: .train).filter { site in
                site.origin != .creation && site.file == file.path && site.range.end <= loop.statement.range.start
                    && (function.map { contains($0.range, site.range) } ?? true)
            }
            let anchorSite = event.chain.first ?? analyzer.switchSite(file, event.origin.range,
                                                                      description: "`\(text(of: event.origin.range))`")
            analyzer.loopCandidates.append(LoopCandidate(
                step: StepKey(backward: event.origin, forward: forward),
                info: LoopCarriedEval(loopHeader: analyzer.codeSite(file, loop.header),
                                      trainBeforeLoop: before.sorted(), evalSites: carried.sorted(),
                                      modulePath: event.path, stepAnchor: anchorSite)))
            return
        }
    }

    func text(of range: TextRange) -> String { file.source.text(range) }

    func contains(_ outer: TextRange, _ inner: TextRange) -> Bool {
        outer.start <= inner.start && inner.end <= outer.end
    }

    func summary() -> FunctionSummary {
        var summary = FunctionSummary(parameters: parameters, positionalCount: positionalCount, isMethod: isMethod,
                                      file: file.path, qualifiedName: qualifiedName)
        if let args = def?.args {
            let positional = args.posonlyargs + args.args
            for (parameter, value) in zip(positional.suffix(args.defaults.count), args.defaults) {
                if case .constant(.bool, _) = value.kind, let truth = constantTruth(value) { summary.flagDefaults[parameter.arg.text] = truth }
            }
            for (parameter, value) in zip(args.kwonlyargs, args.kwDefaults) {
                if let value, case .constant(.bool, _) = value.kind, let truth = constantTruth(value) {
                    summary.flagDefaults[parameter.arg.text] = truth
                }
            }
        }
        return summary
    }
}

/// One pass over a body (not into nested functions or classes) collecting what the analysis needs up front.
struct BodyScan {
    var assignedNames: Set<String> = []
    var globalDeclarations: Set<String> = []
    var loops: [LoopInfo] = []
    var correlatedPredicates: Set<String> = []
    var restoreTests: [ObjectIdentifier: String] = [:]
    /// `m = Net(requires_grad=False)`, `m.requires_grad_(False)`, `for p in m.parameters(): p.requires_grad = False`.
    var frozenPaths: Set<String> = []
    /// `m.requires_grad_()`, `m.requires_grad_(flag)`, `for p in m.parameters(): p.requires_grad = True` (also
    /// for some of them only): gradual unfreezing, fine-tuning after a warm-up.
    var unfrozenPaths: Set<String> = []
    private var predicateCounts: [String: Int] = [:]
    private let source: SourceBuffer

    init(body: [Stmt], source: SourceBuffer) {
        self.source = source
        scan(body)
        correlatedPredicates = Set(predicateCounts.filter { $0.value >= 2 }.keys)
    }

    private mutating func scan(_ body: [Stmt]) {
        for statement in body { scan(statement) }
    }

    private mutating func count(_ expr: Expr) {
        if let (key, _) = PredicateKey.normalize(expr, in: source) { predicateCounts[key.text, default: 0] += 1 }
    }

    /// Arguments of calls that take a flag (`set_grad_enabled(p)`, `train(p)`) count as tests of `p`, and so
    /// do conditional expressions (`m.train() if p else m.eval()`).
    private mutating func countFlagArguments(_ expr: Expr) {
        ExprWalk.forEachConditionalTest(in: expr) { self.count($0) }
        ExprWalk.forEachCall(in: expr) { function, args, keywords in
            guard case .attribute(_, let attr, _) = function.kind,
                  ["set_grad_enabled", "train"].contains(attr.text) else {
                if case .name(let id, _) = function.kind, id.text == "set_grad_enabled", let first = args.first {
                    self.count(first)
                }
                return
            }
            if let first = args.first ?? keywords.first(where: { $0.arg?.text == "mode" })?.value {
                self.count(first)
            }
        }
    }

    private mutating func bind(_ target: Expr) {
        switch target.kind {
        case .name(let id, _): assignedNames.insert(id.text)
        case .tuple(let elts, _), .list(let elts, _): elts.forEach { bind($0) }
        case .starred(let value, _): bind(value)
        default: break
        }
    }

    private mutating func scan(_ statement: Stmt) {
        switch statement.kind {
        case .functionDef(let def), .asyncFunctionDef(let def):
            assignedNames.insert(def.name.text)
        case .classDef(let def):
            assignedNames.insert(def.name.text)
        case .assign(let targets, let value):
            targets.forEach { bind($0) }
            countFlagArguments(value)
            noteFreezing(value, assignedTo: targets)
        case .augAssign(let target, _, _):
            bind(target)
        case .annAssign(let target, _, let value, _):
            if value != nil { bind(target) }
        case .for(let target, let iter, let body, let orelse), .asyncFor(let target, let iter, let body, let orelse):
            bind(target)
            noteFreezingLoop(target: target, iter: iter, body: body)
            loops.append(LoopInfo(statement: statement, header: TextRange(start: statement.range.start, end: iter.range.end)))
            scan(body)
            scan(orelse)
        case .while(let test, let body, let orelse):
            count(test)
            loops.append(LoopInfo(statement: statement, header: TextRange(start: statement.range.start, end: test.range.end)))
            scan(body)
            scan(orelse)
        case .if(let test, let body, let orelse):
            count(test)
            noteRestore(test: test, body: body, orelse: orelse)
            scan(body)
            scan(orelse)
        case .with(let items, let body), .asyncWith(let items, let body):
            for item in items {
                countFlagArguments(item.contextExpr)
                if let vars = item.optionalVars { bind(vars) }
            }
            scan(body)
        case .try(let body, let handlers, let orelse, let finalbody),
             .tryStar(let body, let handlers, let orelse, let finalbody):
            scan(body)
            for handler in handlers {
                if let name = handler.name { assignedNames.insert(name.text) }
                scan(handler.body)
            }
            scan(orelse)
            scan(finalbody)
        case .match(_, let cases):
            for matchCase in cases {
                if let guardExpr = matchCase.guard_ { count(guardExpr) }
                scan(matchCase.body)
            }
        case .import(let names):
            for alias in names {
                assignedNames.insert(alias.asname?.text ?? String(alias.name.text.split(separator: ".").first ?? ""))
            }
        case .importFrom(_, let names, _):
            for alias in names { assignedNames.insert(alias.asname?.text ?? alias.name.text) }
        case .global(let names), .nonlocal(let names):
            names.forEach { globalDeclarations.insert($0.text) }
        case .expr(let value), .assert(let value, _):
            countFlagArguments(value)
            noteFreezing(value, assignedTo: [])
        case .return(let value):
            if let value { countFlagArguments(value) }
        default:
            break
        }
    }

    private static func isFalse(_ expr: Expr) -> Bool {
        if case .constant(.bool, _) = expr.kind { return constantTruth(expr) == false }
        return false
    }

    /// `x = Ctor(..., requires_grad=False)` freezes `x`; `m.requires_grad_(False)` (also at the end of a
    /// chain such as `m.eval().requires_grad_(False)`) freezes `m`.
    private mutating func noteFreezing(_ value: Expr, assignedTo targets: [Expr]) {
        guard case .call(let function, let args, let keywords) = value.kind else { return }
        // `Vgg16(requires_grad=False).to(device)`: the constructor anywhere in a chain of calls.
        var link: Expr? = value
        while let call = link, case .call(let callee, _, let linkKeywords) = call.kind {
            if linkKeywords.contains(where: { $0.arg?.text == "requires_grad" && Self.isFalse($0.value) }) {
                for target in targets { if let path = ExprWalk.accessPath(target) { frozenPaths.insert(path) } }
                break
            }
            if case .attribute(let base, _, _) = callee.kind { link = base } else { link = nil }
        }
        guard case .attribute(var receiver, let attr, _) = function.kind, attr.text == "requires_grad_" else { return }
        let flag = args.first ?? keywords.first(where: { $0.arg?.text == "requires_grad" })?.value
        let freezes = flag.map(Self.isFalse) ?? false
        // Through `.eval()`, `.to(device)` and the like to the module itself.
        while case .call(let inner, _, _) = receiver.kind, case .attribute(let base, _, _) = inner.kind { receiver = base }
        var paths: [String] = []
        if let path = ExprWalk.accessPath(receiver) { paths.append(path) }
        for target in targets { if let path = ExprWalk.accessPath(target) { paths.append(path) } }
        if freezes { frozenPaths.formUnion(paths) } else { unfrozenPaths.formUnion(paths) }
    }

    /// `for p in m.parameters(): p.requires_grad = False` (or `p.requires_grad_(False)`, or over
    /// `m.named_parameters()`) freezes `m`; any other setting of `requires_grad` in such a loop, also under a
    /// condition (`if "head" in name: p.requires_grad = True`), unfreezes some of it.
    private mutating func noteFreezingLoop(target: Expr, iter: Expr, body: [Stmt]) {
        guard case .call(let function, _, _) = iter.kind, case .attribute(let owner, let attr, _) = function.kind,
              attr.text == "parameters" || attr.text == "named_parameters",
              let path = ExprWalk.accessPath(owner) else { return }
        var variable: String?
        switch target.kind {
        case .name(let id, _) where attr.text == "parameters": variable = id.text
        case .tuple(let elts, _) where attr.text == "named_parameters" && elts.count == 2:
            if case .name(let id, _) = elts[1].kind { variable = id.text }
        default: break
        }
        /// The flag a statement gives `requires_grad` of a parameter (`nil`: none; the value otherwise).
        func setting(_ statement: Stmt) -> (parameter: Expr, flag: Expr?)? {
            switch statement.kind {
            case .assign(let targets, let value):
                for assigned in targets {
                    if case .attribute(let base, let field, _) = assigned.kind, field.text == "requires_grad" {
                        return (base, value)
                    }
                }
            case .expr(let value):
                if case .call(let callee, let args, let keywords) = value.kind,
                   case .attribute(let base, let method, _) = callee.kind, method.text == "requires_grad_" {
                    return (base, args.first ?? keywords.first(where: { $0.arg?.text == "requires_grad" })?.value)
                }
            default:
                break
            }
            return nil
        }
        for statement in body {
            guard let (parameter, flag) = setting(statement), let variable, case .name(let id, _) = parameter.kind,
                  id.text == variable, let flag, Self.isFalse(flag) else { continue }
            frozenPaths.insert(path)
        }
        ASTWalk.walk(body, enterDefinitions: false, stmt: { statement in
            guard let (_, flag) = setting(statement) else { return }
            if !(flag.map(Self.isFalse) ?? false) { self.unfrozenPaths.insert(path) }
        }, expr: { _ in })
    }

    /// `if was_training: model.train()` (no else) restores the mode saved in `was_training`.
    private mutating func noteRestore(test: Expr, body: [Stmt], orelse: [Stmt]) {
        guard orelse.isEmpty, case .name = test.kind, body.count == 1, case .expr(let value) = body[0].kind,
              case .call(let function, let args, _) = value.kind, args.isEmpty,
              case .attribute(let receiver, let attr, _) = function.kind, attr.text == "train",
              let path = ExprWalk.accessPath(receiver) else { return }
        restoreTests[ObjectIdentifier(test)] = path
    }
}

/// Small helpers over expressions.
enum ExprWalk {
    /// "model", "self.model", "model.backbone" for Name/Attribute chains; nil otherwise.
    static func accessPath(_ expr: Expr) -> String? {
        switch expr.kind {
        case .name(let id, _): return id.text
        case .attribute(let value, let attr, _): return accessPath(value).map { "\($0).\(attr.text)" }
        default: return nil
        }
    }

    /// Visits the test of every conditional expression in `expr` (not into lambdas), outermost first.
    static func forEachConditionalTest(in expr: Expr, _ body: (Expr) -> Void) {
        switch expr.kind {
        case .lambda:
            return
        case .ifExp(let test, _, _):
            body(test)
            fallthrough
        default:
            forEachChild(of: expr) { forEachConditionalTest(in: $0, body) }
        }
    }

    /// Visits every call in `expr` (not into lambdas), innermost first.
    static func forEachCall(in expr: Expr, _ body: (Expr, [Expr], [Keyword]) -> Void) {
        switch expr.kind {
        case .call(let function, let args, let keywords):
            forEachCall(in: function, body)
            args.forEach { forEachCall(in: $0, body) }
            keywords.forEach { forEachCall(in: $0.value, body) }
            body(function, args, keywords)
        case .lambda:
            return
        default:
            forEachChild(of: expr) { forEachCall(in: $0, body) }
        }
    }

    /// The direct subexpressions, in evaluation order.
    static func forEachChild(of expr: Expr, _ body: (Expr) -> Void) {
        switch expr.kind {
        case .boolOp(_, let values): values.forEach(body)
        case .namedExpr(let target, let value): body(value); body(target)
        case .binOp(let left, _, let right): body(left); body(right)
        case .unaryOp(_, let operand): body(operand)
        case .lambda: break
        case .ifExp(let test, let b, let orelse): body(test); body(b); body(orelse)
        case .dict(let keys, let values):
            for (key, value) in zip(keys, values) {
                if let key { body(key) }
                body(value)
            }
        case .set(let elts), .list(let elts, _), .tuple(let elts, _): elts.forEach(body)
        case .listComp(let elt, let generators), .setComp(let elt, let generators), .generatorExp(let elt, let generators):
            for generator in generators { body(generator.iter); generator.ifs.forEach(body) }
            body(elt)
        case .dictComp(let key, let value, let generators):
            for generator in generators { body(generator.iter); generator.ifs.forEach(body) }
            body(key); body(value)
        case .await(let value), .yieldFrom(let value): body(value)
        case .yield(let value): if let value { body(value) }
        case .compare(let left, _, let comparators): body(left); comparators.forEach(body)
        case .call(let function, let args, let keywords):
            body(function); args.forEach(body); keywords.forEach { body($0.value) }
        case .formattedValue(let value, _, let spec): body(value); if let spec { body(spec) }
        case .joinedStr(let values): values.forEach(body)
        case .constant, .name: break
        case .attribute(let value, _, _): body(value)
        case .subscript(let value, let slice, _): body(value); body(slice)
        case .starred(let value, _): body(value)
        case .slice(let lower, let upper, let step):
            if let lower { body(lower) }
            if let upper { body(upper) }
            if let step { body(step) }
        }
    }
}
