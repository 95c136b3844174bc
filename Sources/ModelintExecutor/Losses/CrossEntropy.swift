import Foundation

/// Class indices for `F.cross_entropy`, as PyTorch's int64 target tensor.
public struct ClassTargets: Equatable, Sendable {
    public let shape: [Int]
    public let indices: [Int64]

    public init(shape: [Int], indices: [Int64]) {
        precondition(shape.reduce(1, *) == indices.count, "class target shape does not match its indices")
        self.shape = shape
        self.indices = indices
    }
}

/// `F.cross_entropy(input, target)` with class indices, `reduction="mean"` and the default
/// `ignore_index=-100`: log_softmax over the class dimension (dim 1, or 0 for a 1-D input) followed by the mean
/// negative log-likelihood over the targets that are not ignored. Shape errors follow `cross_entropy_loss` and
/// `nll_loss_nd` in ATen's LossNLL.cpp, in their order.
public enum CrossEntropy {
    public static let ignoreIndex: Int64 = -100

    public static func loss(input: Tensor, target: ClassTargets) throws(TorchError) -> (loss: Float, inputGradient: Tensor) {
        let layout = try validate(input: input, target: target)
        let (classes, outer, inner) = layout
        var sum: Double = 0
        var counted = 0
        var gradient = [Float](repeating: 0, count: input.count)
        var probabilities = [Double](repeating: 0, count: classes)
        for sample in 0..<outer {
            for position in 0..<inner {
                let targetIndex = target.indices[sample * inner + position]
                if targetIndex == ignoreIndex { continue }
                guard targetIndex >= 0 && targetIndex < Int64(classes) else {
                    throw TorchError("Target \(targetIndex) is out of bounds.")
                }
                let base = sample * classes * inner + position
                var maximum = -Float.infinity
                for c in 0..<classes { maximum = max(maximum, input.scalars[base + c * inner]) }
                var exponentialSum: Double = 0
                for c in 0..<classes {
                    probabilities[c] = exp(Double(input.scalars[base + c * inner] - maximum))
                    exponentialSum += probabilities[c]
                }
                let logNormalizer = Double(maximum) + log(exponentialSum)
                sum -= Double(input.scalars[base + Int(targetIndex) * inner]) - logNormalizer
                counted += 1
                for c in 0..<classes {
                    gradient[base + c * inner] = Float(probabilities[c] / exponentialSum) - (c == Int(targetIndex) ? 1 : 0)
                }
            }
        }
        // The mean divides by the number of non-ignored targets; none at all gives 0/0 = NaN, as in PyTorch.
        let loss = Float(sum / Double(counted))
        let scale = 1 / Float(counted)
        if counted > 0 { for index in gradient.indices { gradient[index] *= scale } }
        return (loss, Tensor(shape: input.shape, scalars: gradient))
    }

    /// Returns (classes, outer, inner): element (n, c, s) of the input is at (n·classes + c)·inner + s.
    private static func validate(input: Tensor, target: ClassTargets) throws(TorchError) -> (Int, Int, Int) {
        if input.shape == target.shape {
            throw TorchError("Expected floating point type for target with class probabilities, got Long")
        }
        switch input.rank {
        case 0:
            // log_softmax(input, dim=1) on a 0-D tensor.
            throw TorchError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
        case 1:
            if target.shape.count >= 2 {
                throw TorchError("0D or 1D target tensor expected, multi-target not supported")
            }
            if target.shape.count == 1 && target.shape[0] != 1 {
                throw TorchError("For 1D input, 1D target must have size 1, but got target size: \(target.shape[0])")
            }
            return (input.shape[0], 1, 1)
        default:
            let batch = input.shape[0]
            let targetBatch = target.shape.first ?? 0
            guard batch == targetBatch else {
                throw TorchError("Expected input batch_size (\(batch)) to match target batch_size (\(targetBatch)).")
            }
            let spatial = Array(input.shape.dropFirst(2))
            if input.rank == 2 {
                if target.shape.count >= 2 {
                    throw TorchError("0D or 1D target tensor expected, multi-target not supported")
                }
            } else if input.rank == 4 {
                if target.shape.count != 3 {
                    throw TorchError(
                        "only batches of spatial targets supported (3D tensors) but got targets of dimension: \(target.shape.count)")
                }
                if Array(target.shape.dropFirst()) != spatial {
                    throw TorchError(
                        "size mismatch (got input: \(input.shapeDescription) , target: \(Tensor.describe(target.shape))")
                }
            } else if Array(target.shape.dropFirst()) != spatial {
                throw TorchError(
                    "Expected target size \(Tensor.describe([batch] + spatial)), got \(Tensor.describe(target.shape))")
            }
            return (input.shape[1], batch, spatial.reduce(1, *))
        }
    }
}
