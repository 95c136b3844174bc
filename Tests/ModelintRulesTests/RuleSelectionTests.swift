import Testing
@testable import ModelintRules

@Suite struct RuleSelectionTests {
    private let everyCode = RuleRegistry.all.map { $0.description.code }

    @Test func defaultSelectsEveryRule() throws {
        #expect(try RuleSelection().codes == everyCode)
        #expect(try RuleSelection(select: ["ALL"]).codes == everyCode)
    }

    @Test func prefixesSelect() throws {
        let selection = try RuleSelection(select: ["ML3"])
        #expect(!selection.codes.isEmpty)
        #expect(selection.codes.allSatisfy { $0.hasPrefix("ML3") })
        #expect(selection.codes == everyCode.filter { $0.hasPrefix("ML3") })
        #expect(try RuleSelection(select: ["ML203", "ML304"]).codes == ["ML203", "ML304"])
    }

    @Test func moreSpecificSelectorWins() throws {
        // Ignoring a whole group but selecting one member keeps that member.
        #expect(try RuleSelection(select: ["ML303"], ignore: ["ML3"]).codes == ["ML303"])
        // Selecting a group and ignoring one member drops only that member.
        let group = try RuleSelection(select: ["ML3"], ignore: ["ML303"]).codes
        #expect(group == everyCode.filter { $0.hasPrefix("ML3") && $0 != "ML303" })
        // Equal specificity: ignore wins.
        #expect(try RuleSelection(select: ["ML3"], ignore: ["ML3"]).codes.isEmpty)
        #expect(try RuleSelection(ignore: ["ML"]).codes.isEmpty)
    }

    @Test func unknownSelectorIsAnError() {
        #expect(throws: RuleSelection.UnknownSelector(selector: "ML9")) { try RuleSelection(select: ["ML9"]) }
        #expect(throws: RuleSelection.UnknownSelector(selector: "ml203")) { try RuleSelection(ignore: ["ml203"]) }
        #expect(throws: RuleSelection.UnknownSelector(selector: "E9")) { try RuleSelection(select: ["E9"]) }
    }
}
