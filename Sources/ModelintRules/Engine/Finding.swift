import ModelintSyntax

/// One replacement of a byte range by new text.
public struct Edit: Sendable, Equatable {
    public let range: TextRange
    public let content: String

    public init(range: TextRange, content: String) {
        self.range = range
        self.content = content
    }

    public static func insertion(at offset: UInt32, _ content: String) -> Edit {
        Edit(range: TextRange(start: offset, end: offset), content: content)
    }
}

/// A suggested fix, in ruff's terms: safe fixes keep the program's meaning apart from the bug; unsafe fixes
/// may change behaviour the author relied on; display-only fixes are shown, never applied.
public struct Fix: Sendable, Equatable {
    public enum Applicability: String, Sendable {
        case safe, unsafe
        case displayOnly = "display-only"
    }

    public let applicability: Applicability
    /// "Call `eval()`".
    public let message: String
    /// Non-overlapping, in source order.
    public let edits: [Edit]

    public init(applicability: Applicability, message: String, edits: [Edit]) {
        self.applicability = applicability
        self.message = message
        self.edits = edits
    }
}

/// A problem found in one file.
public struct Finding: Sendable {
    /// `ML101`; `ML000` for a syntax error.
    public let code: String
    public let message: String
    /// The file's path as given or discovered (relative paths stay relative).
    public let file: String
    /// Where it is reported: the expression or statement the rule's docs name.
    public let range: TextRange
    public let severity: Severity
    public let fix: Fix?

    public init(code: String, message: String, file: String, range: TextRange, severity: Severity, fix: Fix? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.range = range
        self.severity = severity
        self.fix = fix
    }
}
