import ModelintRules

/// ANSI styling for terminal output; `plain` writes no escape codes at all.
public struct TerminalStyle: Sendable {
    public let isEnabled: Bool

    public static let plain = TerminalStyle(isEnabled: false)
    public static let colored = TerminalStyle(isEnabled: true)

    public init(isEnabled: Bool) { self.isEnabled = isEnabled }

    /// Colour only for a terminal, never when `NO_COLOR` is set to a non-empty value (no-color.org).
    public static func forOutput(isTerminal: Bool, environment: [String: String]) -> TerminalStyle {
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return TerminalStyle(isEnabled: isTerminal && !noColor)
    }

    func bold(_ text: String) -> String { wrap(text, "1") }
    func gutter(_ text: String) -> String { wrap(text, "1;34") }
    func dim(_ text: String) -> String { wrap(text, "2") }
    func help(_ text: String) -> String { wrap(text, "1;36") }

    func severity(_ severity: Severity, _ text: String) -> String {
        switch severity {
        case .error: return wrap(text, "1;31")
        case .warning: return wrap(text, "1;33")
        case .info: return wrap(text, "1;36")
        }
    }

    private func wrap(_ text: String, _ code: String) -> String {
        isEnabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
