import ModelintSyntax

/// What a name or attribute chain refers to.
enum Resolved {
    /// A name outside the program (`torch.nn.Dropout`), possibly a module or anything in it.
    case external(QualifiedName)
    /// A local module (file) of the program.
    case localModule(SourceFile)
    /// A local folder without `__init__.py`.
    case namespace(directory: String, name: QualifiedName)
    /// A def or class statement of a file of the program.
    case definition(SourceFile, Stmt)
    /// A module-level variable of a local file (`from config import cfg`).
    case variable(SourceFile, String)
    case builtin(String)

    func sameTarget(as other: Resolved) -> Bool {
        switch (self, other) {
        case (.external(let a), .external(let b)): return a == b
        case (.localModule(let a), .localModule(let b)): return a === b
        case (.namespace(let a, _), .namespace(let b, _)): return a == b
        case (.definition(_, let a), .definition(_, let b)): return a === b
        case (.variable(let fa, let a), .variable(let fb, let b)): return fa === fb && a == b
        case (.builtin(let a), .builtin(let b)): return a == b
        default: return false
        }
    }
}

extension SemanticModel {
    static let maxResolutionDepth = 24

    func qualifiedName(of resolved: Resolved) -> QualifiedName {
        switch resolved {
        case .external(let name), .namespace(_, let name): return name
        case .localModule(let file): return QualifiedName(file.moduleName)
        case .definition(let file, let stmt):
            return program.semantics(of: file).qualifiedName(ofDefinition: stmt) ?? QualifiedName(file.moduleName)
        case .variable(let file, let name): return QualifiedName(file.moduleName).appending(name)
        case .builtin(let name): return QualifiedName(segments: ["builtins", name])
        }
    }

    /// Name and Attribute chains only.
    func resolve(_ expr: Expr, depth: Int) -> Resolved? {
        guard depth < Self.maxResolutionDepth else { return nil }
        switch expr.kind {
        case .name(let id, _):
            return resolveName(id.text, in: scope(of: .expr(expr)), depth: depth)
        case .attribute(let value, let attr, _):
            guard let base = resolve(value, depth: depth + 1) else { return nil }
            return member(attr.text, of: base, depth: depth + 1)
        default:
            return nil
        }
    }

    func resolveName(_ name: String, in scope: Scope, depth: Int) -> Resolved? {
        guard depth < Self.maxResolutionDepth else { return nil }
        guard let owner = NameLookup.bindingScope(of: name, from: scope) else {
            return resolveUnbound(name, from: scope, depth: depth)
        }
        var result: Resolved?
        for binding in owner.bindings[name] ?? [] {
            let resolved: Resolved?
            switch binding.kind {
            case .importModule(let segments):
                resolved = cachedImport(binding.position) { resolveImport(segments) }
            case .importFrom(let module, let level, let imported):
                resolved = cachedImport(binding.position) {
                    resolveImportFrom(module, level: level, name: imported, depth: depth + 1)
                }
            case .function(let stmt), .classDef(let stmt):
                resolved = .definition(file, stmt)
            case .value(let value, let unpack, let origin):
                if ValueShape.isNone(value) { continue }
                // A plain alias (`Dropout = nn.Dropout`) resolves to what it names.
                guard unpack.isEmpty, origin == .assignment || origin == .walrus else { return nil }
                resolved = resolve(value, depth: depth + 1)
            case .annotation, .deletion:
                continue
            case .parameter, .opaque:
                return nil
            }
            guard let resolved else { return nil }
            if let result, !result.sameTarget(as: resolved) { return nil }
            result = resolved
        }
        return result
    }

    /// An import binding's target, computed once per binding (keyed by its position in the file). Results cut
    /// short by the depth limit are not kept.
    func cachedImport(_ position: UInt32, _ compute: () -> Resolved?) -> Resolved? {
        if let known = importTargets[position] { return known }
        let result = compute()
        if result != nil { importTargets[position] = result }
        return result
    }

    /// A name bound nowhere: a star import's name, or a builtin.
    private func resolveUnbound(_ name: String, from scope: Scope, depth: Int) -> Resolved? {
        var externalCandidate: Resolved?
        var current: Scope? = scope
        while let s = current {
            for star in (tables.starImports[ObjectIdentifier(s)] ?? []).reversed() {
                guard let target = locateImport(star.module, level: star.level) else {
                    if externalCandidate == nil, star.level == 0 {
                        externalCandidate = .external(QualifiedName(segments: star.module + [name]))
                    }
                    continue
                }
                if case .file(let path) = target, let other = program.file(atAbsolutePath: path) {
                    let model = program.semantics(of: other)
                    if !name.hasPrefix("_"), model.tables.moduleScope.bindings[name] != nil {
                        return model.resolveName(name, in: model.tables.moduleScope, depth: depth + 1)
                            ?? .variable(other, name)
                    }
                }
            }
            current = s.parent
        }
        if Builtins.names.contains(name) { return .builtin(name) }
        return externalCandidate
    }

    /// The target of an absolute or relative import's module part, located on disk.
    func locateImport(_ module: [String], level: Int) -> LocatedModule? {
        let locator = program.locator
        if level == 0 {
            return locator.locateAbsolute(module, fromFile: file.absolutePath)?.module
        }
        let base = locator.relativeBase(fromFile: file.absolutePath, level: level)
        if module.isEmpty {
            return locator.isPackage(base) ? .file(PathText.join(base, "__init__.py")) : .namespace(base)
        }
        return locator.locate(module, under: base)
    }

    private func resolved(_ located: LocatedModule?, name: QualifiedName) -> Resolved {
        switch located {
        case .file(let path)?:
            if let target = program.file(atAbsolutePath: path) { return .localModule(target) }
            return .external(name)
        case .namespace(let directory)?:
            return .namespace(directory: directory, name: name)
        case nil:
            return .external(name)
        }
    }

    /// `import a.b.c` binds `a`; `import a.b as x` binds `x` to a.b.
    func resolveImport(_ segments: [String]) -> Resolved {
        resolved(locateImport(segments, level: 0), name: QualifiedName(segments: segments))
    }

    /// The dotted name a relative import refers to, from this file's own module name.
    private func relativeName(_ module: [String], level: Int) -> [String] {
        var package = moduleSegments
        if !file.isPackageInit { package = Array(package.dropLast()) }
        package = Array(package.dropLast(max(0, level - 1)))
        return package + module
    }

    func resolveImportFrom(_ module: [String], level: Int, name: String, depth: Int) -> Resolved? {
        let located = locateImport(module, level: level)
        let dotted = level == 0 ? module : relativeName(module, level: level)
        guard let located else { return .external(QualifiedName(segments: dotted + [name])) }
        return member(name, of: resolved(located, name: QualifiedName(segments: dotted)), depth: depth)
    }

    /// `base.name`.
    func member(_ name: String, of base: Resolved, depth: Int) -> Resolved? {
        guard depth < Self.maxResolutionDepth else { return nil }
        switch base {
        case .external(let qualified):
            return .external(qualified.appending(name))
        case .localModule(let target):
            return memberOfFile(target, name, depth: depth)
        case .namespace(let directory, let qualified):
            let located = program.locator.locate([name], under: directory)
            guard located != nil else { return nil }
            return resolved(located, name: qualified.appending(name))
        case .definition(let target, let stmt):
            guard case .classDef = stmt.kind else { return nil }
            let model = program.semantics(of: target)
            guard let method = model.lookupMember(name, inClass: stmt, depth: depth + 1) else { return nil }
            return .definition(method.file, method.stmt)
        case .variable, .builtin:
            return nil
        }
    }

    /// A module-level name of a local file, or a submodule of a local package.
    func memberOfFile(_ target: SourceFile, _ name: String, depth: Int) -> Resolved? {
        let model = program.semantics(of: target)
        if model.tables.moduleScope.bindings[name] != nil {
            return model.resolveName(name, in: model.tables.moduleScope, depth: depth + 1) ?? .variable(target, name)
        }
        if target.isPackageInit {
            let directory = PathText.directory(of: target.absolutePath)
            if let located = program.locator.locate([name], under: directory) {
                return resolved(located, name: QualifiedName(target.moduleName).appending(name))
            }
        }
        if let star = model.resolveUnbound(name, from: model.tables.moduleScope, depth: depth + 1),
           !star.sameTarget(as: .builtin(name)) {
            return star
        }
        return .variable(target, name)
    }

    /// A def or class named `name` in a class body or, failing that, in its local base classes (in order).
    func lookupMember(_ name: String, inClass classStmt: Stmt, depth: Int) -> (file: SourceFile, stmt: Stmt)? {
        guard depth < Self.maxResolutionDepth, let classScope = tables.scopeOfNode[ObjectIdentifier(classStmt)]
        else { return nil }
        for binding in (classScope.bindings[name] ?? []).reversed() {
            switch binding.kind {
            case .function(let stmt), .classDef(let stmt): return (file, stmt)
            default: continue
            }
        }
        for (baseFile, baseStmt) in localBases(of: classStmt, depth: depth + 1) {
            if let found = program.semantics(of: baseFile).lookupMember(name, inClass: baseStmt, depth: depth + 1) {
                return found
            }
        }
        return nil
    }

    /// Base classes that are classes of the program.
    func localBases(of classStmt: Stmt, depth: Int) -> [(SourceFile, Stmt)] {
        guard case .classDef(let cls) = classStmt.kind else { return [] }
        return cls.bases.compactMap { base in
            if case .definition(let baseFile, let stmt)? = resolve(base, depth: depth + 1), case .classDef = stmt.kind {
                return (baseFile, stmt)
            }
            return nil
        }
    }
}

/// Small questions about an expression's shape.
enum ValueShape {
    static func isNone(_ expr: Expr) -> Bool {
        if case .constant(.none, _) = expr.kind { return true }
        return false
    }

    static func stringConstant(_ expr: Expr) -> String? {
        if case .constant(.string(let text), _) = expr.kind { return text.lossyText }
        return nil
    }

    /// A numeric literal's value (ints, floats, bools), nil for anything else.
    static func number(_ expr: Expr) -> Double? {
        switch expr.kind {
        case .constant(.int(let value), _): return Double(value)
        case .constant(.float(let value), _): return value
        case .constant(.bool(let value), _): return value ? 1 : 0
        default: return nil
        }
    }

    static func bool(_ expr: Expr) -> Bool? {
        if case .constant(.bool(let value), _) = expr.kind { return value }
        return nil
    }

    /// The dotted text of a Name/Attribute chain ("self.model.backbone"), nil for anything else.
    static func dottedPath(_ expr: Expr) -> String? {
        var parts: [String] = []
        var current = expr
        while true {
            switch current.kind {
            case .attribute(let value, let attr, _):
                parts.append(attr.text)
                current = value
            case .name(let id, _):
                parts.append(id.text)
                return parts.reversed().joined(separator: ".")
            default:
                return nil
            }
        }
    }

    /// A call's argument by position or keyword.
    static func argument(_ args: [Expr], _ keywords: [Keyword], position: Int?, keyword: String) -> Expr? {
        if let match = keywords.first(where: { $0.arg?.text == keyword }) { return match.value }
        if let position, position < args.count {
            if args[..<min(position + 1, args.count)].contains(where: { if case .starred = $0.kind { return true } else { return false } }) {
                return nil
            }
            return args[position]
        }
        return nil
    }
}
