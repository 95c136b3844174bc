/// `nn.LayerNorm(normalized_shape, eps, elementwise_affine, bias)`: normalises each row over the trailing
/// `normalized_shape` dimensions with the biased variance. Identical in train and eval mode, which makes it
/// the control layer: a mode bug cannot change its output.
public final class LayerNorm: Layer {
    public let normalizedShape: [Int]
    public let epsilon: Double
    public let weight: Parameter?
    public let bias: Parameter?
    public var isTraining = true
    private var saved: (input: Tensor, mean: [Float], inverseStd: [Float])?

    public init(normalizedShape: [Int], epsilon: Double = 1e-5, weight: Tensor?, bias: Tensor?) {
        precondition(weight == nil || weight!.shape == normalizedShape, "LayerNorm weight must match normalized_shape")
        precondition(bias == nil || bias!.shape == normalizedShape, "LayerNorm bias must match normalized_shape")
        self.normalizedShape = normalizedShape
        self.epsilon = epsilon
        self.weight = weight.map(Parameter.init)
        self.bias = bias.map(Parameter.init)
    }

    public var parameters: [Parameter] { [weight, bias].compactMap { $0 } }

    public var stateEntries: [(name: String, value: StateValue)] {
        var entries: [(name: String, value: StateValue)] = []
        if let weight { entries.append(("weight", .tensor(weight.value))) }
        if let bias { entries.append(("bias", .tensor(bias.value))) }
        return entries
    }

    public func forward(_ input: Tensor, context: inout ForwardContext) throws(TorchError) -> Tensor {
        guard input.rank >= normalizedShape.count, Array(input.shape.suffix(normalizedShape.count)) == normalizedShape
        else {
            let expected = normalizedShape.map { ", \($0)" }.joined()
            throw TorchError(
                "Given normalized_shape=\(Tensor.describe(normalizedShape)), expected input with shape [*\(expected)], "
                    + "but got input of size\(input.shapeDescription)")
        }
        let rowLength = normalizedShape.reduce(1, *)
        let rows = rowLength == 0 ? 0 : input.count / rowLength
        var means = [Float](repeating: 0, count: rows)
        var inverseStds = [Float](repeating: 0, count: rows)
        var output = [Float](repeating: 0, count: input.count)
        let gamma = weight?.value.scalars
        let beta = bias?.value.scalars
        let epsilon = Float(self.epsilon)
        input.scalars.withUnsafeBufferPointer { x in
            for row in 0..<rows {
                let start = row * rowLength
                var sum: Double = 0
                for index in start..<(start + rowLength) { sum += Double(x[index]) }
                let mean = Float(sum / Double(rowLength))
                var squares: Double = 0
                for index in start..<(start + rowLength) {
                    let centered = Double(x[index]) - Double(mean)
                    squares += centered * centered
                }
                let variance = Float(squares / Double(rowLength))
                let inverseStd = 1 / (max(variance, 0) + epsilon).squareRoot()
                means[row] = mean
                inverseStds[row] = inverseStd
                // ATen's kernel form: (x·rstd − mean·rstd)·γ + β.
                let shift = -mean * inverseStd
                for offset in 0..<rowLength {
                    let normalized = x[start + offset] * inverseStd + shift
                    output[start + offset] = normalized * (gamma?[offset] ?? 1) + (beta?[offset] ?? 0)
                }
            }
        }
        saved = context.recordsGradients ? (input, means, inverseStds) : nil
        return Tensor(shape: input.shape, scalars: output)
    }

    public func backward(_ gradOutput: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard let (input, means, inverseStds) = saved else {
            preconditionFailure("LayerNorm.backward without a recorded forward")
        }
        saved = nil
        let rowLength = normalizedShape.reduce(1, *)
        let rows = means.count
        let gamma = weight?.value.scalars
        var weightGrad = [Double](repeating: 0, count: rowLength)
        var biasGrad = [Double](repeating: 0, count: rowLength)
        var inputGrad = [Float](repeating: 0, count: needsInputGradient ? input.count : 0)
        input.scalars.withUnsafeBufferPointer { x in
            gradOutput.scalars.withUnsafeBufferPointer { dy in
                for row in 0..<rows {
                    let start = row * rowLength
                    let mean = means[row], inverseStd = inverseStds[row]
                    var scaledSum: Double = 0, scaledDot: Double = 0
                    for offset in 0..<rowLength {
                        let g = Double(dy[start + offset]) * Double(gamma?[offset] ?? 1)
                        scaledSum += g
                        scaledDot += g * Double(x[start + offset])
                        weightGrad[offset] += Double(dy[start + offset]) * Double((x[start + offset] - mean) * inverseStd)
                        biasGrad[offset] += Double(dy[start + offset])
                    }
                    guard needsInputGradient else { continue }
                    // dx = a·dy·γ + b·x + c with a = rstd (ATen's LayerNormBackward decomposition).
                    let a = Double(inverseStd)
                    let scale = 1 / Double(rowLength)
                    let b = (scaledSum * Double(mean) - scaledDot) * a * a * a * scale
                    let c = -b * Double(mean) - scaledSum * a * scale
                    for offset in 0..<rowLength {
                        let g = Double(dy[start + offset]) * Double(gamma?[offset] ?? 1)
                        inputGrad[start + offset] = Float(a * g + b * Double(x[start + offset]) + c)
                    }
                }
            }
        }
        weight?.accumulateGradient(Tensor(shape: normalizedShape, scalars: weightGrad.map { Float($0) }))
        bias?.accumulateGradient(Tensor(shape: normalizedShape, scalars: biasGrad.map { Float($0) }))
        return needsInputGradient ? Tensor(shape: input.shape, scalars: inputGrad) : nil
    }
}
