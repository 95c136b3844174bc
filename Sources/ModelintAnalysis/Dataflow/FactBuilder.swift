import ModelintSyntax

/// Turns the settled events of the analysis into the per-file facts the rules read: classifies forwards
/// (training / evaluation / undetermined), tells loop-carried evals (ML101) from other evals reaching a step
/// (ML104), and re-anchors facts found in files that were not given at a call in a given file.
struct FactBuilder {
    let program: Program
    let events: [ModeEvent]
    let trainingLinks: [CodeSite: Set<CodeSite>]
    let trainingByStep: Set<CodeSite>
    let escaped: Set<CodeSite>
    let loopCandidates: [LoopCandidate]
    let evalInStep: [EvalInStepFact]
    let steppedBackwards: Set<CodeSite>

    func build() -> ProgramFacts {
        let given = Set(program.files.filter(\.isGiven).map(\.path))
        var byFile: [String: FileFacts] = [:]
        var loopsByStep: [StepKey: [LoopCarriedEval]] = [:]
        for candidate in loopCandidates { loopsByStep[candidate.step, default: []].append(candidate.info) }
        let evalInStepSites = Set(evalInStep.map { SiteKey($0.evalSite) })
        var seenSteps: Set<String> = []

        /// The site to report at: the origin when its file was given, else the innermost given call leading there.
        func anchor(_ origin: CodeSite, _ chain: [SwitchSite]) -> CodeSite? {
            if given.contains(origin.file) { return origin }
            for site in chain.reversed() where given.contains(site.file) {
                return CodeSite(file: site.file, range: site.range, line: site.line)
            }
            return nil
        }

        for event in events {
            switch event.kind {
            case .forward:
                guard let site = anchor(event.origin, event.chain) else { continue }
                let backwards = trainingLinks[event.origin] ?? []
                let role: ForwardRole
                if !backwards.isEmpty || trainingByStep.contains(event.origin) {
                    role = .training
                } else if escaped.contains(event.origin) {
                    role = .undetermined
                } else {
                    role = .evaluation
                }
                let fact = ForwardFact(site: site, origin: event.origin, modulePath: event.originPath,
                                       moduleClass: event.moduleClass, role: role, mode: modeFact(event.modes),
                                       grad: gradFact(event.grad), callChain: event.chain,
                                       backwards: backwards.sorted(), frozen: event.frozen)
                byFile[site.file, default: FileFacts()].forwards.append(fact)
            case .trainingStep(let forward):
                // A frozen module trains nothing in the step: kept in eval on purpose (a feature extractor).
                guard event.modes.contains(.eval), !event.frozen else { continue }
                let evalSites = event.modes.sites(of: .eval)
                let step = StepKey(backward: event.origin, forward: forward)
                var explained: Set<SiteKey> = []
                for loop in loopsByStep[step] ?? [] {
                    let carried = loop.evalSites.filter { evalSites.contains($0) }
                    guard !carried.isEmpty else { continue }
                    explained.formUnion(carried.map(SiteKey.init))
                    let key = "loop|\(loop.loopHeader.file)|\(loop.loopHeader.range.start)|\(loop.modulePath)"
                    guard given.contains(loop.loopHeader.file), seenSteps.insert(key).inserted else { continue }
                    byFile[loop.loopHeader.file, default: FileFacts()].trainingSteps.append(
                        TrainingStepFact(kind: .backward, site: event.origin, origin: event.origin, forwardSite: forward,
                                         modulePath: event.originPath, mode: modeFact(event.modes), evalSites: carried,
                                         loop: loop, callChain: event.chain))
                }
                let remaining = evalSites.filter { !explained.contains(SiteKey($0)) && !evalInStepSites.contains(SiteKey($0)) }
                // A backward no optimizer step follows computes gradients for their own sake (saliency maps,
                // adversarial inputs, gradient checks in tests): eval mode there is deliberate.
                guard !remaining.isEmpty, steppedBackwards.contains(event.origin), let reported = anchor(event.origin, event.chain) else { continue }
                let key = "step|\(reported.file)|\(reported.range.start)|\(forward.file)|\(forward.range.start)"
                guard seenSteps.insert(key).inserted else { continue }
                byFile[reported.file, default: FileFacts()].trainingSteps.append(
                    TrainingStepFact(kind: .backward, site: reported, origin: event.origin, forwardSite: forward,
                                     modulePath: event.originPath, mode: modeFact(event.modes),
                                     evalSites: remaining.sorted(), loop: nil, callChain: event.chain))
            case .trace(let kind):
                guard let site = anchor(event.origin, event.chain) else { continue }
                byFile[site.file, default: FileFacts()].traces.append(
                    TraceFact(site: site, origin: event.origin, kind: kind, modulePath: event.originPath,
                              moduleClass: event.moduleClass, mode: modeFact(event.modes), callChain: event.chain))
            case .backward:
                // Only when every contribution was disabled: a part recorded under the caller's unknown grad
                // mode (a method's own forward outside `no_grad`) may well carry the gradient.
                guard event.grad.contains(.disabled), event.grad.atoms.allSatisfy({ $0 == .disabled }),
                      let site = anchor(event.origin, event.chain) else { continue }
                let key = "nograd|\(site.file)|\(site.range.start)"
                guard seenSteps.insert(key).inserted else { continue }
                byFile[site.file, default: FileFacts()].backwardsUnderNoGrad.append(
                    BackwardFact(site: site, disabledBy: event.grad.sites(of: .disabled).sorted()))
            }
        }
        for fact in evalInStep where given.contains(fact.evalSite.file) {
            byFile[fact.evalSite.file, default: FileFacts()].evalInsideStep.append(fact)
        }
        return ProgramFacts(byFile: byFile)
    }

    private func modeFact(_ set: ModeSet) -> ModeFact {
        var sites: [ModeValue: [SwitchSite]] = [:]
        for atom in set.atoms {
            let value = atom.concrete ?? .unknown
            sites[value, default: []].append(contentsOf: set.sites(of: atom))
        }
        for key in sites.keys { sites[key] = Array(Set(sites[key]!)).sorted() }
        return ModeFact(values: set.concreteValues, sites: sites)
    }

    private func gradFact(_ set: GradSet) -> GradFact {
        var sites: [GradValue: [SwitchSite]] = [:]
        for atom in set.atoms {
            let value = atom.concrete ?? .unknown
            sites[value, default: []].append(contentsOf: set.sites(of: atom))
        }
        for key in sites.keys { sites[key] = Array(Set(sites[key]!)).sorted() }
        return GradFact(values: set.concreteValues, sites: sites)
    }
}

/// A switch site's identity regardless of how it was reached.
struct SiteKey: Hashable {
    let file: String
    let range: TextRange

    init(_ site: SwitchSite) {
        file = site.file
        range = site.range
    }
}
