/// The catalogue. The single source of truth for `modelint rules`, `--select`, the docs and the example
/// tests: a rule exists when it is listed here. Keep the list sorted by code (a test checks it).
public enum RuleRegistry {
    public static let all: [any Rule.Type] = [
        ML101TrainModeNotRestored.self,
        ML102EvaluationInTrainMode.self,
        ML103EvalInsideTrainingStep.self,
        ML104TrainingStepInEvalMode.self,
        ML105TraceInTrainMode.self,
        ML201EvaluationWithoutNoGrad.self,
        ML202BackwardUnderNoGrad.self,
        ML203GradContextNotEntered.self,
        ML204GradContextNotCalled.self,
        ML301ModeMethodNotCalled.self,
        ML302TrainingFlagAssigned.self,
        ML303NonBoolTrainMode.self,
        ML304FunctionalDropoutIgnoresMode.self,
        ML305FunctionalBatchNormFixedMode.self,
    ]

    /// The code reported for a file that does not parse. Not a rule: it cannot be selected away or silenced.
    public static let syntaxErrorCode = "ML000"

    public static func rule(code: String) -> (any Rule.Type)? {
        all.first { $0.description.code == code }
    }
}
