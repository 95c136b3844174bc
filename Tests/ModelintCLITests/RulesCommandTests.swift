import Foundation
import Testing
import ModelintRules
import ModelintReporting
@testable import ModelintCLI

@Suite struct RulesCommandTests {
    private func run(_ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        let out = OutputStream()
        let err = OutputStream()
        let status = ModelintMain.run(arguments: arguments, stdout: out, stderr: err)
        return (status, out.capturedText, err.capturedText)
    }

    @Test func rulesListsTheCatalogueInOrder() {
        let result = run(["rules"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == RuleRegistry.all.count)
        for (line, rule) in zip(lines, RuleRegistry.all) {
            let d = rule.description
            #expect(line.hasPrefix(d.code + "  "))
            #expect(line.contains(" \(d.name) ") && line.contains(" \(d.severity.rawValue) "))
            #expect(line.hasSuffix(d.summary))
        }
    }

    @Test func ruleShowsTheGeneratedDoc() throws {
        let result = run(["rule", "ML301"])
        #expect(result.status == 0)
        #expect(result.stdout == RuleDocs.markdown(for: try #require(RuleRegistry.rule(code: "ML301"))))
        #expect(run(["rule", "ml301"]).stdout == result.stdout)
    }

    @Test func unknownRuleAndBadArguments() {
        let unknown = run(["rule", "ML999"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "modelint rule: unknown rule 'ML999'; `modelint rules` lists them\n")
        #expect(run(["rule"]).status == 2)
        #expect(run(["rule", "ML301", "ML302"]).status == 2)
        #expect(run(["rules", "--bogus"]).status == 2)
    }

    @Test func writeDocsWritesEveryGeneratedFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("modelint-docs-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(run(["rules", "--write-docs", directory]).status == 0)
        for file in RuleDocs.allFiles() {
            let written = FileManager.default.contents(atPath: directory + "/" + file.name)
            #expect(written.map { String(decoding: $0, as: UTF8.self) } == file.content)
        }
    }
}
