import Foundation

/// `nn.Tanh`. Backward uses the saved output, dx = dy · (1 − y²), as `tanh_backward` does.
public final class Tanh: Layer {
    public var isTraining = true
    private var savedOutput: Tensor?

    public init() {}

    public func forward(_ input: Tensor, context: inout ForwardContext) throws(TorchError) -> Tensor {
        let output = input.map { Foundation.tanh($0) }
        savedOutput = context.recordsGradients ? output : nil
        return output
    }

    public func backward(_ gradOutput: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard let output = savedOutput else { preconditionFailure("Tanh.backward without a recorded forward") }
        savedOutput = nil
        guard needsInputGradient else { return nil }
        return gradOutput.zipMap(output) { gradient, result in gradient * (1 - result * result) }
    }
}
