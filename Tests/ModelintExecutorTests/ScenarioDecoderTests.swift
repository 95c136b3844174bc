import Testing
@testable import ModelintExecutor

/// Malformed scenarios name the offending key; omitted keys take PyTorch's defaults.
@Suite struct ScenarioDecoderTests {
    static let valid = #"""
        {"format": "modelint-scenario/1", "seed": 7,
         "model": [{"type": "Linear", "in_features": 4, "out_features": 3},
                   {"type": "BatchNorm1d", "num_features": 3},
                   {"type": "Dropout", "p": 0.5}, {"type": "ReLU"}],
         "loss": "cross_entropy",
         "optimizer": {"type": "SGD", "lr": 0.1},
         "steps": [{"op": "train"},
                   {"op": "train_step", "input": [[1, 2, 3, 4], [4, 3, 2, 1]], "target": [0, 2]},
                   {"op": "eval"}, {"op": "forward", "name": "val0", "input": [[1, 2, 3, 4]]}]}
        """#

    static func decodeError(_ text: String) -> String? {
        do {
            _ = try ScenarioDecoder.decode(Array(text.utf8))
            return nil
        } catch {
            return error.description
        }
    }

    @Test func theValidScenarioDecodes() throws {
        let scenario = try ScenarioDecoder.decode(Array(Self.valid.utf8))
        #expect(scenario.seed == 7)
        #expect(scenario.layers.count == 4)
        #expect(scenario.steps.count == 4)
    }

    @Test(arguments: [
        (#""p": 0.5"#, #""p": "high""#, #"model[2].p: expected a number, got a string"#),
        (#""format": "modelint-scenario/1", "#, "", "format: missing required key"),
        (#""modelint-scenario/1""#, #""modelint-scenario/2""#,
         #"format: expected "modelint-scenario/1", got "modelint-scenario/2""#),
        (#""type": "ReLU""#, #""type": "GELU""#,
         #"model[3].type: unknown layer type "GELU" (expected one of: Linear, BatchNorm1d, BatchNorm2d, Dropout, ReLU, Tanh, Flatten, LayerNorm)"#),
        (#""in_features": 4"#, #""in_feature": 4"#,
         "model[0].in_feature: unknown key (expected one of: type, in_features, out_features, weight, bias)"),
        (#""in_features": 4"#, #""in_features": 4.5"#, "model[0].in_features: expected an integer, got 4.5"),
        (#"[4, 3, 2, 1]], "target""#, #"[4, 3, 2]], "target""#,
         "steps[1].input[1]: expected 4 elements like its first sibling (the array is ragged), got 3"),
        (#"[4, 3, 2, 1]], "target""#, #"[4, 3, null, 1]], "target""#, "steps[1].input[1][2]: expected a number, got null"),
        (#""out_features": 3}"#, #""out_features": 3, "weight": [[1, 2, 3, 4, 5]]}"#,
         "model[0].weight: expected shape [3, 4], got [1, 5]"),
        (#""loss": "cross_entropy","#, "", "loss: missing required key (the steps contain a train_step)"),
        (#""loss": "cross_entropy""#, #""loss": "nll""#, #"loss: expected "mse" or "cross_entropy", got "nll""#),
        (#""type": "SGD""#, #""type": "RMSprop""#, #"optimizer.type: unknown optimizer "RMSprop" (expected one of: SGD, Adam, AdamW)"#),
        (#""type": "SGD", "lr": 0.1"#, #""type": "Adam", "betas": [0.9]"#, "optimizer.betas: expected an array of two numbers"),
        (#""type": "SGD", "lr": 0.1"#, #""type": "SGD", "nesterov": 1"#, "optimizer.nesterov: expected true or false, got a number"),
        (#"{"op": "eval"}"#, #"{"op": "evaluate"}"#,
         #"steps[2].op: unknown op "evaluate" (expected one of: train, eval, forward, train_step)"#),
        (#""name": "val0", "#, "", "steps[3].name: missing required key"),
        (#""num_features": 3}"#, #""num_features": 3, "affine": false, "weight": [1, 1, 1]}"#,
         "model[1].weight: affine is false, so the layer has no weight"),
        (#""num_features": 3}"#, #""num_features": 3, "track_running_stats": false, "running_mean": [0, 0, 0]}"#,
         "model[1].running_mean: track_running_stats is false, so the layer has no running_mean"),
        (#""seed": 7"#, #""seed": 7.5"#, "seed: expected a 64-bit integer, got a number"),
        (#""in_features": 4"#, #""in_features": 4000000000000"#,
         "model[0]: a [3, 4000000000000] parameter is larger than the executor's limit of 268435456 elements"),
        (#""num_features": 3}"#, #""num_features": 9223372036854775807}"#,
         "model[1]: a [9223372036854775807] parameter is larger than the executor's limit of 268435456 elements"),
        (#""steps": ["#, #""steps": {"a": 1}, "unused": ["#, "unused: unknown key (expected one of: format, seed, model, loss, optimizer, steps)"),
        (#""model": ["#, #""model": 1, "x": ["#, "x: unknown key (expected one of: format, seed, model, loss, optimizer, steps)"),
        (#"{"format""#, #"[{"format""#, "expected an object, got an array"),
        (#""seed": 7,"#, #""seed": 7,,"#, "invalid JSON at line 1, column 45: expected a string key"),
    ])
    func malformedScenariosNameTheKey(_ original: String, _ replacement: String, _ message: String) throws {
        #expect(Self.valid.contains(original), "test setup: \(original) not in the base scenario")
        var text = Self.valid.replacingOccurrences(of: original, with: replacement)
        if replacement.hasPrefix("[") && original.hasPrefix("{") { text += "]" }
        #expect(Self.decodeError(text) == message)
    }

    @Test func crossEntropyTargetsMustBeClassIndices() throws {
        let text = Self.valid.replacingOccurrences(of: #""target": [0, 2]"#, with: #""target": [0.5, 2]"#)
        let scenario = try ScenarioDecoder.decode(Array(text.utf8))
        #expect(throws: SimulationError.invalidScenario(
            ScenarioError(path: "steps[1].target", message: "expected integer class indices for cross_entropy"))) {
            try ScenarioRunner.run(scenario)
        }
    }

    @Test func omittedKeysTakePyTorchDefaults() throws {
        let text = #"""
            {"format": "modelint-scenario/1",
             "model": [{"type": "BatchNorm1d", "num_features": 2}, {"type": "Dropout"}, {"type": "Flatten"},
                       {"type": "LayerNorm", "normalized_shape": [2]}],
             "optimizer": {"type": "AdamW"}}
            """#
        let scenario = try ScenarioDecoder.decode(Array(text.utf8))
        #expect(scenario.seed == 0)
        #expect(scenario.steps.isEmpty)
        guard case .batchNorm(let batchNorm) = scenario.layers[0], case .dropout(let p) = scenario.layers[1],
            case .flatten(let start, let end) = scenario.layers[2], case .layerNorm(let layerNorm) = scenario.layers[3],
            case .adam(let adam) = scenario.optimizer
        else {
            Issue.record("unexpected decoding \(scenario)")
            return
        }
        #expect(batchNorm.epsilon.value == 1e-5 && batchNorm.momentum == 0.1 && batchNorm.affine && batchNorm.trackRunningStats)
        #expect(p.value == 0.5)
        #expect(start == 1 && end == -1)
        #expect(layerNorm.epsilon == 1e-5 && layerNorm.elementwiseAffine)
        #expect(adam.learningRate.value == 1e-3 && adam.beta1.value == 0.9 && adam.beta2.value == 0.999)
        #expect(adam.epsilon.value == 1e-8 && adam.weightDecay.value == 0.01 && adam.decoupledWeightDecay)
        guard case .sgd(let sgd) = try ScenarioDecoder.decode(Array(text.replacingOccurrences(of: "AdamW", with: "SGD").utf8)).optimizer
        else { return }
        #expect(sgd.learningRate.value == 1e-3 && sgd.momentum.value == 0 && sgd.dampening.value == 0 && !sgd.nesterov)
    }

    @Test func momentumNullIsACumulativeAverage() throws {
        let text = Self.valid.replacingOccurrences(of: #""num_features": 3}"#, with: #""num_features": 3, "momentum": null}"#)
        guard case .batchNorm(let spec) = try ScenarioDecoder.decode(Array(text.utf8)).layers[1] else {
            Issue.record("not a BatchNorm")
            return
        }
        #expect(spec.momentum == nil)
    }
}
