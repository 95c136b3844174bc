import Foundation
import ModelintExecutor

/// The committed PyTorch fixtures in fixtures/executor (written by Tests/oracles/torch_scenarios.py).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/executor")

    /// Scenario names, e.g. "batchnorm1d_train_mode".
    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".scenario.json") }
            .map { String($0.dropLast(".scenario.json".count)) }
            .sorted()
    }()

    static func scenarioPath(_ name: String) -> String {
        directory.appendingPathComponent("\(name).scenario.json").path
    }

    static func scenarioBytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: scenarioPath(name))))
    }

    static func scenarioDocument(_ name: String) throws -> JSONValue {
        try JSONParser.parse(try scenarioBytes(name))
    }

    struct Expected {
        let check: String
        let exitCode: Int
        let result: JSONValue
        let torchVersion: String
    }

    static func expected(_ name: String) throws -> Expected {
        let url = directory.appendingPathComponent("\(name).expected.json")
        guard case .object(let object) = try JSONParser.parse([UInt8](try Data(contentsOf: url))),
            case .string(let check)? = object["check"],
            case .number(let exitCode)? = object["exit_code"],
            case .string(let version)? = object["torch_version"],
            let result = object["result"]
        else { throw FixtureError("\(name).expected.json is not a fixture document") }
        return Expected(check: check, exitCode: Int(exitCode.value), result: result, torchVersion: version)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension JSONValue {
    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    var doubleValue: Double? {
        if case .number(let number) = self { return number.value }
        return nil
    }

    /// A nested numeric array flattened in row-major order, with its shape.
    var flattened: (shape: [Int], values: [Double])? {
        if let value = doubleValue { return ([], [value]) }
        guard let elements = arrayValue else { return nil }
        var values: [Double] = []
        var innerShape: [Int]?
        for element in elements {
            guard let (shape, inner) = element.flattened else { return nil }
            if let innerShape, innerShape != shape { return nil }
            innerShape = shape
            values += inner
        }
        return ([elements.count] + (innerShape ?? []), values)
    }
}

/// Numeric comparison of two JSON documents with PyTorch's `allclose` rule |a − e| ≤ atol + rtol·|e|,
/// NaN equal to NaN, integers exact, object keys in the same order. Returns the first few mismatches.
enum ToleranceComparison {
    static let relativeTolerance = 1e-4
    static let absoluteTolerance = 1e-5

    static func mismatches(_ actual: JSONValue, _ expected: JSONValue, path: String = "") -> [String] {
        var found: [String] = []
        compare(actual, expected, path: path, into: &found)
        return found
    }

    private static func compare(_ actual: JSONValue, _ expected: JSONValue, path: String, into found: inout [String]) {
        guard found.count < 10 else { return }
        switch (actual, expected) {
        case (.number(let a), .number(let e)):
            if e.isIntegerLiteral {
                if a.value != e.value { found.append("\(path): \(a.value) != \(e.value) (integer)") }
            } else if a.value.isNaN || e.value.isNaN {
                if !(a.value.isNaN && e.value.isNaN) { found.append("\(path): \(a.value) vs \(e.value)") }
            } else if a.value.isInfinite || e.value.isInfinite {
                if a.value != e.value { found.append("\(path): \(a.value) vs \(e.value)") }
            } else if abs(a.value - e.value) > absoluteTolerance + relativeTolerance * abs(e.value) {
                found.append("\(path): \(a.value) vs \(e.value) (diff \(abs(a.value - e.value)))")
            }
        case (.array(let a), .array(let e)):
            guard a.count == e.count else {
                found.append("\(path): \(a.count) elements vs \(e.count)")
                return
            }
            for index in a.indices { compare(a[index], e[index], path: "\(path)[\(index)]", into: &found) }
        case (.object(let a), .object(let e)):
            guard a.keys == e.keys else {
                found.append("\(path): keys \(a.keys) vs \(e.keys)")
                return
            }
            for entry in e.entries { compare(a[entry.key]!, entry.value, path: "\(path).\(entry.key)", into: &found) }
        default:
            if actual != expected { found.append("\(path): \(actual) vs \(expected)") }
        }
    }
}
