/// `nn.Flatten(start_dim=1, end_dim=-1)`: merges a range of dimensions; backward restores the input shape.
public final class Flatten: Layer {
    public let startDimension: Int
    public let endDimension: Int
    public var isTraining = true
    private var savedInputShape: [Int]?

    public init(startDimension: Int = 1, endDimension: Int = -1) {
        self.startDimension = startDimension
        self.endDimension = endDimension
    }

    public func forward(_ input: Tensor, context: inout ForwardContext) throws(TorchError) -> Tensor {
        let outputShape = try Flatten.flattenedShape(input.shape, start: startDimension, end: endDimension)
        savedInputShape = context.recordsGradients ? input.shape : nil
        return input.reshaped(outputShape)
    }

    public func backward(_ gradOutput: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard let shape = savedInputShape else { preconditionFailure("Flatten.backward without a recorded forward") }
        savedInputShape = nil
        return needsInputGradient ? gradOutput.reshaped(shape) : nil
    }

    /// `torch.flatten`'s shape rule and its errors; a 0-D tensor wraps dimensions as if it were 1-D.
    static func flattenedShape(_ shape: [Int], start: Int, end: Int) throws(TorchError) -> [Int] {
        let wrapRank = max(shape.count, 1)
        let first = try wrapDimension(start, rank: wrapRank)
        let last = try wrapDimension(end, rank: wrapRank)
        guard first <= last else {
            throw TorchError("flatten() has invalid args: start_dim cannot come after end_dim")
        }
        if shape.isEmpty { return [1] }
        return Array(shape[..<first]) + [shape[first...last].reduce(1, *)] + Array(shape[(last + 1)...])
    }

    static func wrapDimension(_ dimension: Int, rank: Int) throws(TorchError) -> Int {
        guard dimension >= -rank && dimension < rank else {
            throw TorchError(
                "Dimension out of range (expected to be in range of [\(-rank), \(rank - 1)], but got \(dimension))")
        }
        return dimension < 0 ? dimension + rank : dimension
    }
}
