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
            numBatchesTracked = batches + 1
            averagingFactor = momentum ?? 1 / Double(batches + 1)
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
        input.scalars.withUnsafeBufferPointer { x in
            for channel in 0..<channels {
                if useBatchStatistics {
                    // batch_norm_cpu_collect_stats: double sum, float mean, double sum of float squares.
                    var sum: Double = 0
                    forEachOffset(channel: channel, channels: channels, batch: batch, spatial: spatial) {
                        sum += Double(x[$0])
                    }
                    let channelMean = Float(sum / Double(valuesPerChannel))
                    var squaredDeviations: Double = 0
                    forEachOffset(channel: channel, channels: channels, batch: batch, spatial: spatial) {
                        let deviation = x[$0] - channelMean
                        squaredDeviations += Double(deviation * deviation)
                    }
                    let varianceSum = Float(squaredDeviations)
                    mean[channel] = channelMean
                    inverseStd[channel] = Float(
                        1 / (Double(varianceSum / Float(valuesPerChannel)) + epsilon.value).squareRoot())
                    if isTraining, runningMean != nil {
                        let unbiasedVariance = Double(varianceSum / Float(valuesPerChannel - 1))
                        runningMean![channel] = Float(
                            averagingFactor * Double(channelMean) + (1 - averagingFactor) * Double(runningMean![channel]))
                        runningVar![channel] = Float(
                            averagingFactor * unbiasedVariance + (1 - averagingFactor) * Double(runningVar![channel]))
                    }
                } else {
                    mean[channel] = runningMean![channel]
                    inverseStd[channel] = 1 / (runningVar![channel] + Float(epsilon.value)).squareRoot()
                }
            }
        }

        // output = x·α + β with α = invstd·γ and β = b − mean·α, per channel (ATen's linear/constant terms).
        var output = [Float](repeating: 0, count: input.count)
        input.scalars.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                for channel in 0..<channels {
                    let alpha = inverseStd[channel] * (weight?.value.scalars[channel] ?? 1)
                    let beta = (bias?.value.scalars[channel] ?? 0) - mean[channel] * alpha
                    for sample in 0..<batch {
                        let start = (sample * channels + channel) * spatial
                        for offset in start..<(start + spatial) { y[offset] = x[offset] * alpha + beta }
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
        input.scalars.withUnsafeBufferPointer { x in
            gradOutput.scalars.withUnsafeBufferPointer { dy in
                for channel in 0..<channels {
                    let mean = saved.mean[channel], inverseStd = saved.inverseStd[channel]
                    let gamma = weight?.value.scalars[channel] ?? 1
                    var gradSum: Double = 0, dot: Double = 0
                    forEachOffset(channel: channel, channels: channels, batch: batch, spatial: spatial) {
                        gradSum += Double(dy[$0])
                        dot += Double((x[$0] - mean) * dy[$0])
                    }
                    if weight != nil { weightGrad[channel] = Float(dot) * inverseStd }
                    if bias != nil { biasGrad[channel] = Float(gradSum) }
                    guard needsInputGradient else { continue }
                    if saved.usedBatchStatistics {
                        // dx = (dy − mean(dy) − (x − μ)·k)·invstd·γ, k = dot·invstd²/n: the batch statistics
                        // depend on x, so the gradient is projected.
                        let k = Float(dot) * inverseStd * inverseStd / Float(count)
                        let gradMean = Float(gradSum) / Float(count)
                        forEachOffset(channel: channel, channels: channels, batch: batch, spatial: spatial) {
                            inputGrad[$0] = (dy[$0] - gradMean - (x[$0] - mean) * k) * inverseStd * gamma
                        }
                    } else {
                        forEachOffset(channel: channel, channels: channels, batch: batch, spatial: spatial) {
                            inputGrad[$0] = dy[$0] * inverseStd * gamma
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

    /// Visits the flat offsets of one channel of an (N, C, *) tensor in memory order.
    @inline(__always)
    private func forEachOffset(channel: Int, channels: Int, batch: Int, spatial: Int, _ body: (Int) -> Void) {
        for sample in 0..<batch {
            let start = (sample * channels + channel) * spatial
            for offset in start..<(start + spatial) { body(offset) }
        }
    }
}
