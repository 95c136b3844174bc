/// The output formats of `modelint check --format`.
public enum OutputFormat: String, Sendable, CaseIterable {
    case text, concise, json
}
