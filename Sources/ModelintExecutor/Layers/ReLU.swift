/// `nn.ReLU`. NaN propagates (PyTorch's clamp_min does not swallow it); backward masks on the output > 0,
/// which is what `threshold_backward` does.
public final class ReLU: Layer {
    public var isTraining = true
    private var savedOutput: Tensor?

    public init() {}

    public func forward(_ input: Tensor, context: inout ForwardContext) throws(TorchError) -> Tensor {
        let output = input.map { $0.isNaN || $0 > 0 ? $0 : 0 }
        savedOutput = context.recordsGradients ? output : nil
        return output
    }

    public func backward(_ gradOutput: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard let output = savedOutput else { preconditionFailure("ReLU.backward without a recorded forward") }
        savedOutput = nil
        guard needsInputGradient else { return nil }
        return gradOutput.zipMap(output) { gradient, result in result > 0 ? gradient : 0 }
    }
}
