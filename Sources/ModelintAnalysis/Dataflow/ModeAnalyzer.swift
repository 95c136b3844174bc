import ModelintSyntax

/// A training step: the backward and the forward it completes.
struct StepKey: Hashable {
    let backward: CodeSite
    let forward: CodeSite
}

struct LoopCandidate {
    let step: StepKey
    let info: LoopCarriedEval
}

/// The interprocedural mode analysis of a whole program: every function of the given files (and, on demand,
/// of the local modules they call into) is analysed once, bottom-up through the calls, with recursion
/// falling back to "unknown". Events that depend on a caller's state are carried up to every caller and
/// settled there; what is still open at a function nobody calls is settled with "unknown".
public final class ModeAnalyzer {
    let program: Program
    private var summaries: [ObjectIdentifier: FunctionSummary] = [:]
    /// Summaries published by the analyzers of other file groups (see `AnalysisPartition`).
    var shared: SharedSummaries?
    private var inProgress: Set<ObjectIdentifier> = []
    /// Recursion cuts seen so far: a summary computed while one happened below it depends on where the
    /// analysis entered the cycle, so it is not published to other groups.
    private var cuts = 0
    var called: Set<ObjectIdentifier> = []
    /// Open events and return taints of every analysed function, settled at the end if it has no callers.
    var rootCandidates: [RootCandidate] = []
    var settledEvents: [ModeEvent] = []
    private var depth = 0

    var predicateNames: [String: [String]] = [:]
    var loopCandidates: [LoopCandidate] = []
    var evalInStep: [EvalInStepFact] = []
    /// Forward -> the backwards its result reaches.
    var trainingLinks: [CodeSite: Set<CodeSite>] = [:]
    /// Forwards followed by an optimizer step in the same iteration.
    var trainingByStep: Set<CodeSite> = []
    var escaped: Set<CodeSite> = []
    /// Backwards followed by an optimizer step on some path: only those complete a training step.
    var steppedBackwards: Set<CodeSite> = []
    var relevantFiles: Set<String> = []

    /// Analyses `program` and returns the facts of its given files, on all cores (see `AnalysisPartition`).
    public static func analyze(_ program: Program) -> ProgramFacts {
        ModeAnalyzer(program: program).runPartitioned()
    }

    /// `analyzeEverything` skips the framework pre-check (for stress tests over code without torch).
    init(program: Program, analyzeEverything: Bool = false) {
        self.program = program
        self.analyzeEverything = analyzeEverything
    }

    private let analyzeEverything: Bool

    private var semanticsCache: [ObjectIdentifier: CachedSemantics] = [:]

    func cachedSemantics(of file: SourceFile) -> CachedSemantics {
        let key = ObjectIdentifier(file)
        if let cached = semanticsCache[key] { return cached }
        let cached = CachedSemantics(program.semantics(of: file))
        semanticsCache[key] = cached
        return cached
    }

    // MARK: Sites

    func codeSite(_ file: SourceFile, _ range: TextRange) -> CodeSite {
        CodeSite(file: file.path, range: range, line: file.source.location(range.start).line)
    }

    func switchSite(_ file: SourceFile, _ range: TextRange, origin: SwitchSite.Origin = .switchCall,
                    description: String, viaFunction: String? = nil) -> SwitchSite {
        SwitchSite(origin: origin, file: file.path, range: range, line: file.source.location(range.start).line,
                   description: description, viaFunction: viaFunction)
    }

    func linkTraining(forward: CodeSite, backward: CodeSite) {
        trainingLinks[forward, default: []].insert(backward)
    }

    func noteEscape(_ taint: Taint) {
        escaped.formUnion(taint.forwards.keys)
    }

    func noteStep(of backwards: Set<CodeSite>) {
        steppedBackwards.formUnion(backwards)
    }

    func noteCall(of ref: FunctionRef) {
        called.insert(ObjectIdentifier(ref.def))
    }

    // MARK: Driving

    /// Files that mention a tracked framework, and the files that import them: the only ones worth a dataflow
    /// pass. The rest of a large tree (the whole stdlib) costs one byte scan per file, done while loading.
    func computeRelevantFiles() {
        if analyzeEverything {
            relevantFiles = Set(program.files.map(\.path))
            return
        }
        var relevant: Set<String> = []
        for file in program.files where file.mentionsFramework {
            relevant.insert(file.path)
        }
        guard !relevant.isEmpty else { return }
        var changed = true
        while changed {
            changed = false
            for file in program.files where !relevant.contains(file.path) {
                if LocalImports.files(importedBy: file, in: program).contains(where: { relevant.contains($0.path) }) {
                    relevant.insert(file.path)
                    changed = true
                }
            }
        }
        relevantFiles = relevant
    }

    /// The whole analysis on this thread (tests and small programs).
    func run() -> ProgramFacts {
        computeRelevantFiles()
        analyze(roots: program.files.filter { $0.isGiven && relevantFiles.contains($0.path) })
        return Self.facts(program, merging: [self])
    }

    /// Every function and the module body of `roots`, with the callees they reach in any file.
    func analyze(roots: [SourceFile]) {
        for file in roots {
            let semantics = cachedSemantics(of: file)
            for (def, ref) in functions(in: file, semantics) { _ = summary(for: ref, def: def) }
            analyzeModuleBody(file)
        }
    }

    private func analyzeModuleBody(_ file: SourceFile) {
        let analysis = FunctionAnalysis(analyzer: self, file: file, function: nil, qualifiedName: file.moduleName,
                                        isMethod: false)
        _ = analysis.run()
        analysis.events.inOrder.forEach(settle)
    }

    /// Every def of a file (module level, in classes, nested), skipping framework classes that manage modes
    /// themselves.
    private func functions(in file: SourceFile, _ semantics: CachedSemantics) -> [(Stmt, FunctionRef)] {
        var result: [(Stmt, FunctionRef)] = []
        func visit(_ body: [Stmt], enclosingClass: Stmt?, prefix: String) {
            for statement in body {
                switch statement.kind {
                case .functionDef(let def), .asyncFunctionDef(let def):
                    let name = QualifiedName(prefix + "." + def.name.text)
                    result.append((statement, FunctionRef(file: file, def: statement, qualifiedName: name,
                                                          enclosingClass: enclosingClass)))
                    visit(def.body, enclosingClass: nil, prefix: prefix + "." + def.name.text)
                case .classDef(let def):
                    if isFrameworkManaged(statement, semantics) { continue }
                    visit(def.body, enclosingClass: statement, prefix: prefix + "." + def.name.text)
                default:
                    break
                }
            }
        }
        visit(file.module.body, enclosingClass: nil, prefix: file.moduleName)
        return result
    }

    /// LightningModule hooks, Hugging Face `Trainer` and Ignite engines switch modes themselves.
    func isFrameworkManaged(_ classDef: Stmt, _ semantics: CachedSemantics) -> Bool {
        if semantics.classInfo(classDef)?.isLightningModule == true { return true }
        guard case .classDef(let def) = classDef.kind else { return false }
        for base in def.bases {
            guard let name = semantics.qualifiedName(of: base), let root = name.segments.first else { continue }
            if ["pytorch_lightning", "lightning", "transformers", "ignite", "accelerate"].contains(root) { return true }
        }
        return false
    }

    func summary(for ref: FunctionRef) -> FunctionSummary? {
        summary(for: ref, def: ref.def)
    }

    private func summary(for ref: FunctionRef, def: Stmt) -> FunctionSummary? {
        let id = ObjectIdentifier(def)
        if let done = summaries[id] {
            if done.contextDependent { cuts += 1 }
            return done
        }
        if let done = shared?.summary(id) {
            summaries[id] = done
            return done
        }
        if inProgress.contains(id) || depth > 40 {
            cuts += 1
            return nil
        }
        let cutsBefore = cuts
        let semantics = cachedSemantics(of: ref.file)
        if let enclosingClass = ref.enclosingClass, isFrameworkManaged(enclosingClass, semantics) { return nil }
        inProgress.insert(id)
        depth += 1
        defer {
            depth -= 1
            inProgress.remove(id)
        }
        var isMethod = false
        if ref.enclosingClass != nil, case .functionDef(let d) = def.kind {
            isMethod = !d.decoratorList.contains { decorator in
                if case .name(let name, _) = decorator.kind { return name.text == "staticmethod" }
                return false
            }
        } else if ref.enclosingClass != nil, case .asyncFunctionDef = def.kind {
            isMethod = true
        }
        let analysis = FunctionAnalysis(analyzer: self, file: ref.file, function: def,
                                        qualifiedName: ref.qualifiedName.description, isMethod: isMethod)
        var summary = analysis.summary()
        guard let exit = analysis.run() else {
            summary.isUnknown = true
            return store(summary, id, contextDependent: cuts > cutsBefore)
        }
        let exitState = exit.paths.dropFirst().reduce(exit.paths.first ?? analysis.initialState()) { analysis.join($0, $1) }
        summary.exitModes = Self.changedModes(exitState, analysis, excludingSelf: true)
        summary.exitGrad = exit.isBottom ? GradSet(.entry) : exitState.grad
        if analysis.def != nil && !analysis.initialGrad.contains(.entry) && !exit.isBottom {
            // A decorator such as `@torch.no_grad()` restores the caller's grad mode on return.
            summary.exitGrad = GradSet(.entry)
        }
        if analysis.isContextManager && !analysis.yieldState.isBottom {
            let atYield = analysis.yieldState.paths.dropFirst().reduce(analysis.yieldState.paths[0]) { analysis.join($0, $1) }
            summary.yieldModes = Self.changedModes(atYield, analysis, excludingSelf: false)
            summary.yieldGrad = atYield.grad
        }
        summary.flagVariants = Self.flagVariants(exit: exit, yield: analysis.isContextManager ? analysis.yieldState : nil, analysis)
        summary.returnedModule = analysis.returnedModule
        summary.returnedPath = analysis.returnedPath
        summary.returnTaint = analysis.returnTaint
        summary.backwardParameters = analysis.backwardParameters
        summary.runsOptimizerStep = analysis.runsOptimizerStep
        summary.weightsSetPaths = analysis.weightsSetPaths
        let fromCaller = { (path: String) in analysis.rootIsFromCaller(String(path.split(separator: ".").first ?? "")) }
        summary.frozenPaths = analysis.frozenPaths.filter { fromCaller($0) && analysis.isFrozen($0) }
        summary.unfrozenPaths = analysis.unfrozenPaths.filter(fromCaller)
        for path in exit.paths {
            summary.openBackwardsAtExit.formUnion(path.openBackwards)
            summary.openStepModulesAtExit.formUnion(path.openStepModules)
        }
        var open: [ModeEvent] = []
        for event in analysis.events.inOrder {
            if event.isOpen { open.append(event) } else { settle(event) }
        }
        summary.openEvents = open
        rootCandidates.append(RootCandidate(id: id, events: open, returnTaint: analysis.returnTaint))
        return store(summary, id, contextDependent: cuts > cutsBefore)
    }

    private func store(_ summary: FunctionSummary, _ id: ObjectIdentifier, contextDependent: Bool) -> FunctionSummary {
        var summary = summary
        summary.contextDependent = contextDependent
        summaries[id] = summary
        if !contextDependent { shared?.publish(summary, for: id) }
        return summary
    }

    /// The modes a function leaves on the caller's modules: paths rooted at a parameter, `self` or a global
    /// that are not simply as they were on entry.
    static func changedModes(_ state: PathState, _ analysis: FunctionAnalysis, excludingSelf: Bool) -> [String: ModeSet] {
        var result: [String: ModeSet] = [:]
        for (path, modes) in state.modes where !(excludingSelf && path == "self") {
            let root = String(path.split(separator: ".").first ?? "")
            guard analysis.rootIsFromCaller(root), !(modes.atoms.count == 1 && modes.contains(.entry)) else { continue }
            result[path] = modes
        }
        return result
    }

    /// The exit (and yield) modes per outcome of the boolean parameters the function switches on
    /// (`def set_mode(model, training): model.train(training)`), so a call with a constant argument takes
    /// only its own outcome. Empty when no path depends on a parameter flag.
    static func flagVariants(exit: AbstractState, yield: AbstractState?, _ analysis: FunctionAnalysis) -> [FlagVariant] {
        let parameters = Set(analysis.parameters)
        func flags(_ path: PathState) -> [String: Bool] { path.assumptions.filter { parameters.contains($0.key) } }
        let exitFlags = exit.paths.map(flags)
        let yieldFlags = yield?.paths.map(flags) ?? []
        guard exitFlags.contains(where: { !$0.isEmpty }) || yieldFlags.contains(where: { !$0.isEmpty }) else { return [] }
        var keys: [[String: Bool]] = []
        for key in exitFlags + yieldFlags where !keys.contains(key) { keys.append(key) }
        return keys.map { key in
            func joinedModes(_ state: AbstractState, _ keyed: [[String: Bool]]) -> [String: ModeSet]? {
                let matching = zip(state.paths, keyed).filter { $0.1 == key }.map(\.0)
                guard let first = matching.first else { return nil }
                return changedModes(matching.dropFirst().reduce(first) { analysis.join($0, $1) }, analysis,
                                    excludingSelf: yield == nil)
            }
            return FlagVariant(flags: key, exitModes: joinedModes(exit, exitFlags),
                               yieldModes: yield.flatMap { joinedModes($0, yieldFlags) })
        }
    }

    /// Records an event whose modes no longer depend on a caller; `entry` left over means unknown.
    private func settle(_ event: ModeEvent) {
        if let settled = Self.settled(event) { settledEvents.append(settled) }
    }

    static func settled(_ event: ModeEvent) -> ModeEvent? {
        guard !event.conditional else { return nil }
        var settled = event
        if settled.modes.remove(.entry) != nil { settled.modes.insert(.unknown) }
        if settled.grad.remove(.entry) != nil { settled.grad.insert(.unknown) }
        return settled
    }
}
