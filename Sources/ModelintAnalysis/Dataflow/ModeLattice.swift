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
    public let file: String
    public let range: TextRange
    public let line: Int
    /// As quoted in messages: "`model.eval()`" or "`test()`".
    public let description: String
    /// The qualified name of the called function when the switch happens inside it.
    public let viaFunction: String?
    /// The sites inside the called function, for evidence (empty for a direct switch).
    public let inner: [SwitchSite]

    public init(file: String, range: TextRange, line: Int, description: String, viaFunction: String? = nil,
                inner: [SwitchSite] = []) {
        self.file = file
        self.range = range
        self.line = line
        self.description = description
        self.viaFunction = viaFunction
        self.inner = inner
    }

    public static func < (lhs: SwitchSite, rhs: SwitchSite) -> Bool {
        (lhs.file, lhs.range.start, lhs.range.end, lhs.description) < (rhs.file, rhs.range.start, rhs.range.end, rhs.description)
    }
}

/// A possible value of an abstract mode: a concrete mode, or "whatever it was when the function was entered",
/// which a caller replaces with its own state when it applies the function's summary.
enum ModeAtom: UInt8, Sendable, Hashable, CaseIterable {
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

enum GradAtom: UInt8, Sendable, Hashable, CaseIterable {
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
            let wrapped = SwitchSite(file: site.file, range: site.range, line: site.line, description: site.description,
                                     viaFunction: site.viaFunction, inner: inner.sorted())
            result.sites[atom] = inner.isEmpty ? [] : [wrapped]
        }
        return result
    }
}

typealias ModeSet = AtomSet<ModeAtom>
typealias GradSet = AtomSet<GradAtom>

extension AtomSet where Atom == ModeAtom {
    var concreteValues: Set<ModeValue> { Set(atoms.map { $0.concrete ?? .unknown }) }
}

extension AtomSet where Atom == GradAtom {
    var concreteValues: Set<GradValue> { Set(atoms.map { $0.concrete ?? .unknown }) }
}

/// The facts along one group of paths: the modes of the tracked modules, the grad mode, the branch
/// predicates assumed on the way here, and the training-step bookkeeping ML103 needs.
struct PathState: Sendable, Equatable {
    /// Keyed by module access path ("model", "self.model", "model.backbone").
    var modes: [String: ModeSet] = [:]
    var grad = GradSet()
    /// Normalised predicate text -> assumed outcome; see `PredicateKey`.
    var assumptions: [String: Bool] = [:]
    /// Switches to eval seen since the last training forward/backward, per module path, awaiting an optimizer step.
    var evalsInOpenStep: [String: Set<SwitchSite>] = [:]
    /// Sites of training forwards/backwards not yet followed by an optimizer step.
    var openStep: Set<SwitchSite> = []

    mutating func join(_ other: PathState) {
        for (key, set) in other.modes { modes[key, default: ModeSet()].formUnion(set) }
        // A key present on one side only keeps its implicit value on the other: the caller materialises
        // defaults before joining, so a missing key here means "not tracked on that path".
        grad.formUnion(other.grad)
        for (key, sites) in other.evalsInOpenStep { evalsInOpenStep[key, default: []].formUnion(sites) }
        openStep.formUnion(other.openStep)
        assumptions = assumptions.filter { other.assumptions[$0.key] == $0.value }
    }
}

/// The abstract state at a program point: a few path groups distinguished by their assumptions. Bounded, so
/// correlated branches (`if phase == 'train'` twice) stay exact without exploding.
struct AbstractState: Sendable, Equatable {
    static let maxPaths = 8
    var paths: [PathState]

    init(_ paths: [PathState] = []) { self.paths = paths }

    var isBottom: Bool { paths.isEmpty }

    /// Adds `other`'s paths, merging those with equal assumptions, then all of them beyond the cap.
    mutating func join(_ other: AbstractState) {
        for path in other.paths { add(path) }
    }

    mutating func add(_ path: PathState) {
        if let index = paths.firstIndex(where: { $0.assumptions == path.assumptions }) {
            paths[index].join(path)
            return
        }
        paths.append(path)
        if paths.count > AbstractState.maxPaths {
            // Merge the two most recent path groups: their assumptions intersect.
            let last = paths.removeLast()
            paths[paths.count - 1].join(last)
        }
    }
}
