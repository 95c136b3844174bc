/// A decoded `modelint-scenario/1` document: a model as an `nn.Sequential`, a loss, an optimizer and a schedule
/// of mode switches, inference forwards and training steps. See docs/architecture.md (Executor) for the format.
public struct Scenario: Sendable {
    public static let formatIdentifier = "modelint-scenario/1"

    public var seed: UInt64
    public var layers: [LayerSpec]
    public var loss: LossKind?
    public var optimizer: OptimizerSpec?
    public var steps: [Step]

    public init(seed: UInt64, layers: [LayerSpec], loss: LossKind?, optimizer: OptimizerSpec?, steps: [Step]) {
        self.seed = seed
        self.layers = layers
        self.loss = loss
        self.optimizer = optimizer
        self.steps = steps
    }
}

/// One entry of `model`; omitted tensors are initialised from the seed when the model is built.
public enum LayerSpec: Sendable {
    case linear(LinearSpec)
    case batchNorm(BatchNormSpec)
    case dropout(probability: PythonNumber)
    case relu
    case tanh
    case flatten(startDimension: Int, endDimension: Int)
    case layerNorm(LayerNormSpec)
}

/// Whether a layer has a bias, and its values if given.
public enum BiasSpec: Sendable {
    case absent
    case initialized
    case values(Tensor)
}

public struct LinearSpec: Sendable {
    public var inFeatures: Int
    public var outFeatures: Int
    public var weight: Tensor?
    public var bias: BiasSpec
}

public struct BatchNormSpec: Sendable {
    public var variant: BatchNorm.Variant
    public var numFeatures: Int
    public var epsilon = PythonNumber(1e-5)
    public var momentum: Double? = 0.1
    public var affine = true
    public var trackRunningStats = true
    public var weight: Tensor?
    public var bias: BiasSpec = .initialized
    /// Starting buffers, e.g. a model loaded from a checkpoint; PyTorch's defaults are 0, 1 and 0.
    public var runningMean: Tensor?
    public var runningVar: Tensor?
    public var numBatchesTracked: Int64?
}

public struct LayerNormSpec: Sendable {
    public var normalizedShape: [Int]
    public var epsilon: Double = 1e-5
    public var elementwiseAffine = true
    public var weight: Tensor?
    public var bias: BiasSpec = .initialized
}

public enum LossKind: String, Sendable {
    case meanSquaredError = "mse"
    case crossEntropy = "cross_entropy"
}

public enum OptimizerSpec: Sendable {
    case sgd(SGD.Configuration)
    case adam(Adam.Configuration)
}

/// A nested numeric array as written in the scenario, before the loss decides how to read a target.
public struct NumericArray: Sendable {
    public var shape: [Int]
    public var values: [Double]
    /// Every element was an integer literal that fits Int64 (class indices).
    public var integers: [Int64]?

    public var floatTensor: Tensor { Tensor(shape: shape, scalars: values.map { Float($0) }) }
}

public enum Step: Sendable {
    case train
    case eval
    /// Runs under `torch.no_grad()` in the current mode and records the output under `name`.
    case forward(name: String, input: Tensor)
    /// zero_grad → forward → loss → backward → optimizer.step, in the current mode.
    case trainStep(input: Tensor, target: NumericArray)
}
