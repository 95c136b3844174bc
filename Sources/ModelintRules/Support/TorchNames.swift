import ModelintAnalysis

/// Qualified names of the torch APIs the syntactic rules match, with the re-export spellings PyTorch
/// documents (the semantic model resolves imports, not torch's own aliases).
enum TorchNames {
    /// Grad-mode context managers that take no required argument.
    static let argumentFreeGradContexts: Set<String> = [
        "torch.no_grad", "torch.autograd.no_grad", "torch.autograd.grad_mode.no_grad",
        "torch.enable_grad", "torch.autograd.enable_grad", "torch.autograd.grad_mode.enable_grad",
        "torch.inference_mode", "torch.autograd.inference_mode", "torch.autograd.grad_mode.inference_mode",
    ]

    /// `set_grad_enabled(mode)`: a context manager that also acts when merely called.
    static let setGradEnabled: Set<String> = [
        "torch.set_grad_enabled", "torch.autograd.set_grad_enabled", "torch.autograd.grad_mode.set_grad_enabled",
    ]

    /// Functional dropouts -> the default of their `training` parameter (position 2 in all of them).
    static let functionalDropouts: [String: Bool] = [
        "torch.nn.functional.dropout": true,
        "torch.nn.functional.dropout1d": true,
        "torch.nn.functional.dropout2d": true,
        "torch.nn.functional.dropout3d": true,
        "torch.nn.functional.alpha_dropout": false,
        "torch.nn.functional.feature_alpha_dropout": false,
    ]

    static let functionalBatchNorm = "torch.nn.functional.batch_norm"

    // The last identifiers of the names above, for `CalleeFilter`.
    static let argumentFreeGradContextNames = lastIdentifiers(argumentFreeGradContexts)
    static let gradContextNames = lastIdentifiers(argumentFreeGradContexts.union(setGradEnabled))
    static let functionalDropoutNames = lastIdentifiers(Set(functionalDropouts.keys))

    private static func lastIdentifiers(_ names: Set<String>) -> [String] {
        Set(names.map { String($0.split(separator: ".").last!) }).sorted()
    }
}
