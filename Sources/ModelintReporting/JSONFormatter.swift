/// An array of objects with ruff's JSON fields (`cell`, `code`, `end_location`, `filename`, `fix`, `location`,
/// `message`, `noqa_row`, `url`) plus `evidence`, `name` and `severity`. Keys are sorted, as ruff's are, and
/// the output is indented by two spaces. `filename` is absolute, as in ruff.
public struct JSONFormatter: Sendable {
    /// Resolves relative file names.
    public let currentDirectory: String

    public init(currentDirectory: String) { self.currentDirectory = currentDirectory }

    public func format(_ findings: [ReportedFinding]) -> String {
        let array = JSONOutput.array(findings.map(object(for:)))
        return array.rendered() + "\n"
    }

    func object(for reported: ReportedFinding) -> JSONOutput {
        let finding = reported.finding
        let fix: JSONOutput = finding.fix.map { fix in
            .object([
                ("applicability", .string(fix.applicability.rawValue)),
                ("edits", .array(reported.fixEdits.map { edit in
                    .object([
                        ("content", .string(edit.edit.content)),
                        ("end_location", location(edit.end)),
                        ("location", location(edit.start)),
                    ])
                })),
                ("message", .string(fix.message)),
            ])
        } ?? .null
        return .object([
            ("cell", .null),
            ("code", .string(finding.code)),
            ("end_location", location(reported.end)),
            ("evidence", .null),
            ("filename", .string(absolute(finding.file))),
            ("fix", fix),
            ("location", location(reported.start)),
            ("message", .string(finding.message)),
            ("name", .string(reported.name)),
            ("noqa_row", reported.noqaRow.map { .int($0) } ?? .null),
            ("severity", .string(finding.severity.rawValue)),
            ("url", reported.url.map { .string($0) } ?? .null),
        ])
    }

    private func location(_ position: DisplayPosition) -> JSONOutput {
        .object([("column", .int(position.column)), ("row", .int(position.row))])
    }

    private func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return currentDirectory.hasSuffix("/") ? currentDirectory + path : currentDirectory + "/" + path
    }
}
