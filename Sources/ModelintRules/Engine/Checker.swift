import Dispatch
import ModelintAnalysis
import ModelintSyntax

/// Runs the selected rules over a program: one walk per given file for the node rules, the dataflow facts for
/// the analysis rules, `# noqa` filtering, and a deterministic order. Files are checked on all cores.
public struct Checker: Sendable {
    private let nodeRules: [any NodeRule]
    private let prefilter: WordPrefilter
    private let analysisRules: [any AnalysisRule]

    public init(selection: RuleSelection) {
        var nodeRules: [any NodeRule] = []
        var analysisRules: [any AnalysisRule] = []
        for rule in RuleRegistry.all where selection.isEnabled(rule.description.code) {
            if let type = rule as? any NodeRule.Type { nodeRules.append(type.init()) }
            if let type = rule as? any AnalysisRule.Type { analysisRules.append(type.init()) }
        }
        self.nodeRules = nodeRules
        self.prefilter = WordPrefilter(nodeRules)
        self.analysisRules = analysisRules
    }

    /// Time taken by each phase of a check, for `--statistics`.
    public struct Timings: Sendable {
        public var analysis = PhaseTime()
        public var rules = PhaseTime()

        public init() {}
    }

    /// Findings in the program's given files, sorted by file, position and code. Files with syntax errors
    /// get one ML000 finding and no rule findings (a recovered tree is not trusted).
    public func check(_ program: Program) -> [Finding] {
        var timings = Timings()
        return check(program, timings: &timings)
    }

    public func check(_ program: Program, timings: inout Timings) -> [Finding] {
        let analysisClock = PhaseClock()
        let given = program.files.filter(\.isGiven)
        let facts: ProgramFacts? = analysisRules.isEmpty ? nil : Self.analyze(program)
        timings.analysis = analysisClock.elapsed
        let rulesClock = PhaseClock()
        defer { timings.rules = rulesClock.elapsed }
        let perFile = UnsafeMutableBufferPointer<[Finding]>.allocate(capacity: given.count)
        perFile.initialize(repeating: [])
        defer { perFile.deinitialize(); perFile.deallocate() }
        let results = SendableBuffer(perFile)
        // The facts are complete before the workers start and only read by them.
        let sharedFacts = ReadOnlyShared(facts)
        DispatchQueue.concurrentPerform(iterations: given.count) { index in
            results.buffer[index] = checkFile(given[index], program: program, facts: sharedFacts.value)
        }
        return Self.sorted(perFile.flatMap { $0 })
    }

    /// The single hand-off to the dataflow analysis.
    private static func analyze(_ program: Program) -> ProgramFacts {
        ModeAnalyzer.analyze(program)
    }

    private func checkFile(_ file: SourceFile, program: Program, facts: ProgramFacts?) -> [Finding] {
        if let diagnostic = file.diagnostics.first {
            return [Self.syntaxError(diagnostic, file: file.path)]
        }
        let context = RuleContext(program: program, file: file)
        var findings: [Finding] = []
        // The same test as `needsTree`, so a file whose tree the loader dropped is never walked.
        let applicable = prefilter.applicableRules(hasNonASCIINames: file.hasNonASCIINames, lexedWith: file.watch,
                                                   watchedNames: file.watchedNames)
        if !applicable.isEmpty {
            var walker = SyntaxWalker(rules: applicable.map { nodeRules[$0] })
            walker.walk(file.module, context, &findings)
        }
        if let facts {
            let fileFacts = facts.facts(for: file.path)
            for rule in analysisRules { rule.check(fileFacts, context, &findings) }
        }
        guard !findings.isEmpty else { return findings }
        let noqa = NoqaDirectives(source: file.source, comments: file.comments)
        return findings.filter { !noqa.suppresses(code: $0.code, line: file.source.location($0.range.start).line) }
    }

    /// Whether checking a given file will walk its tree: the loader keeps the trees of these files (and of
    /// files the mode analysis reads) and drops the others right after parsing them.
    public func needsTree(_ parsed: ParsedModule) -> Bool {
        parsed.diagnostics.isEmpty
            && !prefilter.applicableRules(hasNonASCIINames: parsed.hasNonASCIINames, lexedWith: parsed.watch,
                                          watchedNames: parsed.watchedNames).isEmpty
    }

    /// The names the lexer should watch for when loading a program for this checker (see `WordPrefilter`).
    public var nameWatch: NameWatch { prefilter.watch }

    /// The ML000 finding of a file that cannot be decoded or parsed.
    public static func syntaxError(_ diagnostic: SyntaxDiagnostic, file: String) -> Finding {
        Finding(code: RuleRegistry.syntaxErrorCode, message: "SyntaxError: \(diagnostic.message)", file: file,
                range: diagnostic.range, severity: .error)
    }

    /// The report order: file path, then position, then code.
    public static func sorted(_ findings: [Finding]) -> [Finding] {
        findings.sorted { a, b in
            if a.file != b.file { return a.file < b.file }
            if a.range.start != b.range.start { return a.range.start < b.range.start }
            if a.code != b.code { return a.code < b.code }
            if a.range.end != b.range.end { return a.range.end < b.range.end }
            return a.message < b.message
        }
    }
}

/// Lets `concurrentPerform` workers write disjoint slots of one buffer.
private struct SendableBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}

/// A value computed before the workers start and never mutated while they run.
private struct ReadOnlyShared<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
