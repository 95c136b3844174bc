import Foundation
import Testing
import ModelintExecutor

/// Every generated scenario, run through the library and compared with what real PyTorch produced.
@Suite struct PyTorchFixtureTests {
    @Test func thereAreEnoughFixtures() {
        #expect(Fixtures.names.count >= 30, "found \(Fixtures.names.count) scenarios in \(Fixtures.directory.path)")
    }

    @Test(arguments: Fixtures.names)
    func matchesPyTorch(_ name: String) throws {
        let expected = try Fixtures.expected(name)
        let scenario = try ScenarioDecoder.decode(try Fixtures.scenarioBytes(name))
        let outcome: JSONValue
        let exitCode: Int
        do {
            outcome = try JSONParser.parse(Array(SimulationOutput.json(try ScenarioRunner.run(scenario)).utf8))
            exitCode = 0
        } catch SimulationError.torch(let error) {
            outcome = try JSONParser.parse(Array(SimulationOutput.json(error: error).utf8))
            exitCode = 1
        }
        #expect(exitCode == expected.exitCode, "\(name): \(outcome)")
        switch expected.check {
        case "exact":
            let mismatches = ToleranceComparison.mismatches(outcome, expected.result)
            #expect(mismatches.isEmpty, "\(name) differs from PyTorch \(expected.torchVersion): \(mismatches)")
        case "dropout":
            let document = try Fixtures.scenarioDocument(name)
            // The checker must accept PyTorch's own draws before it can judge ours.
            try DropoutStructure.check(document: document, result: expected.result)
            try DropoutStructure.check(document: document, result: outcome)
        case "initialization":
            let document = try Fixtures.scenarioDocument(name)
            let reference = try #require(expected.result["state"])
            try InitializationCheck.check(document: document, state: reference, reference: reference)
            try InitializationCheck.check(document: document, state: try #require(outcome["state"]), reference: reference)
        default:
            Issue.record("\(name): unknown check '\(expected.check)'")
        }
    }
}

/// Dropout in train mode cannot match PyTorch's random stream, so its output is checked for the properties
/// that define it: each element is 0 or x/(1 − p), the zero fraction is p within five standard deviations,
/// every call draws a new mask, and eval mode is the identity.
enum DropoutStructure {
    static func check(document: JSONValue, result: JSONValue) throws {
        guard let p = document["model"]?.arrayValue?.first?["p"]?.doubleValue,
            let steps = document["steps"]?.arrayValue, let outputs = result["outputs"]
        else { throw FixtureError("not a single-Dropout scenario") }
        let scale = 1 / Float(1 - p)
        var training = true
        var masks: [[Bool]] = []
        for step in steps {
            guard case .string(let op)? = step["op"] else { continue }
            if op == "train" || op == "eval" {
                training = op == "train"
                continue
            }
            guard case .string(let name)? = step["name"], let (shape, input) = step["input"]?.flattened,
                let (outputShape, output) = outputs[name]?.flattened
            else { throw FixtureError("forward step without input or output") }
            #expect(shape == outputShape)
            if !training {
                #expect(input.map { Float($0) } == output.map { Float($0) }, "eval-mode dropout is not the identity")
                continue
            }
            var mask: [Bool] = []
            for (x, y) in zip(input, output) {
                let kept = y != 0
                mask.append(kept)
                if kept {
                    let scaled = Double(Float(x) * scale)
                    #expect(abs(y - scaled) <= 1e-6 * abs(scaled), "kept value \(y) is not x/(1-p) = \(scaled)")
                }
            }
            let zeroFraction = Double(mask.filter { !$0 }.count) / Double(mask.count)
            let bound = 5 * (p * (1 - p) / Double(mask.count)).squareRoot()
            #expect(abs(zeroFraction - p) <= bound, "zero fraction \(zeroFraction) is not p = \(p) ± \(bound)")
            masks.append(mask)
        }
        #expect(masks.count >= 2)
        for later in masks.dropFirst() { #expect(later != masks[0], "dropout reused its mask") }
    }
}

/// Omitted weights are drawn from the seed with PyTorch's distributions: Linear weight and bias
/// U(−1/√in, 1/√in), normalisation weight 1 and bias 0, running statistics 0 and 1. Checked by shape against
/// PyTorch's state_dict, by bound, and by the uniform distribution's variance bound²/3.
enum InitializationCheck {
    static func check(document: JSONValue, state: JSONValue, reference: JSONValue) throws {
        guard case .object(let entries) = state, case .object(let referenceEntries) = reference,
            let layers = document["model"]?.arrayValue
        else { throw FixtureError("no state") }
        #expect(entries.keys == referenceEntries.keys)
        for entry in referenceEntries.entries {
            #expect(entries[entry.key]?.flattened?.shape == entry.value.flattened?.shape, "\(entry.key) shape")
        }
        for (index, layer) in layers.enumerated() {
            guard case .string(let type)? = layer["type"] else { continue }
            switch type {
            case "Linear":
                let bound = 1 / (try #require(layer["in_features"]?.doubleValue)).squareRoot()
                for name in ["weight", "bias"] {
                    guard let values = entries["\(index).\(name)"]?.flattened?.values else { continue }
                    #expect(values.allSatisfy { abs($0) <= bound }, "\(index).\(name) exceeds ±\(bound)")
                    // Five standard deviations of the sample mean and variance of U(−b, b):
                    // sd(mean) = b/√(3n), sd(variance) ≈ b²·√(4/(45n)).
                    let n = Double(values.count)
                    let mean = values.reduce(0, +) / n
                    let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / n
                    #expect(abs(mean) <= 5 * bound / (3 * n).squareRoot(), "\(index).\(name) mean \(mean)")
                    #expect(
                        abs(variance - bound * bound / 3) <= 5 * bound * bound * (4 / (45 * n)).squareRoot(),
                        "\(index).\(name) variance \(variance)")
                }
            case "BatchNorm1d", "BatchNorm2d", "LayerNorm":
                let constants = ["weight": 1.0, "bias": 0.0, "running_mean": 0.0, "running_var": 1.0]
                for (name, constant) in constants {
                    guard let values = entries["\(index).\(name)"]?.flattened?.values else { continue }
                    #expect(values.allSatisfy { $0 == constant }, "\(index).\(name) is not all \(constant)")
                }
            default:
                continue
            }
        }
    }
}
