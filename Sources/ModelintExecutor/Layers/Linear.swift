/// `nn.Linear`: y = x Wᵀ + b over the last dimension of an input of any rank ≥ 1.
public final class Linear: Layer {
    public let inFeatures: Int
    public let outFeatures: Int
    public let weight: Parameter
    public let bias: Parameter?
    public var isTraining = true
    private var savedInput: Tensor?

    /// `weight` has shape [out, in]; `bias` [out] or nil for `bias=False`.
    public init(weight: Tensor, bias: Tensor?) {
        precondition(weight.rank == 2, "Linear weight must be 2-D")
        outFeatures = weight.shape[0]
        inFeatures = weight.shape[1]
        precondition(bias == nil || bias!.shape == [outFeatures], "Linear bias must have shape [out_features]")
        self.weight = Parameter(weight)
        self.bias = bias.map(Parameter.init)
    }

    /// PyTorch's `reset_parameters`: kaiming_uniform(a=√5) reduces to U(−1/√in, 1/√in) for the weight, and the
    /// bias uses the same bound; weight is drawn before bias.
    public static func initialized(
        inFeatures: Int, outFeatures: Int, hasBias: Bool, generator: inout SeededGenerator
    ) -> Linear {
        let bound = inFeatures > 0 ? 1 / Double(inFeatures).squareRoot() : 0
        let weight = (0..<(outFeatures * inFeatures)).map { _ in generator.nextUniform(from: -bound, to: bound) }
        let bias = hasBias ? (0..<outFeatures).map { _ in generator.nextUniform(from: -bound, to: bound) } : nil
        return Linear(
            weight: Tensor(shape: [outFeatures, inFeatures], scalars: weight),
            bias: bias.map { Tensor(shape: [outFeatures], scalars: $0) })
    }

    public var parameters: [Parameter] { bias.map { [weight, $0] } ?? [weight] }

    public var stateEntries: [(name: String, value: StateValue)] {
        var entries: [(name: String, value: StateValue)] = [("weight", .tensor(weight.value))]
        if let bias { entries.append(("bias", .tensor(bias.value))) }
        return entries
    }

    public func forward(_ input: Tensor, context: inout ForwardContext) throws(TorchError) -> Tensor {
        guard input.rank >= 1 else {
            throw TorchError("both arguments to linear need to be at least 1D, but they are 0D and 2D")
        }
        let rows = input.shape.dropLast().reduce(1, *)
        guard input.shape.last! == inFeatures else {
            // F.linear lowers to addmm with a bias and to mm without; the message names the op.
            throw TorchError(
                "\(bias == nil ? "mm" : "addmm"): mat1 and mat2 shapes cannot be multiplied "
                    + "(\(rows)x\(input.shape.last!) and \(inFeatures)x\(outFeatures))")
        }
        // Start from the bias rows and accumulate x·Wᵀ onto them, as addmm does.
        var output: [Float] = []
        if let bias {
            output.reserveCapacity(rows * outFeatures)
            for _ in 0..<rows { output.append(contentsOf: bias.value.scalars) }
        }
        func multiply(_ out: UnsafeMutableBufferPointer<Float>) {
            input.scalars.withUnsafeBufferPointer { x in
                weight.value.scalars.withUnsafeBufferPointer { w in
                    MatrixMultiply.multiply(
                        m: rows, n: outFeatures, k: inFeatures, a: x, .normal, b: w, .transposed, c: out,
                        accumulate: bias != nil)
                }
            }
        }
        if bias != nil {
            output.withUnsafeMutableBufferPointer { multiply($0) }
        } else {
            output = .filled(count: rows * outFeatures, multiply)
        }
        savedInput = context.recordsGradients ? input : nil
        return Tensor(shape: input.shape.dropLast() + [outFeatures], scalars: output)
    }

    public func backward(_ gradOutput: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard let input = savedInput else { preconditionFailure("Linear.backward without a recorded forward") }
        let rowCount = input.shape.dropLast().reduce(1, *)

        // dW = dYᵀ · X
        let weightGrad = [Float].filled(count: outFeatures * inFeatures) { dW in
            gradOutput.scalars.withUnsafeBufferPointer { dY in
                input.scalars.withUnsafeBufferPointer { x in
                    MatrixMultiply.multiply(
                        m: outFeatures, n: inFeatures, k: rowCount, a: dY, .transposed, b: x, .normal, c: dW,
                        accumulate: false)
                }
            }
        }
        weight.accumulateGradient(Tensor(shape: [outFeatures, inFeatures], scalars: weightGrad))

        if let bias {
            // Column sums of dY in double (PyTorch's cascade sum is likewise more accurate than a float loop).
            var sums = [Double](repeating: 0, count: outFeatures)
            gradOutput.scalars.withUnsafeBufferPointer { dY in
                sums.withUnsafeMutableBufferPointer { sums in
                    for row in 0..<rowCount {
                        for column in 0..<outFeatures { sums[column] += Double(dY[row * outFeatures + column]) }
                    }
                }
            }
            bias.accumulateGradient(Tensor(shape: [outFeatures], scalars: sums.map { Float($0) }))
        }
        savedInput = nil

        guard needsInputGradient else { return nil }
        // dX = dY · W
        let inputGrad = [Float].filled(count: rowCount * inFeatures) { dX in
            gradOutput.scalars.withUnsafeBufferPointer { dY in
                weight.value.scalars.withUnsafeBufferPointer { w in
                    MatrixMultiply.multiply(
                        m: rowCount, n: inFeatures, k: outFeatures, a: dY, .normal, b: w, .normal, c: dX,
                        accumulate: false)
                }
            }
        }
        return Tensor(shape: input.shape, scalars: inputGrad)
    }
}
