// Every snippet of fixtures/parser/cases.json (written by Tests/oracles/gen_parser_cases.py from
// CPython's ast.parse): the same verdict, and for accepted snippets the same tree and positions.
import Foundation
import Testing
@testable import ModelintSyntax

struct ParserGoldenTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let index: Int
        let name: String
        var testDescription: String { name }
    }

    /// The decoded fixture, read once. Immutable after initialisation, so sharing it is safe.
    nonisolated(unsafe) static let fixture: [[String: Any]] = {
        let url = ParserFixtures.directory.appendingPathComponent("cases.json")
        guard let data = try? Data(contentsOf: url),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [] }
        return root["cases"] as? [[String: Any]] ?? []
    }()

    static func cases() -> [Case] {
        fixture.enumerated().map { Case(index: $0.offset, name: $0.element["name"] as? String ?? "?") }
    }

    @Test func fixtureIsPresent() throws {
        #expect(Self.cases().count > 200)
    }

    @Test(arguments: cases())
    func matchesCPython(_ testCase: Case) throws {
        let item = Self.fixture[testCase.index]
        let parsed = parse(item["source"] as? String ?? "")
        guard let expected = item["tree"] as? [String: Any] else {
            #expect(!parsed.diagnostics.isEmpty, "CPython rejects this snippet; the parser accepted it")
            return
        }
        #expect(parsed.diagnostics.isEmpty, "CPython accepts this snippet; diagnostics: \(parsed.diagnostics)")
        guard parsed.diagnostics.isEmpty else { return }
        let actual = try JSONSerialization.jsonObject(with: Data(ASTJSON.encode(parsed.module, in: parsed.source)))
        if let difference = firstDifference(expected, actual, path: "", insideFString: false) {
            Issue.record("\(difference)")
        }
    }

    /// The first difference between CPython's tree and ours, skipping positions inside f-strings
    /// (3.11 gives every part the whole string's span; modelint follows 3.12) and tolerating fields
    /// the 3.11 oracle lacks when they are empty (`type_params`).
    func firstDifference(_ expected: Any, _ actual: Any, path: String, insideFString: Bool) -> String? {
        let positionKeys: Set<String> = ["lineno", "col_offset", "end_lineno", "end_col_offset"]
        switch (expected, actual) {
        case let (expected as [String: Any], actual as [String: Any]):
            let type = expected["_type"] as? String
            let inside = insideFString || type == "JoinedStr"
            for (key, value) in expected {
                if insideFString && positionKeys.contains(key) { continue }
                guard let other = actual[key] else { return "\(path).\(key): missing" }
                if let difference = firstDifference(value, other, path: "\(path).\(key)", insideFString: inside) {
                    return difference
                }
            }
            for (key, value) in actual where expected[key] == nil {
                if let list = value as? [Any], list.isEmpty { continue }
                return "\(path).\(key): not in CPython's tree"
            }
            return nil
        case let (expected as [Any], actual as [Any]):
            guard expected.count == actual.count else {
                return "\(path): \(expected.count) elements in CPython's tree, \(actual.count) in ours"
            }
            for (index, pair) in zip(expected, actual).enumerated() {
                if let difference = firstDifference(pair.0, pair.1, path: "\(path)[\(index)]", insideFString: insideFString) {
                    return difference
                }
            }
            return nil
        default:
            let left = "\(expected)"
            let right = "\(actual)"
            return left == right && Swift.type(of: expected) == Swift.type(of: actual) ? nil
                : "\(path): CPython \(left), ours \(right)"
        }
    }
}
