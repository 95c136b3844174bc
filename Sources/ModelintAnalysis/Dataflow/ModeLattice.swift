import ModelintSyntax

/// The train/eval mode a module may be in.
public enum ModeValue: String, Sendable, Hashable, Comparable, CaseIterable {
    case train, eval
    /// Some submodules were switched apart from the parent (intentional partial freezing is common).
    case mixed
    /// Set by something the analysis cannot see (an unknown callee, an unknown flag, recursion).
    case unknown

    public static func < (lhs: ModeValue, rhs: ModeValue) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Whether autograd records operations.
public enum GradValue: String, Sendable, Hashable, Comparable, CaseIterable {
    case enabled, disabled, unknown

    public static func < (lhs: GradValue, rhs: GradValue) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Where a mode (or grad mode) was set: a `model.eval()` call, or a call of a function that switches.
public struct SwitchSite: Sendable, Hashable, Comparable {
    public enum Origin: String, Sendable, Hashable {
        /// `model.eval()`, `model.train(False)`.
        case switchCall
        /// A call of a function that switches inside (`test()`).
        case functionCall
        /// The module was created here (`Net()`: train; `from_pretrained`: eval).
        case creation
        /// `with torch.no_grad():`, `@torch.no_grad()`, `torch.set_grad_enabled(False)`.
        case gradContext
    }

    public let origin: Origin
    public let file: String
    public let range: TextRange
    public let line: Int
    /// As quoted in messages: "`model.eval()`" or "`test()`".
    public let description: String
    /// The qualified name of the called function when the switch happens inside it.
    public let viaFunction: String?
    /// The sites inside the called function, for evidence (empty for a direct switch).
    public let inner: [SwitchSite]
    /// For a creation: the module still holds the random weights it was constructed with (no pretrained
    /// weights, no `load_state_dict`, no training step since). Running such a module is a smoke or shape
    /// test, not an evaluation, so its train mode is no evidence of a bug.
    public let randomWeights: Bool

    public init(origin: Origin, file: String, range: TextRange, line: Int, description: String,
                viaFunction: String? = nil, inner: [SwitchSite] = [], randomWeights: Bool = false) {
        self.origin = origin
        self.file = file
        self.range = range
        self.line = line
        self.description = description
        self.viaFunction = viaFunction
        self.inner = inner
        self.randomWeights = randomWeights
    }

    /// Whether the mode this site stands for only ever reached a module with random weights: a random
    /// creation, or a call whose inner sites all are.
    public var onlyRandomWeights: Bool {
        if origin == .creation { return randomWeights }
        return !inner.isEmpty && inner.allSatisfy(\.onlyRandomWeights)
    }

    /// The same site once the module's weights were set (loaded or trained).
    func withWeightsSet() -> SwitchSite {
        guard onlyRandomWeights || inner.contains(where: \.onlyRandomWeights) else { return self }
        return SwitchSite(origin: origin, file: file, range: range, line: line, description: description,
                          viaFunction: viaFunction, inner: inner.map { $0.withWeightsSet() }, randomWeights: false)
    }

    public static func < (lhs: SwitchSite, rhs: SwitchSite) -> Bool {
        (lhs.file, lhs.range.start, lhs.range.end, lhs.description) < (rhs.file, rhs.range.start, rhs.range.end, rhs.description)
    }
}

/// A possible value of an abstract mode: a concrete mode, or "whatever it was when the function was entered",
/// which a caller replaces with its own state when it applies the function's summary.
/// An element of a may-set; `entry` stands for "whatever the caller passed in".
protocol LatticeAtom: Hashable, Sendable {
    static var entry: Self { get }
}

enum ModeAtom: UInt8, Sendable, Hashable, CaseIterable, LatticeAtom {
    case train, eval, mixed, unknown, entry

    var concrete: ModeValue? {
        switch self {
        case .train: return .train
        case .eval: return .eval
        case .mixed: return .mixed
        case .unknown: return .unknown
        case .entry: return nil
        }
    }

    init(_ value: ModeValue) {
        switch value {
        case .train: self = .train
        case .eval: self = .eval
        case .mixed: self = .mixed
        case .unknown: self = .unknown
        }
    }
}

enum GradAtom: UInt8, Sendable, Hashable, CaseIterable, LatticeAtom {
    case enabled, disabled, unknown, entry

    var concrete: GradValue? {
        switch self {
        case .enabled: return .enabled
        case .disabled: return .disabled
        case .unknown: return .unknown
        case .entry: return nil
        }
    }
}

/// A may-set of atoms, each with the sites that produced it on some path. Joining keeps every atom: joining
/// train and eval gives {train, eval}, which is how a loop's second iteration sees what the first left behind.
struct AtomSet<Atom: Hashable & Sendable>: Sendable, Equatable {
    private(set) var sites: [Atom: Set<SwitchSite>] = [:]

    init() {}
    init(_ atom: Atom, site: SwitchSite? = nil) { sites[atom] = site.map { [$0] } ?? [] }

    var isEmpty: Bool { sites.isEmpty }
    var atoms: Dictionary<Atom, Set<SwitchSite>>.Keys { sites.keys }
    func contains(_ atom: Atom) -> Bool { sites[atom] != nil }
    func sites(of atom: Atom) -> Set<SwitchSite> { sites[atom] ?? [] }

    mutating func insert(_ atom: Atom, sites newSites: Set<SwitchSite> = []) {
        sites[atom, default: []].formUnion(newSites)
    }

    mutating func formUnion(_ other: AtomSet<Atom>) {
        for (atom, s) in other.sites { sites[atom, default: []].formUnion(s) }
    }

    func union(_ other: AtomSet<Atom>) -> AtomSet<Atom> {
        var result = self
        result.formUnion(other)
        return result
    }

    mutating func remove(_ atom: Atom) -> Set<SwitchSite>? { sites.removeValue(forKey: atom) }

    /// Replaces every site with one summarising site (a call that switched inside the callee).
    func resited(_ site: SwitchSite) -> AtomSet<Atom> {
        var result = AtomSet<Atom>()
        for (atom, inner) in sites {
            let wrapped = SwitchSite(origin: site.origin, file: site.file, range: site.range, line: site.line, description: site.description,
                                     viaFunction: site.viaFunction, inner: inner.sorted(), randomWeights: site.randomWeights)
            result.sites[atom] = inner.isEmpty ? [] : [wrapped]
        }
        return result
    }
}

typealias ModeSet = AtomSet<ModeAtom>
typealias GradSet = AtomSet<GradAtom>

extension AtomSet where Atom == ModeAtom {
    var concreteValues: Set<ModeValue> { Set(atoms.map { $0.concrete ?? .unknown }) }

    /// Every site rewritten for a module whose weights were just set.
    func withWeightsSet() -> ModeSet {
        var result = ModeSet()
        for atom in atoms { result.insert(atom, sites: Set(sites(of: atom).map { $0.withWeightsSet() })) }
        return result
    }

    /// The modes as evidence for a finding about an evaluation or a trace: train sites that prove nothing
    /// are dropped — a module still holding random weights and, for an evaluation forward (`trainedSince`
    /// given), a `train()` of the same function with no training step of the module since (those that had
    /// one are listed). The atom stays, with no origin, so it never produces a finding alone. A trace keeps
    /// an explicit `train()`: a graph exported for deployment with dropout baked in is a bug even when the
    /// switch was deliberate.
    func asEvidence(trainedSince: Set<SwitchSite>? = nil) -> ModeSet {
        guard contains(.train) else { return self }
        var result = self
        let kept = sites(of: .train).filter { site in
            guard !site.onlyRandomWeights else { return false }
            guard let trainedSince, site.origin == .switchCall else { return true }
            return trainedSince.contains(site)
        }
        _ = result.remove(.train)
        result.insert(.train, sites: kept)
        return result
    }
}

extension AtomSet where Atom == GradAtom {
    var concreteValues: Set<GradValue> { Set(atoms.map { $0.concrete ?? .unknown }) }
}

/// A module's training flag read into a variable (`was_training = model.training`), restored later with
/// `model.train(was_training)`.
struct ModeSnapshot: Sendable, Equatable {
    let path: String
    let modes: ModeSet
}

/// One forward pass a value depends on: the grad mode its contribution was recorded under (a teacher's
/// output computed under `no_grad` carries no gradient into the loss) and the module's modes at that forward
/// on this path, so a backward knows the mode of the step it completes without mixing in other paths.
struct Contribution: Sendable, Equatable {
    var grad: GradSet
    var modes: ModeSet
    /// The module as written where the value is now (mapped through calls).
    var path: String
    /// From a parameter that is only called: see `ModeEvent.conditional`.
    var conditional = false
    /// The module's parameters are frozen where it ran (or where the value is now): a backward through its
    /// output trains nothing of it, like a teacher's under `no_grad`.
    var frozen = false

    mutating func formUnion(_ other: Contribution) {
        grad.formUnion(other.grad)
        modes.formUnion(other.modes)
        frozen = frozen && other.frozen
    }
}

/// What flows from forward passes into a value (an output, a loss).
struct Taint: Sendable, Equatable {
    var forwards: [CodeSite: Contribution] = [:]

    var isEmpty: Bool { forwards.isEmpty }

    mutating func formUnion(_ other: Taint) {
        for (site, contribution) in other.forwards {
            if forwards[site] != nil { forwards[site]!.formUnion(contribution) } else { forwards[site] = contribution }
        }
    }

    /// The value of an operation on tainted inputs performed under `grad`: under no_grad the result no
    /// longer requires grad.
    func derived(under grad: GradSet) -> Taint {
        guard !forwards.isEmpty else { return self }
        var result = Taint()
        let disabled = grad.contains(.disabled)
        let recording = grad.atoms.contains { $0 != .disabled }
        for (site, contribution) in forwards {
            var g = GradSet()
            if disabled { g.insert(.disabled, sites: grad.sites(of: .disabled)) }
            if recording { g.formUnion(contribution.grad) }
            result.forwards[site] = Contribution(grad: g, modes: contribution.modes, path: contribution.path,
                                                 conditional: contribution.conditional, frozen: contribution.frozen)
        }
        return result
    }
}

/// The facts along one group of paths: the modes of the tracked modules, the grad mode, the branch
/// predicates assumed on the way here, and the training-step bookkeeping ML103 needs.
struct PathState: Sendable, Equatable {
    /// Keyed by module access path ("model", "self.model", "model.backbone"). A path missing here inherits
    /// from its nearest tracked ancestor, else from the function's entry (see `FunctionAnalysis.mode(of:in:)`).
    var modes: [String: ModeSet] = [:]
    var grad = GradSet()
    /// Normalised predicate text -> assumed outcome; see `PredicateKey`.
    var assumptions: [String: Bool] = [:]
    var values: [String: Taint] = [:]
    var snapshots: [String: ModeSnapshot] = [:]
    /// Modes and grad mode saved when a context manager was entered, keyed by the item's start offset.
    var contextSaves: [UInt32: ContextSave] = [:]
    /// Sites of backwards not yet followed by an optimizer step, and the evals seen since (ML103).
    var openBackwards: Set<CodeSite> = []
    /// The modules whose forwards fed those backwards: only their switches are part of the step.
    var openStepModules: Set<String> = []
    var evalsInOpenStep: [String: Set<SwitchSite>] = [:]
    /// Forwards of the current loop iteration not yet followed by an optimizer step.
    var pendingForwards: Set<CodeSite> = []
    /// Direct `train()` calls of this function followed by a training step of their module on some path
    /// since. One that is not expresses intent: a forward right after it runs in train mode on purpose
    /// (MC dropout, a test of dropout, an export in training mode).
    var trainedSince: Set<SwitchSite> = []
}

struct ContextSave: Sendable, Equatable {
    var modes: [String: ModeSet]
    var grad: GradSet
    /// A context manager the analysis does not model (see `mayChangeGradMode`): the grad mode was unknown
    /// inside, and leaving it restores the grad mode from before.
    var restoresGradOnly = false
}

/// The abstract state at a program point: a few path groups distinguished by their assumptions. Bounded, so
/// correlated branches (`if phase == 'train'` twice) stay exact without exploding.
struct AbstractState: Sendable, Equatable {
    static let maxPaths = 8
    var paths: [PathState]

    init(_ paths: [PathState] = []) { self.paths = paths }

    var isBottom: Bool { paths.isEmpty }
}
