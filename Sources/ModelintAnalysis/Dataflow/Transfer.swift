import ModelintSyntax

/// What an expression evaluates to, as far as modes are concerned.
struct ExprValue {
    /// The value is this tracked module (an alias: `model`, `model.to(device)`, `model.eval()`).
    var modulePath: String?
    /// A Name/Attribute whose module path is looked up only when a consumer asks (`path(in:)`): most values
    /// are never bound or passed anywhere that needs it, and the first lookup of a node is the costly part.
    var pathExpr: Expr?
    /// A module value not bound to a path yet (constructed, loaded, returned by a helper).
    var freshModes: ModeSet?
    var taint = Taint()
    var snapshot: ModeSnapshot?

    static let none = ExprValue()

    func path(in analysis: FunctionAnalysis) -> String? {
        if let modulePath { return modulePath }
        return pathExpr.flatMap(analysis.modulePath(of:))
    }
}

extension FunctionAnalysis {
    // MARK: Elements

    func transfer(_ element: CFGElement, _ path: PathState) -> [PathState] {
        var paths = [path]
        // A flag tested elsewhere too (`set_grad_enabled(phase == 'train')`) splits the path so each outcome
        // stays correlated with the later tests.
        for flag in flagPredicates(of: element) {
            var split: [PathState] = []
            for p in paths {
                if p.assumptions[flag] != nil { split.append(p); continue }
                var yes = p, no = p
                yes.assumptions[flag] = true
                no.assumptions[flag] = false
                split.append(yes)
                split.append(no)
            }
            paths = split
        }
        return paths.map { p in
            var state = p
            interpret(element, &state)
            return state
        }
    }

    private func flagPredicates(of element: CFGElement) -> [String] {
        guard !correlatedPredicates.isEmpty else { return [] }
        var expr: Expr?
        switch element {
        case .statement(let statement):
            switch statement.kind {
            case .expr(let value), .assign(_, let value), .assert(let value, _), .return(let value?): expr = value
            default: break
            }
        case .enterWith(let item, _): expr = item.contextExpr
        default: break
        }
        guard let expr else { return [] }
        var keys: [String] = []
        // `m.train() if p else m.eval()`: each outcome of `p` is its own path, as for `if p:`.
        ExprWalk.forEachConditionalTest(in: expr) { test in
            guard let (key, _) = PredicateKey.normalize(test, in: file.source),
                  correlatedPredicates.contains(key.text) else { return }
            analyzer.predicateNames[key.text] = key.names
            keys.append(key.text)
        }
        ExprWalk.forEachCall(in: expr) { function, args, keywords in
            let name: String?
            switch function.kind {
            case .attribute(_, let attr, _): name = attr.text
            case .name(let id, _): name = id.text
            default: name = nil
            }
            guard name == "train" || name == "set_grad_enabled",
                  let flag = args.first ?? keywords.first(where: { $0.arg?.text == "mode" })?.value,
                  let (key, _) = PredicateKey.normalize(flag, in: file.source),
                  correlatedPredicates.contains(key.text) else { return }
            analyzer.predicateNames[key.text] = key.names
            keys.append(key.text)
        }
        return keys
    }

    private func interpret(_ element: CFGElement, _ state: inout PathState) {
        switch element {
        case .statement(let statement):
            interpret(statement, &state)
        case .test(let expr), .evaluate(let expr):
            _ = evaluate(expr, &state)
        case .bindLoopTarget(let target, _):
            bind(target, to: .none, &state)
        case .enterWith(let item, _):
            enterWith(item, &state)
        case .exitWith(let item, _, _):
            exitWith(item, &state)
        case .bindHandler(let handler):
            if let name = handler.name { bindName(name.text, to: .none, &state) }
        case .bindPattern(_, let pattern):
            forEachCapture(in: pattern) { bindName($0, to: .none, &state) }
        }
    }

    private func forEachCapture(in pattern: Pattern, _ body: (String) -> Void) {
        switch pattern.kind {
        case .matchAs(let inner, let name):
            if let name { body(name.text) }
            if let inner { forEachCapture(in: inner, body) }
        case .matchStar(let name): if let name { body(name.text) }
        case .matchSequence(let patterns), .matchOr(let patterns): patterns.forEach { forEachCapture(in: $0, body) }
        case .matchMapping(_, let patterns, let rest):
            patterns.forEach { forEachCapture(in: $0, body) }
            if let rest { body(rest.text) }
        case .matchClass(_, let patterns, _, let kwdPatterns):
            (patterns + kwdPatterns).forEach { forEachCapture(in: $0, body) }
        case .matchValue, .matchSingleton: break
        }
    }

    private func interpret(_ statement: Stmt, _ state: inout PathState) {
        switch statement.kind {
        case .expr(let value):
            _ = evaluate(value, &state)
        case .assign(let targets, let value):
            let result = evaluate(value, &state)
            for target in targets { bind(target, to: result, value: value, &state) }
        case .annAssign(let target, _, let value, _):
            if let value { bind(target, to: evaluate(value, &state), value: value, &state) }
        case .augAssign(let target, _, let value):
            let result = evaluate(value, &state)
            if case .name(let id, _) = target.kind {
                var taint = state.values[id.text] ?? Taint()
                taint.formUnion(result.taint.derived(under: state.grad))
                forgetAssumptions(mentioning: id.text, in: &state)
                state.values[id.text] = taint.isEmpty ? nil : taint
            }
        case .return(let value):
            guard let value else { return }
            let result = evaluate(value, &state)
            noteReturn(result, &state)
        case .raise(let exc, let cause):
            if let exc { _ = evaluate(exc, &state) }
            if let cause { _ = evaluate(cause, &state) }
        case .assert(let test, _):
            _ = evaluate(test, &state)
        case .delete(let targets):
            for target in targets {
                if let path = ExprWalk.accessPath(target) {
                    state.modes[path] = nil
                    removeSubpaths(of: path, in: &state)
                    state.values[path] = nil
                }
            }
        case .functionDef(let def), .asyncFunctionDef(let def):
            bindName(def.name.text, to: .none, &state)
        case .classDef(let def):
            bindName(def.name.text, to: .none, &state)
        default:
            break
        }
    }

    private func noteReturn(_ result: ExprValue, _ state: inout PathState) {
        guard recording else { return }
        if let path = result.path(in: self) {
            let root = String(path.split(separator: ".").first ?? "")
            if parameters.contains(root) && mode(of: path, in: state).atoms.allSatisfy({ $0 == .entry }) {
                returnedPath = path
            } else {
                returnedModule = (returnedModule ?? ModeSet()).union(mode(of: path, in: state))
            }
        } else if let fresh = result.freshModes {
            returnedModule = (returnedModule ?? ModeSet()).union(fresh)
        }
        returnTaint.formUnion(result.taint)
    }

    // MARK: Binding

    func bind(_ target: Expr, to result: ExprValue, value: Expr? = nil, _ state: inout PathState) {
        switch target.kind {
        case .name(let id, _):
            bindName(id.text, to: result, &state)
        case .attribute:
            guard let path = ExprWalk.accessPath(target) else { return }
            if recording { analyzer.noteEscape(result.taint) }
            bindModulePath(path, to: result, targetIsModule: semantics.isModule(target), &state)
        case .tuple(let elts, _), .list(let elts, _):
            // `model, optimizer = accelerator.prepare(model, optimizer)`: element-wise when the arities match.
            var parts: [Expr]?
            if let value {
                switch value.kind {
                case .tuple(let values, _), .list(let values, _): parts = values
                case .call(let function, let args, _):
                    if case .attribute(_, let attr, _) = function.kind, attr.text == "prepare" { parts = args }
                default: break
                }
            }
            if let parts, parts.count == elts.count {
                for (element, part) in zip(elts, parts) {
                    bind(element, to: shallowValue(part, state), &state)
                }
            } else {
                for element in elts { bind(element, to: ExprValue(taint: result.taint), &state) }
            }
        case .starred(let value, _):
            bind(value, to: ExprValue(taint: result.taint), &state)
        case .subscript(let container, _, _):
            // `losses[name] = loss`: the container holds the value.
            if case .name(let id, _) = container.kind, !result.taint.isEmpty {
                var held = state.values[id.text] ?? Taint()
                held.formUnion(result.taint)
                state.values[id.text] = held
            }
        default:
            break
        }
    }

    /// The value of an already evaluated subexpression, without re-running its effects.
    private func shallowValue(_ expr: Expr, _ state: PathState) -> ExprValue {
        var result = ExprValue()
        if let path = modulePath(of: expr) { result.modulePath = path }
        if case .name(let id, _) = expr.kind { result.taint = state.values[id.text] ?? Taint() }
        return result
    }

    func bindName(_ name: String, to result: ExprValue, _ state: inout PathState) {
        forgetAssumptions(mentioning: name, in: &state)
        state.values[name] = result.taint.isEmpty ? nil : result.taint
        state.snapshots[name] = result.snapshot
        bindModulePath(name, to: result, targetIsModule: false, &state)
    }

    private func bindModulePath(_ path: String, to result: ExprValue, targetIsModule: Bool, _ state: inout PathState) {
        if let source = result.path(in: self) {
            guard source != path else { return }
            state.modes[path] = mode(of: source, in: state)
            removeSubpaths(of: path, in: &state)
        } else if let fresh = result.freshModes {
            state.modes[path] = fresh
            removeSubpaths(of: path, in: &state)
        } else if state.modes[path] != nil || targetIsModule {
            state.modes[path] = ModeSet(.unknown)
            removeSubpaths(of: path, in: &state)
        }
    }

    // MARK: Expressions

    func modulePath(of expr: Expr) -> String? { semantics.modulePath(expr) }

    /// The receiver of `.train()` / `.eval()` when it is a module, or a submodule reached through attributes
    /// of one (`model.backbone`), with the path of the nearest enclosing module for the "mixed" parent.
    private func switchTarget(_ receiver: Expr) -> (path: String, parent: String?)? {
        if let path = modulePath(of: receiver) {
            var parent: String?
            if case .attribute(let base, _, _) = receiver.kind { parent = modulePath(of: base) }
            return (path, parent == path ? nil : parent)
        }
        guard case .attribute(let base, let attr, _) = receiver.kind else { return nil }
        if let basePath = modulePath(of: base) { return (basePath + "." + attr.text, basePath) }
        if let inner = switchTarget(base) { return (inner.path + "." + attr.text, inner.path) }
        return nil
    }

    func evaluate(_ expr: Expr, _ state: inout PathState) -> ExprValue {
        switch expr.kind {
        case .name(let id, _):
            var result = ExprValue()
            result.taint = state.values[id.text] ?? Taint()
            result.snapshot = state.snapshots[id.text]
            result.pathExpr = expr
            return result
        case .attribute(let base, let attr, _):
            if attr.text == "training", let target = switchTarget(base) {
                return ExprValue(snapshot: ModeSnapshot(path: target.path, modes: mode(of: target.path, in: state)))
            }
            let baseValue = evaluate(base, &state)
            var result = ExprValue(taint: baseValue.taint)
            result.pathExpr = expr
            return result
        case .call(let function, let args, let keywords):
            return evaluateCall(expr, function, args, keywords, &state)
        case .namedExpr(let target, let value):
            let result = evaluate(value, &state)
            bind(target, to: result, value: value, &state)
            return result
        case .ifExp(let test, let body, let orelse):
            _ = evaluate(test, &state)
            var yes = state, no = state
            let yesFeasible = assume(test, true, in: &yes)
            let noFeasible = assume(test, false, in: &no)
            let a = yesFeasible ? evaluate(body, &yes) : .none
            let b = noFeasible ? evaluate(orelse, &no) : .none
            switch (yesFeasible, noFeasible) {
            case (true, false): state = yes; return a
            case (false, true): state = no; return b
            default:
                var merged = join(yes, no)
                merged.assumptions = state.assumptions
                state = merged
                var result = ExprValue(taint: a.taint)
                result.taint.formUnion(b.taint)
                let (pathA, pathB) = (a.path(in: self), b.path(in: self))
                result.modulePath = pathA == pathB ? pathA : nil
                return result
            }
        case .lambda:
            return .none
        case .yield(let value):
            let result = value.map { evaluate($0, &state) } ?? .none
            if recording {
                yieldState.paths.append(state)
                analyzer.noteEscape(result.taint)
            }
            return .none
        case .yieldFrom(let value):
            let result = evaluate(value, &state)
            if recording { analyzer.noteEscape(result.taint) }
            return .none
        case .constant:
            return .none
        default:
            var taint = Taint()
            ExprWalk.forEachChild(of: expr) { child in
                taint.formUnion(evaluate(child, &state).taint)
            }
            return ExprValue(taint: taint.derived(under: state.grad))
        }
    }

    private func evaluateCall(_ call: Expr, _ function: Expr, _ args: [Expr], _ keywords: [Keyword],
                              _ state: inout PathState) -> ExprValue {
        var receiverValue = ExprValue.none
        var methodName: String?
        var receiver: Expr?
        if case .attribute(let base, let attr, _) = function.kind {
            receiver = base
            methodName = attr.text
            receiverValue = evaluate(base, &state)
        }
        let argValues = args.map { evaluate($0, &state) }
        let keywordValues = keywords.map { evaluate($0.value, &state) }
        var inputTaint = receiverValue.taint
        for value in argValues + keywordValues { inputTaint.formUnion(value.taint) }

        // `model.train()` / `model.eval()` / `model.train(flag)`.
        if let receiver, let methodName, methodName == "train" || methodName == "eval",
           let target = switchTarget(receiver) {
            applySwitch(call, methodName: methodName, args: args, keywords: keywords, argValues: argValues,
                        keywordValues: keywordValues, target: target, &state)
            return ExprValue(modulePath: target.path)
        }
        if let methodName, methodName == "train" || methodName == "eval", receiverValue.freshModes != nil {
            // `Net().eval()`, `build_model().eval()`: the switch applies to the value before it is bound.
            return ExprValue(freshModes: switchedModes(call, methodName: methodName, args: args, keywords: keywords,
                                                       argValues: argValues, keywordValues: keywordValues,
                                                       current: receiverValue.freshModes!, state))
        }
        if let receiver, let methodName, TorchAPI.weightLoadingMethods.contains(methodName),
           let path = modulePath(of: receiver) {
            markWeightsSet(path, &state)
        }
        if case .name(let id, _) = function.kind, id.text == classParameter {
            // `cls(...)` in a classmethod builds a new module (with random weights), it runs no forward.
            let site = SwitchSite(origin: .creation, file: file.path, range: call.range,
                                  line: file.source.location(call.range.start).line,
                                  description: "`\(text(function))()`", randomWeights: true)
            return ExprValue(freshModes: ModeSet(.train, site: site))
        }
        // Forward passes: the output depends on the module's own forward and on what was fed in.
        var forwardModule: (path: String, expr: Expr)?
        if let path = modulePath(of: function) {
            forwardModule = (path, function)
        } else if let receiver, methodName == "forward", let path = modulePath(of: receiver) {
            forwardModule = (path, receiver)
        }
        if let (path, moduleExpr) = forwardModule {
            var taint = inputTaint.derived(under: state.grad)
            if !isLossModule(path, moduleExpr) {
                taint.formUnion(recordForward(call, modulePath: path, moduleExpr: moduleExpr, &state))
            }
            return ExprValue(taint: taint)
        }
        if case .name(let id, _) = function.kind, def != nil, parameters.contains(id.text), id.text != "self",
           !isLossModule(id.text, function) {
            // `model(x)` on a parameter: a forward if the caller passes a module.
            var taint = inputTaint.derived(under: state.grad)
            taint.formUnion(recordForward(call, modulePath: id.text, moduleExpr: function, conditional: true, &state))
            return ExprValue(taint: taint)
        }
        if let kind = TorchAPI.traceKind(function, semantics) {
            if let first = args.first {
                if let path = modulePath(of: first) {
                    recordTrace(call, kind, path, first, conditional: false, state)
                } else if case .name(let id, _) = first.kind, def != nil, parameters.contains(id.text) {
                    recordTrace(call, kind, id.text, first, conditional: true, state)
                }
            }
            return .none
        }
        if let operands = TorchAPI.backwardOperands(call, semantics) {
            var taint = Taint()
            for operand in operands {
                taint.formUnion(shallowTaint(operand, state, fallback: inputTaint))
                if case .name(let id, _) = operand.kind, parameters.contains(id.text), recording {
                    backwardParameters.insert(id.text)
                }
            }
            handleBackward(at: analyzer.codeSite(file, call.range), taint: taint, &state)
            return .none
        }
        if TorchAPI.isOptimizerStep(call) {
            handleOptimizerStep(at: analyzer.codeSite(file, call.range), &state)
            return .none
        }
        if TorchAPI.isZeroGrad(call) {
            state.openBackwards = []
            state.openStepModules = []
            state.evalsInOpenStep = [:]
            return .none
        }
        if TorchAPI.isSetGradEnabled(function, semantics) {
            let flag = args.first ?? keywords.first(where: { $0.arg?.text == "mode" })?.value
            state.grad = gradValue(flag: flag, site: analyzer.switchSite(file, call.range, origin: .gradContext,
                                                                        description: "`\(text(call))`"), state)
            return .none
        }
        if let ref = semantics.resolveFunction(function), semantics.moduleValue(call)?.origin != .constructed {
            return applyCall(call, ref: ref, function: function, receiver: receiver, args: args, keywords: keywords,
                             argValues: argValues, keywordValues: keywordValues, &state)
        }
        if let info = semantics.moduleValue(call) {
            // The value of the wrapped/copied module: a path, or an unbound module (`Net().to(device)`).
            func sourceValue() -> ExprValue? {
                guard let source = info.source else { return nil }
                if let path = modulePath(of: source) { return ExprValue(modulePath: path) }
                if let receiver, source === receiver { return receiverValue }
                if let index = args.firstIndex(where: { $0 === source }) { return argValues[index] }
                return nil
            }
            switch info.origin {
            case .wrapper, .sameModule:
                if let value = sourceValue(), let path = value.path(in: self) { return ExprValue(modulePath: path) }
                if let value = sourceValue(), let fresh = value.freshModes { return ExprValue(freshModes: fresh) }
            case .copy:
                if let value = sourceValue() {
                    if let path = value.path(in: self) { return ExprValue(freshModes: mode(of: path, in: state)) }
                    if let fresh = value.freshModes { return ExprValue(freshModes: fresh) }
                }
            case .constructed, .library, .pretrained:
                var site = analyzer.switchSite(file, call.range, origin: .creation, description: "`\(text(function))()`")
                if !info.startsInEvalMode && !TorchAPI.requestsWeights(args: args, keywords: keywords) {
                    site = SwitchSite(origin: .creation, file: site.file, range: site.range, line: site.line,
                                      description: site.description, randomWeights: true)
                }
                return ExprValue(freshModes: ModeSet(info.startsInEvalMode ? .eval : .train, site: site))
            default:
                break
            }
        }
        if TorchAPI.isFromPretrained(function) {
            let site = analyzer.switchSite(file, call.range, origin: .creation, description: "`\(text(function))()`")
            return ExprValue(freshModes: ModeSet(.eval, site: site))
        }
        if let wrapped = TorchAPI.passThroughModule(call, semantics) {
            if let path = modulePath(of: wrapped) { return ExprValue(modulePath: path) }
            if let receiver, wrapped === receiver, receiverValue.freshModes != nil { return receiverValue }
        }
        if semantics.isModule(call) {
            // A module of unknown origin (`torch.load(path)`, an element of a list).
            return ExprValue(freshModes: ModeSet(.unknown))
        }
        // An unknown callee that receives a module may switch it: its mode becomes unknown.
        let calleeName = semantics.qualifiedName(of: function)
        if !TorchAPI.isModeNeutralCallee(calleeName) {
            for value in argValues + keywordValues {
                guard let path = value.path(in: self) else { continue }
                state.modes[path] = ModeSet(.unknown)
                removeSubpaths(of: path, in: &state)
            }
        }
        if recording && TorchAPI.mayRunBackward(function, calleeName) {
            // A function held in a variable (`backward_pass(engine, loss)`) or a loss scaler may differentiate
            // what it is given: a forward feeding it with gradients on is not known to be an evaluation.
            var recorded = Taint()
            for value in argValues + keywordValues {
                for (site, contribution) in value.taint.forwards where contribution.grad.atoms.contains(where: { $0 != .disabled }) {
                    recorded.forwards[site] = contribution
                }
            }
            analyzer.noteEscape(recorded)
        }
        if let methodName, ["detach", "item", "tolist", "numpy", "detach_"].contains(methodName) { return .none }
        // `losses.append(loss)`, `meter.update(out)`: the container now holds what was passed in.
        if let receiver, case .name(let id, _) = receiver.kind {
            var argumentTaint = Taint()
            for value in argValues + keywordValues { argumentTaint.formUnion(value.taint) }
            if !argumentTaint.isEmpty {
                var held = state.values[id.text] ?? Taint()
                held.formUnion(argumentTaint)
                state.values[id.text] = held
            }
        }
        return ExprValue(taint: inputTaint.derived(under: state.grad))
    }

    /// Loss modules (`nn.CrossEntropyLoss()`, a `criterion`) have no mode-dependent behaviour worth a finding.
    private func isLossModule(_ path: String, _ moduleExpr: Expr) -> Bool {
        if let info = semantics.moduleClass(of: moduleExpr) {
            if LossModules.isLossClass(info, analyzer) { return true }
            if info.isModuleSubclass { return false }
        }
        return LossModules.isLossName(path.split(separator: ".").last.map(String.init) ?? "")
    }

    private func shallowTaint(_ expr: Expr, _ state: PathState, fallback: Taint) -> Taint {
        switch expr.kind {
        case .name(let id, _): return state.values[id.text] ?? Taint()
        default: return fallback
        }
    }

    func text(_ expr: Expr) -> String { file.source.text(expr.range) }

    // MARK: Mode switches

    private func applySwitch(_ call: Expr, methodName: String, args: [Expr], keywords: [Keyword],
                             argValues: [ExprValue], keywordValues: [ExprValue],
                             target: (path: String, parent: String?), _ state: inout PathState) {
        let newModes = switchedModes(call, methodName: methodName, args: args, keywords: keywords, argValues: argValues,
                                     keywordValues: keywordValues, current: mode(of: target.path, in: state),
                                     snapshotPath: target.path, state)
        setModes(target.path, newModes, &state)
        state.trainedSince.subtract(newModes.sites(of: .train))
        if let parent = target.parent {
            let current = mode(of: parent, in: state)
            if current.atoms.contains(where: { $0 != .mixed }) {
                state.modes[parent] = ModeSet(.mixed, site: analyzer.switchSite(file, call.range, origin: .switchCall,
                                                                                description: "`\(text(call))`"))
            }
        }
    }

    /// The modes after `train()` / `train(flag)` / `eval()`. `current` is kept for a flag that restores a
    /// snapshot of the same module.
    private func switchedModes(_ call: Expr, methodName: String, args: [Expr], keywords: [Keyword],
                               argValues: [ExprValue], keywordValues: [ExprValue], current: ModeSet,
                               snapshotPath: String? = nil, _ state: PathState) -> ModeSet {
        let site = analyzer.switchSite(file, call.range, origin: .switchCall, description: "`\(text(call))`")
        var newModes: ModeSet
        if methodName == "eval" {
            newModes = ModeSet(.eval, site: site)
        } else {
            let flagIndex = keywords.firstIndex(where: { $0.arg?.text == "mode" })
            let flag = args.first ?? flagIndex.map { keywords[$0].value }
            let flagValue = args.isEmpty ? flagIndex.map { keywordValues[$0] } : argValues.first
            if let flag {
                if let snapshot = flagValue?.snapshot, snapshot.path == snapshotPath {
                    newModes = snapshot.modes
                } else if let truth = constantTruth(flag), case .constant(.bool, _) = flag.kind {
                    newModes = ModeSet(truth ? .train : .eval, site: site)
                } else if let (key, polarity) = PredicateKey.normalize(flag, in: file.source),
                          let assumed = state.assumptions[key.text] {
                    newModes = ModeSet(assumed == polarity ? .train : .eval, site: site)
                } else {
                    newModes = ModeSet(.unknown, site: site)
                }
            } else {
                newModes = ModeSet(.train, site: site)
            }
        }
        return newModes
    }

    /// Whether `path` or a module it belongs to is frozen in this body, and neither it, nor a module it
    /// belongs to, nor a part of it is unfrozen there (flow-insensitive, so an unfreezing anywhere means it
    /// may train).
    func isFrozen(_ path: String) -> Bool {
        guard !frozenPaths.isEmpty else { return false }
        if unfrozenPaths.contains(where: { $0 == path || path.hasPrefix($0 + ".") || $0.hasPrefix(path + ".") }) {
            return false
        }
        var prefix = Substring(path)
        while true {
            if frozenPaths.contains(String(prefix)) { return true }
            guard let dot = prefix.lastIndex(of: ".") else { return false }
            prefix = prefix[..<dot]
        }
    }

    /// The module's weights were loaded or trained: its creation no longer stands for random weights. The
    /// nearest tracked ancestor holds the mode it inherits, so that one (with its subpaths) is rewritten.
    func markWeightsSet(_ path: String, _ state: inout PathState) {
        var owner = Substring(path)
        while state.modes[String(owner)] == nil, let dot = owner.lastIndex(of: ".") { owner = owner[..<dot] }
        let base = state.modes[String(owner)] == nil ? path : String(owner)
        let prefix = base + "."
        for key in state.modes.keys where key == base || key.hasPrefix(prefix) {
            state.modes[key] = state.modes[key]!.withWeightsSet()
        }
        let root = String(path.split(separator: ".").first ?? "")
        if recording && rootIsFromCaller(root) { weightsSetPaths.insert(path) }
    }

    /// A training step of `path` happened: a `train()` before it was for training, not a deliberate
    /// train-mode evaluation.
    func endTrainIntent(_ path: String, _ state: inout PathState) {
        state.trainedSince.formUnion(mode(of: path, in: state).sites(of: .train).filter { $0.origin == .switchCall })
    }

    /// Sets a module's modes and keeps the ML103 bookkeeping: a switch to eval while a backward awaits its
    /// optimizer step is remembered; a switch back to train forgets it.
    func setModes(_ path: String, _ modes: ModeSet, _ state: inout PathState) {
        state.modes[path] = modes
        removeSubpaths(of: path, in: &state)
        if modes.contains(.eval), !state.openBackwards.isEmpty, state.openStepModules.contains(where: {
            $0 == path || $0.hasPrefix(path + ".") || path.hasPrefix($0 + ".")
        }) {
            state.evalsInOpenStep[path, default: []].formUnion(modes.sites(of: .eval))
        }
        if !modes.contains(.eval) { state.evalsInOpenStep[path] = nil }
    }

    func gradValue(flag: Expr?, site: SwitchSite, _ state: PathState) -> GradSet {
        guard let flag else { return GradSet(.unknown, site: site) }
        if let truth = constantTruth(flag) { return GradSet(truth ? .enabled : .disabled, site: site) }
        if let (key, polarity) = PredicateKey.normalize(flag, in: file.source),
           let assumed = state.assumptions[key.text] {
            return GradSet(assumed == polarity ? .enabled : .disabled, site: site)
        }
        return GradSet(.unknown, site: site)
    }

    // MARK: Context managers

    private func contextKey(_ item: WithItem) -> UInt32 { item.contextExpr.range.start }

    private func enterWith(_ item: WithItem, _ state: inout PathState) {
        let expr = item.contextExpr
        if let context = TorchAPI.gradContext(expr, semantics, allowBare: false) {
            if case .call(_, let args, let keywords) = expr.kind {
                for arg in args { _ = evaluate(arg, &state) }
                for keyword in keywords { _ = evaluate(keyword.value, &state) }
            }
            state.contextSaves[contextKey(item)] = ContextSave(modes: [:], grad: state.grad)
            let site = analyzer.switchSite(file, expr.range, origin: .gradContext, description: "`\(text(expr))`")
            switch context {
            case .disable: state.grad = GradSet(.disabled, site: site)
            case .enable: state.grad = GradSet(.enabled, site: site)
            case .setEnabled(let flag): state.grad = gradValue(flag: flag, site: site, state)
            }
            return
        }
        if case .call(let function, let args, let keywords) = expr.kind, let ref = semantics.resolveFunction(function),
           let summary = analyzer.summary(for: ref), summary.yieldModes != nil {
            let argValues = args.map { evaluate($0, &state) }
            let keywordValues = keywords.map { evaluate($0.value, &state) }
            var receiver: Expr?
            if case .attribute(let base, _, _) = function.kind { receiver = base }
            let mapping = parameterMapping(summary, receiver: receiver, args: args, keywords: keywords,
                                           argValues: argValues, keywordValues: keywordValues)
            let modes = summary.modes(forFlags: knownFlags(summary, args: args, keywords: keywords))
            var save = ContextSave(modes: [:], grad: state.grad)
            for calleePath in modes.exit.keys.sorted() {
                if let callerPath = mapPath(calleePath, mapping, summary) {
                    save.modes[callerPath] = mode(of: callerPath, in: state)
                }
            }
            for calleePath in (modes.yield ?? [:]).keys.sorted() {
                if let callerPath = mapPath(calleePath, mapping, summary), save.modes[callerPath] == nil {
                    save.modes[callerPath] = mode(of: callerPath, in: state)
                }
            }
            let site = callSite(expr, function, ref)
            applyModes(modes.yield ?? [:], mapping, summary, base: state, site: site, &state)
            if let yieldGrad = summary.yieldGrad { state.grad = substitute(yieldGrad, entry: state.grad, site: site) }
            state.contextSaves[contextKey(item)] = save
            if let vars = item.optionalVars { bind(vars, to: .none, &state) }
            return
        }
        let value = evaluate(expr, &state)
        if let vars = item.optionalVars { bind(vars, to: value, &state) }
        if enteringMayChangeGradMode(expr) {
            state.contextSaves[contextKey(item)] = ContextSave(modes: [:], grad: state.grad, restoresGradOnly: true)
            state.grad = GradSet(.unknown, site: analyzer.switchSite(file, expr.range, origin: .gradContext,
                                                                     description: "`\(text(expr))`"))
        }
    }

    /// `mayChangeGradMode` once per context expression (the fixpoint enters the same `with` many times).
    private func enteringMayChangeGradMode(_ expr: Expr) -> Bool {
        let key = ObjectIdentifier(expr)
        if let known = unmodeledContexts[key] { return known }
        let result = mayChangeGradMode(expr, in: semantics)
        unmodeledContexts[key] = result
        return result
    }

    private func exitWith(_ item: WithItem, _ state: inout PathState) {
        let expr = item.contextExpr
        guard let save = state.contextSaves.removeValue(forKey: contextKey(item)) else { return }
        if save.restoresGradOnly || TorchAPI.gradContext(expr, semantics, allowBare: false) != nil {
            state.grad = save.grad
            return
        }
        guard case .call(let function, let args, let keywords) = expr.kind, let ref = semantics.resolveFunction(function),
              let summary = analyzer.summary(for: ref) else { return }
        var receiver: Expr?
        if case .attribute(let base, _, _) = function.kind { receiver = base }
        let mapping = parameterMapping(summary, receiver: receiver, args: args, keywords: keywords,
                                       argValues: args.map { shallowValue($0, state) },
                                       keywordValues: keywords.map { shallowValue($0.value, state) })
        var base = state
        for (path, modes) in save.modes { base.modes[path] = modes }
        let site = callSite(expr, function, ref)
        // The exit summary is relative to the entry: a path it leaves alone returns to its value before `with`.
        let modes = summary.modes(forFlags: knownFlags(summary, args: args, keywords: keywords))
        var exitModes = modes.exit
        for calleePath in (modes.yield ?? [:]).keys where exitModes[calleePath] == nil {
            exitModes[calleePath] = ModeSet(.entry)
        }
        applyModes(exitModes, mapping, summary, base: base, site: site, &state)
        state.grad = substitute(summary.exitGrad, entry: save.grad, site: site)
    }

    // MARK: Training steps

    private func recordForward(_ call: Expr, modulePath path: String, moduleExpr: Expr, conditional: Bool = false,
                               _ state: inout PathState) -> Taint {
        let origin = analyzer.codeSite(file, call.range)
        let modes = mode(of: path, in: state)
        var event = ModeEvent(kind: .forward, origin: origin, originPath: path,
                              moduleClass: semantics.moduleClass(of: moduleExpr), path: path,
                              modes: modes.asEvidence(trainedSince: state.trainedSince), grad: state.grad, chain: [])
        event.conditional = conditional
        event.frozen = isFrozen(path)
        record(event)
        if state.grad.atoms.contains(where: { $0 != .disabled }) { state.pendingForwards.insert(origin) }
        var taint = Taint()
        taint.forwards[origin] = Contribution(grad: state.grad, modes: modes, path: path, conditional: conditional,
                                              frozen: event.frozen)
        return taint
    }

    private func recordTrace(_ call: Expr, _ kind: TraceKind, _ path: String, _ moduleExpr: Expr, conditional: Bool,
                             _ state: PathState) {
        var event = ModeEvent(kind: .trace(kind), origin: analyzer.codeSite(file, call.range), originPath: path,
                              moduleClass: semantics.moduleClass(of: moduleExpr), path: path,
                              modes: mode(of: path, in: state).asEvidence(), grad: state.grad, chain: [])
        event.conditional = conditional
        record(event)
    }

    /// A backward of `taint`: the forwards that feed it with gradient are training forwards, each a training
    /// step in the mode that forward ran in on this path (ML101/ML104) unless the module is frozen (its eval
    /// mode is deliberate then, as for a teacher); the step is open for ML103; and a loss that carries no
    /// gradient at all was computed under no_grad (ML202).
    func handleBackward(at site: CodeSite, taint: Taint, chain: [SwitchSite] = [], _ state: inout PathState) {
        func trainsItsModule(_ contribution: Contribution) -> Bool {
            contribution.grad.atoms.contains(where: { $0 != .disabled }) && !contribution.frozen && !isFrozen(contribution.path)
        }
        if recording {
            for (forward, contribution) in taint.forwards where contribution.grad.atoms.contains(where: { $0 != .disabled }) {
                analyzer.linkTraining(forward: forward, backward: site)
                var step = ModeEvent(kind: .trainingStep(forward: forward), origin: site, originPath: contribution.path,
                                     moduleClass: nil, path: contribution.path, modes: contribution.modes,
                                     grad: contribution.grad, chain: chain)
                step.conditional = contribution.conditional
                step.frozen = !trainsItsModule(contribution)
                record(step)
            }
            if !taint.isEmpty {
                var grad = GradSet()
                if taint.forwards.values.contains(where: { $0.grad.contains(.enabled) }) {
                    grad = GradSet(.enabled)
                } else {
                    for contribution in taint.forwards.values { grad.formUnion(contribution.grad) }
                }
                record(ModeEvent(kind: .backward, origin: site, originPath: "", moduleClass: nil, path: "",
                                 modes: ModeSet(.unknown), grad: grad, chain: chain))
            }
        }
        state.openBackwards = [site]
        state.openStepModules = Set(taint.forwards.values.filter(trainsItsModule).map(\.path))
        state.evalsInOpenStep = [:]
    }

    func handleOptimizerStep(at site: CodeSite, _ state: inout PathState) {
        // The step, not the backward, changes the weights (a backward alone computes gradients for a test,
        // a saliency map or an adversarial input). When its backward is out of sight (a closure, a callee
        // that leaves nothing open), any tracked module may have trained.
        let trained = state.openBackwards.isEmpty ? Array(state.modes.keys) : Array(state.openStepModules)
        for path in trained.sorted() {
            endTrainIntent(path, &state)
            markWeightsSet(path, &state)
        }
        if recording {
            analyzer.noteStep(of: state.openBackwards)
            runsOptimizerStep = true
            for forward in state.pendingForwards { analyzer.trainingByStep.insert(forward) }
            if let backward = state.openBackwards.min() {
                for (path, sites) in state.evalsInOpenStep {
                    for evalSite in sites {
                        analyzer.evalInStep.append(EvalInStepFact(evalSite: evalSite, modulePath: path,
                                                                  backward: backward, optimizerStep: site))
                    }
                }
            }
        }
        state.openBackwards = []
        state.openStepModules = []
        state.evalsInOpenStep = [:]
        state.pendingForwards = []
    }
}
