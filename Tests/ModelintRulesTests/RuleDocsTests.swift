import Foundation
import Testing
import ModelintRules
import ModelintReporting

/// `docs/rules/` is generated from the rule metadata; a stale or stray file fails here.
@Suite struct RuleDocsTests {
    private static let docsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/rules").path

    @Test func committedDocsMatchTheMetadata() throws {
        let stale = "is stale; regenerate the rule docs with `\(RuleDocs.regenerateCommand)`"
        let generated = RuleDocs.allFiles()
        for file in generated {
            let path = Self.docsDirectory + "/" + file.name
            let committed = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
            #expect(committed == file.content, "docs/rules/\(file.name) \(committed == nil ? "is missing; regenerate the rule docs with `\(RuleDocs.regenerateCommand)`" : stale)")
        }
        let present = try FileManager.default.contentsOfDirectory(atPath: Self.docsDirectory)
        let strays = Set(present).subtracting(generated.map(\.name))
        #expect(strays.isEmpty, "docs/rules/ holds files no rule generates: \(strays.sorted()); \(stale)")
    }

    @Test func ruleDocHasEverySection() throws {
        let rule = try #require(RuleRegistry.rule(code: "ML301"))
        let doc = RuleDocs.markdown(for: rule)
        for heading in ["# mode-method-not-called (ML301)", "## What it does", "## Why is this bad?", "## Example",
                        "Use instead:", "## Fix safety"] {
            #expect(doc.contains(heading))
        }
        #expect(doc.contains(rule.description.useInstead))
    }
}
