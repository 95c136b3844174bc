/// `nn.Sequential`: runs layers in order, back-propagates in reverse, and names state as `"<index>.<name>"`.
public final class Sequential {
    public let layers: [any Layer]
    /// Flattened once: the optimizer's parameter order is `model.parameters()`.
    public let parameters: [Parameter]
    /// Layers before this index have no parameters, so no gradient needs to reach them.
    private let firstTrainableIndex: Int

    public init(_ layers: [any Layer]) {
        self.layers = layers
        parameters = layers.flatMap(\.parameters)
        firstTrainableIndex = layers.firstIndex { !$0.parameters.isEmpty } ?? layers.count
    }

    /// `model.train()` / `model.eval()`.
    public func setTraining(_ training: Bool) {
        for layer in layers { layer.isTraining = training }
    }

    public func forward(_ input: Tensor, context: inout ForwardContext) throws(TorchError) -> Tensor {
        var activation = input
        for layer in layers { activation = try layer.forward(activation, context: &context) }
        return activation
    }

    /// Back-propagates the loss gradient through the most recent recorded forward, filling `grad`s.
    public func backward(_ lossGradient: Tensor) {
        var gradient = lossGradient
        // The input batch does not require grad, so autograd stops at the first layer with parameters.
        for index in stride(from: layers.count - 1, through: firstTrainableIndex, by: -1) {
            guard let next = layers[index].backward(gradient, needsInputGradient: index > firstTrainableIndex)
            else { break }
            gradient = next
        }
    }

    /// `optimizer.zero_grad()` with PyTorch's default `set_to_none=True`.
    public func zeroGradients() {
        for parameter in parameters { parameter.grad = nil }
    }

    /// `model.state_dict()` in its order.
    public var stateDict: [(name: String, value: StateValue)] {
        layers.enumerated().flatMap { index, layer in
            layer.stateEntries.map { (name: "\(index).\($0.name)", value: $0.value) }
        }
    }
}
