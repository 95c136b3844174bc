/// What modelint knows about library names: which calls build `nn.Module`s, which layers depend on the mode,
/// which wrappers share the wrapped module's state. Everything is matched on resolved qualified names.
enum TorchCatalog {
    /// How a call to a library function relates to module values.
    enum CallEffect: Equatable {
        /// Builds a new module (an `nn` layer, a torchvision/timm model...).
        case constructsModule(isTorchLayer: Bool)
        /// Returns a module sharing the argument's mode state (`torch.compile`, DDP, `weight_norm`...).
        case wrapsArgument
        /// Returns an independent copy of the argument module (`copy.deepcopy`, `torch.jit.script`...).
        case copiesArgument
        /// Loads a saved module (`torch.jit.load`): its mode is whatever it was saved in.
        case loadsModule
        /// Returns something that is not a module (a tensor, an optimizer, a data loader...).
        case notModule
        case unknown
    }

    /// `torch.nn` names that are not module classes even though they are capitalised.
    private static let nnNonModules: Set<String> = [
        "Parameter", "Buffer", "UninitializedParameter", "UninitializedBuffer", "ParameterList", "ParameterDict",
    ]

    /// `torch.nn` subpackages whose capitalised names are module classes (`torch.nn.modules.dropout.Dropout`).
    private static let nnModulePackages: Set<String> = [
        "modules", "parallel", "quantized", "qat", "intrinsic", "quantizable",
    ]

    static func effect(of name: QualifiedName) -> CallEffect {
        let s = name.segments
        guard let top = s.first else { return .unknown }
        switch top {
        case "torch": return torchEffect(s)
        case "copy": return name.matches("copy.deepcopy") ? .copiesArgument : (name.matches("copy.copy") ? .wrapsArgument : .unknown)
        case "torchvision":
            guard s.count >= 3, s[1] == "models" else { return s.count >= 2 && s[1] != "models" ? .notModule : .unknown }
            let last = s[s.count - 1]
            if last.hasSuffix("Weights") || ["get_weight", "get_model_weights", "list_models", "get_model_builder"].contains(last) {
                return .notModule
            }
            return .constructsModule(isTorchLayer: false)
        case "timm":
            if name.matches("timm.create_model") || name.matches("timm.models.create_model") {
                return .constructsModule(isTorchLayer: false)
            }
            return .unknown
        case "transformers":
            let last = name.last
            if last == "Trainer" || last == "Seq2SeqTrainer" || last == "TrainingArguments" || last == "pipeline"
                || isPretrainedNonModule(last) { return .notModule }
            if last.first?.isUppercase == true && (last.hasSuffix("Model") || last.contains("For")) {
                return .constructsModule(isTorchLayer: false)
            }
            return .unknown
        case "peft":
            // get_peft_model(model, config) / PeftModel(model, config): adapters around the model, sharing its mode.
            return name.last == "get_peft_model" || name.last.hasPrefix("PeftModel") ? .wrapsArgument : .unknown
        case "builtins":
            return .notModule
        default:
            return .unknown
        }
    }

    private static func torchEffect(_ s: [String]) -> CallEffect {
        let dotted = s.joined(separator: ".")
        switch dotted {
        case "torch.compile", "torch.nn.utils.weight_norm", "torch.nn.utils.spectral_norm",
             "torch.nn.utils.parametrizations.weight_norm", "torch.nn.utils.parametrizations.spectral_norm",
             "torch.nn.utils.parametrizations.orthogonal", "torch.nn.SyncBatchNorm.convert_sync_batchnorm",
             "torch.nn.DataParallel", "torch.nn.parallel.DataParallel", "torch.nn.parallel.DistributedDataParallel",
             "torch.nn.parallel.data_parallel.DataParallel", "torch.nn.parallel.distributed.DistributedDataParallel",
             "torch.distributed.fsdp.FullyShardedDataParallel",
             "torch.distributed.fsdp.fully_sharded_data_parallel.FullyShardedDataParallel",
             "torch.distributed.fsdp.fully_shard", "torch.distributed._composable.fsdp.fully_shard",
             "torch.ao.quantization.prepare", "torch.ao.quantization.prepare_qat", "torch.quantization.prepare",
             "torch.quantization.prepare_qat":
            return .wrapsArgument
        case "torch.jit.script", "torch.jit.trace", "torch.jit.trace_module", "torch.quantization.quantize_dynamic",
             "torch.optim.swa_utils.AveragedModel",
             "torch.ao.quantization.quantize_dynamic", "torch.quantization.convert", "torch.ao.quantization.convert":
            return .copiesArgument
        case "torch.hub.load":
            return .constructsModule(isTorchLayer: false)
        case "torch.jit.load":
            return .loadsModule
        case "torch.load", "torch.export.load", "torch.package.PackageImporter":
            return .unknown
        default:
            break
        }
        if s.count >= 3 && s[1] == "nn" {
            let last = s[s.count - 1]
            guard last.first?.isUppercase == true, !nnNonModules.contains(last) else { return .notModule }
            if s.count == 3 || nnModulePackages.contains(s[2]) { return .constructsModule(isTorchLayer: true) }
            // torch.nn.utils.rnn.PackedSequence, torch.nn.functional / init names...
            return .notModule
        }
        if s.count >= 2 && (s[1] == "ao" || s[1] == "quantization") { return .unknown }
        // Every other torch function returns tensors, optimizers, devices, contexts, data utilities...
        return .notModule
    }

    /// `X.from_pretrained(...)` on these classes returns tokenizers, configs, processors, schedulers, pipelines.
    static func isPretrainedNonModule(_ className: String) -> Bool {
        let markers = ["Tokenizer", "Config", "Processor", "FeatureExtractor", "Scheduler", "Pipeline",
                       "Dataset", "Extractor", "Vocab", "GenerationConfig"]
        return markers.contains { className.contains($0) }
    }

    /// Methods of `nn.Module` that return the module itself.
    static let sameModuleMethods: Set<String> = [
        "to", "cuda", "cpu", "half", "float", "double", "bfloat16", "type", "to_empty", "train", "eval",
        "requires_grad_", "share_memory", "apply", "xpu", "ipu", "mtia",
    ]

    // MARK: - Layers

    enum LayerKind { case dropout, batchNorm, recurrent, transformer, multiheadAttention, instanceNorm }

    static func layerKind(_ name: QualifiedName) -> LayerKind? {
        guard name.segments.first == "torch", name.segments.count >= 3, name.segments[1] == "nn" else { return nil }
        switch name.last {
        case "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout":
            return .dropout
        case "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "SyncBatchNorm", "LazyBatchNorm1d", "LazyBatchNorm2d",
             "LazyBatchNorm3d":
            return .batchNorm
        case "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "LazyInstanceNorm1d", "LazyInstanceNorm2d",
             "LazyInstanceNorm3d":
            return .instanceNorm
        case "RNN", "LSTM", "GRU": return .recurrent
        case "Transformer", "TransformerEncoderLayer", "TransformerDecoderLayer": return .transformer
        case "MultiheadAttention": return .multiheadAttention
        default: return nil
        }
    }

    /// torch's module classes that wrap another module (their constructors are `wrapsArgument` or
    /// `copiesArgument` effects, but an instance is an `nn.Module` all the same: `m: DistributedDataParallel`).
    static let wrapperModuleClasses: Set<String> = [
        "torch.nn.DataParallel", "torch.nn.parallel.DataParallel", "torch.nn.parallel.data_parallel.DataParallel",
        "torch.nn.parallel.DistributedDataParallel", "torch.nn.parallel.distributed.DistributedDataParallel",
        "torch.distributed.fsdp.FullyShardedDataParallel",
        "torch.distributed.fsdp.fully_sharded_data_parallel.FullyShardedDataParallel",
        "torch.optim.swa_utils.AveragedModel",
    ]

    static func isModuleBase(_ name: QualifiedName) -> Bool {
        if effect(of: name) == .constructsModule(isTorchLayer: true) { return true }
        if wrapperModuleClasses.contains(name.description) { return true }
        if name.matches("torch.nn.Module") || name.matches("torch.nn.modules.module.Module") { return true }
        if isLightningModule(name) { return true }
        if name.segments.first == "transformers", name.last.hasSuffix("PreTrainedModel") || name.last.hasSuffix("Model")
            || name.last.contains("For") { return true }
        if name.segments.first == "torchvision", name.segments.count >= 3, name.segments[1] == "models",
           name.last.first?.isUppercase == true, !name.last.hasSuffix("Weights") { return true }
        if name.segments.first == "timm", name.last.first?.isUppercase == true, name.segments.contains("models") {
            return true
        }
        return false
    }

    static func isLightningModule(_ name: QualifiedName) -> Bool {
        guard let top = name.segments.first, top == "pytorch_lightning" || top == "lightning" else { return false }
        return name.last == "LightningModule"
    }

    /// Module bases whose own layers are known to be none (plain containers and the root class).
    static func isTransparentBase(_ name: QualifiedName) -> Bool {
        let known: Set<String> = ["torch.nn.Module", "torch.nn.modules.module.Module", "torch.nn.Sequential",
                                  "torch.nn.ModuleList", "torch.nn.ModuleDict"]
        return known.contains(name.description) || isLightningModule(name)
    }
}
