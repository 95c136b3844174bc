import Foundation
import Testing
import ModelintCLI

/// Where the repository's fixtures are, found from this file's path so tests run from any directory.
enum RepositoryPaths {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func fixtures(_ directory: String, extension pathExtension: String) -> [URL] {
        let folder = root.appendingPathComponent("fixtures").appendingPathComponent(directory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix("." + pathExtension) }.sorted().map { folder.appendingPathComponent($0) }
    }
}

/// Runs `modelint` in process and captures its output.
struct CommandRun {
    let status: Int32
    let stdout: String
    let stderr: String

    init(_ arguments: [String]) {
        let out = OutputStream()
        let err = OutputStream()
        status = ModelintMain.run(arguments: arguments, stdout: out, stderr: err)
        stdout = out.capturedText
        stderr = err.capturedText
    }
}

/// `modelint ast` on Python 3.12 syntax (PEP 695, PEP 701) and line-ending variants, against trees
/// CPython produced (see fixtures/syntax/README.md).
@Suite struct SyntaxFixtureTests {
    static let sources = RepositoryPaths.fixtures("syntax", extension: "py")

    @Test func fixturesArePresent() {
        #expect(Self.sources.count >= 12)
    }

    @Test(arguments: sources)
    func treeMatchesCPython(source: URL) throws {
        let run = CommandRun(["ast", source.path])
        try #require(run.status == 0, "exit \(run.status): \(run.stderr)")
        #expect(run.stderr.isEmpty)
        let actual = try JSONValue.parse(run.stdout)
        let expectedText = try String(contentsOf: source.deletingPathExtension().appendingPathExtension("json"),
                                      encoding: .utf8)
        let expected = try JSONValue.parse(expectedText)
        if let difference = JSONValue.firstDifference(expected, actual) {
            Issue.record("\(source.lastPathComponent): \(difference.path): CPython \(difference.expected), modelint \(difference.actual)")
        }
    }

    /// The bundled example (README's first command) parses; its tree is checked against CPython by
    /// the differential in .ci/run.
    @Test func exampleParses() throws {
        for example in RepositoryPaths.fixtures("examples", extension: "py") {
            let run = CommandRun(["ast", "--compact", example.path])
            #expect(run.status == 0, "\(example.lastPathComponent): \(run.stderr)")
            #expect(try JSONValue.parse(run.stdout)["_type"] == .string(Array("Module".utf16)))
        }
    }
}
