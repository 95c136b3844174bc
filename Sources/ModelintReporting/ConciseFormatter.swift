/// One line per finding, `path:line:col: CODE message`, then the summary line.
public struct ConciseFormatter: Sendable {
    public let style: TerminalStyle

    public init(style: TerminalStyle) { self.style = style }

    public func format(_ findings: [ReportedFinding]) -> String {
        var out = ""
        for reported in findings {
            let finding = reported.finding
            out += style.bold(finding.file) + ":\(reported.start.row):\(reported.start.column): "
                + style.severity(finding.severity, finding.code) + " " + finding.message + "\n"
        }
        out += Summary.line(count: findings.count) + "\n"
        return out
    }
}
