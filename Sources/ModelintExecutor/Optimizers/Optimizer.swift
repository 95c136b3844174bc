/// A `torch.optim` optimizer over a fixed parameter list. State is kept per parameter position, which is how
/// PyTorch's single param group sees the model's `parameters()`.
public protocol Optimizer: AnyObject {
    /// One `optimizer.step()`: parameters whose `grad` is nil are skipped, as in PyTorch.
    func step(_ parameters: [Parameter])
}

extension Parameter {
    /// Runs `update(value, grad)` over raw buffers when the parameter has a gradient.
    @inline(__always)
    func withValueAndGradient(
        _ update: (UnsafeMutableBufferPointer<Float>, UnsafeBufferPointer<Float>) -> Void
    ) {
        guard let grad else { return }
        grad.scalars.withUnsafeBufferPointer { gradient in
            value.scalars.withUnsafeMutableBufferPointer { value in update(value, gradient) }
        }
    }
}
