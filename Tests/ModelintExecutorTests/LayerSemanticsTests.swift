import Foundation
import Testing
@testable import ModelintExecutor

/// Hand-computed cases of the PyTorch semantics the fixtures exercise in bulk, so a regression names the rule.
@Suite struct LayerSemanticsTests {
    static func context(record: Bool = false, seed: UInt64 = 1) -> ForwardContext {
        ForwardContext(recordsGradients: record, generator: SeededGenerator(seed: seed))
    }

    static func batchNorm(momentum: Double? = 0.1, tracking: Bool = true, affine: Bool = true) -> BatchNorm {
        BatchNorm(
            variant: .oneD, numFeatures: 1, momentum: momentum,
            weight: affine ? Tensor(shape: [1], repeating: 1) : nil, bias: affine ? Tensor(shape: [1], repeating: 0) : nil,
            runningStatistics: tracking ? ([0], [1], 0) : nil)
    }

    @Test func batchNormTrainUpdatesWithTheUnbiasedVariance() throws {
        let layer = Self.batchNorm()
        var context = Self.context()
        let output = try layer.forward(Tensor(shape: [2, 1], scalars: [1, 3]), context: &context)
        // Biased variance 1 normalises; unbiased variance 2 enters running_var.
        let expected = Float(1 / (1 + 1e-5).squareRoot())
        #expect(output.scalars == [-expected, expected])
        #expect(layer.runningMean == [0.2])
        #expect(layer.runningVar == [Float(0.9 * 1 + 0.1 * 2)])
        #expect(layer.numBatchesTracked == 1)
    }

    @Test func evalModeUsesRunningStatisticsAndCountsNoBatch() throws {
        let layer = Self.batchNorm()
        var context = Self.context()
        _ = try layer.forward(Tensor(shape: [2, 1], scalars: [1, 3]), context: &context)
        layer.isTraining = false
        let output = try layer.forward(Tensor(shape: [1, 1], scalars: [2]), context: &context)
        #expect(output.scalars == [(2 - Float(0.2)) / (Float(1.1) + Float(1e-5)).squareRoot()])
        #expect(layer.numBatchesTracked == 1)
    }

    @Test func momentumNoneIsTheCumulativeAverage() throws {
        let layer = Self.batchNorm(momentum: nil)
        var context = Self.context()
        _ = try layer.forward(Tensor(shape: [2, 1], scalars: [1, 3]), context: &context)  // mean 2, unbiased var 2
        _ = try layer.forward(Tensor(shape: [2, 1], scalars: [4, 8]), context: &context)  // mean 6, unbiased var 8
        #expect(layer.runningMean == [4])
        #expect(layer.runningVar == [5])
        #expect(layer.numBatchesTracked == 2)
    }

    @Test func withoutRunningStatisticsEvalUsesTheBatchAndKeepsNoBuffers() throws {
        let layer = Self.batchNorm(tracking: false, affine: false)
        layer.isTraining = false
        var context = Self.context()
        let output = try layer.forward(Tensor(shape: [2, 1], scalars: [1, 3]), context: &context)
        #expect(output.scalars[1] > 0.99)
        #expect(layer.stateEntries.isEmpty)
        #expect(layer.parameters.isEmpty)
    }

    @Test func aTrainingBatchOfOneIsPyTorchsValueError() {
        var context = Self.context()
        #expect(throws: TorchError(
            "Expected more than 1 value per channel when training, got input size torch.Size([1, 1])")) {
            try Self.batchNorm().forward(Tensor(shape: [1, 1], scalars: [5]), context: &context)
        }
    }

    @Test func dropoutEdgeProbabilities() throws {
        let input = Tensor(shape: [4], scalars: [1, -2, .infinity, .nan])
        var context = Self.context()
        #expect(try Dropout(probability: PythonNumber(0, isInteger: true)).forward(input, context: &context).scalars[0...1] == [1, -2])
        let zeroed = try Dropout(probability: PythonNumber(1)).forward(input, context: &context).scalars
        #expect(zeroed[0] == 0 && zeroed[1] == 0 && zeroed[2].isNaN && zeroed[3].isNaN)
        let eval = try Dropout(probability: PythonNumber(0.5))
        eval.isTraining = false
        #expect(try eval.forward(input, context: &context).scalars[0...2] == [1, -2, .infinity])
    }

    @Test func dropoutRejectsProbabilitiesOutsideTheUnitInterval() {
        #expect(throws: TorchError("dropout probability has to be between 0 and 1, but got -0.1")) {
            try Dropout(probability: PythonNumber(-0.1))
        }
        #expect(throws: TorchError("dropout probability has to be between 0 and 1, but got 2")) {
            try Dropout(probability: PythonNumber(2, isInteger: true))
        }
    }

    @Test func dropoutMasksFollowTheSeedOnly() throws {
        let input = Tensor(shape: [256], repeating: 1)
        func mask(seed: UInt64) throws -> [Float] {
            var context = Self.context(seed: seed)
            return try Dropout(probability: PythonNumber(0.5)).forward(input, context: &context).scalars
        }
        #expect(try mask(seed: 3) == mask(seed: 3))
        #expect(try mask(seed: 3) != mask(seed: 4))
        #expect(try mask(seed: 3).allSatisfy { $0 == 0 || $0 == 2 })
    }

    static func parameter(value: Float, gradient: Float) -> Parameter {
        let parameter = Parameter(Tensor(shape: [1], repeating: value))
        parameter.grad = Tensor(shape: [1], repeating: gradient)
        return parameter
    }

    @Test func sgdMomentumClonesTheFirstGradientThenDampens() throws {
        var configuration = SGD.Configuration()
        configuration.learningRate = PythonNumber(0.1)
        configuration.momentum = PythonNumber(0.9)
        configuration.dampening = PythonNumber(0.5)
        let optimizer = try SGD(configuration, parameterCount: 1)
        let parameter = Self.parameter(value: 1, gradient: 1)
        optimizer.step([parameter])
        #expect(parameter.value.scalars == [0.9])  // buffer = g, no dampening on step 1
        optimizer.step([parameter])
        #expect(abs(parameter.value.scalars[0] - 0.76) < 1e-6)  // buffer = 0.9·1 + 0.5·1
    }

    @Test func adamFirstStepIsLearningRateTimesSignAndAdamWDecaysFirst() throws {
        var adam = Adam.Configuration(decoupledWeightDecay: false)
        adam.learningRate = PythonNumber(0.1)
        let parameter = Self.parameter(value: 1, gradient: 2)
        try Adam(adam, parameterCount: 1).step([parameter])
        #expect(abs(parameter.value.scalars[0] - 0.9) < 1e-6)

        var adamW = Adam.Configuration(decoupledWeightDecay: true)
        adamW.learningRate = PythonNumber(0.1)
        let decayed = Self.parameter(value: 1, gradient: 2)
        try Adam(adamW, parameterCount: 1).step([decayed])
        #expect(abs(decayed.value.scalars[0] - (0.999 - 0.1)) < 1e-6)
    }

    @Test func optimizersSkipParametersWithoutGradients() throws {
        let parameter = Parameter(Tensor(shape: [1], repeating: 3))
        try SGD(SGD.Configuration(), parameterCount: 1).step([parameter])
        try Adam(Adam.Configuration(decoupledWeightDecay: true), parameterCount: 1).step([parameter])
        #expect(parameter.value.scalars == [3])
    }
}
