/// `nn.BatchNorm1d` / `nn.BatchNorm2d`, following `_BatchNorm.forward` in torch/nn/modules/batchnorm.py and the
/// contiguous CPU kernels in ATen (Normalization.cpp, batch_norm_kernel.cpp):
/// - train mode normalises with the biased batch variance and, when tracking, updates the running mean and the
///   running **unbiased** variance with `momentum`, or with 1/num_batches_tracked when momentum is None;
/// - eval mode normalises with the running statistics, unless `track_running_stats=False`, in which case the
///   batch statistics are used in both modes and no buffers exist;
/// - backward in eval mode treats the running statistics as constants.
public final class BatchNorm: Layer {
    public enum Variant: Sendable {
        case oneD, twoD
        public var typeName: String { self == .oneD ? "BatchNorm1d" : "BatchNorm2d" }
    }

    public let variant: Variant
    public let numFeatures: Int
    public let epsilon: PythonNumber
    /// `nil` is PyTorch's `momentum=None`: a cumulative moving average.
    public let momentum: Double?
    public let weight: Parameter?
    public let bias: Parameter?
    public private(set) var runningMean: [Float]?
    public private(set) var runningVar: [Float]?
    public private(set) var numBatchesTracked: Int64?
    public var isTraining = true
    private var saved: SavedForward?

    private struct SavedForward {
        let input: Tensor
        let mean: [Float]
        let inverseStd: [Float]
        let usedBatchStatistics: Bool
    }

    /// `runningStatistics` nil means `track_running_stats=False`.
    public init(
        variant: Variant, numFeatures: Int, epsilon: PythonNumber = PythonNumber(1e-5), momentum: Double? = 0.1,
        weight: Tensor?, bias: Tensor?, runningStatistics: (mean: [Float], variance: [Float], batches: Int64)?
    ) {
        precondition(weight == nil || weight!.shape == [numFeatures], "BatchNorm weight must have num_features")
        precondition(bias == nil || bias!.shape == [numFeatures], "BatchNorm bias must have num_features")
        self.variant = variant
        self.numFeatures = numFeatures
        self.epsilon = epsilon
        self.momentum = momentum
        self.weight = weight.map(Parameter.init)
        self.bias = bias.map(Parameter.init)
        if let runningStatistics {
            precondition(runningStatistics.mean.count == numFeatures && runningStatistics.variance.count == numFeatures)
            runningMean = runningStatistics.mean
            runningVar = runningStatistics.variance
            numBatchesTracked = runningStatistics.batches
        }
    }

    public var tracksRunningStatistics: Bool { runningMean != nil }

    public var parameters: [Parameter] { [weight, bias].compactMap { $0 } }

    public var stateEntries: [(name: String, value: StateValue)] {
        var entries: [(name: String, value: StateValue)] = []
        if let weight { entries.append(("weight", .tensor(weight.value))) }
        if let bias { entries.append(("bias", .tensor(bias.value))) }
        if let runningMean, let runningVar, let numBatchesTracked {
            entries.append(("running_mean", .tensor(Tensor(shape: [numFeatures], scalars: runningMean))))
            entries.append(("running_var", .tensor(Tensor(shape: [numFeatures], scalars: runningVar))))
            entries.append(("num_batches_tracked", .integer(numBatchesTracked)))
        }
        return entries
    }

    public func forward(_ input: Tensor, context: inout ForwardContext) throws(TorchError) -> Tensor {
        try checkInputDimensions(input)
        // The Python module counts the batch before F.batch_norm validates it, exactly in this order.
        var averagingFactor = momentum ?? 0
        if isTraining, let batches = numBatchesTracked {
            // An int64 buffer: wraps rather than traps, like the tensor it mirrors.
            numBatchesTracked = batches &+ 1
            averagingFactor = momentum ?? 1 / Double(batches &+ 1)
        }
        let useBatchStatistics = isTraining || !tracksRunningStatistics
        if useBatchStatistics {
            let valuesPerChannel = input.shape[0] * input.shape.dropFirst(2).reduce(1, *)
            if valuesPerChannel == 1 {
                throw TorchError(
                    "Expected more than 1 value per channel when training, got input size "
                        + "torch.Size(\(input.shapeDescription))")
            }
            if epsilon.value <= 0 {
                throw TorchError("batch_norm eps must be positive during training, but got \(epsilon)")
            }
        } else if epsilon.value < 0 {
            throw TorchError("batch_norm eps must be non-negative, but got \(epsilon)")
        }
        let channels = input.shape[1]
        if tracksRunningStatistics {
            try checkFeatureCount("running_mean", channels)
            try checkFeatureCount("running_var", channels)
        }
        if weight != nil { try checkFeatureCount("weight", channels) }
        if bias != nil { try checkFeatureCount("bias", channels) }

        let batch = input.shape[0]
        let spatial = input.shape.dropFirst(2).reduce(1, *)
        let valuesPerChannel = batch * spatial
        guard input.count > 0 else {
            // ATen returns input·weight[0] + bias[0] for an empty batch and leaves the buffers alone.
            saved = context.recordsGradients
                ? SavedForward(input: input, mean: [], inverseStd: [], usedBatchStatistics: useBatchStatistics) : nil
            return input
        }

        var mean = [Float](repeating: 0, count: channels)
        var inverseStd = [Float](repeating: 0, count: channels)
        let layout = ChannelLayout(batch: batch, channels: channels, spatial: spatial)
        input.scalars.withUnsafeBufferPointer { x in
            if useBatchStatistics {
                // batch_norm_cpu_collect_stats: a double sum, a float mean, then a double sum of float squares.
                // Visiting memory in order keeps each channel's summation order (sample, then position).
                var sums = [Double](repeating: 0, count: channels)
                sums.withUnsafeMutableBufferPointer { sums in
                    layout.forEach { channel, offset in sums[channel] += Double(x[offset]) }
                }
                for channel in 0..<channels { mean[channel] = Float(sums[channel] / Double(valuesPerChannel)) }
                var squaredDeviations = [Double](repeating: 0, count: channels)
                squaredDeviations.withUnsafeMutableBufferPointer { squaredDeviations in
                    mean.withUnsafeBufferPointer { mean in
                        layout.forEach { channel, offset in
                            let deviation = x[offset] - mean[channel]
                            squaredDeviations[channel] += Double(deviation * deviation)
                        }
                    }
                }
                for channel in 0..<channels {
                    let varianceSum = Float(squaredDeviations[channel])
                    inverseStd[channel] = Float(
                        1 / (Double(varianceSum / Float(valuesPerChannel)) + epsilon.value).squareRoot())
                    if isTraining, runningMean != nil {
                        let unbiasedVariance = Double(varianceSum / Float(valuesPerChannel - 1))
                        runningMean![channel] = Float(
                            averagingFactor * Double(mean[channel]) + (1 - averagingFactor) * Double(runningMean![channel]))
                        runningVar![channel] = Float(
                            averagingFactor * unbiasedVariance + (1 - averagingFactor) * Double(runningVar![channel]))
                    }
                }
            } else {
                for channel in 0..<channels {
                    mean[channel] = runningMean![channel]
                    inverseStd[channel] = 1 / (runningVar![channel] + Float(epsilon.value)).squareRoot()
                }
            }
        }

        // output = x·α + β with α = invstd·γ and β = b − mean·α, per channel (ATen's linear/constant terms).
        var alpha = [Float](repeating: 0, count: channels)
        var beta = [Float](repeating: 0, count: channels)
        for channel in 0..<channels {
            alpha[channel] = inverseStd[channel] * (weight?.value.scalars[channel] ?? 1)
            beta[channel] = (bias?.value.scalars[channel] ?? 0) - mean[channel] * alpha[channel]
        }
        var output = [Float](repeating: 0, count: input.count)
        input.scalars.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                alpha.withUnsafeBufferPointer { alpha in
                    beta.withUnsafeBufferPointer { beta in
                        layout.forEach { channel, offset in y[offset] = x[offset] * alpha[channel] + beta[channel] }
                    }
                }
            }
        }
        saved = context.recordsGradients
            ? SavedForward(input: input, mean: mean, inverseStd: inverseStd, usedBatchStatistics: useBatchStatistics)
            : nil
        return Tensor(shape: input.shape, scalars: output)
    }

    public func backward(_ gradOutput: Tensor, needsInputGradient: Bool) -> Tensor? {
        guard let saved else { preconditionFailure("BatchNorm.backward without a recorded forward") }
        self.saved = nil
        let input = saved.input
        let channels = input.shape[1]
        let batch = input.shape[0]
        let spatial = input.shape.dropFirst(2).reduce(1, *)
        let count = batch * spatial
        var weightGrad = [Float](repeating: 0, count: weight == nil ? 0 : numFeatures)
        var biasGrad = [Float](repeating: 0, count: bias == nil ? 0 : numFeatures)
        var inputGrad = [Float](repeating: 0, count: needsInputGradient ? input.count : 0)
        guard input.count > 0 else {
            weight?.accumulateGradient(Tensor(shape: [numFeatures], scalars: weightGrad))
            bias?.accumulateGradient(Tensor(shape: [numFeatures], scalars: biasGrad))
            return needsInputGradient ? Tensor(shape: input.shape, scalars: inputGrad) : nil
        }
        let layout = ChannelLayout(batch: batch, channels: channels, spatial: spatial)
        let mean = saved.mean, inverseStd = saved.inverseStd
        input.scalars.withUnsafeBufferPointer { x in
            gradOutput.scalars.withUnsafeBufferPointer { dy in
                var gradSums = [Double](repeating: 0, count: channels)
                var dots = [Double](repeating: 0, count: channels)
                gradSums.withUnsafeMutableBufferPointer { gradSums in
                    dots.withUnsafeMutableBufferPointer { dots in
                        mean.withUnsafeBufferPointer { mean in
                            layout.forEach { channel, offset in
                                gradSums[channel] += Double(dy[offset])
                                dots[channel] += Double((x[offset] - mean[channel]) * dy[offset])
                            }
                        }
                    }
                }
                for channel in 0..<channels {
                    if weight != nil { weightGrad[channel] = Float(dots[channel]) * inverseStd[channel] }
                    if bias != nil { biasGrad[channel] = Float(gradSums[channel]) }
                }
                guard needsInputGradient else { return }
                var scale = [Float](repeating: 0, count: channels)
                for channel in 0..<channels {
                    scale[channel] = inverseStd[channel] * (weight?.value.scalars[channel] ?? 1)
                }
                inputGrad.withUnsafeMutableBufferPointer { dx in
                    if saved.usedBatchStatistics {
                        // dx = (dy − mean(dy) − (x − μ)·k)·invstd·γ with k = dot·invstd²/n: the batch statistics
                        // depend on x, so the gradient is projected (ATen's batch_norm_backward, train branch).
                        var projection = [Float](repeating: 0, count: channels)
                        var gradMean = [Float](repeating: 0, count: channels)
                        for channel in 0..<channels {
                            projection[channel] = Float(dots[channel]) * inverseStd[channel] * inverseStd[channel] / Float(count)
                            gradMean[channel] = Float(gradSums[channel]) / Float(count)
                        }
                        mean.withUnsafeBufferPointer { mean in
                            projection.withUnsafeBufferPointer { projection in
                                gradMean.withUnsafeBufferPointer { gradMean in
                                    scale.withUnsafeBufferPointer { scale in
                                        layout.forEach { channel, offset in
                                            let centered = (x[offset] - mean[channel]) * projection[channel]
                                            dx[offset] = (dy[offset] - gradMean[channel] - centered) * scale[channel]
                                        }
                                    }
                                }
                            }
                        }
                    } else {
                        // Eval mode: the running statistics are constants, so dx = dy·invstd·γ.
                        scale.withUnsafeBufferPointer { scale in
                            layout.forEach { channel, offset in dx[offset] = dy[offset] * scale[channel] }
                        }
                    }
                }
            }
        }
        weight?.accumulateGradient(Tensor(shape: [numFeatures], scalars: weightGrad))
        bias?.accumulateGradient(Tensor(shape: [numFeatures], scalars: biasGrad))
        return needsInputGradient ? Tensor(shape: input.shape, scalars: inputGrad) : nil
    }

    /// `_check_input_dim` of BatchNorm1d / BatchNorm2d (a ValueError in PyTorch).
    private func checkInputDimensions(_ input: Tensor) throws(TorchError) {
        switch variant {
        case .oneD where input.rank != 2 && input.rank != 3:
            throw TorchError("expected 2D or 3D input (got \(input.rank)D input)")
        case .twoD where input.rank != 4:
            throw TorchError("expected 4D input (got \(input.rank)D input)")
        default:
            return
        }
    }

    /// `check_dims_match_num_input_features` in ATen.
    private func checkFeatureCount(_ name: String, _ channels: Int) throws(TorchError) {
        guard channels == numFeatures else {
            throw TorchError("\(name) should contain \(channels) elements not \(numFeatures)")
        }
    }

}

/// The (N, C, *) memory layout BatchNorm reduces over: every channel's values, visited in memory order.
private struct ChannelLayout {
    let batch: Int, channels: Int, spatial: Int

    @inline(__always)
    func forEach(_ body: (_ channel: Int, _ offset: Int) -> Void) {
        if spatial == 1 {
            // (N, C): a plain row-major walk the optimiser can vectorise.
            for sample in 0..<batch {
                // Wrapping arithmetic: offsets are in bounds by construction, and an overflow check per element
                // would keep the loop from vectorising.
                let start = sample &* channels
                for channel in 0..<channels { body(channel, start &+ channel) }
            }
            return
        }
        var offset = 0
        for _ in 0..<batch {
            for channel in 0..<channels {
                for _ in 0..<spatial {
                    body(channel, offset)
                    offset += 1
                }
            }
        }
    }
}
