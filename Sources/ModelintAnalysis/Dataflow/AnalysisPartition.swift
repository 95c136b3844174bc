import Dispatch
import Foundation

/// An analysed function's open events and return taint: settled with "unknown" at the end when nobody in
/// the program calls it.
struct RootCandidate {
    let id: ObjectIdentifier
    let events: [ModeEvent]
    let returnTaint: Taint
}

/// Running the analysis on all cores. The given files are split into contiguous groups (neighbouring files
/// call each other most), each analysed by its own `ModeAnalyzer` with its own summaries; a callee in
/// another group is summarised again there — the same summary, since a summary depends only on the program.
/// The partial results are merged in group order (deterministic output), and only then are the functions
/// that no group calls settled as entry points, exactly as one analyzer would.
extension ModeAnalyzer {
    /// Below this many files per group the duplicated callee summaries cost more than the cores save.
    static let minimumFilesPerGroup = 16

    /// `groups` forces the number of groups (tests); by default one per core, if there are enough files.
    func runPartitioned(groups requested: Int? = nil) -> ProgramFacts {
        computeRelevantFiles()
        let relevant = relevantFiles
        let roots = program.files.filter { $0.isGiven && relevant.contains($0.path) }
        // The semantic tables depend on one file each: build them on all cores first.
        program.prepareSemantics(of: program.files.filter { relevant.contains($0.path) })
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let groupCount = requested.map { max(1, min($0, roots.count)) }
            ?? max(1, min(cores, roots.count / Self.minimumFilesPerGroup))
        guard groupCount > 1 else {
            analyze(roots: roots)
            return Self.facts(program, merging: [self])
        }
        let groups = Self.partition(roots, into: groupCount)
        let slots = UnsafeMutableBufferPointer<ModeAnalyzer?>.allocate(capacity: groups.count)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize(); slots.deallocate() }
        let results = AnalyzerSlots(slots)
        let program = self.program
        let shared = SharedSummaries()
        DispatchQueue.concurrentPerform(iterations: groups.count) { index in
            let analyzer = ModeAnalyzer(program: program)
            analyzer.relevantFiles = relevant
            analyzer.shared = shared
            analyzer.analyze(roots: groups[index].files)
            results.buffer[index] = analyzer
        }
        return Self.facts(program, merging: slots.map { $0! })
    }

    /// Contiguous groups of about equal source size.
    static func partition(_ files: [SourceFile], into count: Int) -> [FileGroup] {
        let total = files.reduce(0) { $0 + $1.source.bytes.count }
        let target = total / count + 1
        var groups: [FileGroup] = []
        var current: [SourceFile] = []
        var size = 0
        for file in files {
            current.append(file)
            size += file.source.bytes.count
            if size >= target && groups.count < count - 1 {
                groups.append(FileGroup(files: current))
                current = []
                size = 0
            }
        }
        if !current.isEmpty { groups.append(FileGroup(files: current)) }
        return groups
    }

    /// The facts of the merged results: events recorded twice (a callee summarised in two groups) are
    /// merged like one analyzer merges the same event from two paths.
    static func facts(_ program: Program, merging analyzers: [ModeAnalyzer]) -> ProgramFacts {
        var called: Set<ObjectIdentifier> = []
        for analyzer in analyzers { called.formUnion(analyzer.called) }
        var events = EventTable()
        func add(_ event: ModeEvent) { events.merge(event) }
        var trainingLinks: [CodeSite: Set<CodeSite>] = [:]
        var trainingByStep: Set<CodeSite> = []
        var escaped: Set<CodeSite> = []
        var stepped: Set<CodeSite> = []
        var loopCandidates: [LoopCandidate] = []
        var evalInStep: [EvalInStepFact] = []
        var seenEvalInStep: Set<String> = []
        var settledRoots: Set<ObjectIdentifier> = []
        for analyzer in analyzers {
            analyzer.settledEvents.forEach(add)
            // Whatever nobody here calls is entered from outside: its caller's state is unknown.
            for candidate in analyzer.rootCandidates where !called.contains(candidate.id) {
                guard settledRoots.insert(candidate.id).inserted else { continue }
                for event in candidate.events { if let settled = settled(event) { add(settled) } }
                escaped.formUnion(candidate.returnTaint.forwards.keys)
            }
            for (forward, backwards) in analyzer.trainingLinks { trainingLinks[forward, default: []].formUnion(backwards) }
            trainingByStep.formUnion(analyzer.trainingByStep)
            escaped.formUnion(analyzer.escaped)
            stepped.formUnion(analyzer.steppedBackwards)
            loopCandidates += analyzer.loopCandidates
            for fact in analyzer.evalInStep {
                let key = "\(fact.evalSite.file)|\(fact.evalSite.range.start)|\(fact.backward)|\(fact.optimizerStep)"
                if seenEvalInStep.insert(key).inserted { evalInStep.append(fact) }
            }
        }
        // Which group recorded an event first depends on timing: a canonical order keeps the output stable.
        events.sortCanonically()
        loopCandidates.sort { a, b in
            (a.step.backward, a.step.forward, a.info.loopHeader) < (b.step.backward, b.step.forward, b.info.loopHeader)
        }
        evalInStep.sort { a, b in (a.evalSite, a.backward, a.optimizerStep) < (b.evalSite, b.backward, b.optimizerStep) }
        return FactBuilder(program: program, events: events.inOrder, trainingLinks: trainingLinks,
                           trainingByStep: trainingByStep, escaped: escaped, loopCandidates: loopCandidates,
                           evalInStep: evalInStep, steppedBackwards: stepped).build()
    }
}

/// Context-independent summaries, shared between the groups' analyzers so a callee is summarised once.
/// The analyzer that computes a summary also records its events; the others only apply it.
final class SharedSummaries: @unchecked Sendable {
    private let lock = NSLock()
    private var table: [ObjectIdentifier: FunctionSummary] = [:]

    func summary(_ id: ObjectIdentifier) -> FunctionSummary? {
        lock.lock()
        defer { lock.unlock() }
        return table[id]
    }

    func publish(_ summary: FunctionSummary, for id: ObjectIdentifier) {
        lock.lock()
        defer { lock.unlock() }
        if table[id] == nil { table[id] = summary }
    }
}

struct FileGroup {
    let files: [SourceFile]
}

/// Lets `concurrentPerform` workers fill disjoint slots; each slot is read only after all workers finished.
private struct AnalyzerSlots: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<ModeAnalyzer?>
    init(_ buffer: UnsafeMutableBufferPointer<ModeAnalyzer?>) { self.buffer = buffer }
}
