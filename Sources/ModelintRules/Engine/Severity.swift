/// How serious a finding is. `info` is reserved for findings that evidence shows to be harmless
/// (e.g. a mode bug in a model without Dropout/BatchNorm).
public enum Severity: String, Sendable, Comparable, CaseIterable {
    case error, warning, info

    private var rank: Int {
        switch self {
        case .error: return 0
        case .warning: return 1
        case .info: return 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
