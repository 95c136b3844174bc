import ModelintSyntax

/// Applying a callee's summary at a call site: parameters are bound to the caller's module paths, the
/// callee's `entry` atoms are replaced by the caller's current modes, and its switches are attributed to the
/// call ("switched to eval by `test()`").
extension FunctionAnalysis {
    /// Callee path root -> caller path (nil: the argument is not a tracked module).
    struct ParameterMapping {
        var roots: [String: String?] = [:]
        var taints: [String: Taint] = [:]
    }

    func parameterMapping(_ summary: FunctionSummary, receiver: Expr?, args: [Expr], keywords: [Keyword],
                          argValues: [ExprValue], keywordValues: [ExprValue]) -> ParameterMapping {
        var mapping = ParameterMapping()
        var positional = Array(summary.parameters.prefix(summary.positionalCount))
        if summary.isMethod, !positional.isEmpty {
            let selfName = positional.removeFirst()
            mapping.roots[selfName] = receiver.flatMap { modulePath(of: $0) ?? ExprWalk.accessPath($0) }
        }
        for (index, name) in positional.enumerated() where index < args.count {
            if case .starred = args[index].kind { break }
            mapping.roots[name] = argValues[index].path(in: self)
            mapping.taints[name] = argValues[index].taint
        }
        for (index, keyword) in keywords.enumerated() {
            guard let name = keyword.arg?.text, summary.parameters.contains(name) else { continue }
            mapping.roots[name] = keywordValues[index].path(in: self)
            mapping.taints[name] = keywordValues[index].taint
        }
        return mapping
    }

    /// The boolean flags a call fixes: constant `True`/`False` arguments, else the parameter defaults.
    func knownFlags(_ summary: FunctionSummary, args: [Expr], keywords: [Keyword]) -> [String: Bool] {
        guard !summary.flagVariants.isEmpty else { return [:] }
        var known = summary.flagDefaults
        var positional = Array(summary.parameters.prefix(summary.positionalCount))
        if summary.isMethod, !positional.isEmpty { positional.removeFirst() }
        func flag(_ value: Expr) -> Bool? {
            if case .constant(.bool, _) = value.kind { return constantTruth(value) }
            return nil
        }
        for (index, name) in positional.enumerated() where index < args.count {
            if case .starred = args[index].kind { break }
            if let value = flag(args[index]) { known[name] = value } else { known[name] = nil }
        }
        for keyword in keywords {
            guard let name = keyword.arg?.text else { continue }
            if let value = flag(keyword.value) { known[name] = value } else { known[name] = nil }
        }
        return known
    }

    /// The caller's path for a callee path: through a parameter, or the same global when both are in one file.
    func mapPath(_ calleePath: String, _ mapping: ParameterMapping, _ summary: FunctionSummary) -> String? {
        let parts = calleePath.split(separator: ".", maxSplits: 1)
        guard !parts.isEmpty else { return nil }
        let root = String(parts[0])
        let rest = parts.count > 1 ? "." + parts[1] : ""
        if let mapped = mapping.roots[root] { return mapped.map { $0 + rest } }
        if summary.parameters.contains(root) { return nil }
        return summary.file == file.path ? calleePath : nil
    }

    /// Replaces a callee's `entry` atom by the caller's state at the call; the callee's own sites are wrapped in
    /// the call site so messages can say "by `test()`".
    func substitute<Atom: LatticeAtom>(_ set: AtomSet<Atom>, entry: AtomSet<Atom>, site: SwitchSite?) -> AtomSet<Atom> {
        var result = AtomSet<Atom>()
        for atom in set.atoms {
            if atom == .entry {
                result.formUnion(entry)
            } else {
                let inner = set.sites(of: atom)
                if let site, !inner.isEmpty {
                    result.insert(atom, sites: [wrap(site, inner)])
                } else {
                    result.insert(atom, sites: inner)
                }
            }
        }
        return result
    }

    private func wrap(_ site: SwitchSite, _ inner: Set<SwitchSite>) -> SwitchSite {
        SwitchSite(origin: .functionCall, file: site.file, range: site.range, line: site.line,
                   description: site.description, viaFunction: site.viaFunction, inner: inner.sorted())
    }

    func callSite(_ call: Expr, _ function: Expr, _ ref: FunctionRef) -> SwitchSite {
        analyzer.switchSite(file, call.range, origin: .functionCall, description: "`\(text(function))()`",
                            viaFunction: ref.qualifiedName.description)
    }

    /// Applies path -> modes (relative to the callee's entry) to the caller's state. Parents first, so a
    /// callee that switched `m` and then `m.head` leaves both.
    func applyModes(_ modes: [String: ModeSet], _ mapping: ParameterMapping, _ summary: FunctionSummary,
                    base: PathState, site: SwitchSite, _ state: inout PathState) {
        for calleePath in modes.keys.sorted(by: { ($0.count, $0) < ($1.count, $1) }) {
            guard let callerPath = mapPath(calleePath, mapping, summary) else { continue }
            let updated = substitute(modes[calleePath]!, entry: mode(of: callerPath, in: base), site: site)
            setModes(callerPath, updated, &state)
        }
    }

    func applyCall(_ call: Expr, ref: FunctionRef, function: Expr, receiver: Expr?, args: [Expr], keywords: [Keyword],
                   argValues: [ExprValue], keywordValues: [ExprValue], _ state: inout PathState) -> ExprValue {
        guard let summary = analyzer.summary(for: ref), !summary.isUnknown else {
            // Recursion or a callee that could not be analysed: whatever it receives ends up unknown.
            for value in argValues + keywordValues {
                if let path = value.path(in: self) { setModes(path, ModeSet(.unknown), &state) }
            }
            if let receiver, let path = ExprWalk.accessPath(receiver), case .name = receiver.kind,
               path == "self" {
                for key in state.modes.keys where key.hasPrefix("self.") { state.modes[key] = ModeSet(.unknown) }
            }
            return .none
        }
        if recording { analyzer.noteCall(of: ref) }
        let mapping = parameterMapping(summary, receiver: receiver, args: args, keywords: keywords,
                                       argValues: argValues, keywordValues: keywordValues)
        let site = callSite(call, function, ref)
        let before = state
        let codeSite = analyzer.codeSite(file, call.range)

        // Events inside the callee that depend on this caller's state.
        if recording {
            for event in summary.openEvents {
                var instance = event
                let callerPath = mapPath(event.path, mapping, summary)
                if event.conditional {
                    // Counts only when a module was passed for the parameter it calls.
                    guard callerPath != nil else { continue }
                    instance.conditional = false
                }
                instance.path = callerPath ?? event.path
                if let callerPath, isFrozen(callerPath) { instance.frozen = true }
                var entryModes = callerPath.map { mode(of: $0, in: before) } ?? ModeSet(.unknown)
                switch event.kind {
                case .forward: entryModes = entryModes.asEvidence(trainedSince: before.trainedSince)
                case .trace: entryModes = entryModes.asEvidence()
                case .trainingStep, .backward: break
                }
                instance.modes = substitute(event.modes, entry: entryModes, site: nil)
                instance.grad = substitute(event.grad, entry: before.grad, site: nil)
                instance.chain = [site] + event.chain
                record(instance)
            }
        }
        // Values handed to a parameter that reaches a backward inside.
        if !summary.backwardParameters.isEmpty {
            var taint = Taint()
            for name in summary.backwardParameters { taint.formUnion(mapping.taints[name] ?? Taint()) }
            if !taint.isEmpty { handleBackward(at: codeSite, taint: taint, chain: [site], &state) }
        }
        applyModes(summary.modes(forFlags: knownFlags(summary, args: args, keywords: keywords)).exit, mapping, summary,
                   base: before, site: site, &state)
        state.grad = substitute(summary.exitGrad, entry: before.grad, site: site)
        for calleePath in summary.frozenPaths {
            if let callerPath = mapPath(calleePath, mapping, summary) { frozenPaths.insert(callerPath) }
        }
        for calleePath in summary.unfrozenPaths {
            if let callerPath = mapPath(calleePath, mapping, summary) { unfrozenPaths.insert(callerPath) }
        }
        for calleePath in summary.weightsSetPaths.sorted() {
            guard let callerPath = mapPath(calleePath, mapping, summary) else { continue }
            endTrainIntent(callerPath, &state)
            markWeightsSet(callerPath, &state)
        }
        if !summary.openBackwardsAtExit.isEmpty {
            state.openBackwards.formUnion(summary.openBackwardsAtExit)
            for calleePath in summary.openStepModulesAtExit.sorted() {
                if let callerPath = mapPath(calleePath, mapping, summary) { state.openStepModules.insert(callerPath) }
            }
        }
        if summary.runsOptimizerStep { handleOptimizerStep(at: codeSite, &state) }

        var result = ExprValue()
        if let returned = summary.returnedPath, let path = mapPath(returned, mapping, summary) {
            result.modulePath = path
        } else if let returned = summary.returnedModule {
            result.freshModes = substitute(returned, entry: ModeSet(.unknown), site: site)
        }
        // The result depends on the forwards inside and on what was passed in.
        var taint = Taint()
        for (forward, contribution) in summary.returnTaint.forwards {
            let callerPath = mapPath(contribution.path, mapping, summary)
            let entryModes = callerPath.map { mode(of: $0, in: before) } ?? ModeSet(.unknown)
            taint.forwards[forward] = Contribution(grad: substitute(contribution.grad, entry: before.grad, site: nil),
                                                   modes: substitute(contribution.modes, entry: entryModes, site: nil),
                                                   path: callerPath ?? contribution.path,
                                                   conditional: contribution.conditional && callerPath == nil,
                                                   frozen: contribution.frozen || callerPath.map(isFrozen) == true)
        }
        for value in argValues + keywordValues { taint.formUnion(value.taint) }
        result.taint = taint
        return result
    }
}
