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
        for (position, parameter) in parameters.enumerated() {
            guard let grad = parameter.grad else { continue }
            var direction = grad.scalars
            var buffer = usesMomentum ? momentumBuffers[position] : nil
            momentumBuffers[position] = nil  // uniquely referenced while it is updated in place
            let isFirstMomentumStep = usesMomentum && buffer == nil
            parameter.value.scalars.withUnsafeMutableBufferPointer { value in
                direction.withUnsafeMutableBufferPointer { direction in
                    for index in 0..<value.count {
                        var g = direction[index]
                        if configuration.maximize { g = -g }
                        if usesWeightDecay { g += weightDecay * value[index] }
                        direction[index] = g
                    }
                    guard usesMomentum else { return }
                    // The first step clones the gradient into the buffer: no dampening is applied to it.
                    if isFirstMomentumStep { buffer = Array(direction) }
                    buffer!.withUnsafeMutableBufferPointer { buffer in
                        for index in 0..<value.count {
                            if !isFirstMomentumStep {
                                buffer[index] = buffer[index] * momentum + dampeningComplement * direction[index]
                            }
                            direction[index] = configuration.nesterov
                                ? direction[index] + momentum * buffer[index] : buffer[index]
                        }
                    }
                }
                let negativeRate = -learningRate
                direction.withUnsafeBufferPointer { direction in
                    for index in 0..<value.count { value[index] += negativeRate * direction[index] }
                }
            }
            momentumBuffers[position] = buffer
        }
    }
}
