import ModelintSyntax

/// The semantic model's answers for one file, memoised per expression: the fixpoint asks the same questions
/// about the same nodes on every iteration, and each answer costs a locked lookup through scopes and imports.
final class CachedSemantics {
    let model: SemanticModel
    /// nil: not a module; .some(nil): a module without an access path (`Net().to(device)`).
    private var modulePaths: [ObjectIdentifier: String??] = [:]
    private var qualifiedNames: [ObjectIdentifier: QualifiedName?] = [:]
    private var functions: [ObjectIdentifier: FunctionRef?] = [:]
    private var moduleValues: [ObjectIdentifier: ModuleValueInfo?] = [:]

    init(_ model: SemanticModel) { self.model = model }

    func isModule(_ expr: Expr) -> Bool { lookup(expr) != nil }

    /// The module's access path when `expr` is a module with one (the semantic model's path, else the
    /// spelled Name/Attribute chain).
    func modulePath(_ expr: Expr) -> String? { lookup(expr) ?? nil }

    private func lookup(_ expr: Expr) -> String?? {
        let key = ObjectIdentifier(expr)
        if let cached = modulePaths[key] { return cached }
        // `moduleValue` answers "is it a module" too, and is cached for the call checks that ask it next.
        let entry: String?? = moduleValue(expr) != nil ? .some(model.modulePath(expr) ?? ExprWalk.accessPath(expr)) : nil
        modulePaths[key] = entry
        return entry
    }

    func qualifiedName(of expr: Expr) -> QualifiedName? {
        let key = ObjectIdentifier(expr)
        if let cached = qualifiedNames[key] { return cached }
        let name = model.qualifiedName(of: expr)
        qualifiedNames[key] = name
        return name
    }

    func resolveFunction(_ callee: Expr) -> FunctionRef? {
        let key = ObjectIdentifier(callee)
        if let cached = functions[key] { return cached }
        let ref = model.resolveFunction(callee)
        functions[key] = ref
        return ref
    }

    func moduleValue(_ expr: Expr) -> ModuleValueInfo? {
        let key = ObjectIdentifier(expr)
        if let cached = moduleValues[key] { return cached }
        let info = model.moduleValue(expr)
        moduleValues[key] = info
        return info
    }

    func moduleClass(of expr: Expr) -> ModuleClassInfo? { model.moduleClass(of: expr) }

    func classInfo(_ classDef: Stmt) -> ModuleClassInfo? { model.classInfo(classDef) }
}
