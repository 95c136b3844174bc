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
            // One branch-free pass per PyTorch operation, so each loop vectorises.
            var direction = grad.scalars
            direction.withUnsafeMutableBufferPointer { d in
                parameter.value.scalars.withUnsafeBufferPointer { p in
                    if maximize { for i in 0..<d.count { d[i] = -d[i] } }
                    if usesWeightDecay { for i in 0..<d.count { d[i] += weightDecay * p[i] } }
                }
            }
            if usesMomentum {
                if var buffer = momentumBuffers[position] {
                    momentumBuffers[position] = nil  // keeps `buffer` uniquely referenced for the in-place update
                    buffer.withUnsafeMutableBufferPointer { b in
                        direction.withUnsafeBufferPointer { d in
                            for i in 0..<b.count { b[i] = b[i] * momentum + dampeningComplement * d[i] }
                        }
                    }
                    momentumBuffers[position] = buffer
                } else {
                    // The first step clones the gradient into the buffer: no dampening is applied to it.
                    momentumBuffers[position] = direction
                }
                let buffer = momentumBuffers[position]!
                if nesterov {
                    direction.withUnsafeMutableBufferPointer { d in
                        buffer.withUnsafeBufferPointer { b in for i in 0..<d.count { d[i] += momentum * b[i] } }
                    }
                } else {
                    direction = buffer
                }
            }
            let negativeRate = -learningRate
            parameter.value.scalars.withUnsafeMutableBufferPointer { p in
                direction.withUnsafeBufferPointer { d in for i in 0..<p.count { p[i] += negativeRate * d[i] } }
            }
        }
    }
}
