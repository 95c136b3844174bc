/// A trainable tensor and its gradient, shared by reference between its layer and the optimizer.
public final class Parameter {
    public var value: Tensor
    /// `nil` after `zero_grad()` (PyTorch's `set_to_none=True` default) until a backward pass writes it.
    public var grad: Tensor?

    public init(_ value: Tensor) { self.value = value }

    /// PyTorch accumulates into `.grad`; a fresh gradient after `zero_grad` is simply stored.
    func accumulateGradient(_ gradient: Tensor) {
        guard var existing = grad else {
            grad = gradient
            return
        }
        for index in existing.scalars.indices { existing.scalars[index] += gradient.scalars[index] }
        grad = existing
    }
}

/// One `state_dict` value: a float tensor, or an integer scalar such as `num_batches_tracked`.
public enum StateValue: Equatable, Sendable {
    case tensor(Tensor)
    case integer(Int64)
}

/// Per-call state a forward pass needs beyond its input.
public struct ForwardContext {
    /// `false` inside `torch.no_grad()`: layers keep nothing for backward.
    public var recordsGradients: Bool
    /// The scenario's single random stream (Dropout masks), continuing from weight initialisation.
    public var generator: SeededGenerator

    public init(recordsGradients: Bool, generator: SeededGenerator) {
        self.recordsGradients = recordsGradients
        self.generator = generator
    }
}

/// A module of an `nn.Sequential`: forward, backward of the most recent recorded forward, parameters and
/// buffers in PyTorch's `state_dict` order.
public protocol Layer: AnyObject {
    /// `module.training`; flipped by `train()` / `eval()`.
    var isTraining: Bool { get set }
    func forward(_ input: Tensor, context: inout ForwardContext) throws(TorchError) -> Tensor
    /// Accumulates parameter gradients and returns the input gradient when `needsInputGradient`
    /// (the first layer's input does not require grad, so PyTorch never computes it).
    func backward(_ gradOutput: Tensor, needsInputGradient: Bool) -> Tensor?
    /// Parameters in registration order, which is also the optimizer's order.
    var parameters: [Parameter] { get }
    /// Parameters then buffers, named as in the module's own `state_dict`.
    var stateEntries: [(name: String, value: StateValue)] { get }
}

extension Layer {
    public var parameters: [Parameter] { [] }
    public var stateEntries: [(name: String, value: StateValue)] { [] }
}
