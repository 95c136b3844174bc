import ModelintSyntax

/// Calls of the whole program indexed by the callee's last name (`validate` for `validate(...)`,
/// `self.validate(...)`, `engine.validate(...)`; the class name for constructor calls). Built once, on the first
/// question about a parameter's callers.
struct CallIndex {
    var calls: [String: [(model: SemanticModel, call: Expr)]] = [:]
}

/// A call that reaches a known function, and how its positional arguments line up with the parameters.
struct CallerSite {
    let model: SemanticModel
    let call: Expr
    /// 1 when the call binds the first parameter (`obj.method(...)`, a constructor call for `__init__`).
    let shift: Int
}

extension SemanticModel {
    /// Names called more often than this across the program are generic (`get`, `run`, `update`): their
    /// callers are not searched.
    static let maxCallerCandidates = 32

    /// A parameter is a module when the calls that reach its function pass modules for it.
    func classifyParameterFromCallers(_ arg: Arg, index: Int, of function: AnyNode, depth: Int) -> ValueClass {
        guard case .stmt(let def) = function else { return .unknown }
        return memoized(MemoKey(node: function.id, name: "param:" + arg.arg.text)) {
            var values: [ValueClass] = []
            for site in callers(of: def, depth: depth + 1) {
                guard case .call(_, let args, let keywords) = site.call.kind else { continue }
                let position = index >= 0 && index - site.shift >= 0 ? index - site.shift : nil
                guard let argument = ValueShape.argument(args, keywords, position: position, keyword: arg.arg.text)
                else { continue }
                values.append(site.model.classify(argument, depth: depth + 1))
            }
            if case .module(let facts) = ValueClass.join(values) { return .module(facts.with(origin: .parameter)) }
            return .unknown
        }
    }

    /// The calls of the program that reach `def` (constructor calls for `__init__`); empty for generic names.
    func callers(of def: Stmt, depth: Int) -> [CallerSite] {
        let key = ObjectIdentifier(def)
        if let known = program.memo.callers[key] { return known }
        guard let scope = tables.scopeOfNode[key], case .functionDef(let signature) = def.kind else { return [] }
        let classStmt = scope.methodClass?.classStatement
        let isInit = classStmt != nil && signature.name.text == "__init__"
        let isStatic = signature.decoratorList.contains { BindingCollector.decoratorName($0) == "staticmethod" }
        let calleeName: String
        if isInit, case .classDef(let cls)? = classStmt?.kind { calleeName = cls.name.text } else {
            calleeName = signature.name.text
        }
        let candidates = program.callIndex().calls[calleeName] ?? []
        var sites: [CallerSite] = []
        if candidates.count <= Self.maxCallerCandidates {
            for (callerModel, call) in candidates {
                guard case .call(let callee, _, _) = call.kind else { continue }
                if isInit {
                    guard case .definition(_, let target)? = callerModel.resolve(callee, depth: depth + 1),
                          target === classStmt else { continue }
                    sites.append(CallerSite(model: callerModel, call: call, shift: 1))
                } else {
                    guard let ref = callerModel.resolveFunctionRef(callee, depth: depth + 1), ref.def === def else {
                        continue
                    }
                    let bound = classStmt != nil && !isStatic && callerModel.isBoundMethodCall(callee, depth: depth + 1)
                    sites.append(CallerSite(model: callerModel, call: call, shift: bound ? 1 : 0))
                }
            }
        }
        program.memo.callers[key] = sites
        return sites
    }

    /// `obj.method(...)` binds `obj`; `Class.method(obj, ...)` does not.
    func isBoundMethodCall(_ callee: Expr, depth: Int) -> Bool {
        guard case .attribute(let receiver, _, _) = callee.kind else { return false }
        if case .definition(_, let stmt)? = resolve(receiver, depth: depth), case .classDef = stmt.kind { return false }
        return true
    }
}

extension Program {
    /// The program-wide call index (built once; callers hold the memo lock).
    func callIndex() -> CallIndex {
        if let index = memo.callIndex { return index }
        var index = CallIndex()
        for file in files {
            let model = semantics(of: file)
            ASTWalk.walk(file.module.body, enterDefinitions: true) { expr in
                guard case .call(let function, _, _) = expr.kind else { return }
                switch function.kind {
                case .name(let id, _): index.calls[id.text, default: []].append((model, expr))
                case .attribute(_, let attr, _): index.calls[attr.text, default: []].append((model, expr))
                default: break
                }
            }
        }
        memo.callIndex = index
        return index
    }
}
