/// ruff's full output: a header line, the source line with a caret underline, the fix as help, and a
/// summary line.
///
/// ```
/// train.py:37:5: ML101 [warning] `model` is switched to eval by `validate()` ...
///    |
/// 37 |     model.train()
///    |     ^^^^^^^^^^^^^ ML101
///    |
/// ```
public struct TextFormatter: Sendable {
    public let style: TerminalStyle

    public init(style: TerminalStyle) { self.style = style }

    public func format(_ findings: [ReportedFinding]) -> String {
        var out = ""
        for finding in findings {
            out += header(finding)
            out += snippet(finding)
            if let fix = finding.finding.fix {
                out += "  " + style.help("= help") + ": " + fix.message + "\n"
            }
            out += "\n"
        }
        out += Summary.line(count: findings.count) + "\n"
        return out
    }

    func header(_ reported: ReportedFinding) -> String {
        let finding = reported.finding
        return style.bold(finding.file) + ":\(reported.start.row):\(reported.start.column): "
            + style.severity(finding.severity, finding.code) + " [\(finding.severity.rawValue)] "
            + finding.message + "\n"
    }

    /// The start line with the reported range underlined. Tabs print as four spaces so the carets line up.
    func snippet(_ reported: ReportedFinding) -> String {
        let number = String(reported.start.row)
        let blankGutter = style.gutter(String(repeating: " ", count: number.count) + " |")
        var shown = ""
        var caretIndent = 0
        var caretCount = 0
        for (index, scalar) in reported.line.unicodeScalars.enumerated() {
            let width = scalar == "\t" ? 4 : 1
            if scalar == "\t" { shown += "    " } else { shown.unicodeScalars.append(scalar) }
            if index < reported.underline.lowerBound { caretIndent += width }
            else if reported.underline.contains(index) { caretCount += width }
        }
        let carets = String(repeating: " ", count: caretIndent) + String(repeating: "^", count: max(caretCount, 1))
        let severity = reported.finding.severity
        return blankGutter + "\n"
            + style.gutter(number + " |") + (shown.isEmpty ? "" : " " + shown) + "\n"
            + blankGutter + " " + style.severity(severity, carets + " " + reported.finding.code) + "\n"
            + blankGutter + "\n"
    }
}

/// The last line of the text and concise formats.
public enum Summary {
    public static func line(count: Int) -> String {
        switch count {
        case 0: return "All checks passed!"
        case 1: return "Found 1 problem."
        default: return "Found \(count) problems."
        }
    }
}
