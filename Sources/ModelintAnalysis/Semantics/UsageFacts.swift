/// How a value is used in the code, collected per variable (a name in the scope that binds it) or per
/// `self.<attr>` of a class. This is the evidence for values whose origin is unknown (parameters, results of
/// calls into libraries): a value on which `.eval()` or `.parameters()` is called is an `nn.Module`.
struct UsageFlags: OptionSet, Hashable {
    let rawValue: UInt16

    /// `.train(...)` / `.eval()` called on it.
    static let modeSwitch = UsageFlags(rawValue: 1 << 0)
    /// Methods only modules have: `.parameters()`, `.named_modules()`, `.requires_grad_()`, hooks...
    static let moduleOnlyMethod = UsageFlags(rawValue: 1 << 1)
    /// `.state_dict()` / `.load_state_dict()`: modules, but also optimizers and schedulers.
    static let stateDict = UsageFlags(rawValue: 1 << 2)
    /// Called like a function: `m(x)`.
    static let called = UsageFlags(rawValue: 1 << 3)
    /// Evidence against: `.step()`, `.param_groups`, `.add_param_group()` (optimizers, schedulers).
    static let notModule = UsageFlags(rawValue: 1 << 4)

    static func forMethod(_ name: String) -> UsageFlags {
        switch name {
        case "train", "eval": return .modeSwitch
        case "parameters", "named_parameters", "modules", "named_modules", "children", "named_children",
             "buffers", "named_buffers", "requires_grad_", "register_forward_hook", "register_forward_pre_hook",
             "register_full_backward_hook", "register_backward_hook", "register_buffer", "register_parameter",
             "add_module", "register_module", "get_submodule":
            return .moduleOnlyMethod
        case "state_dict", "load_state_dict": return .stateDict
        case "step", "add_param_group": return .notModule
        default: return []
        }
    }

    /// Whether the uses alone say "nn.Module": a mode switch or a module-only method, or a state dict together
    /// with a forward-style call; and nothing that only optimizers do.
    var indicatesModule: Bool {
        if contains(.notModule) { return false }
        return contains(.modeSwitch) || contains(.moduleOnlyMethod) || (contains(.stateDict) && contains(.called))
    }
}

/// Uses of a path within one scope.
struct ScopedUse {
    let scope: Scope
    var flags: UsageFlags
}
