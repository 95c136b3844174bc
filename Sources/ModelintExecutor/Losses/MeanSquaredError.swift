/// `F.mse_loss(input, target)` with `reduction="mean"`. Like PyTorch it broadcasts input and target first
/// (warning-worthy but legal: an (N, 1) output against an (N,) target silently becomes an N×N comparison), so
/// the gradient is summed back over the broadcast dimensions of the input.
public enum MeanSquaredError {
    public static func loss(input: Tensor, target: Tensor) throws(TorchError) -> (loss: Float, inputGradient: Tensor) {
        if input.shape == target.shape { return sameShape(input: input, target: target) }
        let plan = try BroadcastPlan(input.shape, target.shape)
        let count = plan.shape.reduce(1, *)
        var sum: Double = 0
        var inputGrad = [Float](repeating: 0, count: input.count)
        let scale = 2 / Float(count)
        plan.forEach { _, inputOffset, targetOffset in
            let difference = input.scalars[inputOffset] - target.scalars[targetOffset]
            sum += Double(difference * difference)
            inputGrad[inputOffset] += scale * difference
        }
        return (Float(sum / Double(count)), Tensor(shape: input.shape, scalars: inputGrad))
    }

    private static func sameShape(input: Tensor, target: Tensor) -> (loss: Float, inputGradient: Tensor) {
        var sum: Double = 0
        let scale = 2 / Float(input.count)
        var inputGrad = [Float](repeating: 0, count: input.count)
        input.scalars.withUnsafeBufferPointer { x in
            target.scalars.withUnsafeBufferPointer { t in
                inputGrad.withUnsafeMutableBufferPointer { dx in
                    for index in 0..<x.count {
                        let difference = x[index] - t[index]
                        sum += Double(difference * difference)
                        dx[index] = scale * difference
                    }
                }
            }
        }
        return (Float(sum / Double(input.count)), Tensor(shape: input.shape, scalars: inputGrad))
    }
}

/// NumPy/PyTorch broadcasting of two shapes, with `torch.broadcast_tensors`' error text.
struct BroadcastPlan {
    let shape: [Int]
    private let leftStrides: [Int]
    private let rightStrides: [Int]

    init(_ left: [Int], _ right: [Int]) throws(TorchError) {
        let rank = max(left.count, right.count)
        let paddedLeft = [Int](repeating: 1, count: rank - left.count) + left
        let paddedRight = [Int](repeating: 1, count: rank - right.count) + right
        var shape = [Int](repeating: 1, count: rank)
        for dimension in 0..<rank {
            let a = paddedLeft[dimension], b = paddedRight[dimension]
            guard a == b || a == 1 || b == 1 else {
                throw TorchError(
                    "The size of tensor a (\(a)) must match the size of tensor b (\(b)) at non-singleton dimension \(dimension)")
            }
            shape[dimension] = a == 1 ? b : a
        }
        self.shape = shape
        leftStrides = BroadcastPlan.strides(paddedLeft)
        rightStrides = BroadcastPlan.strides(paddedRight)
    }

    /// Row-major strides with 0 for size-1 (broadcast) dimensions.
    private static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: shape.count)
        var stride = 1
        for dimension in shape.indices.reversed() {
            strides[dimension] = shape[dimension] == 1 ? 0 : stride
            stride *= shape[dimension]
        }
        return strides
    }

    /// Visits every element of the broadcast result in row-major order with the offsets of both operands.
    func forEach(_ body: (_ outputOffset: Int, _ leftOffset: Int, _ rightOffset: Int) -> Void) {
        let count = shape.reduce(1, *)
        guard count > 0 else { return }
        var index = [Int](repeating: 0, count: shape.count)
        var leftOffset = 0, rightOffset = 0
        for outputOffset in 0..<count {
            body(outputOffset, leftOffset, rightOffset)
            var dimension = shape.count - 1
            while dimension >= 0 {
                index[dimension] += 1
                leftOffset += leftStrides[dimension]
                rightOffset += rightStrides[dimension]
                if index[dimension] < shape[dimension] { break }
                leftOffset -= leftStrides[dimension] * shape[dimension]
                rightOffset -= rightStrides[dimension] * shape[dimension]
                index[dimension] = 0
                dimension -= 1
            }
        }
    }
}
