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
        for (position, parameter) in parameters.enumerated() {
            guard let grad = parameter.grad else { continue }
            var state = states[position] ?? State(
                average: [Float](repeating: 0, count: grad.count),
                squaredAverage: [Float](repeating: 0, count: grad.count),
                maximumSquaredAverage: c.amsgrad ? [Float](repeating: 0, count: grad.count) : [])
            state.step += 1
            var gradient = grad.scalars
            if c.maximize { for index in gradient.indices { gradient[index] = -gradient[index] } }
            if c.weightDecay.value != 0 {
                if c.decoupledWeightDecay {
                    let decay = Float(1 - c.learningRate.value * c.weightDecay.value)
                    for index in parameter.value.scalars.indices { parameter.value.scalars[index] *= decay }
                } else {
                    let weightDecay = Float(c.weightDecay.value)
                    for index in gradient.indices { gradient[index] += weightDecay * parameter.value.scalars[index] }
                }
            }
            // lerp with weight < 0.5 is computed as m + w·(g − m) in ATen.
            let averageWeight = Float(1 - c.beta1.value)
            let beta2 = Float(c.beta2.value)
            let squaredWeight = Float(1 - c.beta2.value)
            for index in gradient.indices {
                let g = gradient[index]
                state.average[index] = lerp(state.average[index], g, averageWeight)
                state.squaredAverage[index] = state.squaredAverage[index] * beta2 + squaredWeight * g * g
            }
            let step = Double(state.step)
            let biasCorrection1 = 1 - pow(c.beta1.value, step)
            let biasCorrection2 = 1 - pow(c.beta2.value, step)
            let stepSize = c.learningRate.value / biasCorrection1
            let correction2Root = Float(biasCorrection2.squareRoot())
            let epsilon = Float(c.epsilon.value)
            let negativeStepSize = Float(-stepSize)
            if c.amsgrad {
                for index in gradient.indices {
                    state.maximumSquaredAverage[index] = max(state.maximumSquaredAverage[index], state.squaredAverage[index])
                }
            }
            let second = c.amsgrad ? state.maximumSquaredAverage : state.squaredAverage
            parameter.value.scalars.withUnsafeMutableBufferPointer { value in
                for index in 0..<value.count {
                    let denominator = second[index].squareRoot() / correction2Root + epsilon
                    value[index] += negativeStepSize * state.average[index] / denominator
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
