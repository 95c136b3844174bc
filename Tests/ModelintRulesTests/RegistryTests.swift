import Foundation
import Testing
@testable import ModelintRules

/// The catalogue's own invariants: what the docs, `--select` and the example tests rely on.
@Suite struct RegistryTests {
    @Test func sortedUniqueCodes() {
        let codes = RuleRegistry.all.map { $0.description.code }
        #expect(codes == codes.sorted())
        #expect(Set(codes).count == codes.count)
        #expect(!codes.contains(RuleRegistry.syntaxErrorCode))
    }

    @Test(arguments: RuleRegistry.all.map { $0.description.code })
    func metadataIsComplete(code: String) throws {
        let d = try #require(RuleRegistry.rule(code: code)).description
        #expect(d.code.count == 5 && d.code.hasPrefix("ML") && d.code.dropFirst(2).allSatisfy(\.isNumber))
        #expect(!d.name.isEmpty && d.name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" })
        #expect(!d.name.hasPrefix("-") && !d.name.hasSuffix("-") && !d.name.contains("--"))
        for section in [d.summary, d.whatItDoes, d.whyIsThisBad, d.example, d.useInstead, d.fixSafety] {
            #expect(!section.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        }
        #expect(!d.triggeringExamples.isEmpty, "every rule needs a triggering example")
        #expect(!d.nonTriggeringExamples.isEmpty, "every rule needs a non-triggering example")
        // Severity policy of issue 3: crashes and no-op statements are errors, the rest warnings.
        let errors: Set<String> = ["ML202", "ML203", "ML204", "ML303"]
        #expect(d.severity == (errors.contains(code) ? .error : .warning))
    }

    /// Issue 3: every rule has at least 6 triggering and 6 non-triggering examples (they are its tests).
    @Test(arguments: RuleRegistry.all.map { $0.description.code })
    func hasEnoughExamples(code: String) throws {
        let d = try #require(RuleRegistry.rule(code: code)).description
        #expect(d.triggeringExamples.count >= 6, "\(code) has \(d.triggeringExamples.count) triggering examples, needs 6")
        #expect(d.nonTriggeringExamples.count >= 6,
                "\(code) has \(d.nonTriggeringExamples.count) non-triggering examples, needs 6")
    }

    @Test func namesAreUnique() {
        let names = RuleRegistry.all.map { $0.description.name }
        #expect(Set(names).count == names.count)
    }
}
