import Foundation
import Testing
@testable import ModelintCLI

/// `modelint check` end to end on the fixture projects in `fixtures/projects/cli_*`.
@Suite struct CheckCommandTests {
    static let projects = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/projects").path

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `modelint check` with fixture-relative paths; the fixture root is removed from the output so the
    /// expectations read as if run from `fixtures/projects`.
    private func check(_ arguments: [String], environment: [String: String] = [:], isTerminal: Bool = false) -> Result {
        let root = Self.projects + "/"
        let absolute = arguments.map { $0.hasPrefix("cli_") ? root + $0 : $0 }
        let out = OutputStream()
        let err = OutputStream()
        let status = CheckCommand.execute(arguments: absolute, stdout: out, stderr: err, environment: environment,
                                          isTerminal: isTerminal, currentDirectory: "/elsewhere")
        func strip(_ text: String) -> String { text.replacingOccurrences(of: root, with: "") }
        return Result(status: status, stdout: strip(out.capturedText), stderr: strip(err.capturedText))
    }

    @Test func conciseFindingsAcrossADirectory() {
        let result = check(["cli_basic", "--format", "concise"])
        #expect(result.status == 1)
        #expect(result.stderr == "")
        #expect(result.stdout == """
            cli_basic/broken.py:3:13: ML000 SyntaxError: '(' was never closed
            cli_basic/models/net.py:12:13: ML305 `F.batch_norm` in `forward` without `training=` always uses the running statistics and never updates them (`training` defaults to False); pass `training=self.training`
            cli_basic/models/net.py:13:24: ML304 `F.dropout` in `forward` without `training=` drops out in evaluation mode too (its `training` defaults to True); pass `training=self.training`
            cli_basic/train.py:6:1: ML301 `model.eval` is not called: the module's mode does not change; write `model.eval()`
            cli_basic/train.py:7:6: ML204 `torch.no_grad` is not called: entering the class raises TypeError; write `torch.no_grad()`
            cli_basic/train.py:9:1: ML203 `torch.no_grad()` is called as a statement and has no effect; enter it with `with torch.no_grad():`
            cli_basic/train.py:10:13: ML303 `model.train(...)` needs a bool, not `"False"`: PyTorch raises ValueError
            cli_basic/train.py:14:14: ML301 `model.train` is not called: the module's mode does not change; write `model.train()`
            Found 8 problems.

            """)
    }

    @Test func textFormatWithSelectionAndIgnore() {
        let result = check(["cli_basic/train.py", "cli_basic/models", "--select", "ML3", "--ignore", "ML301"])
        #expect(result.status == 1)
        #expect(result.stdout == """
            cli_basic/models/net.py:12:13: ML305 [warning] `F.batch_norm` in `forward` without `training=` always uses the running statistics and never updates them (`training` defaults to False); pass `training=self.training`
               |
            12 |         x = F.batch_norm(x, self.mean, self.mean)
               |             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ ML305
               |
              = help: Pass `training=self.training`

            cli_basic/models/net.py:13:24: ML304 [warning] `F.dropout` in `forward` without `training=` drops out in evaluation mode too (its `training` defaults to True); pass `training=self.training`
               |
            13 |         return self.fc(F.dropout(x, 0.5))
               |                        ^^^^^^^^^^^^^^^^^ ML304
               |
              = help: Pass `training=self.training`

            cli_basic/train.py:10:13: ML303 [error] `model.train(...)` needs a bool, not `"False"`: PyTorch raises ValueError
               |
            10 | model.train("False")
               |             ^^^^^^^ ML303
               |
              = help: Replace with `False`

            Found 3 problems.

            """)
    }

    @Test func syntaxErrorsAreReportedWhateverTheSelection() {
        let result = check(["cli_basic", "--format=concise", "--select", "ML204"])
        #expect(result.status == 1)
        #expect(result.stdout == """
            cli_basic/broken.py:3:13: ML000 SyntaxError: '(' was never closed
            cli_basic/train.py:7:6: ML204 `torch.no_grad` is not called: entering the class raises TypeError; write `torch.no_grad()`
            Found 2 problems.

            """)
    }

    @Test func exitCodes() {
        #expect(check(["cli_clean"]).status == 0)
        #expect(check(["cli_clean"]).stdout == "All checks passed!\n")
        #expect(check(["cli_basic/train.py"]).status == 1)
        #expect(check(["cli_basic/train.py", "--exit-zero"]).status == 0)
        #expect(check(["cli_basic/train.py", "--exit-zero"]).stdout.hasSuffix("Found 5 problems.\n"))
    }

    @Test func missingPathIsAnIOErrorAndTheRestIsStillChecked() {
        let result = check(["cli_basic/train.py", "cli_nonexistent.py", "--format", "concise", "--exit-zero"])
        #expect(result.status == 2)
        #expect(result.stderr == "modelint check: error: cli_nonexistent.py: No such file or directory\n")
        #expect(result.stdout.hasSuffix("Found 5 problems.\n"))
    }

    @Test func noPythonFilesIsAWarning() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("modelint-empty-\(UUID())").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let result = check([empty])
        #expect(result.status == 0)
        #expect(result.stdout == "All checks passed!\n")
        #expect(result.stderr == "modelint check: warning: no Python files found under \(empty)\n")
    }

    /// Only the given file is reported on; the module it imports is read for its classes (`Base` is an
    /// nn.Module, so `Head.forward` is a module's forward) but its own bug is not reported.
    @Test func crossFileProjectReportsOnlyGivenFiles() {
        let result = check(["cli_crossfile/train.py", "--format", "json"])
        #expect(result.status == 1)
        #expect(result.stdout == """
            [
              {
                "cell": null,
                "code": "ML304",
                "end_location": {
                  "column": 35,
                  "row": 8
                },
                "evidence": null,
                "filename": "\(Self.projects)/cli_crossfile/train.py",
                "fix": {
                  "applicability": "unsafe",
                  "edits": [
                    {
                      "content": ", training=self.training",
                      "end_location": {
                        "column": 34,
                        "row": 8
                      },
                      "location": {
                        "column": 34,
                        "row": 8
                      }
                    }
                  ],
                  "message": "Pass `training=self.training`"
                },
                "location": {
                  "column": 16,
                  "row": 8
                },
                "message": "`F.dropout` in `forward` without `training=` drops out in evaluation mode too (its `training` defaults to True); pass `training=self.training`",
                "name": "functional-dropout-ignores-mode",
                "noqa_row": 8,
                "severity": "warning",
                "url": "docs/rules/ML304.md"
              }
            ]

            """.replacingOccurrences(of: Self.projects + "/", with: ""))
        // Given as well, base.py's own finding appears.
        let both = check(["cli_crossfile", "--format", "concise"])
        #expect(both.stdout.contains("cli_crossfile/base.py:8:9: ML301 "))
    }

    /// Text output keeps the path as given; JSON's `filename` is absolute, as ruff's.
    @Test func relativePathsStayRelativeExceptInJSON() {
        let cwd = FileManager.default.currentDirectoryPath
        let target = Self.projects + "/cli_crossfile/train.py"
        let relative = Self.relativePath(from: cwd, to: target)
        #expect(!relative.hasPrefix("/"))
        func run(_ format: String) -> String {
            let out = OutputStream()
            _ = CheckCommand.execute(arguments: [relative, "--format", format], stdout: out, stderr: OutputStream(),
                                     environment: [:], isTerminal: false, currentDirectory: cwd)
            return out.capturedText
        }
        #expect(run("concise").hasPrefix(relative + ":8:16: ML304 "))
        #expect(run("json").contains("\"filename\": \"\(cwd)/\(relative)\""))
    }

    static func relativePath(from directory: String, to path: String) -> String {
        let from = directory.split(separator: "/")
        let to = path.split(separator: "/")
        var common = 0
        while common < from.count, common < to.count, from[common] == to[common] { common += 1 }
        return (Array(repeating: "..", count: from.count - common) + to[common...].map(String.init))
            .joined(separator: "/")
    }

    @Test func colourOnlyOnATerminalAndNeverWithNoColor() {
        let escape = "\u{1B}["
        #expect(!check(["cli_basic/train.py"]).stdout.contains(escape))
        #expect(check(["cli_basic/train.py"], isTerminal: true).stdout.contains(escape))
        #expect(check(["cli_basic/train.py", "--format", "concise"], isTerminal: true).stdout.contains(escape))
        #expect(!check(["cli_basic/train.py"], environment: ["NO_COLOR": "1"], isTerminal: true).stdout.contains(escape))
        #expect(!check(["cli_basic/train.py", "--format", "json"], isTerminal: true).stdout.contains(escape))
    }

    @Test func statisticsGoToStderr() {
        let plain = check(["cli_basic/train.py", "--format", "concise"])
        let result = check(["cli_basic/train.py", "--format", "concise", "--statistics"])
        #expect(result.stdout == plain.stdout)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "files: 1 given, 2 discovered")
        #expect(lines.dropFirst().map { $0.prefix(while: { $0 != ":" }) }
                == ["load and parse", "mode analysis", "rules", "report"])
        #expect(lines.dropFirst().allSatisfy { $0.hasSuffix(" s)") && $0.contains(" s (cpu ") })
    }

    @Test func outputIsDeterministic() {
        let first = check(["cli_basic", "cli_crossfile", "--format", "json"])
        for _ in 0..<3 {
            #expect(check(["cli_crossfile", "cli_basic", "--format", "json"]).stdout == first.stdout)
        }
    }
}
