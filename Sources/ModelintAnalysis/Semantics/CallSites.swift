import ModelintSyntax

/// Calls of the whole program indexed by the callee's last name (`validate` for `validate(...)`,
/// `self.validate(...)`, `engine.validate(...)`; the class name for constructor calls). Built once, on the first
/// question about a parameter's callers.
struct CallIndex {
    var calls: [String: [(model: SemanticModel, call: Expr)]] = [:]
}

extension SemanticModel {
    /// A parameter is a module when the calls that reach its function pass modules for it.
    func classifyParameterFromCallers(_ arg: Arg, index: Int, of function: AnyNode, depth: Int) -> ValueClass {
        guard case .stmt(let def) = function, let scope = tables.scopeOfNode[function.id],
              case .functionDef(let signature) = def.kind else { return .unknown }
        return memoized(MemoKey(node: function.id, name: "param:" + arg.arg.text)) {
            let classStmt = scope.methodClass?.classStatement
            let isInit = classStmt != nil && signature.name.text == "__init__"
            let isStatic = signature.decoratorList.contains { BindingCollector.decoratorName($0) == "staticmethod" }
            let calleeName: String
            if isInit, case .classDef(let cls)? = classStmt?.kind { calleeName = cls.name.text } else {
                calleeName = signature.name.text
            }
            var values: [ValueClass] = []
            for (callerModel, call) in program.callIndex().calls[calleeName] ?? [] {
                guard case .call(let callee, let args, let keywords) = call.kind else { continue }
                var shift = 0
                if isInit {
                    guard case .definition(_, let target)? = callerModel.resolve(callee, depth: depth + 1),
                          target === classStmt else { continue }
                    shift = 1
                } else {
                    guard let ref = callerModel.resolveFunctionRef(callee, depth: depth + 1), ref.def === def else {
                        continue
                    }
                    if classStmt != nil && !isStatic && callerModel.isBoundMethodCall(callee, depth: depth + 1) {
                        shift = 1
                    }
                }
                let position = index >= 0 && index - shift >= 0 ? index - shift : nil
                guard let argument = ValueShape.argument(args, keywords, position: position, keyword: arg.arg.text)
                else { continue }
                values.append(callerModel.classify(argument, depth: depth + 1))
            }
            if case .module(let facts) = ValueClass.join(values) { return .module(facts.with(origin: .parameter)) }
            return .unknown
        }
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
            for (name, calls) in model.tables.callsByName {
                index.calls[name, default: []] += calls.map { (model, $0) }
            }
        }
        memo.callIndex = index
        return index
    }
}
