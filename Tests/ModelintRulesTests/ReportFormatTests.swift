import Testing
import ModelintSyntax
import ModelintRules
@testable import ModelintReporting

/// The output formats on hand-made findings: exact text, positions in characters, escaping.
@Suite struct ReportFormatTests {
    private let source = SourceBuffer(path: "train.py", text: """
        # ünïcödé ✓
        def f(model):
        \tmodel.eval
            s = "é"; model.train
        """)

    /// A finding over the first occurrence of `needle` on `line`.
    private func finding(_ code: String, _ needle: String, line: Int, severity: Severity = .warning,
                         fix: Fix? = nil) -> Finding {
        let lineRange = source.lines.lineRange(line, in: source.bytes)
        let text = Array(source.bytes[Int(lineRange.start)..<Int(lineRange.end)])
        let bytes = Array(needle.utf8)
        let at = (0...(text.count - bytes.count)).first { Array(text[$0..<($0 + bytes.count)]) == bytes }!
        let start = Int(lineRange.start) + at
        return Finding(code: code, message: "message of \(code)", file: "train.py",
                       range: TextRange(start, start + bytes.count), severity: severity, fix: fix)
    }

    private func render(_ findings: [Finding], _ format: OutputFormat, color: Bool = false) -> String {
        Report(format: format, style: TerminalStyle(isEnabled: color), currentDirectory: "/work/project")
            .render(findings, sources: ["train.py": source])
    }

    @Test func columnsCountCharactersNotBytes() {
        let f = finding("ML301", "model.train", line: 4)
        let reported = ReportedFinding(f, source: source)
        // `    s = "é"; ` is 13 characters (14 bytes) before `model`.
        #expect(reported.start == DisplayPosition(row: 4, column: 14))
        #expect(reported.end == DisplayPosition(row: 4, column: 25))
        #expect(reported.noqaRow == 4)
    }

    @Test func textFormat() {
        let fix = Fix(applicability: .unsafe, message: "Call `model.eval()`",
                      edits: [.insertion(at: finding("ML301", "model.eval", line: 3).range.end, "()")])
        let out = render([finding("ML301", "model.eval", line: 3, fix: fix),
                          finding("ML303", "model.train", line: 4, severity: .error)], .text)
        #expect(out == """
            train.py:3:2: ML301 [warning] message of ML301
              |
            3 |     model.eval
              |     ^^^^^^^^^^ ML301
              |
              = help: Call `model.eval()`

            train.py:4:14: ML303 [error] message of ML303
              |
            4 |     s = "é"; model.train
              |              ^^^^^^^^^^^ ML303
              |

            Found 2 problems.

            """)
    }

    @Test func summaryLines() {
        #expect(render([], .text) == "All checks passed!\n")
        #expect(render([], .concise) == "All checks passed!\n")
        #expect(render([finding("ML301", "model.eval", line: 3)], .concise)
                == "train.py:3:2: ML301 message of ML301\nFound 1 problem.\n")
    }

    @Test func colorOnlyWhenEnabled() {
        let f = [finding("ML303", "model.train", line: 4, severity: .error)]
        #expect(!render(f, .text).contains("\u{1B}["))
        #expect(!render(f, .concise).contains("\u{1B}["))
        let colored = render(f, .text, color: true)
        #expect(colored.contains("\u{1B}[1;31mML303\u{1B}[0m"))
        #expect(colored.contains("\u{1B}[1mtrain.py\u{1B}[0m"))
        // JSON never carries escape codes.
        #expect(!render(f, .json, color: true).contains("\u{1B}"))
    }

    @Test func terminalStylePolicy() {
        #expect(TerminalStyle.forOutput(isTerminal: true, environment: [:]).isEnabled)
        #expect(!TerminalStyle.forOutput(isTerminal: false, environment: [:]).isEnabled)
        #expect(!TerminalStyle.forOutput(isTerminal: true, environment: ["NO_COLOR": "1"]).isEnabled)
        // no-color.org: an empty NO_COLOR does not disable colour.
        #expect(TerminalStyle.forOutput(isTerminal: true, environment: ["NO_COLOR": ""]).isEnabled)
    }

    @Test func jsonFormatMatchesRuffShape() {
        let target = finding("ML301", "model.eval", line: 3)
        let fix = Fix(applicability: .unsafe, message: "Call `model.eval()`",
                      edits: [.insertion(at: target.range.end, "()")])
        let withFix = Finding(code: "ML301", message: "`model.eval` is \"not\" called\\", file: "train.py",
                              range: target.range, severity: .warning, fix: fix)
        let syntax = Finding(code: "ML000", message: "SyntaxError: bad", file: "/abs/x.py",
                             range: TextRange(0, 0), severity: .error)
        let out = Report(format: .json, style: .plain, currentDirectory: "/work/project")
            .render([withFix, syntax], sources: ["train.py": source, "/abs/x.py": SourceBuffer(text: "")])
        #expect(out == """
            [
              {
                "cell": null,
                "code": "ML301",
                "end_location": {
                  "column": 12,
                  "row": 3
                },
                "evidence": null,
                "filename": "/work/project/train.py",
                "fix": {
                  "applicability": "unsafe",
                  "edits": [
                    {
                      "content": "()",
                      "end_location": {
                        "column": 12,
                        "row": 3
                      },
                      "location": {
                        "column": 12,
                        "row": 3
                      }
                    }
                  ],
                  "message": "Call `model.eval()`"
                },
                "location": {
                  "column": 2,
                  "row": 3
                },
                "message": "`model.eval` is \\"not\\" called\\\\",
                "name": "mode-method-not-called",
                "noqa_row": 3,
                "severity": "warning",
                "url": "docs/rules/ML301.md"
              },
              {
                "cell": null,
                "code": "ML000",
                "end_location": {
                  "column": 1,
                  "row": 1
                },
                "evidence": null,
                "filename": "/abs/x.py",
                "fix": null,
                "location": {
                  "column": 1,
                  "row": 1
                },
                "message": "SyntaxError: bad",
                "name": "syntax-error",
                "noqa_row": null,
                "severity": "error",
                "url": null
              }
            ]

            """)
        #expect(render([], .json) == "[]\n")
    }

    @Test func jsonEscapesControlCharacters() {
        var out = ""
        JSONOutput.quote("a\u{01}\n\t\u{1F}é", into: &out)
        #expect(out == "\"a\\u0001\\n\\t\\u001fé\"")
    }
}
