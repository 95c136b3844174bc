import Foundation
import Testing
@testable import ModelintCLI
import ModelintSyntax

/// `modelint ast` exit codes and messages: 0 tree, 1 syntax error, 2 usage or unreadable path.
@Suite struct ASTCommandTests {
    /// A scratch directory per test, removed afterwards.
    final class Scratch {
        let url: URL
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("modelint-ast-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: url) }

        func file(_ name: String, _ bytes: [UInt8]) throws -> String {
            let path = url.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }

        func file(_ name: String, _ text: String) throws -> String { try file(name, Array(text.utf8)) }
    }

    private let errorLine = #/^(?<path>.+):(?<line>\d+):(?<column>\d+): syntax error: .+\n$/#

    @Test func printsTheTree() throws {
        let scratch = try Scratch()
        let path = try scratch.file("ok.py", "x = 1\n")
        let run = CommandRun(["ast", path])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        let tree = try JSONValue.parse(run.stdout)
        guard case .array(let body)? = tree["body"], body.count == 1 else {
            Issue.record("unexpected tree \(tree)")
            return
        }
        #expect(body[0]["_type"] == .string(Array("Assign".utf16)))
        #expect(body[0]["end_col_offset"] == .int(5))
    }

    @Test func compactAndIndentedCarryTheSameTree() throws {
        let scratch = try Scratch()
        let path = try scratch.file("f.py", "def f(a, *b, c=1, **d):\n    return [i for i in b if i]\n")
        let indented = CommandRun(["ast", path])
        let compact = CommandRun(["ast", "--compact", path])
        #expect(indented.status == 0 && compact.status == 0)
        #expect(!compact.stdout.dropLast().contains("\n"))
        #expect(try JSONValue.firstDifference(JSONValue.parse(indented.stdout), JSONValue.parse(compact.stdout)) == nil)
    }

    @Test func emptyFileAndCommentOnlyFileHaveEmptyBodies() throws {
        let scratch = try Scratch()
        for (name, text) in [("empty.py", ""), ("comments.py", "# one\n   # two\n\n"), ("nonl.py", "# no newline")] {
            let run = CommandRun(["ast", try scratch.file(name, text)])
            #expect(run.status == 0, "\(name): \(run.stderr)")
            #expect(try JSONValue.parse(run.stdout)["body"] == .array([]), "\(name)")
        }
    }

    @Test func usageErrorsExitTwo() {
        for arguments in [["ast"], ["ast", "--bogus", "x.py"], ["ast", "a.py", "b.py"]] {
            let run = CommandRun(arguments)
            #expect(run.status == 2, "\(arguments)")
            #expect(run.stdout.isEmpty)
            #expect(run.stderr.contains("usage: modelint ast"), "\(arguments)")
        }
        let help = CommandRun(["ast", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("usage: modelint ast"))
    }

    @Test func unreadablePathsExitTwoNamingThePath() throws {
        let scratch = try Scratch()
        let missing = scratch.url.appendingPathComponent("missing.py").path
        let directory = scratch.url.path
        let dangling = scratch.url.appendingPathComponent("dangling.py").path
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: missing)
        let fifo = scratch.url.appendingPathComponent("fifo.py").path
        try #require(mkfifo(fifo, 0o600) == 0)
        var paths = [missing, directory, dangling, fifo]
        // As root, permission bits do not stop reading; the FIFO and the dangling link cover that case.
        if geteuid() != 0 {
            let locked = try scratch.file("locked.py", "x = 1\n")
            chmod(locked, 0)
            paths.append(locked)
        }
        for path in paths {
            let run = CommandRun(["ast", path])
            #expect(run.status == 2, "\(path)")
            #expect(run.stdout.isEmpty)
            #expect(run.stderr.contains("'\(path)'"), "\(run.stderr)")
        }
        #expect(CommandRun(["ast", directory]).stderr.contains("is a directory"))
    }

    @Test func syntaxErrorsExitOneWithALocation() throws {
        let scratch = try Scratch()
        let cases: [(name: String, bytes: [UInt8], line: Int)] = [
            ("unclosed.py", Array("x = (1,\ny = 2\n".utf8), 1),
            ("bad.py", Array("x = 1\ny = = 2\n".utf8), 2),
            ("nul.py", Array("x = 1\ny = 2\u{0}\n".utf8), 2),
            ("latin1.py", [0x78, 0x20, 0x3D, 0x20, 0x27, 0xE9, 0x27, 0x0A], 1),
        ]
        for item in cases {
            let path = try scratch.file(item.name, item.bytes)
            let run = CommandRun(["ast", path])
            #expect(run.status == 1, "\(item.name): \(run.stderr)")
            #expect(run.stdout.isEmpty, "\(item.name)")
            guard let match = run.stderr.wholeMatch(of: errorLine) else {
                Issue.record("\(item.name): stderr \(run.stderr.debugDescription)")
                continue
            }
            #expect(match.output.path == path)
            #expect(Int(match.output.line) == item.line, "\(item.name): \(run.stderr)")
            #expect(Int(match.output.column)! >= 1)
        }
    }

    /// Columns in messages count characters, not bytes (flake8/ruff convention).
    @Test func errorColumnsCountCharacters() {
        let bytes = Array("é = 1\néé ?\n".utf8)
        let offset = Array("é = 1\néé ".utf8).count
        let diagnostic = SyntaxDiagnostic("invalid syntax", at: TextRange(offset, offset + 1))
        let text = SyntaxErrorLine.format(diagnostic, path: "f.py", bytes: bytes, lines: LineIndex(bytes))
        #expect(text == "f.py:2:4: syntax error: invalid syntax")
        let end = SyntaxDiagnostic("unexpected EOF", at: TextRange(bytes.count, bytes.count))
        #expect(SyntaxErrorLine.format(end, path: "f.py", bytes: bytes, lines: LineIndex(bytes))
                == "f.py:3:1: syntax error: unexpected EOF")
    }
}
