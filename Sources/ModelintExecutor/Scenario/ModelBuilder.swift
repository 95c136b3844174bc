/// Builds the `nn.Sequential` a scenario describes, in PyTorch's construction order: every layer is
/// initialised as its constructor would (drawing from the seeded stream even when values are given, so the
/// dropout stream does not depend on which weights a scenario spells out), then given values replace the
/// initial ones, as `load_state_dict` would.
enum ModelBuilder {
    static func build(_ specs: [LayerSpec], generator: inout SeededGenerator) throws(TorchError) -> Sequential {
        var layers: [any Layer] = []
        for spec in specs {
            layers.append(try build(spec, generator: &generator))
        }
        return Sequential(layers)
    }

    private static func build(_ spec: LayerSpec, generator: inout SeededGenerator) throws(TorchError) -> any Layer {
        switch spec {
        case .linear(let linear):
            try checkNonNegative([linear.outFeatures, linear.inFeatures])
            let hasBias: Bool
            if case .absent = linear.bias { hasBias = false } else { hasBias = true }
            let initial = Linear.initialized(
                inFeatures: linear.inFeatures, outFeatures: linear.outFeatures, hasBias: hasBias, generator: &generator)
            var bias = initial.bias?.value
            if case .values(let values) = linear.bias { bias = values }
            return Linear(weight: linear.weight ?? initial.weight.value, bias: bias)
        case .batchNorm(let batchNorm):
            try checkNonNegative([batchNorm.numFeatures])
            let count = batchNorm.numFeatures
            let weight = batchNorm.affine ? (batchNorm.weight ?? Tensor(shape: [count], repeating: 1)) : nil
            let bias = batchNorm.affine ? biasTensor(batchNorm.bias, shape: [count]) : nil
            var running: (mean: [Float], variance: [Float], batches: Int64)?
            if batchNorm.trackRunningStats {
                running = (
                    batchNorm.runningMean?.scalars ?? [Float](repeating: 0, count: count),
                    batchNorm.runningVar?.scalars ?? [Float](repeating: 1, count: count),
                    batchNorm.numBatchesTracked ?? 0
                )
            }
            return BatchNorm(
                variant: batchNorm.variant, numFeatures: count, epsilon: batchNorm.epsilon, momentum: batchNorm.momentum,
                weight: weight, bias: bias, runningStatistics: running)
        case .layerNorm(let layerNorm):
            try checkNonNegative(layerNorm.normalizedShape)
            let shape = layerNorm.normalizedShape
            let weight = layerNorm.elementwiseAffine ? (layerNorm.weight ?? Tensor(shape: shape, repeating: 1)) : nil
            let bias = layerNorm.elementwiseAffine ? biasTensor(layerNorm.bias, shape: shape) : nil
            return LayerNorm(normalizedShape: shape, epsilon: layerNorm.epsilon, weight: weight, bias: bias)
        case .dropout(let probability):
            return try Dropout(probability: probability)
        case .relu:
            return ReLU()
        case .tanh:
            return Tanh()
        case .flatten(let start, let end):
            return Flatten(startDimension: start, endDimension: end)
        }
    }

    /// Normalisation layers start with bias 0.
    private static func biasTensor(_ spec: BiasSpec, shape: [Int]) -> Tensor? {
        switch spec {
        case .absent: nil
        case .initialized: Tensor(shape: shape, repeating: 0)
        case .values(let values): values
        }
    }

    /// `torch.empty` with a negative size, as a layer constructor would call it.
    private static func checkNonNegative(_ sizes: [Int]) throws(TorchError) {
        if let negative = sizes.first(where: { $0 < 0 }) {
            throw TorchError("Trying to create tensor with negative dimension \(negative): \(Tensor.describe(sizes))")
        }
    }
}
