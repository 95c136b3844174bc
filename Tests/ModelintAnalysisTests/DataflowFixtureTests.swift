import Foundation
import Testing
@testable import ModelintAnalysis

/// The cross-file projects under fixtures/projects/df_*: each marks the line where `modelint check` reports
/// ML101 with `# error: [ML101]`; the analysis must put the loop-carried eval exactly there and nowhere else.
@Suite struct DataflowFixtureTests {
    private static let projects = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/projects").path

    struct Project: CustomTestStringConvertible, Sendable {
        let name: String
        /// Files given on the command line (relative to the project); the rest must be discovered.
        let given: [String]
        var testDescription: String { name }
    }

    static let cases: [Project] = [
        Project(name: "df_epoch_loop_helper", given: ["train.py", "engine.py", "model.py"]),
        Project(name: "df_module_attribute_call", given: ["train.py", "engine.py"]),
        Project(name: "df_trainer_validate", given: ["trainer.py"]),
        Project(name: "df_contextmanager_restore", given: ["train.py", "utils.py"]),
        Project(name: "df_local_module_not_given", given: ["train.py"]),
    ]

    /// (file, line) of every `# error: [ML101]` marker in the project's given files.
    private func markers(_ project: Project) throws -> Set<String> {
        var result: Set<String> = []
        for file in project.given {
            let text = try String(contentsOfFile: Self.projects + "/" + project.name + "/" + file, encoding: .utf8)
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains("# error: [ML101]") {
                result.insert("\(file):\(index + 1)")
            }
        }
        return result
    }

    @Test(arguments: cases)
    func loopCarriedEvalsAreWhereTheProjectSays(_ project: Project) throws {
        let root = Self.projects + "/" + project.name
        let paths = project.given.map { root + "/" + $0 }
        let (program, errors) = Program.load(paths: paths, projectRoot: root)
        #expect(errors.isEmpty)
        #expect(program.files.filter(\.isGiven).count == project.given.count)
        let facts = ModeAnalyzer.analyze(program)
        var found: Set<String> = []
        for file in program.files where file.isGiven {
            let fileFacts = facts.facts(for: file.path)
            for step in fileFacts.trainingSteps {
                // ML101 is reported at the `train()` before the loop, or at the loop header.
                guard let loop = step.loop else { continue }
                let line = loop.trainBeforeLoop.last?.line ?? loop.loopHeader.line
                found.insert("\(URL(fileURLWithPath: file.path).lastPathComponent):\(line)")
                #expect(loop.evalSites.allSatisfy { $0.origin == .functionCall }, "the switch is inside a called helper")
            }
            #expect(fileFacts.trainingSteps.allSatisfy { $0.loop != nil }, "no other training step in eval mode")
            #expect(fileFacts.evalInsideStep.isEmpty)
        }
        #expect(found == (try markers(project)))
        // Facts are only ever reported in given files.
        let given = Set(program.files.filter(\.isGiven).map(\.path))
        for file in program.files where !given.contains(file.path) {
            #expect(facts.facts(for: file.path).forwards.isEmpty)
        }
    }
}
