import ModelintSyntax

/// Context managers the analysis does not model: `with grad_context:`, `with self.amp_context():`,
/// `with make_context(cfg):`. One of them may be a grad context (`torch.inference_mode()` handed in by a
/// caller), so inside it the grad mode is unknown — and unknown never produces a finding. Context managers
/// that are known not to touch the grad mode (`open(...)`, `contextlib.nullcontext()`, `tqdm(...)`, a lock)
/// leave it as it was, so true findings under them stay.
extension FunctionAnalysis {
    /// Whether entering `expr` (not a grad context of torch, nor a local `@contextmanager` generator with a
    /// summary) may change the grad mode. `semantics` is that of the file holding `expr`.
    func mayChangeGradMode(_ expr: Expr, in semantics: CachedSemantics, depth: Int = 0) -> Bool {
        guard depth < 4 else { return true }
        switch expr.kind {
        case .call(let function, _, _):
            if TorchAPI.gradContext(expr, semantics, allowBare: false) != nil { return true }
            if let target = semantics.model.resolvedTarget(of: function) {
                return mayChangeGradMode(resolved: target, called: true, in: semantics, depth: depth)
            }
            // A method of a value the analysis cannot see into: unknown, unless it is one of the well-known
            // context managers that only sync, cast or open (`accelerator.autocast()`, `ddp.no_sync()`).
            if case .attribute(_, let method, _) = function.kind { return !TorchAPI.gradNeutralContextMethods.contains(method.text) }
            return true
        case .name, .attribute:
            let target = semantics.model.resolvedTarget(of: expr)
            if let target, !target.isVariableOfAnotherFile {
                return mayChangeGradMode(resolved: target, called: false, in: semantics, depth: depth)
            }
            if let values = semantics.model.assignedValues(of: expr) {
                return values.contains { mayChangeGradMode($0, in: semantics, depth: depth + 1) }
            }
            // `with lock:`, `with self._write_lock:` of a parameter or an attribute set elsewhere.
            if let last = TorchAPI.lastName(expr), TorchAPI.looksLikeLock(last) { return false }
            return true
        case .constant:
            return false
        default:
            // `torch.no_grad() if evaluating else nullcontext()`, `contexts[i]`, `ctx or nullcontext()`.
            return true
        }
    }

    private func mayChangeGradMode(resolved: Resolved, called: Bool, in semantics: CachedSemantics, depth: Int) -> Bool {
        switch resolved {
        case .builtin:
            return false
        case .external(let name):
            return !TorchAPI.isGradNeutralContext(name)
        case .definition(let definitionFile, let stmt):
            guard called else { return true }
            let model = analyzer.program.semantics(of: definitionFile)
            switch stmt.kind {
            case .classDef:
                // An instance of a class of the program: what its `__enter__` leaves is in its summary.
                let (enter, hasExternalBases) = model.member("__enter__", ofClass: stmt)
                guard let enter else { return hasExternalBases }
                guard let summary = analyzer.summary(for: enter), !summary.isUnknown else { return true }
                return !summary.exitGrad.atoms.allSatisfy { $0 == .entry }
            case .functionDef(let def), .asyncFunctionDef(let def):
                // A generator context manager without a usable summary, or a function returning one of several
                // context managers: only returns that are all known not to touch the grad mode leave it alone.
                if def.decoratorList.contains(where: { TorchAPI.isContextManagerDecorator($0, semantics) }) { return true }
                var returned: [Expr] = []
                var yields = false
                ASTWalk.walk(def.body, enterDefinitions: false, stmt: { statement in
                    if case .return(let value?) = statement.kind { returned.append(value) }
                }, expr: { expr in
                    switch expr.kind {
                    case .yield, .yieldFrom: yields = true
                    default: break
                    }
                })
                guard !yields, !returned.isEmpty else { return true }
                let definitionSemantics = analyzer.cachedSemantics(of: definitionFile)
                return returned.contains { mayChangeGradMode($0, in: definitionSemantics, depth: depth + 1) }
            default:
                return true
            }
        case .variable, .localModule, .namespace:
            return true
        }
    }
}

private extension Resolved {
    var isVariableOfAnotherFile: Bool {
        if case .variable = self { return true }
        return false
    }
}
