import Foundation
import ModelintReporting
import ModelintRules

/// `modelint rules`: the catalogue, one rule per line; `--write-docs DIR` regenerates `docs/rules/`.
enum RulesCommand: Subcommand {
    static let name = "rules"
    static let summary = "list the rules"

    static let usage = """
        usage: modelint rules [--write-docs DIR]

        Lists every rule: code, name, severity, fix availability and summary.
          --write-docs DIR   write the Markdown docs of every rule (and an index) into DIR

        """

    static func run(arguments: [String], stdout: OutputStream, stderr: OutputStream) -> Int32 {
        switch arguments.count {
        case 0:
            stdout.write(catalogue())
            return 0
        case 1 where arguments[0] == "-h" || arguments[0] == "--help":
            stdout.write(usage)
            return 0
        case 2 where arguments[0] == "--write-docs":
            return writeDocs(into: arguments[1], stderr: stderr)
        default:
            stderr.write("modelint rules: unexpected arguments: \(arguments.joined(separator: " "))\n\n" + usage)
            return 2
        }
    }

    static func catalogue() -> String {
        let rows = RuleRegistry.all.map { rule -> [String] in
            let d = rule.description
            return [d.code, d.name, d.severity.rawValue, d.fixAvailability == .none ? "" : "fix", d.summary]
        }
        var widths = [Int](repeating: 0, count: 4)
        for row in rows { for column in 0..<4 { widths[column] = max(widths[column], row[column].count) } }
        var out = ""
        for row in rows {
            for column in 0..<4 { out += row[column].padding(toLength: widths[column] + 2, withPad: " ", startingAt: 0) }
            out += row[4] + "\n"
        }
        return out
    }

    private static func writeDocs(into directory: String, stderr: OutputStream) -> Int32 {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for file in RuleDocs.allFiles() {
                let path = (directory as NSString).appendingPathComponent(file.name)
                try Data(file.content.utf8).write(to: URL(fileURLWithPath: path))
            }
        } catch {
            stderr.write("modelint rules: cannot write docs into \(directory): \(error.localizedDescription)\n")
            return 2
        }
        return 0
    }
}

/// `modelint rule ML101`: the rule's documentation, as in `docs/rules/ML101.md`.
enum RuleCommand: Subcommand {
    static let name = "rule"
    static let summary = "show a rule's documentation"

    static func run(arguments: [String], stdout: OutputStream, stderr: OutputStream) -> Int32 {
        guard arguments.count == 1, !arguments[0].hasPrefix("-") else {
            if arguments == ["-h"] || arguments == ["--help"] {
                stdout.write("usage: modelint rule CODE\n\nPrints the documentation of one rule (see `modelint rules`).\n")
                return 0
            }
            stderr.write("usage: modelint rule CODE\n")
            return 2
        }
        guard let rule = RuleRegistry.rule(code: arguments[0].uppercased()) else {
            stderr.write("modelint rule: unknown rule '\(arguments[0])'; `modelint rules` lists them\n")
            return 2
        }
        stdout.write(RuleDocs.markdown(for: rule))
        return 0
    }
}
