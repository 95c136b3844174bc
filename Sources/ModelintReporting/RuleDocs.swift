import ModelintRules

/// The Markdown documentation of the rules, generated from their metadata: `docs/rules/MLxxx.md` (also what
/// `modelint rule MLxxx` prints) and the index `docs/rules/README.md`.
public enum RuleDocs {
    /// The command that rewrites `docs/rules/` from the registry (run from the repository root).
    public static let regenerateCommand = "swift run modelint rules --write-docs docs/rules"

    public static func markdown(for rule: any Rule.Type) -> String {
        let d = rule.description
        let fix: String
        switch d.fixAvailability {
        case .none: fix = "no fix"
        case .sometimes: fix = "fix sometimes available"
        case .always: fix = "fix always available"
        }
        return """
            # \(d.name) (\(d.code))

            Severity: **\(d.severity.rawValue)** · \(fix)

            \(d.summary).

            ## What it does
            \(d.whatItDoes)

            ## Why is this bad?
            \(d.whyIsThisBad)

            ## Example
            ```python
            \(d.example)
            ```

            Use instead:
            ```python
            \(d.useInstead)
            ```

            ## Fix safety
            \(d.fixSafety)

            ## Silencing
            Add `# noqa: \(d.code)` to the reported line, or `# modelint: noqa: \(d.code)` anywhere in the file.

            """
    }

    /// The catalogue as a Markdown table, linking each rule's page.
    public static func index(_ rules: [any Rule.Type] = RuleRegistry.all) -> String {
        var out = """
            # Rules

            Generated from the rule metadata by `\(regenerateCommand)`; do not edit by hand.

            | Code | Name | Severity | Fix | Summary |
            |---|---|---|---|---|

            """
        for rule in rules {
            let d = rule.description
            out += "| [\(d.code)](\(d.code).md) | \(d.name) | \(d.severity.rawValue) | \(d.fixAvailability.rawValue) | "
                + d.summary.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|") + " |\n"
        }
        return out
    }

    /// Every file of `docs/rules/`: name -> content.
    public static func allFiles(_ rules: [any Rule.Type] = RuleRegistry.all) -> [(name: String, content: String)] {
        [("README.md", index(rules))] + rules.map { ("\($0.description.code).md", markdown(for: $0)) }
    }
}
