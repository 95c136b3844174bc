/// Whether a rule can offer a fix (ruff's "fix availability"). `--fix` is a later issue; the fixes are
/// already attached to findings and shown in the JSON output.
public enum FixAvailability: String, Sendable {
    case none, sometimes, always
}

/// A code example in a rule's metadata. The examples double as the rule's tests: each line of a triggering
/// example that must produce a finding ends with `# error: [MLxxx]` (the finding's start line).
public struct RuleExample: Sendable {
    /// The main file: the only file given on the command line when the example is checked.
    public let code: String
    /// Extra files of a multi-file example (relative path -> source). They are written next to the main file
    /// and found through its imports, as pre-commit runs find unchanged modules.
    public let files: [String: String]

    public init(_ code: String, files: [String: String] = [:]) {
        self.code = code
        self.files = files
    }
}

/// Everything the catalogue, the docs and the tests know about a rule. The single source of truth:
/// `docs/rules/ML*.md` are generated from it.
public struct RuleDescription: Sendable {
    /// `ML101`.
    public let code: String
    /// Kebab-case, `train-mode-not-restored`.
    public let name: String
    public let severity: Severity
    /// One line for `modelint rules`.
    public let summary: String
    // The documentation sections, Markdown, in ruff's order.
    public let whatItDoes: String
    public let whyIsThisBad: String
    /// A snippet showing the problem (Python, without the `# error:` markers).
    public let example: String
    /// The corrected snippet.
    public let useInstead: String
    /// When the fix is safe and when it is not; "No fix is offered." for rules without one.
    public let fixSafety: String
    public let fixAvailability: FixAvailability
    public let triggeringExamples: [RuleExample]
    public let nonTriggeringExamples: [RuleExample]

    public init(code: String, name: String, severity: Severity, summary: String,
                whatItDoes: String, whyIsThisBad: String, example: String, useInstead: String,
                fixSafety: String, fixAvailability: FixAvailability,
                triggeringExamples: [RuleExample], nonTriggeringExamples: [RuleExample]) {
        self.code = code
        self.name = name
        self.severity = severity
        self.summary = summary
        self.whatItDoes = whatItDoes
        self.whyIsThisBad = whyIsThisBad
        self.example = example
        self.useInstead = useInstead
        self.fixSafety = fixSafety
        self.fixAvailability = fixAvailability
        self.triggeringExamples = triggeringExamples
        self.nonTriggeringExamples = nonTriggeringExamples
    }
}
