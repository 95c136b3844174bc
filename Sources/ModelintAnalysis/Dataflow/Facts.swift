import ModelintSyntax

/// A place in a file of the program.
public struct CodeSite: Sendable, Hashable, Comparable {
    public let file: String
    public let range: TextRange
    public let line: Int

    public init(file: String, range: TextRange, line: Int) {
        self.file = file
        self.range = range
        self.line = line
    }

    public static func < (lhs: CodeSite, rhs: CodeSite) -> Bool {
        (lhs.file, lhs.range.start, lhs.range.end) < (rhs.file, rhs.range.start, rhs.range.end)
    }
}

/// What a forward pass is for, decided from how its result is used.
public enum ForwardRole: String, Sendable {
    /// Its result reaches `.backward()` (directly, through a loss, or in a caller), or an optimizer step
    /// follows it in the same iteration.
    case training
    /// No backward or optimizer step can follow it.
    case evaluation
    /// Its result leaves the analysed program (returned from a function nobody here calls, stored on an
    /// object): never a finding.
    case undetermined
}

/// The modes a module may be in at one point, each with the switches that produced it.
public struct ModeFact: Sendable {
    public let values: Set<ModeValue>
    /// Where each possible mode was set; empty for a value with no known origin.
    public let sites: [ModeValue: [SwitchSite]]

    public func sites(of mode: ModeValue) -> [SwitchSite] { sites[mode] ?? [] }
}

public struct GradFact: Sendable {
    public let values: Set<GradValue>
    public let sites: [GradValue: [SwitchSite]]

    public func sites(of value: GradValue) -> [SwitchSite] { sites[value] ?? [] }
}

/// A forward call (`model(x)`, `model.forward(x)`) of a tracked module, in one calling context. The same call
/// inside a helper appears once per distinct context that reaches it.
public struct ForwardFact: Sendable {
    /// Where a finding about it is reported: the call itself, or, when that is in a file that was not given,
    /// the innermost call in a given file that leads to it.
    public let site: CodeSite
    /// The forward call itself.
    public let origin: CodeSite
    /// The module as written at the call ("model", "self.net").
    public let modulePath: String
    public let moduleClass: ModuleClassInfo?
    public let role: ForwardRole
    public let mode: ModeFact
    public let grad: GradFact
    /// The calls that lead from an analysed root down to the forward, outermost first (empty when the forward
    /// is in the code that was analysed as a root). Lets a finding inside a non-given file be reported at a
    /// call in a given one.
    public let callChain: [SwitchSite]
    /// The backward calls its result reaches.
    public let backwards: [CodeSite]
    /// The module's parameters are frozen where it runs (`requires_grad_(False)`, `requires_grad=False`):
    /// with an input that needs no gradient, autograd records nothing.
    public let frozen: Bool
}

public enum TrainingStepKind: String, Sendable { case backward, optimizerStep }

/// A training step (a backward completing a training forward) whose module may be in eval mode on the paths
/// that reach it. ML101 reads those with `loop`, ML104 the others.
public struct TrainingStepFact: Sendable {
    public let kind: TrainingStepKind
    /// Where a finding is reported: the backward, re-anchored like `ForwardFact.site`.
    public let site: CodeSite
    /// The backward itself.
    public let origin: CodeSite
    /// The training forward it completes.
    public let forwardSite: CodeSite
    public let modulePath: String
    /// The module's modes at that forward on the paths that reach this backward.
    public let mode: ModeFact
    /// The switches to eval this fact is about.
    public let evalSites: [SwitchSite]
    /// Set when the eval comes around a loop's back edge: the switch is later in the loop than the step.
    public let loop: LoopCarriedEval?
    public let callChain: [SwitchSite]
}

/// A switch to eval inside a loop that reaches the next iteration's training step (ML101).
public struct LoopCarriedEval: Sendable {
    /// The `for`/`while` header (keyword to the end of the iterable or condition).
    public let loopHeader: CodeSite
    /// The `train()` calls that stand before the loop and reach the step, if any.
    public let trainBeforeLoop: [SwitchSite]
    /// The switches to eval inside the loop.
    public let evalSites: [SwitchSite]
    /// The module as written in the function that holds the loop.
    public let modulePath: String
    /// The training forward (or the call that runs it) in the function that holds the loop.
    public let stepAnchor: SwitchSite
}

/// `eval()` (or a call that switches to eval) between a backward and the optimizer step of the same step (ML103).
public struct EvalInStepFact: Sendable {
    public let evalSite: SwitchSite
    public let modulePath: String
    public let backward: CodeSite
    public let optimizerStep: CodeSite
}

/// `backward()` on a value computed while gradients were disabled (ML202).
public struct BackwardFact: Sendable {
    public let site: CodeSite
    /// The `no_grad`/`inference_mode`/`set_grad_enabled(False)` that disabled gradients.
    public let disabledBy: [SwitchSite]
}

public enum TraceKind: String, Sendable {
    case jitTrace = "torch.jit.trace"
    case jitTraceModule = "torch.jit.trace_module"
    case export = "torch.export.export"
}

/// `torch.jit.trace` / `trace_module` / `torch.export.export` of a tracked module (ML105).
public struct TraceFact: Sendable {
    /// Where it is reported (re-anchored like `ForwardFact.site`).
    public let site: CodeSite
    public let origin: CodeSite
    public let kind: TraceKind
    public let modulePath: String
    public let moduleClass: ModuleClassInfo?
    public let mode: ModeFact
    public let callChain: [SwitchSite]
}

/// Everything the analysis rules need about one file. Facts located in a file that was not given are
/// re-anchored at the outermost call in a given file that leads to them.
public struct FileFacts: Sendable {
    public var forwards: [ForwardFact] = []
    public var trainingSteps: [TrainingStepFact] = []
    public var evalInsideStep: [EvalInStepFact] = []
    public var backwardsUnderNoGrad: [BackwardFact] = []
    public var traces: [TraceFact] = []

    public init() {}
}

/// The result of the mode analysis of a whole program, by file path.
public struct ProgramFacts: Sendable {
    var byFile: [String: FileFacts]

    public func facts(for path: String) -> FileFacts { byFile[path] ?? FileFacts() }
}
