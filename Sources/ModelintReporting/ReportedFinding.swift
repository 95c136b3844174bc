import ModelintRules
import ModelintSyntax

/// A finding with everything the formats print: positions in characters, the rule's name, its source line.
public struct ReportedFinding: Sendable {
    public let finding: Finding
    /// The rule's kebab-case name; `syntax-error` for ML000.
    public let name: String
    public let start: DisplayPosition
    public let end: DisplayPosition
    /// The source text of the start line (line ending excluded), for the snippet.
    public let line: String
    /// Character columns (0-based) of the underlined part of `line`.
    public let underline: Range<Int>
    /// Each edit of the fix, with display positions.
    public let fixEdits: [(edit: Edit, start: DisplayPosition, end: DisplayPosition)]

    public init(_ finding: Finding, source: SourceBuffer) {
        self.finding = finding
        name = RuleRegistry.rule(code: finding.code)?.description.name ?? "syntax-error"
        start = DisplayPosition(finding.range.start, in: source)
        end = DisplayPosition(finding.range.end, in: source)
        let lineRange = source.lines.lineRange(start.row, in: source.bytes)
        line = source.text(lineRange)
        let lineCharacters = line.unicodeScalars.count
        let underlineEnd = end.row == start.row ? end.column - 1 : lineCharacters
        underline = (start.column - 1)..<max(start.column - 1, min(underlineEnd, lineCharacters))
        fixEdits = (finding.fix?.edits ?? []).map {
            ($0, DisplayPosition($0.range.start, in: source), DisplayPosition($0.range.end, in: source))
        }
    }

    /// Where ruff's `noqa_row` points: the line a `# noqa` comment must be on. Syntax errors cannot be silenced.
    public var noqaRow: Int? { finding.code == RuleRegistry.syntaxErrorCode ? nil : start.row }

    /// The rule's documentation, relative to the repository root (there is no hosted site yet).
    public var url: String? {
        finding.code == RuleRegistry.syntaxErrorCode ? nil : "docs/rules/\(finding.code).md"
    }
}
