import Testing
@testable import ModelintExecutor

/// Finite-difference checks of every layer's and loss's backward: for L = Σ wᵢ·yᵢ with fixed random w, the
/// analytic dL/dx and dL/dθ must match central differences of the float32 forward. A wrong formula is off by
/// O(1); step size and float rounding stay below the 2e-4 + 2e-3·|g| tolerance.
@Suite struct GradientCheckTests {
    static let step: Float = 1e-2

    static func randomTensor(_ shape: [Int], seed: UInt64, awayFromZero: Bool = false) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        let count = shape.reduce(1, *)
        let values = (0..<count).map { _ -> Float in
            let value = generator.nextUniform(from: -1.5, to: 1.5)
            // ReLU's kink at 0 has no derivative; keep samples at least 0.1 away from it.
            return awayFromZero && abs(value) < 0.1 ? value + (value < 0 ? -0.2 : 0.2) : value
        }
        return Tensor(shape: shape, scalars: values)
    }

    /// Σ w·y in double.
    static func projection(_ output: Tensor, _ weights: Tensor) -> Double {
        zip(output.scalars, weights.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    static func expectClose(_ analytic: Float, _ numeric: Double, _ what: String) {
        let tolerance = 2e-4 + 2e-3 * abs(numeric)
        #expect(abs(Double(analytic) - numeric) <= tolerance, "\(what): analytic \(analytic) vs numeric \(numeric)")
    }

    /// Checks dL/dinput and dL/dparameter of `layer` at `input` in the given mode.
    static func check(_ layer: any Layer, input: Tensor, training: Bool, name: String) throws {
        layer.isTraining = training
        func forward(_ x: Tensor, record: Bool) throws -> Tensor {
            // A fresh generator per call: Dropout draws the same mask in every evaluation.
            var context = ForwardContext(recordsGradients: record, generator: SeededGenerator(seed: 99))
            return try layer.forward(x, context: &context)
        }
        let output = try forward(input, record: true)
        let weights = randomTensor(output.shape, seed: 5)
        for parameter in layer.parameters { parameter.grad = nil }
        let inputGradient = try #require(layer.backward(weights, needsInputGradient: true))
        #expect(inputGradient.shape == input.shape)

        for index in 0..<input.count {
            var plus = input, minus = input
            plus.scalars[index] += step
            minus.scalars[index] -= step
            let numeric = (projection(try forward(plus, record: false), weights)
                - projection(try forward(minus, record: false), weights)) / Double(2 * step)
            expectClose(inputGradient.scalars[index], numeric, "\(name) dL/dx[\(index)]")
        }
        for (position, parameter) in layer.parameters.enumerated() {
            let gradient = try #require(parameter.grad, "\(name) parameter \(position) has no gradient")
            let original = parameter.value
            for index in 0..<original.count {
                parameter.value.scalars[index] = original.scalars[index] + step
                let plus = projection(try forward(input, record: false), weights)
                parameter.value.scalars[index] = original.scalars[index] - step
                let minus = projection(try forward(input, record: false), weights)
                parameter.value = original
                expectClose(gradient.scalars[index], (plus - minus) / Double(2 * step), "\(name) dL/dθ\(position)[\(index)]")
            }
        }
    }

    @Test func linear() throws {
        var generator = SeededGenerator(seed: 3)
        let layer = Linear.initialized(inFeatures: 4, outFeatures: 3, hasBias: true, generator: &generator)
        try Self.check(layer, input: Self.randomTensor([5, 4], seed: 1), training: true, name: "Linear 2-D")
        try Self.check(layer, input: Self.randomTensor([2, 3, 4], seed: 2), training: true, name: "Linear 3-D")
        let noBias = Linear.initialized(inFeatures: 4, outFeatures: 2, hasBias: false, generator: &generator)
        try Self.check(noBias, input: Self.randomTensor([3, 4], seed: 3), training: false, name: "Linear without bias")
    }

    @Test func reluAndTanh() throws {
        let input = Self.randomTensor([4, 5], seed: 4, awayFromZero: true)
        try Self.check(ReLU(), input: input, training: true, name: "ReLU")
        try Self.check(Tanh(), input: input, training: true, name: "Tanh")
    }

    @Test func flatten() throws {
        try Self.check(Flatten(), input: Self.randomTensor([2, 3, 2], seed: 5), training: true, name: "Flatten")
    }

    @Test func layerNorm() throws {
        let affine = LayerNorm(
            normalizedShape: [5], weight: Self.randomTensor([5], seed: 6), bias: Self.randomTensor([5], seed: 7))
        try Self.check(affine, input: Self.randomTensor([3, 5], seed: 8), training: true, name: "LayerNorm")
        let plain = LayerNorm(normalizedShape: [2, 3], epsilon: 1e-3, weight: nil, bias: nil)
        try Self.check(plain, input: Self.randomTensor([2, 2, 3], seed: 9), training: false, name: "LayerNorm 3-D")
    }

    @Test func dropoutBothModes() throws {
        let dropout = try Dropout(probability: PythonNumber(0.4))
        let input = Self.randomTensor([6, 7], seed: 10)
        try Self.check(dropout, input: input, training: true, name: "Dropout train")
        try Self.check(dropout, input: input, training: false, name: "Dropout eval")
    }

    static func batchNorm(_ variant: BatchNorm.Variant, channels: Int, affine: Bool = true, tracking: Bool = true) -> BatchNorm {
        BatchNorm(
            variant: variant, numFeatures: channels,
            weight: affine ? randomTensor([channels], seed: 11) : nil,
            bias: affine ? randomTensor([channels], seed: 12) : nil,
            runningStatistics: tracking
                ? (randomTensor([channels], seed: 13).scalars, [Float](repeating: 0.7, count: channels), 0) : nil)
    }

    @Test func batchNorm1dTrainAndEval() throws {
        let input = Self.randomTensor([6, 3], seed: 14)
        try Self.check(Self.batchNorm(.oneD, channels: 3), input: input, training: true, name: "BatchNorm1d train")
        try Self.check(Self.batchNorm(.oneD, channels: 3), input: input, training: false, name: "BatchNorm1d eval")
        try Self.check(
            Self.batchNorm(.oneD, channels: 3, affine: false, tracking: false), input: input, training: false,
            name: "BatchNorm1d without affine or running stats, eval")
        try Self.check(
            Self.batchNorm(.oneD, channels: 2), input: Self.randomTensor([3, 2, 4], seed: 15), training: true,
            name: "BatchNorm1d (N, C, L) train")
    }

    @Test func batchNorm2dTrainAndEval() throws {
        let input = Self.randomTensor([2, 3, 2, 2], seed: 16)
        try Self.check(Self.batchNorm(.twoD, channels: 3), input: input, training: true, name: "BatchNorm2d train")
        try Self.check(Self.batchNorm(.twoD, channels: 3), input: input, training: false, name: "BatchNorm2d eval")
    }

    static func checkLoss(
        _ input: Tensor, name: String, _ loss: (Tensor) throws -> (loss: Float, inputGradient: Tensor)
    ) throws {
        let gradient = try loss(input).inputGradient
        for index in 0..<input.count {
            var plus = input, minus = input
            plus.scalars[index] += step
            minus.scalars[index] -= step
            let numeric = (Double(try loss(plus).loss) - Double(try loss(minus).loss)) / Double(2 * step)
            expectClose(gradient.scalars[index], numeric, "\(name) dL/dx[\(index)]")
        }
    }

    @Test func meanSquaredError() throws {
        let target = Self.randomTensor([4, 3], seed: 17)
        try Self.checkLoss(Self.randomTensor([4, 3], seed: 18), name: "MSE") {
            try MeanSquaredError.loss(input: $0, target: target)
        }
        let vector = Self.randomTensor([4], seed: 19)
        try Self.checkLoss(Self.randomTensor([4, 1], seed: 20), name: "MSE broadcast") {
            try MeanSquaredError.loss(input: $0, target: vector)
        }
    }

    @Test func crossEntropy() throws {
        let targets = ClassTargets(shape: [4], indices: [2, 0, -100, 1])
        try Self.checkLoss(Self.randomTensor([4, 3], seed: 21), name: "cross-entropy") {
            try CrossEntropy.loss(input: $0, target: targets)
        }
        let spatial = ClassTargets(shape: [2, 3], indices: [0, 1, 1, 2, 0, 2])
        try Self.checkLoss(Self.randomTensor([2, 3, 3], seed: 22), name: "cross-entropy (N, C, L)") {
            try CrossEntropy.loss(input: $0, target: spatial)
        }
    }
}
