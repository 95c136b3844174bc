/// `nn.Dropout(p)`, following ATen's CPU `_dropout`: in train mode each element is kept with probability
/// 1 − p and scaled by 1/(1 − p) (the noise tensor is divided in float32 before the multiply); p = 0 and
/// eval mode are the identity; p = 1 multiplies by zero, so NaN and ±inf inputs become NaN as in PyTorch.
public final class Dropout: Layer {
    public let probability: Double
    public var isTraining = true
    /// The scaled keep-mask of the last recorded forward; `nil` means the forward was the identity.
    private var savedNoise: [Float]?
    private var recorded = false

    /// `_DropoutNd.__init__` rejects p outside [0, 1] with this ValueError text.
    public init(probability: PythonNumber) throws(TorchError) {
        guard probability.value >= 0 && probability.value <= 1 else {
            throw TorchError("dropout probability has to be between 0 and 1, but got \(probability)")
        }
        self.probability = probability.value
    }

    public func forward(_ input: Tensor, context: inout ForwardContext) throws(TorchError) -> Tensor {
        recorded = context.recordsGradients
        savedNoise = nil
        if !isTraining || probability == 0 || input.count == 0 { return input }
        if probability == 1 {
            if context.recordsGradients { savedNoise = [Float](repeating: 0, count: input.count) }
            return input.map { $0 * 0 }
        }
        let keepProbability = 1 - probability
        let scale = 1 / Float(keepProbability)
        // Keep when a 32-bit uniform draw is below ⌈(1 − p)·2³²⌉: exact to 2⁻³², two draws per 64-bit output.
        let threshold = UInt64((keepProbability * 0x1p32).rounded(.up))
        var noise = [Float](repeating: 0, count: input.count)
        var output = [Float](repeating: 0, count: input.count)
        input.scalars.withUnsafeBufferPointer { x in
            noise.withUnsafeMutableBufferPointer { noise in
                output.withUnsafeMutableBufferPointer { y in
                    // Selects, not branches: a keep decision is a coin flip the branch predictor cannot learn.
                    var index = 0
                    while index + 1 < x.count {
                        let bits = context.generator.next()
                        noise[index] = bits & 0xFFFF_FFFF < threshold ? scale : 0
                        noise[index + 1] = bits >> 32 < threshold ? scale : 0
                        index += 2
                    }
                    if index < x.count { noise[index] = context.generator.next() & 0xFFFF_FFFF < threshold ? scale : 0 }
                    // A multiply, not a select: a dropped inf or NaN becomes NaN, as x·0 does in PyTorch.
                    for index in 0..<x.count { y[index] = x[index] * noise[index] }
                }
            }
        }
        if context.recordsGradients { savedNoise = noise }
        return Tensor(shape: input.shape, scalars: output)
    }

    public func backward(_ gradOutput: Tensor, needsInputGradient: Bool) -> Tensor? {
        precondition(recorded, "Dropout.backward without a recorded forward")
        recorded = false
        guard needsInputGradient else { return nil }
        guard let noise = savedNoise else { return gradOutput }
        savedNoise = nil
        return gradOutput.zipMap(Tensor(shape: gradOutput.shape, scalars: noise)) { $0 * $1 }
    }
}
