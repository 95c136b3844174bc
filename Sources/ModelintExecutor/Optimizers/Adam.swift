import Foundation

/// `torch.optim.Adam` and `torch.optim.AdamW` (torch/optim/adam.py `_single_tensor_adam`; AdamW is Adam with
/// `decoupled_weight_decay=True`). Per step t, in float32 with double-precision Python scalars:
///   AdamW: p ← p·(1 − lr·wd);  Adam: g ← g + wd·p
///   m ← lerp(m, g, 1 − β1);  v ← β2·v + (1 − β2)·g²
///   denom = √v / √(1 − β2ᵗ) + eps;  p ← p − (lr / (1 − β1ᵗ))·m / denom
public final class Adam: Optimizer {
    public struct Configuration: Sendable {
        public var learningRate = PythonNumber(1e-3)
        public var beta1 = PythonNumber(0.9)
        public var beta2 = PythonNumber(0.999)
        public var epsilon = PythonNumber(1e-8)
        public var weightDecay: PythonNumber
        public var amsgrad = false
        public var maximize = false
        public let decoupledWeightDecay: Bool

        /// PyTorch's defaults differ only in weight decay: 0 for Adam, 0.01 for AdamW.
        public init(decoupledWeightDecay: Bool) {
            self.decoupledWeightDecay = decoupledWeightDecay
            weightDecay = decoupledWeightDecay ? PythonNumber(1e-2) : PythonNumber(0, isInteger: true)
        }
    }

    private struct State {
        var step: Float = 0
        var average: [Float]
        var squaredAverage: [Float]
        var maximumSquaredAverage: [Float]
    }

    public let configuration: Configuration
    private var states: [State?]

    /// Validates like `Adam.__init__`, in its order and with its ValueError texts.
    public init(_ configuration: Configuration, parameterCount: Int) throws(TorchError) {
        let c = configuration
        if !(c.learningRate.value >= 0) { throw TorchError("Invalid learning rate: \(c.learningRate)") }
        if !(c.epsilon.value >= 0) { throw TorchError("Invalid epsilon value: \(c.epsilon)") }
        if !(c.beta1.value >= 0 && c.beta1.value < 1) {
            throw TorchError("Invalid beta parameter at index 0: \(c.beta1)")
        }
        if !(c.beta2.value >= 0 && c.beta2.value < 1) {
            throw TorchError("Invalid beta parameter at index 1: \(c.beta2)")
        }
        if !(c.weightDecay.value >= 0) { throw TorchError("Invalid weight_decay value: \(c.weightDecay)") }
        // Python ints are not floats: `betas=(0, 0.9)` is rejected by an isinstance check.
        if c.beta1.isInteger || c.beta2.isInteger {
            throw TorchError("betas must be either both floats or both Tensors")
        }
        self.configuration = configuration
        states = Array(repeating: nil, count: parameterCount)
    }

    public func step(_ parameters: [Parameter]) {
        let c = configuration
        let averageWeight = Float(1 - c.beta1.value)
        let beta2 = Float(c.beta2.value)
        let squaredWeight = Float(1 - c.beta2.value)
        let epsilon = Float(c.epsilon.value)
        let usesWeightDecay = c.weightDecay.value != 0
        let decoupled = c.decoupledWeightDecay
        let decay = Float(1 - c.learningRate.value * c.weightDecay.value)
        let weightDecay = Float(c.weightDecay.value)
        let maximize = c.maximize, amsgrad = c.amsgrad
        for (position, parameter) in parameters.enumerated() {
            guard let grad = parameter.grad else { continue }
            var state = states[position] ?? State(
                average: [Float](repeating: 0, count: grad.count),
                squaredAverage: [Float](repeating: 0, count: grad.count),
                maximumSquaredAverage: amsgrad ? [Float](repeating: 0, count: grad.count) : [])
            states[position] = nil  // keeps the state's arrays uniquely referenced while they are updated
            state.step += 1
            // Python computes the bias corrections in double from the float32 step count.
            let step = Double(state.step)
            let stepSize = c.learningRate.value / (1 - pow(c.beta1.value, step))
            let correction2Root = Float((1 - pow(c.beta2.value, step)).squareRoot())
            let negativeStepSize = Float(-stepSize)
            // Every element is independent, so the update is one fused pass in PyTorch's operation order.
            parameter.value.scalars.withUnsafeMutableBufferPointer { value in
                grad.scalars.withUnsafeBufferPointer { gradient in
                    state.average.withUnsafeMutableBufferPointer { average in
                        state.squaredAverage.withUnsafeMutableBufferPointer { squaredAverage in
                            state.maximumSquaredAverage.withUnsafeMutableBufferPointer { maximumSquaredAverage in
                                for index in 0..<value.count {
                                    var g = maximize ? -gradient[index] : gradient[index]
                                    if usesWeightDecay {
                                        if decoupled { value[index] *= decay } else { g += weightDecay * value[index] }
                                    }
                                    average[index] = lerp(average[index], g, averageWeight)
                                    squaredAverage[index] = squaredAverage[index] * beta2 + squaredWeight * g * g
                                    var second = squaredAverage[index]
                                    if amsgrad {
                                        maximumSquaredAverage[index] = max(maximumSquaredAverage[index], second)
                                        second = maximumSquaredAverage[index]
                                    }
                                    let denominator = second.squareRoot() / correction2Root + epsilon
                                    value[index] += negativeStepSize * average[index] / denominator
                                }
                            }
                        }
                    }
                }
            }
            states[position] = state
        }
    }

    /// ATen's `lerp`: start + w·(end − start) for |w| < 0.5, end − (end − start)·(1 − w) otherwise.
    @inline(__always)
    private func lerp(_ start: Float, _ end: Float, _ weight: Float) -> Float {
        abs(weight) < 0.5 ? start + weight * (end - start) : end - (end - start) * (1 - weight)
    }
}
