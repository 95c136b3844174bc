import Foundation
import ModelintAnalysis
import ModelintRules
import ModelintSyntax

/// Runs a rule example the way `modelint check` would: only the main file is given, the example's other files
/// are found through its imports, and the whole program is analysed (in memory: no disk, no temp dirs).
struct ExampleHarness {
    /// A finding reduced to what the examples specify.
    struct Hit: Hashable, Comparable, CustomStringConvertible {
        let line: Int
        let code: String
        /// 1-based character column.
        let column: Int

        static func < (a: Hit, b: Hit) -> Bool { (a.line, a.column, a.code) < (b.line, b.column, b.code) }
        var description: String { "\(code)@\(line):\(column)" }
    }

    static let mainFile = "example.py"

    /// The `# error: [ML101, ML201]` markers of an example: (line, code) pairs, a code once per expected finding.
    static func expectedHits(in code: String) -> [(line: Int, code: String)] {
        var hits: [(Int, String)] = []
        for (index, line) in code.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let marker = line.range(of: "# error: [") else { continue }
            let rest = line[marker.upperBound...]
            guard let close = rest.firstIndex(of: "]") else { continue }
            for code in rest[..<close].split(separator: ",") {
                hits.append((index + 1, code.trimmingCharacters(in: .whitespaces)))
            }
        }
        return hits
    }

    /// Checks `code` (plus the example's extra files) with the selected rules.
    static func run(_ code: String, files: [String: String] = [:], select: [String]? = nil) throws -> [Finding] {
        // Loaded as `modelint check` loads: the checker's name watch, only the trees it needs.
        let checker = Checker(selection: try RuleSelection(select: select))
        let (program, errors) = Program.inMemory(given: [mainFile: code], others: files, watching: checker.nameWatch,
                                                 retainsTree: checker.needsTree)
        guard errors.isEmpty else { throw HarnessError(message: "load errors: \(errors.map(\.message))") }
        let findings = checker.check(program)
        if let stray = findings.first(where: { $0.file != program.givenFiles.first?.path }) {
            throw HarnessError(message: "finding outside the given file: \(stray)")
        }
        return findings
    }

    static func hits(_ findings: [Finding], source: String) -> [Hit] {
        let buffer = SourceBuffer(text: source)
        return findings.map { finding in
            let location = buffer.location(finding.range.start)
            let lineStart = Int(buffer.lines.lineStarts[location.line - 1])
            let column = buffer.bytes[lineStart..<Int(finding.range.start)].filter { $0 & 0xC0 != 0x80 }.count + 1
            return Hit(line: location.line, code: finding.code, column: column)
        }.sorted()
    }

    // MARK: - Variants (SwiftLint style): the same code where it must not count, or moved

    /// Every line commented out.
    static func commentedOut(_ code: String) -> String {
        code.split(separator: "\n", omittingEmptySubsequences: false).map { "# " + $0 }.joined(separator: "\n")
    }

    /// The whole example as the value of a string literal.
    static func insideString(_ code: String) -> String {
        var escaped = ""
        for scalar in code.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "'": escaped += "\\'"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return "text = '''\n" + escaped + "\n'''\n"
    }

    static let multiByteLine = "# ünïcödé ✓"

    /// A multi-byte comment line first: every finding moves one line down, columns unchanged.
    static func afterMultiByteLine(_ code: String) -> String { multiByteLine + "\n" + code }

    /// Each `# error: [CODES]` marker replaced by `# noqa: CODES`.
    static func withNoqa(_ code: String) -> String {
        code.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard let marker = line.range(of: "# error: [") else { return String(line) }
            let rest = line[marker.upperBound...]
            guard let close = rest.firstIndex(of: "]") else { return String(line) }
            return String(line[..<marker.lowerBound]) + "# noqa: " + rest[..<close] + rest[rest.index(after: close)...]
        }.joined(separator: "\n")
    }

    struct HarnessError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
