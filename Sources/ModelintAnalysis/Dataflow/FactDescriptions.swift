/// Wording shared by the analysis rules' messages, so that every rule names switches the same way.
extension SwitchSite {
    /// "`model.eval()` (line 12)", "`test()` (line 37)", "`Net()` (line 3)".
    public var quoted: String { "\(description) (line \(line))" }
}

public enum FactWording {
    /// "`a` (line 1)", "`a` (line 1) and `b` (line 9)", "`a` (line 1), `b` (line 9) and 2 more".
    public static func list(_ sites: [SwitchSite]) -> String {
        var unique: [SwitchSite] = []
        for site in sites where !unique.contains(where: { $0.file == site.file && $0.range == site.range }) {
            unique.append(site)
        }
        let shown = unique.prefix(2).map(\.quoted)
        let rest = unique.count - shown.count
        switch (shown.count, rest) {
        case (0, _): return "an earlier switch"
        case (1, _): return shown[0]
        case (_, 0): return shown.joined(separator: " and ")
        default: return shown.joined(separator: ", ") + " and \(rest) more"
        }
    }

    /// How a module came to be in `mode`: "set by `model.train()` (line 12)" or "created in train mode by
    /// `Net()` (line 3)".
    public static func origin(of mode: ModeValue, _ sites: [SwitchSite]) -> String {
        let switches = sites.filter { $0.origin != .creation }
        let creations = sites.filter { $0.origin == .creation }
        var parts: [String] = []
        if !switches.isEmpty { parts.append("set by " + list(switches)) }
        if !creations.isEmpty { parts.append("created in \(mode.rawValue) mode by " + list(creations)) }
        return parts.joined(separator: "; ")
    }
}
