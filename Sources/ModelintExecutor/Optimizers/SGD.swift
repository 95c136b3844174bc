/// `torch.optim.SGD` (torch/optim/sgd.py, `_single_tensor_sgd`, the CPU default), in float32 arithmetic with
/// the Python scalars rounded to float32 as the ATen kernels do:
///   g ← g + wd·p;  buf ← g on the first step, else momentum·buf + (1 − dampening)·g;
///   g ← g + momentum·buf (nesterov) or buf;  p ← p − lr·g.
public final class SGD: Optimizer {
    public struct Configuration: Sendable {
        public var learningRate = PythonNumber(1e-3)
        public var momentum = PythonNumber(0, isInteger: true)
        public var dampening = PythonNumber(0, isInteger: true)
        public var weightDecay = PythonNumber(0, isInteger: true)
        public var nesterov = false
        public var maximize = false
        public init() {}
    }

    public let configuration: Configuration
    private var momentumBuffers: [[Float]?]

    /// Validates like `SGD.__init__`, with its ValueError texts.
    public init(_ configuration: Configuration, parameterCount: Int) throws(TorchError) {
        if configuration.learningRate.value < 0 {
            throw TorchError("Invalid learning rate: \(configuration.learningRate)")
        }
        if configuration.momentum.value < 0 { throw TorchError("Invalid momentum value: \(configuration.momentum)") }
        if configuration.weightDecay.value < 0 {
            throw TorchError("Invalid weight_decay value: \(configuration.weightDecay)")
        }
        if configuration.nesterov && (configuration.momentum.value <= 0 || configuration.dampening.value != 0) {
            throw TorchError("Nesterov momentum requires a momentum and zero dampening")
        }
        self.configuration = configuration
        momentumBuffers = Array(repeating: nil, count: parameterCount)
    }

    public func step(_ parameters: [Parameter]) {
        let learningRate = Float(configuration.learningRate.value)
        let momentum = Float(configuration.momentum.value)
        let dampeningComplement = Float(1 - configuration.dampening.value)
        let weightDecay = Float(configuration.weightDecay.value)
        let usesMomentum = configuration.momentum.value != 0
        let usesWeightDecay = configuration.weightDecay.value != 0
        let maximize = configuration.maximize, nesterov = configuration.nesterov
        for (position, parameter) in parameters.enumerated() {
            guard let grad = parameter.grad else { continue }
            let isFirstStep = momentumBuffers[position] == nil
            var buffer = usesMomentum ? (momentumBuffers[position] ?? [Float](repeating: 0, count: grad.count)) : []
            momentumBuffers[position] = nil  // keeps `buffer` uniquely referenced while it is updated in place
            // Every element is independent, so the whole update is one fused pass in PyTorch's operation order.
            parameter.value.scalars.withUnsafeMutableBufferPointer { value in
                grad.scalars.withUnsafeBufferPointer { gradient in
                    buffer.withUnsafeMutableBufferPointer { buffer in
                        for index in 0..<value.count {
                            var direction = maximize ? -gradient[index] : gradient[index]
                            if usesWeightDecay { direction += weightDecay * value[index] }
                            if usesMomentum {
                                // The first step clones the gradient into the buffer: no dampening is applied.
                                buffer[index] = isFirstStep
                                    ? direction : buffer[index] * momentum + dampeningComplement * direction
                                direction = nesterov ? direction + momentum * buffer[index] : buffer[index]
                            }
                            value[index] += -learningRate * direction
                        }
                    }
                }
            }
            if usesMomentum { momentumBuffers[position] = buffer }
        }
    }
}
