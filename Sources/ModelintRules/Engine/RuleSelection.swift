/// Which rules run, from `--select` / `--ignore` lists of codes or code prefixes (`ML1`, `ML203`, `ALL`).
///
/// As in ruff, the most specific selector wins: `--select ML1 --ignore ML101` runs ML102–ML105, and
/// `--select ML101 --ignore ML1` runs ML101. On a tie, ignore wins.
public struct RuleSelection: Sendable {
    public struct UnknownSelector: Error, Equatable, CustomStringConvertible {
        public let selector: String
        public var description: String { "unknown rule selector '\(selector)'" }
    }

    /// Enabled codes, in registry order.
    public let codes: [String]

    /// `select` defaults to every rule. Selectors are case-sensitive, as codes are. A selector that matches
    /// no rule is an error rather than a silent no-op, so a typo never disables checking.
    public init(select: [String]? = nil, ignore: [String] = [], catalogue: [any Rule.Type] = RuleRegistry.all) throws {
        let allCodes = catalogue.map { $0.description.code }
        func specificity(_ selector: String) throws -> (prefix: String, length: Int) {
            if selector == "ALL" { return ("", 0) }
            guard allCodes.contains(where: { $0.hasPrefix(selector) }) else { throw UnknownSelector(selector: selector) }
            return (selector, selector.count)
        }
        let selected = try (select ?? ["ALL"]).map(specificity)
        let ignored = try ignore.map(specificity)
        codes = allCodes.filter { code in
            let bestSelect = selected.filter { code.hasPrefix($0.prefix) }.map(\.length).max()
            let bestIgnore = ignored.filter { code.hasPrefix($0.prefix) }.map(\.length).max()
            guard let s = bestSelect else { return false }
            guard let i = bestIgnore else { return true }
            return s > i
        }
    }

    public func isEnabled(_ code: String) -> Bool { codes.contains(code) }
}
