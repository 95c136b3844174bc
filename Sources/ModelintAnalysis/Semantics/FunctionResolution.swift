import ModelintSyntax

extension SemanticModel {
    /// The def a callee expression reaches: a (possibly imported, possibly aliased) function, `module.func`,
    /// `self.method` / `super().method`, `obj.method` for instances of local classes, `Class.method`.
    func resolveFunctionRef(_ callee: Expr, depth: Int) -> FunctionRef? {
        guard depth < Self.maxResolutionDepth else { return nil }
        if let resolved = resolve(callee, depth: depth) {
            guard case .definition(let target, let stmt) = resolved else { return nil }
            return program.semantics(of: target).functionRef(stmt)
        }
        guard case .attribute(let receiver, let method, _) = callee.kind else { return nil }
        // super().method(...): the first base class (in order) that has it.
        if case .call(let superFunction, _, _) = receiver.kind, case .builtin("super")? = resolve(superFunction, depth: depth),
           let classStmt = enclosingClass(of: callee) {
            for (baseFile, baseStmt) in localBases(of: classStmt, depth: depth + 1) {
                let baseModel = program.semantics(of: baseFile)
                if let found = baseModel.lookupMember(method.text, inClass: baseStmt, depth: depth + 1) {
                    return program.semantics(of: found.file).functionRef(found.stmt)
                }
            }
            return nil
        }
        guard let (classFile, classStmt) = instanceClass(of: receiver, depth: depth + 1) else { return nil }
        guard let found = program.semantics(of: classFile).lookupMember(method.text, inClass: classStmt, depth: depth + 1)
        else { return nil }
        return program.semantics(of: found.file).functionRef(found.stmt)
    }

    /// The class whose method body holds `expr`.
    func enclosingClass(of expr: Expr) -> Stmt? {
        var scope: Scope? = scope(of: .expr(expr))
        while let current = scope {
            if let classScope = current.methodClass { return classScope.classStatement }
            scope = current.parent
        }
        return nil
    }

    /// The local class a value is an instance of: `self`, `Trainer(...)`, a name or `self.x` assigned one,
    /// a parameter annotated with a local class, or a module value of a local class.
    func instanceClass(of expr: Expr, depth: Int) -> (SourceFile, Stmt)? {
        guard depth < Self.maxValueDepth else {
            program.memo.truncated = true
            return nil
        }
        switch expr.kind {
        case .call(let function, _, _):
            if case .definition(let target, let stmt)? = resolve(function, depth: depth), case .classDef = stmt.kind {
                return (target, stmt)
            }
            if case .attribute(let receiver, let method, _) = function.kind,
               method.text == "from_pretrained" || TorchCatalog.sameModuleMethods.contains(method.text) {
                if method.text == "from_pretrained", case .definition(let target, let stmt)? = resolve(receiver, depth: depth),
                   case .classDef = stmt.kind {
                    return (target, stmt)
                }
                return instanceClass(of: receiver, depth: depth + 1)
            }
        case .name(let id, _):
            let scope = scope(of: .expr(expr))
            if let classStmt = enclosingClassOfSelf(id.text, in: scope) { return (file, classStmt) }
            guard let owner = NameLookup.bindingScope(of: id.text, from: scope) else {
                if case .variable(let other, let name)? = resolveName(id.text, in: scope, depth: depth) {
                    return program.semantics(of: other).instanceClassOfName(name, depth: depth + 1)
                }
                return nil
            }
            return instanceClass(ofBindingsOf: ObjectIdentifier(owner), id.text, owner.bindings[id.text] ?? [],
                                 depth: depth + 1)
        case .attribute(let value, let attr, _):
            guard let (classFile, classStmt) = instanceClass(of: value, depth: depth + 1) else { break }
            let model = program.semantics(of: classFile)
            let bindings = model.tables.selfAttributes[ObjectIdentifier(classStmt)]?[attr.text] ?? []
            return model.instanceClass(ofBindingsOf: ObjectIdentifier(classStmt), attr.text, bindings, depth: depth + 1)
        default:
            break
        }
        if case .module(let facts) = classify(expr, depth: depth), case .local(let classFile, let classStmt)? = facts.classRef {
            return (classFile, classStmt)
        }
        return nil
    }

    func instanceClassOfName(_ name: String, depth: Int) -> (SourceFile, Stmt)? {
        instanceClass(ofBindingsOf: ObjectIdentifier(tables.moduleScope), name, tables.moduleScope.bindings[name] ?? [],
                      depth: depth)
    }

    /// `instanceClass(ofBindings:)` for the bindings of `name` in `owner` (a scope, or a class for `self`
    /// attributes), memoised program-wide: every `self.model` of a class asks the same question. Memoised
    /// unless cut short by the depth limit or a cycle (`a = b; b = a`), whose answer depends on where the
    /// query started.
    func instanceClass(ofBindingsOf owner: ObjectIdentifier, _ name: String, _ bindings: [Binding],
                       depth: Int) -> (SourceFile, Stmt)? {
        let key = MemoKey(node: owner, name: name)
        if let known = program.memo.instanceClasses[key] { return known.found }
        guard program.memo.instanceClassesInProgress.insert(key).inserted else {
            program.memo.truncated = true
            return nil
        }
        let outer = program.memo.truncated
        program.memo.truncated = false
        let found = instanceClass(ofBindings: bindings, depth: depth)
        program.memo.instanceClassesInProgress.remove(key)
        if !program.memo.truncated { program.memo.instanceClasses[key] = InstanceClass(found: found) }
        program.memo.truncated = outer || program.memo.truncated
        return found
    }

    /// The first binding that tells the class (an assignment of an instance, an annotation, a method's self).
    func instanceClass(ofBindings bindings: [Binding], depth: Int) -> (SourceFile, Stmt)? {
        for binding in bindings {
            switch binding.kind {
            case .value(let value, [], .assignment), .value(let value, [], .walrus):
                if let found = instanceClass(of: value, depth: depth + 1) { return found }
            case .annotation(let annotation):
                if case .definition(let target, let stmt)? = resolve(annotation, depth: depth), case .classDef = stmt.kind {
                    return (target, stmt)
                }
            case .parameter(let function, let arg, _, let isFirstOfMethod, _):
                if isFirstOfMethod, let classStmt = tables.scopeOfNode[function.id]?.methodClass?.classStatement {
                    return (file, classStmt)
                }
                if let annotation = arg.annotation, case .definition(let target, let stmt)? = resolve(annotation, depth: depth),
                   case .classDef = stmt.kind {
                    return (target, stmt)
                }
            default:
                continue
            }
        }
        return nil
    }
}
