/// Reads a `modelint-scenario/1` document. Every structural problem becomes a `ScenarioError` naming the key;
/// problems PyTorch itself reports (a dropout probability of 1.5, a negative learning rate) are left for the
/// runner so they surface with PyTorch's own message.
public enum ScenarioDecoder {
    public static func decode(_ bytes: [UInt8]) throws(ScenarioError) -> Scenario {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw ScenarioError(path: "", message: error.description)
        }
        return try decode(document)
    }

    public static func decode(_ document: JSONValue) throws(ScenarioError) -> Scenario {
        let root = try JSONFieldReader(document, path: "")
        try root.rejectUnknownKeys(allowed: ["format", "seed", "model", "loss", "optimizer", "steps"])
        let format = try root.requiredString("format")
        guard format == Scenario.formatIdentifier else {
            throw ScenarioError(path: "format", message: "expected \"\(Scenario.formatIdentifier)\", got \"\(format)\"")
        }
        let seed = try decodeSeed(root.value("seed"))

        guard case .array(let modelEntries) = try root.required("model") else {
            throw ScenarioError(path: "model", message: "expected an array of layers, got \(root.value("model")!.kindDescription)")
        }
        var layers: [LayerSpec] = []
        for (index, entry) in modelEntries.enumerated() {
            layers.append(try decodeLayer(entry, path: "model[\(index)]"))
        }

        var steps: [Step] = []
        if let stepsValue = root.value("steps") {
            guard case .array(let entries) = stepsValue else {
                throw ScenarioError(path: "steps", message: "expected an array of steps, got \(stepsValue.kindDescription)")
            }
            for (index, entry) in entries.enumerated() {
                steps.append(try decodeStep(entry, path: "steps[\(index)]"))
            }
        }
        let trains = steps.contains { if case .trainStep = $0 { true } else { false } }

        var loss: LossKind?
        if let name = try root.string("loss") {
            guard let kind = LossKind(rawValue: name) else {
                throw ScenarioError(path: "loss", message: "expected \"mse\" or \"cross_entropy\", got \"\(name)\"")
            }
            loss = kind
        } else if trains {
            throw ScenarioError(path: "loss", message: "missing required key (the steps contain a train_step)")
        }

        var optimizer: OptimizerSpec?
        if let value = root.value("optimizer") {
            optimizer = try decodeOptimizer(value, path: "optimizer")
        } else if trains {
            throw ScenarioError(path: "optimizer", message: "missing required key (the steps contain a train_step)")
        }
        return Scenario(seed: seed, layers: layers, loss: loss, optimizer: optimizer, steps: steps)
    }

    /// `torch.manual_seed` takes any 64-bit integer; negative seeds wrap like PyTorch's.
    private static func decodeSeed(_ value: JSONValue?) throws(ScenarioError) -> UInt64 {
        guard let value else { return 0 }
        guard case .number(let number) = value, number.isIntegerLiteral, let integer = number.integerValue else {
            throw ScenarioError(path: "seed", message: "expected a 64-bit integer, got \(value.kindDescription)")
        }
        return UInt64(bitPattern: integer)
    }

    // MARK: Layers

    private static func decodeLayer(_ value: JSONValue, path: String) throws(ScenarioError) -> LayerSpec {
        let fields = try JSONFieldReader(value, path: path)
        let type = try fields.requiredString("type")
        switch type {
        case "Linear":
            return .linear(try decodeLinear(fields))
        case "BatchNorm1d":
            return .batchNorm(try decodeBatchNorm(fields, variant: .oneD))
        case "BatchNorm2d":
            return .batchNorm(try decodeBatchNorm(fields, variant: .twoD))
        case "Dropout":
            try fields.rejectUnknownKeys(allowed: ["type", "p", "inplace"])
            _ = try fields.bool("inplace")
            return .dropout(probability: try fields.number("p") ?? PythonNumber(0.5))
        case "ReLU":
            try fields.rejectUnknownKeys(allowed: ["type", "inplace"])
            _ = try fields.bool("inplace")
            return .relu
        case "Tanh":
            try fields.rejectUnknownKeys(allowed: ["type"])
            return .tanh
        case "Flatten":
            try fields.rejectUnknownKeys(allowed: ["type", "start_dim", "end_dim"])
            return .flatten(startDimension: try fields.integer("start_dim") ?? 1, endDimension: try fields.integer("end_dim") ?? -1)
        case "LayerNorm":
            return .layerNorm(try decodeLayerNorm(fields))
        default:
            throw ScenarioError(
                path: fields.childPath("type"),
                message: "unknown layer type \"\(type)\" (expected one of: Linear, BatchNorm1d, BatchNorm2d, Dropout, "
                    + "ReLU, Tanh, Flatten, LayerNorm)")
        }
    }

    private static func decodeLinear(_ fields: JSONFieldReader) throws(ScenarioError) -> LinearSpec {
        try fields.rejectUnknownKeys(allowed: ["type", "in_features", "out_features", "weight", "bias"])
        let inFeatures = try fields.requiredInteger("in_features")
        let outFeatures = try fields.requiredInteger("out_features")
        try checkSize([outFeatures, inFeatures], path: fields.path)
        // Negative sizes are PyTorch's error to report when the layer is built; shapes cannot be checked before.
        let sizesValid = inFeatures >= 0 && outFeatures >= 0
        var weight: Tensor?
        if let value = fields.value("weight"), value != .null, sizesValid {
            weight = try JSONFieldReader.tensor(value, path: fields.childPath("weight"), shape: [outFeatures, inFeatures])
        }
        let bias = try decodeBias(fields, shape: sizesValid ? [outFeatures] : nil)
        return LinearSpec(inFeatures: inFeatures, outFeatures: outFeatures, weight: weight, bias: bias)
    }

    /// `bias`: an array of values, `true`/omitted (initialised) or `false`/`null` (no bias, `bias=False`).
    private static func decodeBias(_ fields: JSONFieldReader, shape: [Int]?) throws(ScenarioError) -> BiasSpec {
        guard let value = fields.value("bias") else { return .initialized }
        switch value {
        case .null, .bool(false): return .absent
        case .bool(true): return .initialized
        case .array:
            guard let shape else { return .initialized }
            return .values(try JSONFieldReader.tensor(value, path: fields.childPath("bias"), shape: shape))
        default:
            throw ScenarioError(
                path: fields.childPath("bias"),
                message: "expected an array of numbers, a boolean or null, got \(value.kindDescription)")
        }
    }

    private static func decodeBatchNorm(
        _ fields: JSONFieldReader, variant: BatchNorm.Variant
    ) throws(ScenarioError) -> BatchNormSpec {
        try fields.rejectUnknownKeys(allowed: [
            "type", "num_features", "eps", "momentum", "affine", "track_running_stats", "weight", "bias",
            "running_mean", "running_var", "num_batches_tracked",
        ])
        var spec = BatchNormSpec(variant: variant, numFeatures: try fields.requiredInteger("num_features"))
        try checkSize([spec.numFeatures], path: fields.path)
        let shape = spec.numFeatures >= 0 ? [spec.numFeatures] : nil
        if let epsilon = try fields.number("eps") { spec.epsilon = epsilon }
        if let momentum = fields.value("momentum") {
            spec.momentum = momentum == .null
                ? nil : try JSONFieldReader.number(momentum, path: fields.childPath("momentum")).value
        }
        spec.affine = try fields.bool("affine") ?? true
        spec.trackRunningStats = try fields.bool("track_running_stats") ?? true
        let weightValue = fields.value("weight")
        if spec.affine {
            if let weightValue, weightValue != .null, let shape {
                spec.weight = try JSONFieldReader.tensor(weightValue, path: fields.childPath("weight"), shape: shape)
            }
            spec.bias = try decodeBias(fields, shape: shape)
        } else {
            for key in ["weight", "bias"] where fields.value(key) != nil && fields.value(key) != .null {
                throw ScenarioError(path: fields.childPath(key), message: "affine is false, so the layer has no \(key)")
            }
            spec.bias = .absent
        }
        for key in ["running_mean", "running_var", "num_batches_tracked"] where fields.value(key) != nil {
            guard spec.trackRunningStats else {
                throw ScenarioError(
                    path: fields.childPath(key), message: "track_running_stats is false, so the layer has no \(key)")
            }
        }
        if let value = fields.value("running_mean"), let shape {
            spec.runningMean = try JSONFieldReader.tensor(value, path: fields.childPath("running_mean"), shape: shape)
        }
        if let value = fields.value("running_var"), let shape {
            spec.runningVar = try JSONFieldReader.tensor(value, path: fields.childPath("running_var"), shape: shape)
        }
        if let batches = try fields.integer("num_batches_tracked") {
            guard batches >= 0 else {
                throw ScenarioError(path: fields.childPath("num_batches_tracked"), message: "expected a count >= 0, got \(batches)")
            }
            spec.numBatchesTracked = Int64(batches)
        }
        return spec
    }

    private static func decodeLayerNorm(_ fields: JSONFieldReader) throws(ScenarioError) -> LayerNormSpec {
        try fields.rejectUnknownKeys(allowed: ["type", "normalized_shape", "eps", "elementwise_affine", "weight", "bias"])
        let shapeValue = try fields.required("normalized_shape")
        let shapePath = fields.childPath("normalized_shape")
        var normalizedShape: [Int]
        if case .array(let elements) = shapeValue {
            normalizedShape = []
            for (index, element) in elements.enumerated() {
                normalizedShape.append(try JSONFieldReader.integer(element, path: "\(shapePath)[\(index)]"))
            }
        } else {
            normalizedShape = [try JSONFieldReader.integer(shapeValue, path: shapePath)]
        }
        try checkSize(normalizedShape, path: fields.path)
        var spec = LayerNormSpec(normalizedShape: normalizedShape)
        if let epsilon = try fields.number("eps") { spec.epsilon = epsilon.value }
        spec.elementwiseAffine = try fields.bool("elementwise_affine") ?? true
        let shape = normalizedShape.allSatisfy { $0 >= 0 } ? normalizedShape : nil
        if spec.elementwiseAffine {
            if let value = fields.value("weight"), value != .null, let shape {
                spec.weight = try JSONFieldReader.tensor(value, path: fields.childPath("weight"), shape: shape)
            }
            spec.bias = try decodeBias(fields, shape: shape)
        } else {
            for key in ["weight", "bias"] {
                if let value = fields.value(key), value != .null, value != .bool(false) {
                    throw ScenarioError(
                        path: fields.childPath(key), message: "elementwise_affine is false, so the layer has no \(key)")
                }
            }
            spec.bias = .absent
        }
        return spec
    }

    /// The most float32 elements one parameter tensor may hold (1 GiB). PyTorch would fail to allocate somewhere
    /// above this too, with a machine-dependent message; here it is a clear error instead of an abort.
    static let maximumParameterElements = 1 << 28

    private static func checkSize(_ sizes: [Int], path: String) throws(ScenarioError) {
        var elements = 1
        for size in sizes where size > 0 {
            let (product, overflow) = elements.multipliedReportingOverflow(by: size)
            guard !overflow, product <= maximumParameterElements else {
                throw ScenarioError(
                    path: path,
                    message: "a \(Tensor.describe(sizes)) parameter is larger than the executor's limit of "
                        + "\(maximumParameterElements) elements")
            }
            elements = product
        }
    }

    // MARK: Optimizer

    private static func decodeOptimizer(_ value: JSONValue, path: String) throws(ScenarioError) -> OptimizerSpec {
        let fields = try JSONFieldReader(value, path: path)
        let type = try fields.requiredString("type")
        switch type {
        case "SGD":
            try fields.rejectUnknownKeys(allowed: [
                "type", "lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize",
            ])
            var configuration = SGD.Configuration()
            if let lr = try fields.number("lr") { configuration.learningRate = lr }
            if let momentum = try fields.number("momentum") { configuration.momentum = momentum }
            if let dampening = try fields.number("dampening") { configuration.dampening = dampening }
            if let weightDecay = try fields.number("weight_decay") { configuration.weightDecay = weightDecay }
            configuration.nesterov = try fields.bool("nesterov") ?? false
            configuration.maximize = try fields.bool("maximize") ?? false
            return .sgd(configuration)
        case "Adam", "AdamW":
            try fields.rejectUnknownKeys(allowed: [
                "type", "lr", "betas", "eps", "weight_decay", "amsgrad", "maximize",
            ])
            var configuration = Adam.Configuration(decoupledWeightDecay: type == "AdamW")
            if let lr = try fields.number("lr") { configuration.learningRate = lr }
            if let betas = fields.value("betas") {
                let betasPath = fields.childPath("betas")
                guard case .array(let pair) = betas, pair.count == 2 else {
                    throw ScenarioError(path: betasPath, message: "expected an array of two numbers")
                }
                configuration.beta1 = try JSONFieldReader.number(pair[0], path: betasPath + "[0]")
                configuration.beta2 = try JSONFieldReader.number(pair[1], path: betasPath + "[1]")
            }
            if let epsilon = try fields.number("eps") { configuration.epsilon = epsilon }
            if let weightDecay = try fields.number("weight_decay") { configuration.weightDecay = weightDecay }
            configuration.amsgrad = try fields.bool("amsgrad") ?? false
            configuration.maximize = try fields.bool("maximize") ?? false
            return .adam(configuration)
        default:
            throw ScenarioError(
                path: fields.childPath("type"),
                message: "unknown optimizer \"\(type)\" (expected one of: SGD, Adam, AdamW)")
        }
    }

    // MARK: Steps

    private static func decodeStep(_ value: JSONValue, path: String) throws(ScenarioError) -> Step {
        let fields = try JSONFieldReader(value, path: path)
        let op = try fields.requiredString("op")
        switch op {
        case "train", "eval":
            try fields.rejectUnknownKeys(allowed: ["op"])
            return op == "train" ? .train : .eval
        case "forward":
            try fields.rejectUnknownKeys(allowed: ["op", "name", "input"])
            let name = try fields.requiredString("name")
            let input = try JSONFieldReader.tensor(try fields.required("input"), path: fields.childPath("input"))
            return .forward(name: name, input: input)
        case "train_step":
            try fields.rejectUnknownKeys(allowed: ["op", "input", "target"])
            let input = try JSONFieldReader.tensor(try fields.required("input"), path: fields.childPath("input"))
            let target = try JSONFieldReader.numericArray(try fields.required("target"), path: fields.childPath("target"))
            return .trainStep(input: input, target: target)
        default:
            throw ScenarioError(
                path: fields.childPath("op"),
                message: "unknown op \"\(op)\" (expected one of: train, eval, forward, train_step)")
        }
    }
}
