import Foundation
import Testing
@testable import ModelintAnalysis
@testable import ModelintRules

/// The loader drops the trees no rule and no analysis needs right after parsing (`SourceFile`). Whatever it
/// keeps, the findings must be the same as with every tree kept; and a tree that is rebuilt on first use must
/// give the same findings as one that was never dropped.
@Suite struct TreeRetentionTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures")

    static let projects: [String] = {
        let root = fixtures.appendingPathComponent("projects")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.sorted().map { root.appendingPathComponent($0).path }
            + [fixtures.appendingPathComponent("examples").path]
    }()

    private func findings(_ directory: String, _ retention: ProgramLoader.TreeRetention?) -> [String] {
        let checker = Checker(selection: try! RuleSelection(select: nil, ignore: []))
        let paths = SourceDiscovery.pythonFiles(in: [directory]).files
        let program: Program
        if let retention {
            program = ProgramLoader(fileSystem: DiskFileSystem(), retention: retention, watch: checker.nameWatch)
                .load(paths: paths, projectRoot: nil).0
        } else {
            program = Program.load(paths: paths).0
        }
        return checker.check(program).map { "\($0.file):\($0.range.start) \($0.code) \($0.message)" }
    }

    @Test(arguments: projects)
    func sameFindingsWhateverTreesAreKept(_ directory: String) {
        let everyTree = findings(directory, nil)
        let checker = Checker(selection: try! RuleSelection(select: nil, ignore: []))
        #expect(findings(directory, .needed(checker.needsTree)) == everyTree)
        #expect(findings(directory, ProgramLoader.TreeRetention.none) == everyTree)
    }

    @Test func dropsTheTreesNoRuleNeeds() throws {
        let sources = [
            "plain.py": "def area(r):\n    return 3.14 * r * r\n",
            "evaluates.py": "x = eval('1 + 1')  # not m.eval()\n",
            "switches.py": "def finish(model):\n    model.eval()\n",
            "uses_torch.py": "import torch\n",
        ]
        let fileSystem = InMemoryFileSystem(files: sources, workingDirectory: "/project")
        let checker = Checker(selection: try RuleSelection(select: nil, ignore: []))
        let (program, _) = Program.load(paths: sources.keys.sorted(), projectRoot: "/project", fileSystem: fileSystem,
                                        watching: checker.nameWatch, retainsTree: checker.needsTree)
        let held = Dictionary(uniqueKeysWithValues: program.files.map { ($0.path, $0.holdsTree) })
        #expect(held == ["evaluates.py": false, "plain.py": false, "switches.py": true, "uses_torch.py": true])
        // Asking for a dropped tree parses the file again, once.
        let plain = try #require(program.file(atPath: "plain.py"))
        let rebuilt = plain.module
        #expect(rebuilt.body.count == 1 && plain.holdsTree)
        #expect(plain.module === rebuilt)
    }
}
