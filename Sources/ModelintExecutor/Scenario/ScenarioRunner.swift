/// What a scenario run produced: the named `forward` outputs (first-seen order, last value wins, like a Python
/// dict), one loss per `train_step`, and the final `state_dict`.
public struct SimulationResult: Sendable {
    public var outputs: [(name: String, value: Tensor)] = []
    public var losses: [Float] = []
    public var state: [(name: String, value: StateValue)] = []

    mutating func record(_ name: String, _ value: Tensor) {
        if let index = outputs.firstIndex(where: { $0.name == name }) {
            outputs[index].value = value
        } else {
            outputs.append((name, value))
        }
    }
}

/// Why a run stopped: the scenario is inconsistent (exit 2) or PyTorch would have raised (exit 1).
public enum SimulationError: Error, Equatable, Sendable {
    case invalidScenario(ScenarioError)
    case torch(TorchError)
}

/// Executes a scenario as the equivalent PyTorch script would:
/// `torch.manual_seed(seed)`, build the `nn.Sequential`, build the optimizer, then for each step
/// `model.train()`, `model.eval()`, `with torch.no_grad(): out = model(x)`, or
/// `opt.zero_grad(); loss = loss_fn(model(x), y); loss.backward(); opt.step()`.
public enum ScenarioRunner {
    public static func run(_ scenario: Scenario) throws(SimulationError) -> SimulationResult {
        let targets = try validate(scenario)
        do {
            return try execute(scenario, targets: targets)
        } catch {
            throw .torch(error)
        }
    }

    private static func execute(_ scenario: Scenario, targets: [Int: LossTarget]) throws(TorchError) -> SimulationResult {
        var generator = SeededGenerator(seed: scenario.seed)
        let model = try ModelBuilder.build(scenario.layers, generator: &generator)
        var optimizer: (any Optimizer)?
        if let spec = scenario.optimizer {
            guard !model.parameters.isEmpty else { throw TorchError("optimizer got an empty parameter list") }
            switch spec {
            case .sgd(let configuration):
                optimizer = try SGD(configuration, parameterCount: model.parameters.count)
            case .adam(let configuration):
                optimizer = try Adam(configuration, parameterCount: model.parameters.count)
            }
        }
        var context = ForwardContext(recordsGradients: false, generator: generator)
        var result = SimulationResult()
        for (index, step) in scenario.steps.enumerated() {
            switch step {
            case .train:
                model.setTraining(true)
            case .eval:
                model.setTraining(false)
            case .forward(let name, let input):
                context.recordsGradients = false
                result.record(name, try model.forward(input, context: &context))
            case .trainStep(let input, _):
                model.zeroGradients()
                context.recordsGradients = true
                let output = try model.forward(input, context: &context)
                let (loss, gradient) = try lossAndGradient(output, targets[index]!)
                result.losses.append(loss)
                model.backward(gradient)
                optimizer!.step(model.parameters)
            }
        }
        result.state = model.stateDict
        return result
    }

    private enum LossTarget {
        case values(Tensor)
        case classes(ClassTargets)
    }

    private static func lossAndGradient(_ output: Tensor, _ target: LossTarget) throws(TorchError) -> (Float, Tensor) {
        switch target {
        case .values(let values):
            let (loss, gradient) = try MeanSquaredError.loss(input: output, target: values)
            return (loss, gradient)
        case .classes(let classes):
            let (loss, gradient) = try CrossEntropy.loss(input: output, target: classes)
            return (loss, gradient)
        }
    }

    /// Checks what the document format cannot express on its own, before anything runs, and converts each
    /// train_step target into what its loss reads (float values for MSE, int64 class indices for cross-entropy).
    private static func validate(_ scenario: Scenario) throws(SimulationError) -> [Int: LossTarget] {
        var targets: [Int: LossTarget] = [:]
        for (index, step) in scenario.steps.enumerated() {
            guard case .trainStep(_, let target) = step else { continue }
            guard let loss = scenario.loss else {
                throw .invalidScenario(ScenarioError(path: "loss", message: "missing required key (the steps contain a train_step)"))
            }
            guard scenario.optimizer != nil else {
                throw .invalidScenario(
                    ScenarioError(path: "optimizer", message: "missing required key (the steps contain a train_step)"))
            }
            switch loss {
            case .meanSquaredError:
                targets[index] = .values(target.floatTensor)
            case .crossEntropy:
                guard let indices = target.integers else {
                    throw .invalidScenario(
                        ScenarioError(path: "steps[\(index)].target", message: "expected integer class indices for cross_entropy"))
                }
                targets[index] = .classes(ClassTargets(shape: target.shape, indices: indices))
            }
        }
        return targets
    }
}
