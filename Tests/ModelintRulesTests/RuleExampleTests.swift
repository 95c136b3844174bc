import Testing
import ModelintRules

/// The rule examples are the rules' tests. For every rule in the registry, every triggering example must
/// produce that rule's findings exactly on its `# error: [CODE]` lines, every non-triggering example none;
/// and each example is re-run commented out, inside a string (no findings of any rule), after a multi-byte
/// line (same findings one line lower, same character columns) and with `# noqa: CODE` on the marked lines.
@Suite struct RuleExampleTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let code: String
        let index: Int
        let example: RuleExample
        var testDescription: String { "\(code) example \(index + 1)" }
    }

    static let triggering: [Case] = RuleRegistry.all.flatMap { rule in
        rule.description.triggeringExamples.enumerated().map { Case(code: rule.description.code, index: $0, example: $1) }
    }
    static let nonTriggering: [Case] = RuleRegistry.all.flatMap { rule in
        rule.description.nonTriggeringExamples.enumerated().map {
            Case(code: rule.description.code, index: $0, example: $1)
        }
    }

    private typealias H = ExampleHarness

    @Test(arguments: triggering)
    func triggeringExample(_ c: Case) throws {
        let code = c.example.code
        let expected = H.expectedHits(in: code).filter { $0.code == c.code }
        #expect(!expected.isEmpty, "a triggering example needs a `# error: [\(c.code)]` marker")

        // Findings of this rule exactly on the marked lines (other rules may fire too; they have their own tests).
        let hits = H.hits(try H.run(code, files: c.example.files), source: code).filter { $0.code == c.code }
        #expect(hits.map(\.line) == expected.map(\.line).sorted(), "findings: \(hits)")

        // The same with every rule selected, and with only this rule: selection must not change this rule's hits.
        let alone = H.hits(try H.run(code, files: c.example.files, select: [c.code]), source: code)
        #expect(alone == hits, "selected alone: \(alone)")

        try checkVariants(c, originalHits: hits)
    }

    @Test(arguments: nonTriggering)
    func nonTriggeringExample(_ c: Case) throws {
        let code = c.example.code
        #expect(H.expectedHits(in: code).isEmpty, "a non-triggering example carries no markers")
        let findings = try H.run(code, files: c.example.files, select: [c.code])
        #expect(findings.isEmpty, "unexpected: \(H.hits(findings, source: code))")
        try checkVariants(c, originalHits: [])
    }

    private func checkVariants(_ c: Case, originalHits: [H.Hit]) throws {
        let code = c.example.code
        let files = c.example.files

        let commented = H.commentedOut(code)
        let inComment = try H.run(commented, files: files)
        #expect(inComment.isEmpty, "commented out: \(H.hits(inComment, source: commented))")

        let string = H.insideString(code)
        let inString = try H.run(string, files: files)
        #expect(inString.isEmpty, "inside a string: \(H.hits(inString, source: string))")

        let shifted = H.afterMultiByteLine(code)
        let moved = H.hits(try H.run(shifted, files: files, select: [c.code]), source: shifted)
        let expectedMoved = originalHits.map { H.Hit(line: $0.line + 1, code: $0.code, column: $0.column) }
        #expect(moved == expectedMoved, "after a multi-byte line")

        if !originalHits.isEmpty {
            let silenced = H.withNoqa(code)
            let remaining = try H.run(silenced, files: files, select: [c.code])
            #expect(remaining.isEmpty, "with noqa: \(H.hits(remaining, source: silenced))")
        }
    }
}
