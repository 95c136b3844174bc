import ModelintRules
import ModelintSyntax

/// Renders findings in one of the output formats.
public struct Report: Sendable {
    public let format: OutputFormat
    public let style: TerminalStyle
    public let currentDirectory: String

    public init(format: OutputFormat, style: TerminalStyle, currentDirectory: String) {
        self.format = format
        self.style = format == .json ? .plain : style
        self.currentDirectory = currentDirectory
    }

    /// `sources` maps each finding's file to its text; findings keep the order given.
    public func render(_ findings: [Finding], sources: [String: SourceBuffer]) -> String {
        let reported = findings.map { finding in
            ReportedFinding(finding, source: sources[finding.file] ?? SourceBuffer(path: finding.file, utf8: []))
        }
        switch format {
        case .text: return TextFormatter(style: style).format(reported)
        case .concise: return ConciseFormatter(style: style).format(reported)
        case .json: return JSONFormatter(currentDirectory: currentDirectory).format(reported)
        }
    }
}
