import ModelintSyntax

/// Recognisers for the PyTorch (and friends) calls the mode analysis interprets. Matching is on resolved
/// qualified names, so `from torch import no_grad` and `import torch as T` work alike.
enum TorchAPI {
    enum GradContext {
        case disable
        case enable
        /// `set_grad_enabled(flag)`: depends on the flag.
        case setEnabled(Expr?)
    }

    /// The grad effect of a context manager or decorator expression: `torch.no_grad()`, `torch.no_grad`
    /// (decorator form), `torch.inference_mode()`, `torch.enable_grad()`, `torch.set_grad_enabled(x)`.
    /// `inference_mode(False)` leaves the grad mode alone.
    static func gradContext(_ expr: Expr, _ semantics: CachedSemantics, allowBare: Bool) -> GradContext? {
        var callee = expr
        var args: [Expr] = []
        var keywords: [Keyword] = []
        if case .call(let function, let a, let k) = expr.kind {
            callee = function
            args = a
            keywords = k
        } else if !allowBare {
            return nil
        }
        guard let name = semantics.qualifiedName(of: callee), name.segments.first == "torch" else { return nil }
        let flag = args.first ?? keywords.first(where: { $0.arg?.text == "mode" })?.value
        switch name.last {
        case "no_grad":
            return .disable
        case "inference_mode":
            if let flag, constantTruth(flag) == false { return nil }
            return .disable
        case "enable_grad":
            return .enable
        case "set_grad_enabled":
            return .setEnabled(flag)
        default:
            return nil
        }
    }

    /// Whether a library context manager (or a function returning one) is known to leave the grad mode
    /// alone: everything of torch other than its grad contexts (`torch.autocast`, `torch.profiler.profile`),
    /// `contextlib` (but `ExitStack`, which enters whatever it is given), and the standard library and tools
    /// whose context managers open files, lock, time, log or show progress.
    static func isGradNeutralContext(_ name: QualifiedName) -> Bool {
        guard let root = name.segments.first else { return false }
        if root == "contextlib" { return !name.last.hasSuffix("ExitStack") }
        return gradNeutralContextRoots.contains(root)
    }

    static let gradNeutralContextRoots: Set<String> = [
        "torch", "builtins", "tqdm", "threading", "multiprocessing", "concurrent", "asyncio", "warnings",
        "tempfile", "io", "os", "sys", "time", "timeit", "logging", "unittest", "pytest", "numpy", "zipfile",
        "tarfile", "gzip", "bz2", "lzma", "shutil", "pathlib", "socket", "subprocess", "sqlite3", "signal",
        "h5py", "filelock", "wandb", "tensorboardX", "mlflow", "rich",
    ]

    /// Methods of objects the analysis cannot see into whose context managers only cast, synchronise, open
    /// or profile: `accelerator.autocast()`, `ddp.no_sync()`, `accelerator.accumulate(model)`, `path.open()`.
    static let gradNeutralContextMethods: Set<String> = [
        "autocast", "no_sync", "accumulate", "main_process_first", "local_main_process_first", "join",
        "join_uneven_inputs", "split_between_processes", "summon_full_params", "record_function", "open",
    ]

    /// `lock`, `_lock`, `self.write_lock`, `mutex`: a variable spelled like a lock.
    static func looksLikeLock(_ name: String) -> Bool {
        name.lowercased().split(separator: "_").contains { ["lock", "rlock", "mutex", "semaphore"].contains($0) }
    }

    /// `torch.set_grad_enabled(flag)` called as a statement switches the grad mode until switched back.
    static func isSetGradEnabled(_ function: Expr, _ semantics: CachedSemantics) -> Bool {
        guard let name = semantics.qualifiedName(of: function) else { return false }
        return name.segments.first == "torch" && name.last == "set_grad_enabled"
    }

    static func traceKind(_ function: Expr, _ semantics: CachedSemantics) -> TraceKind? {
        guard let name = semantics.qualifiedName(of: function) else { return nil }
        switch name.description {
        case "torch.jit.trace": return .jitTrace
        case "torch.jit.trace_module": return .jitTraceModule
        case "torch.export.export", "torch.export": return .export
        default: return nil
        }
    }

    static func isContextManagerDecorator(_ decorator: Expr, _ semantics: CachedSemantics) -> Bool {
        guard let name = semantics.qualifiedName(of: decorator) else {
            if case .name(let id, _) = decorator.kind { return id.text == "contextmanager" }
            return false
        }
        return name.description == "contextlib.contextmanager" || name.description == "contextlib.asynccontextmanager"
    }

    /// Calls that hand back the module they were given, in the same mode: `.to(device)`, `torch.compile(m)`,
    /// `nn.DataParallel(m)`, `accelerator.prepare(m)`... Returns the wrapped expression.
    static func passThroughModule(_ call: Expr, _ semantics: CachedSemantics) -> Expr? {
        guard case .call(let function, let args, _) = call.kind else { return nil }
        if case .attribute(let receiver, let attr, _) = function.kind {
            switch attr.text {
            case "to", "cuda", "cpu", "half", "float", "double", "bfloat16", "to_empty", "requires_grad_",
                 "share_memory", "apply", "zero_grad":
                return receiver
            case "prepare", "prepare_model":
                return args.first
            default: break
            }
        }
        guard let name = semantics.qualifiedName(of: function) else { return nil }
        switch name.last {
        case "compile", "DataParallel", "DistributedDataParallel", "FullyShardedDataParallel", "convert_sync_batchnorm":
            return name.segments.first == "torch" ? args.first : nil
        default:
            return nil
        }
    }

    /// Methods that replace a module's weights (after them its forward is a real evaluation).
    static let weightLoadingMethods: Set<String> = [
        "load_state_dict", "load_pretrained", "load_weights", "load_checkpoint", "load_adapter", "load_model",
    ]

    /// Whether a constructor call asks for trained weights: `pretrained=True`, `weights="IMAGENET1K_V2"`,
    /// `checkpoint_path=...`, or torchvision's old positional `resnet50(True)`.
    static func requestsWeights(args: [Expr], keywords: [Keyword]) -> Bool {
        if args.contains(where: { if case .constant(.bool, _) = $0.kind { return constantTruth($0) == true }; return false }) {
            return true
        }
        for keyword in keywords {
            guard let name = keyword.arg?.text.lowercased() else { continue }
            // Not `weight=` / `pos_weight=` of a loss, nor `weight_decay`/`weight_init`: class weights and
            // settings, not trained parameters.
            guard name.contains("pretrain") || name == "weights" || name.hasSuffix("_weights") && !name.contains("class")
                || name.contains("checkpoint") || name.contains("ckpt") || name == "state_dict" else { continue }
            if case .constant = keyword.value.kind, constantTruth(keyword.value) == false { continue }
            return true
        }
        return false
    }

    /// `X.from_pretrained(...)`: Hugging Face models are returned in eval mode.
    static func isFromPretrained(_ function: Expr) -> Bool {
        if case .attribute(_, let attr, _) = function.kind { return attr.text == "from_pretrained" }
        return false
    }

    /// An optimizer's `step()`: the receiver is spelled like an optimizer (`optimizer`, `self.opt_g`,
    /// `optim`), or `scaler.step(optimizer)`. Schedulers (`scheduler.step()`) are excluded.
    static func isOptimizerStep(_ call: Expr) -> Bool {
        guard case .call(let function, let args, _) = call.kind,
              case .attribute(let receiver, let attr, _) = function.kind, attr.text == "step" else { return false }
        if let last = lastName(receiver), looksLikeOptimizer(last) { return true }
        if let last = lastName(receiver), last.lowercased().contains("scaler"), let first = args.first,
           let argName = lastName(first), looksLikeOptimizer(argName) { return true }
        return false
    }

    static func looksLikeOptimizer(_ name: String) -> Bool {
        let lower = name.lowercased()
        if lower.contains("sched") || lower.contains("scaler") { return false }
        if lower.contains("optim") { return true }
        return lower == "opt" || lower.hasPrefix("opt_") || lower.hasSuffix("_opt") || lower.hasPrefix("opt") && lower.count <= 5
    }

    /// `optimizer.zero_grad()`: a new training step begins.
    static func isZeroGrad(_ call: Expr) -> Bool {
        guard case .call(let function, _, _) = call.kind, case .attribute(let receiver, let attr, _) = function.kind,
              attr.text == "zero_grad", let last = lastName(receiver) else { return false }
        return looksLikeOptimizer(last)
    }

    /// The value a backward call differentiates: `loss.backward()` -> loss, `scaler.scale(loss).backward()`
    /// -> the scaled call (which carries loss), `accelerator.backward(loss)` / `self.manual_backward(loss)` ->
    /// loss, `torch.autograd.backward(loss)` -> loss.
    static func backwardOperands(_ call: Expr, _ semantics: CachedSemantics) -> [Expr]? {
        guard case .call(let function, let args, let keywords) = call.kind else { return nil }
        if case .attribute(let receiver, let attr, _) = function.kind {
            if attr.text == "backward" {
                if let name = semantics.qualifiedName(of: function), name.description == "torch.autograd.backward" {
                    return args.isEmpty ? keywords.map(\.value) : [args[0]]
                }
                // `loss.backward()` or `accelerator.backward(loss)`.
                return args.isEmpty ? [receiver] : [args[0], receiver]
            }
            if attr.text == "manual_backward" { return args.isEmpty ? nil : [args[0]] }
        }
        return nil
    }

    static func lastName(_ expr: Expr) -> String? {
        switch expr.kind {
        case .name(let id, _): return id.text
        case .attribute(_, let attr, _): return attr.text
        default: return nil
        }
    }

    /// A call the analysis cannot see into that may run a backward on its arguments: a function held in a
    /// local variable or parameter (no qualified name), or anything spelled like a backward or a loss scaler
    /// (timm's `loss_scaler(loss, optimizer)`).
    static func mayRunBackward(_ function: Expr, _ name: QualifiedName?) -> Bool {
        if case .name = function.kind, name == nil { return true }
        guard let last = lastName(function)?.lowercased() else { return false }
        return last.contains("backward") || last.contains("scaler")
    }

    /// Qualified names of calls that never change a module's mode although the module is passed to them.
    static func isModeNeutralCallee(_ name: QualifiedName?) -> Bool {
        guard let name, let root = name.segments.first else { return false }
        switch root {
        case "builtins", "torch", "copy", "logging", "math", "numpy", "wandb", "tensorboardX", "torchinfo",
             "torchsummary", "thop", "fvcore", "json", "pickle", "os", "sys", "time", "pprint", "warnings":
            return true
        default:
            return false
        }
    }
}
