import ModelintSyntax

/// Facts about a class: a local class statement, or a library module class such as torch.nn.Dropout.
public struct ModuleClassInfo: Sendable {
    /// engine.Net or torch.nn.Dropout.
    public let name: QualifiedName
    /// nn.Module through any chain of bases across the program.
    public let isModuleSubclass: Bool
    /// pytorch_lightning / lightning LightningModule subclass.
    public let isLightningModule: Bool
    /// Mode-dependent layers it holds (its own, its submodules', its bases').
    public let layers: LayerInventory
    /// Defines its own `train(...)`/`eval(...)` that is not nn.Module's mode switch (a Trainer class, or a
    /// module overriding `train` with another meaning): `x.train()` on it is not a mode switch.
    public let definesOwnTrainMethod: Bool
    /// The class statement and its file, for local classes.
    public let file: SourceFile?
    public let classDef: Stmt?
}

/// Which mode-dependent layers a model holds. Counts are lower bounds (a layer built in a loop counts once).
public struct LayerInventory: Sendable, Equatable {
    /// Dropout, Dropout1d/2d/3d, AlphaDropout, FeatureAlphaDropout (p not literally 0), and Transformer layers
    /// / MultiheadAttention with dropout.
    public var dropout: Int
    /// BatchNorm*, SyncBatchNorm (tracking running stats), InstanceNorm* with track_running_stats=True.
    public var batchNorm: Int
    /// RNN/LSTM/GRU with dropout > 0 and more than one layer.
    public var rnnDropout: Int
    /// A method reads `self.training` (custom mode-dependent behaviour).
    public var readsTraining: Bool
    /// Submodules or bases whose contents are not known (library models, unresolved classes).
    public var opaque: Int

    public init(dropout: Int = 0, batchNorm: Int = 0, rnnDropout: Int = 0, readsTraining: Bool = false, opaque: Int = 0) {
        self.dropout = dropout
        self.batchNorm = batchNorm
        self.rnnDropout = rnnDropout
        self.readsTraining = readsTraining
        self.opaque = opaque
    }

    /// Whether train and eval mode compute different things.
    public var isModeSensitive: Bool { dropout > 0 || batchNorm > 0 || rnnDropout > 0 || readsTraining }
    /// Whether every part is known (so "not mode-sensitive" is a fact, not a guess).
    public var isComplete: Bool { opaque == 0 }

    public static func + (lhs: LayerInventory, rhs: LayerInventory) -> LayerInventory {
        LayerInventory(dropout: lhs.dropout + rhs.dropout, batchNorm: lhs.batchNorm + rhs.batchNorm,
                       rnnDropout: lhs.rnnDropout + rhs.rnnDropout, readsTraining: lhs.readsTraining || rhs.readsTraining,
                       opaque: lhs.opaque + rhs.opaque)
    }

    public static func += (lhs: inout LayerInventory, rhs: LayerInventory) { lhs = lhs + rhs }
}

extension SemanticModel {
    /// How deep class facts may recurse (bases, submodule classes, layer-building helpers).
    static let maxClassNesting = 48

    /// Class facts for a class statement of this file (memoised program-wide; cycles in bases are cut).
    func localClassInfo(_ stmt: Stmt) -> ModuleClassInfo? {
        guard case .classDef(let cls) = stmt.kind else { return nil }
        let key = ObjectIdentifier(stmt)
        if let known = program.memo.classInfos[key] { return known }
        let name = qualifiedName(ofDefinition: stmt) ?? QualifiedName(segments: moduleSegments + [cls.name.text])
        let guardKey = MemoKey(node: key, name: "class")
        // A cyclic base chain (Python rejects it at run time), or hierarchies and submodule nesting deeper than
        // any real model: say nothing about it rather than recurse without bound.
        guard program.memo.classNesting < Self.maxClassNesting, program.memo.inProgress.insert(guardKey).inserted else {
            return ModuleClassInfo(name: name, isModuleSubclass: false, isLightningModule: false,
                                   layers: LayerInventory(opaque: 1), definesOwnTrainMethod: false, file: file,
                                   classDef: stmt)
        }
        program.memo.classNesting += 1
        defer {
            program.memo.inProgress.remove(guardKey)
            program.memo.classNesting -= 1
        }

        var isModule = false
        var isLightning = false
        var layers = LayerInventory()
        var inheritsOwnTrain = false
        for base in cls.bases {
            switch resolve(base, depth: 0) {
            case .definition(let baseFile, let baseStmt)?:
                guard let baseInfo = program.semantics(of: baseFile).localClassInfo(baseStmt) else { continue }
                isModule = isModule || baseInfo.isModuleSubclass
                isLightning = isLightning || baseInfo.isLightningModule
                layers += baseInfo.layers
                inheritsOwnTrain = inheritsOwnTrain || baseInfo.definesOwnTrainMethod
            case .external(let baseName)?:
                guard TorchCatalog.isModuleBase(baseName) else { continue }
                isModule = true
                isLightning = isLightning || TorchCatalog.isLightningModule(baseName)
                if !TorchCatalog.isTransparentBase(baseName) {
                    layers += libraryLayers(baseName, construction: nil)
                }
            default:
                continue
            }
        }
        layers += bodyLayers(of: stmt, cls)
        let ownTrain = ownTrainMethod(stmt, isModule: isModule) ?? inheritsOwnTrain
        let info = ModuleClassInfo(name: name, isModuleSubclass: isModule, isLightningModule: isLightning,
                                   layers: layers, definesOwnTrainMethod: ownTrain, file: file, classDef: stmt)
        program.memo.classInfos[key] = info
        return info
    }

    func classInfo(_ classRef: ClassRef) -> ModuleClassInfo {
        switch classRef {
        case .local(let classFile, let stmt):
            if let info = program.semantics(of: classFile).localClassInfo(stmt) { return info }
            return ModuleClassInfo(name: QualifiedName(classFile.moduleName), isModuleSubclass: false,
                                   isLightningModule: false, layers: LayerInventory(opaque: 1),
                                   definesOwnTrainMethod: false, file: classFile, classDef: stmt)
        case .library(let name, let construction):
            return ModuleClassInfo(name: name, isModuleSubclass: true,
                                   isLightningModule: TorchCatalog.isLightningModule(name),
                                   layers: libraryLayers(name, construction: construction),
                                   definesOwnTrainMethod: false, file: nil, classDef: nil)
        }
    }

    /// The layers a library class instance holds: torch.nn layers from their arguments; anything else opaque.
    func libraryLayers(_ name: QualifiedName, construction: Expr?) -> LayerInventory {
        if let kind = TorchCatalog.layerKind(name) {
            var args: [Expr] = []
            var keywords: [Keyword] = []
            if case .call(_, let callArgs, let callKeywords)? = construction?.kind {
                args = callArgs
                keywords = callKeywords
            }
            return Self.layerCount(kind, args, keywords)
        }
        // A wrapper holds whatever module it was given.
        if TorchCatalog.wrapperModuleClasses.contains(name.description) { return LayerInventory(opaque: 1) }
        if name.segments.first == "torch", name.segments.count >= 3, name.segments[1] == "nn" {
            // Containers built without contents here (`nn.Sequential(*layers)`) hold what the code put in them;
            // other torch.nn layers (Linear, Conv, LayerNorm...) behave the same in both modes.
            return ["Sequential", "ModuleList", "ModuleDict"].contains(name.last) ? containerLayers(construction)
                : LayerInventory()
        }
        return LayerInventory(opaque: 1)
    }

    /// Layers constructed in a container call's arguments (`nn.Sequential(nn.Linear(...), nn.Dropout(0.1))`).
    private func containerLayers(_ construction: Expr?) -> LayerInventory {
        guard let construction, case .call(_, let args, let keywords) = construction.kind else { return LayerInventory() }
        var inventory = LayerInventory()
        var unknownParts = false
        let roots = args + keywords.map(\.value)
        for root in roots {
            if case .starred = root.kind { unknownParts = true }
            if case .name = root.kind { unknownParts = true }
        }
        ASTWalk.walkExprs(roots) { expr in
            inventory += layersOfCall(expr)
        }
        if unknownParts && !inventory.isModeSensitive { inventory.opaque += 1 }
        return inventory
    }

    static func layerCount(_ kind: TorchCatalog.LayerKind, _ args: [Expr], _ keywords: [Keyword]) -> LayerInventory {
        func isZero(_ expr: Expr?) -> Bool { expr.flatMap(ValueShape.number) == 0 }
        switch kind {
        case .dropout:
            return isZero(ValueShape.argument(args, keywords, position: 0, keyword: "p"))
                ? LayerInventory() : LayerInventory(dropout: 1)
        case .batchNorm:
            let tracks = ValueShape.argument(args, keywords, position: 4, keyword: "track_running_stats")
            return tracks.flatMap(ValueShape.bool) == false ? LayerInventory() : LayerInventory(batchNorm: 1)
        case .instanceNorm:
            let tracks = ValueShape.argument(args, keywords, position: 4, keyword: "track_running_stats")
            guard let tracks, ValueShape.bool(tracks) != false else { return LayerInventory() }
            return LayerInventory(batchNorm: 1)
        case .recurrent:
            // RNN(input_size, hidden_size, num_layers=1, ..., dropout=0): dropout acts between stacked layers only.
            let dropout = ValueShape.argument(args, keywords, position: 5, keyword: "dropout")
            let layers = ValueShape.argument(args, keywords, position: 2, keyword: "num_layers")
            guard let dropout, !isZero(dropout) else { return LayerInventory() }
            if let layers, let count = ValueShape.number(layers), count <= 1 { return LayerInventory() }
            if layers == nil { return LayerInventory() }
            return LayerInventory(rnnDropout: 1)
        case .transformer:
            // Transformer(d_model, nhead, enc, dec, ff, dropout=0.1); *Layer(d_model, nhead, ff, dropout=0.1).
            let dropout = keywords.first { $0.arg?.text == "dropout" }?.value
            return isZero(dropout) ? LayerInventory() : LayerInventory(dropout: 1)
        case .multiheadAttention:
            let dropout = ValueShape.argument(args, keywords, position: 2, keyword: "dropout")
            guard let dropout, !isZero(dropout) else { return LayerInventory() }
            return LayerInventory(dropout: 1)
        }
    }

    /// What one call expression adds to the layers of the class or function it appears in.
    func layersOfCall(_ expr: Expr) -> LayerInventory {
        guard case .call(let function, let args, let keywords) = expr.kind else { return LayerInventory() }
        switch resolve(function, depth: 0) {
        case .external(let name)?:
            if let kind = TorchCatalog.layerKind(name) { return Self.layerCount(kind, args, keywords) }
            if case .constructsModule(isTorchLayer: false) = TorchCatalog.effect(of: name) {
                return libraryLayers(name, construction: expr)
            }
            return LayerInventory()
        case .definition(let target, let stmt)?:
            let model = program.semantics(of: target)
            switch stmt.kind {
            case .classDef:
                guard let info = model.localClassInfo(stmt), info.isModuleSubclass else { return LayerInventory() }
                return info.layers
            case .functionDef, .asyncFunctionDef:
                return model.functionLayers(stmt)
            default:
                return LayerInventory()
            }
        default:
            if case .attribute(_, let method, _) = function.kind, method.text == "from_pretrained" || method.text == "from_config",
               case .module = classifyCall(expr, function, args, keywords, depth: 1) {
                return LayerInventory(opaque: 1)
            }
            return LayerInventory()
        }
    }

    /// Layers built by a local helper function (`def make_head(): return nn.Sequential(...)`).
    func functionLayers(_ def: Stmt) -> LayerInventory {
        let key = ObjectIdentifier(def)
        if let known = program.memo.functionLayers[key] { return known }
        let guardKey = MemoKey(node: key, name: "layers")
        guard program.memo.classNesting < Self.maxClassNesting, program.memo.inProgress.insert(guardKey).inserted else {
            return LayerInventory(opaque: 1)
        }
        program.memo.classNesting += 1
        defer {
            program.memo.inProgress.remove(guardKey)
            program.memo.classNesting -= 1
        }
        guard case .functionDef(let function) = def.kind else { return LayerInventory() }
        var inventory = LayerInventory()
        ASTWalk.walk(function.body, enterDefinitions: true) { expr in inventory += layersOfCall(expr) }
        program.memo.functionLayers[key] = inventory
        return inventory
    }

    /// Layers constructed anywhere in the class's methods (including inside containers and `add_module`),
    /// submodule classes' layers, and whether a method reads `self.training`.
    private func bodyLayers(of stmt: Stmt, _ cls: ClassDef) -> LayerInventory {
        var inventory = LayerInventory()
        var selfNames: Set<String> = []
        if let classScope = tables.scopeOfNode[ObjectIdentifier(stmt)] {
            for child in tables.children[classScope.index] {
                if let name = tables.selfNames[ObjectIdentifier(child)] { selfNames.insert(name) }
            }
        }
        ASTWalk.walk(cls.body, enterDefinitions: true) { expr in
            switch expr.kind {
            case .call:
                inventory += layersOfCall(expr)
            case .attribute(let value, let attr, .load) where attr.text == "training":
                if case .name(let id, _) = value.kind, selfNames.contains(id.text) { inventory.readsTraining = true }
            default:
                break
            }
        }
        return inventory
    }

    /// nil: the class defines neither `train` nor `eval`. For nn.Module subclasses an override that takes
    /// `mode` or calls the base class's method is still the mode switch.
    private func ownTrainMethod(_ stmt: Stmt, isModule: Bool) -> Bool? {
        guard let classScope = tables.scopeOfNode[ObjectIdentifier(stmt)] else { return nil }
        var found: Bool?
        for methodName in ["train", "eval"] {
            guard let binding = classScope.bindings[methodName]?.last, case .function(let def) = binding.kind,
                  case .functionDef(let function) = def.kind else { continue }
            if !isModule { return true }
            let params = ArgumentsParts.positional(function.args)
            let takesMode = params.count >= 2 && params[1].arg.text == "mode"
            let isSwitch = takesMode || delegatesToBase(function, methodName) || (methodName == "eval" && params.count == 1
                && callsSelfTrainFalse(function))
            found = (found ?? false) || !isSwitch
        }
        return found
    }

    /// The body calls `super().train(...)`, `super(C, self).train(...)` or `nn.Module.train(self, ...)`.
    private func delegatesToBase(_ function: FunctionDef, _ methodName: String) -> Bool {
        var delegates = false
        ASTWalk.walk(function.body, enterDefinitions: false) { expr in
            guard case .call(let callee, _, _) = expr.kind, case .attribute(let receiver, let attr, _) = callee.kind,
                  attr.text == methodName else { return }
            if case .call(let inner, _, _) = receiver.kind, case .name(let id, _) = inner.kind, id.text == "super" {
                delegates = true
            } else if case .external(let name)? = resolve(receiver, depth: 0), TorchCatalog.isModuleBase(name) {
                delegates = true
            } else if case .definition? = resolve(receiver, depth: 0) {
                delegates = true
            }
        }
        return delegates
    }

    /// `def eval(self): return self.train(False)`.
    private func callsSelfTrainFalse(_ function: FunctionDef) -> Bool {
        var calls = false
        ASTWalk.walk(function.body, enterDefinitions: false) { expr in
            if case .call(let callee, _, _) = expr.kind, case .attribute(_, let attr, _) = callee.kind,
               attr.text == "train" { calls = true }
        }
        return calls
    }
}

extension ASTWalk {
    /// Every expression under `roots` (lambdas and comprehensions included), without recursion.
    static func walkExprs(_ roots: [Expr], _ visit: (Expr) -> Void) {
        var stack = Array(roots.reversed())
        while let expr = stack.popLast() {
            visit(expr)
            for child in ExprChildren.of(expr).reversed() { stack.append(child) }
        }
    }
}
