import ModelintSyntax

/// What names and values in one file mean: scopes and bindings, import resolution to qualified names, which
/// values are `nn.Module`s (and their classes and layers), and which local function a call reaches.
///
/// Built from one pass over the file (`BindingCollector`); queries are answered from those tables, lazily,
/// with cross-file facts (class hierarchies, factory functions) memoised in the `Program`. A model is valid as
/// long as its `Program` lives. Queries are thread-safe (they serialise on the program's memo lock).
public final class SemanticModel: @unchecked Sendable {
    public let file: SourceFile
    unowned let program: Program
    let tables: FileTables
    /// Import bindings already resolved, by the position of the bound name (guarded by the program's memo lock).
    var importTargets: [UInt32: Resolved] = [:]

    init(file: SourceFile, program: Program, tables: FileTables) {
        self.file = file
        self.program = program
        self.tables = tables
    }

    /// Serialises queries: they fill the program-wide memo tables and may recurse into other files' models.
    func locked<T>(_ body: () -> T) -> T {
        program.lockMemo()
        defer { program.unlockMemo() }
        return body()
    }

    // MARK: - Scopes

    public var moduleScope: Scope { tables.moduleScope }

    /// The scope a node is evaluated in (a def/class statement belongs to the scope enclosing it).
    public func scope(of node: AnyNode) -> Scope {
        NameLookup.innermostScope(containing: node.range, in: tables)
    }

    /// The scope a def, class, lambda or comprehension opens.
    public func scope(openedBy node: AnyNode) -> Scope? { tables.scopeOfNode[node.id] }

    /// Every def in the file (methods and nested functions too), in source order.
    public var functions: [FunctionRef] { tables.functions.compactMap(functionRef) }

    /// Every class statement in the file, in source order.
    public var classStatements: [Stmt] { tables.classes }

    /// The def statement as a `FunctionRef` (nil if `def` is not a def of this file).
    public func functionRef(_ def: Stmt) -> FunctionRef? {
        guard let scope = tables.scopeOfNode[ObjectIdentifier(def)], scope.kind == .function else { return nil }
        return FunctionRef(file: file, def: def,
                           qualifiedName: QualifiedName(segments: moduleSegments + scope.qualifiedPath),
                           enclosingClass: scope.methodClass?.classStatement)
    }

    var moduleSegments: [String] { file.moduleName.split(separator: ".").map(String.init) }

    /// "engine.Trainer.fit" for a def or class statement of this file.
    public func qualifiedName(ofDefinition stmt: Stmt) -> QualifiedName? {
        guard let scope = tables.scopeOfNode[ObjectIdentifier(stmt)] else { return nil }
        return QualifiedName(segments: moduleSegments + scope.qualifiedPath)
    }

    /// For a method's `self` parameter name in `scope` (or a closure inside a method): the class statement.
    public func enclosingClassOfSelf(_ name: String, in scope: Scope) -> Stmt? {
        guard let owner = NameLookup.bindingScope(of: name, from: scope), owner.kind == .function,
              tables.selfNames[ObjectIdentifier(owner)] == name,
              owner.bindings[name]?.allSatisfy({ if case .parameter = $0.kind { return true } else { return false } }) == true
        else { return nil }
        return owner.methodClass?.classStatement
    }

    // MARK: - Names

    /// Resolves a Name/Attribute chain (or a Call's callee) through imports and local definitions to a
    /// qualified name: `nn.Dropout` -> torch.nn.Dropout, a local def -> engine.evaluate, an unshadowed builtin
    /// -> builtins.print. Names bound to parameters or computed values resolve to nil.
    public func qualifiedName(of expr: Expr) -> QualifiedName? {
        locked {
            let target: Expr
            if case .call(let function, _, _) = expr.kind { target = function } else { target = expr }
            return resolve(target, depth: 0).map(qualifiedName(of:))
        }
    }

    /// Whether `expr` evaluates to an `nn.Module` instance.
    public func isModule(_ expr: Expr) -> Bool {
        locked { if case .module = classifyTop(expr) { return true } else { return false } }
    }

    /// How a module value came to be (constructed, pretrained, copied, wrapped...), nil if not a module.
    public func moduleValue(_ expr: Expr) -> ModuleValueInfo? {
        locked {
            guard case .module(let facts) = classifyTop(expr) else { return nil }
            return ModuleValueInfo(origin: facts.origin, startsInEvalMode: facts.startsInEval, source: facts.source)
        }
    }

    /// A stable, printable access path for a module-valued expression: "model", "self.model", "model.backbone";
    /// wrappers and same-object methods see through to the wrapped module ("model.module" -> "model",
    /// "torch.compile(model)" -> "model", "model.to(device)" -> "model").
    public func modulePath(_ expr: Expr) -> String? {
        locked {
            guard case .module = classifyTop(expr) else { return nil }
            return accessPath(expr, depth: 0)
        }
    }

    /// The class a module value is an instance of, when known (a local class or a torch.nn layer).
    public func moduleClass(of expr: Expr) -> ModuleClassInfo? {
        locked {
            guard case .module(let facts) = classifyTop(expr), let classRef = facts.classRef else { return nil }
            return classInfo(classRef)
        }
    }

    /// The local class of any value (module or not) when it is known: `Trainer(...)`, `self` in a method.
    public func classOfInstance(_ expr: Expr) -> ModuleClassInfo? {
        locked {
            guard let (classFile, classStmt) = instanceClass(of: expr, depth: 0) else { return nil }
            return program.semantics(of: classFile).localClassInfo(classStmt)
        }
    }

    /// Facts about a class statement of this file; nil if `classDef` is not a class statement.
    public func classInfo(_ classDef: Stmt) -> ModuleClassInfo? {
        locked { localClassInfo(classDef) }
    }

    /// The local def or method a call reaches, possibly in another file of the program.
    public func resolveFunction(_ callee: Expr) -> FunctionRef? {
        locked { resolveFunctionRef(callee, depth: 0) }
    }

    /// What a Name/Attribute chain (or a Call's callee) refers to: an external name, a builtin, a local
    /// definition... nil for parameters and computed values.
    func resolvedTarget(of expr: Expr) -> Resolved? {
        locked {
            let target: Expr
            if case .call(let function, _, _) = expr.kind { target = function } else { target = expr }
            return resolve(target, depth: 0)
        }
    }

    /// The values a variable, or the `self.<attr>` of a class of this file, is assigned, when every binding
    /// of it is a plain assignment (`lock = threading.Lock()`, `self.ctx = nullcontext()`; `None` skipped).
    /// nil when any binding is a parameter, a loop or `with` target, an import or anything opaque, and when
    /// nothing is assigned.
    func assignedValues(of expr: Expr) -> [Expr]? {
        locked {
            var bindings: [Binding] = []
            switch expr.kind {
            case .name(let id, _):
                guard let owner = NameLookup.bindingScope(of: id.text, from: scope(of: .expr(expr))) else { return nil }
                bindings = owner.bindings[id.text] ?? []
            case .attribute(let value, let attr, _):
                guard let (classFile, classStmt) = instanceClass(of: value, depth: 0), classFile === file else { return nil }
                bindings = tables.selfAttributes[ObjectIdentifier(classStmt)]?[attr.text] ?? []
                bindings += tables.scopeOfNode[ObjectIdentifier(classStmt)]?.bindings[attr.text] ?? []
            default:
                return nil
            }
            var values: [Expr] = []
            for binding in bindings {
                switch binding.kind {
                case .value(let value, let unpack, let origin) where unpack.isEmpty && (origin == .assignment || origin == .walrus):
                    if !ValueShape.isNone(value) { values.append(value) }
                case .annotation:
                    continue
                default:
                    return nil
                }
            }
            return values.isEmpty ? nil : values
        }
    }

    /// A class's own `__enter__`-style member (looked up through its local bases), and whether any of its
    /// bases (or theirs) is not a class of the program.
    func member(_ name: String, ofClass classStmt: Stmt) -> (found: FunctionRef?, hasExternalBases: Bool) {
        locked {
            var found: FunctionRef?
            if let member = lookupMember(name, inClass: classStmt, depth: 0), case .functionDef = member.stmt.kind {
                found = program.semantics(of: member.file).functionRef(member.stmt)
            }
            return (found, hasExternalBase(classStmt, depth: 0))
        }
    }

    private func hasExternalBase(_ classStmt: Stmt, depth: Int) -> Bool {
        guard case .classDef(let cls) = classStmt.kind, depth < Self.maxResolutionDepth else { return true }
        for base in cls.bases {
            switch resolve(base, depth: depth + 1) {
            case .definition(let baseFile, let baseStmt)?:
                if program.semantics(of: baseFile).hasExternalBase(baseStmt, depth: depth + 1) { return true }
            case .builtin("object")?:
                continue
            default:
                return true
            }
        }
        return false
    }
}

/// How a module value came to be.
public struct ModuleValueInfo: Sendable {
    public enum Origin: Sendable, Equatable {
        /// `Net()`, `nn.Linear(...)`.
        case constructed
        /// torchvision / timm / torch.hub / transformers constructors.
        case library
        /// `X.from_pretrained(...)`: starts in eval mode.
        case pretrained
        /// `copy.deepcopy(m)`, `torch.jit.script(m)`: a new module with m's state at that point.
        case copy
        /// DataParallel / DDP / `torch.compile` / `accelerator.prepare`: shares the wrapped module's mode.
        case wrapper
        /// `m.to(...)`, `m.cuda()`, `m.train()`: the same object.
        case sameModule
        /// Returned by a local factory function.
        case factory
        /// A parameter annotated as a module, or the `self` of an nn.Module method.
        case parameter
        /// `self.x` / `m.sub` / `m.module`: an attribute holding a module.
        case attribute
        /// An element of a module container or of a list of modules.
        case element
        /// Unknown origin, but used as a module (`.eval()`, `.parameters()`...).
        case usage
        /// Restored from disk (`torch.jit.load`, `Model.load_from_checkpoint`): in the mode it was saved in,
        /// which is unknown here.
        case loaded
    }

    public let origin: Origin
    /// `from_pretrained` models start in eval mode; everything else in train mode (or, for copies and
    /// wrappers, in the state of `source`).
    public let startsInEvalMode: Bool
    /// The module expression a copy/wrapper/same-object call was applied to.
    public let source: Expr?
}

/// A def or method, possibly in another file of the program.
public struct FunctionRef: Sendable {
    public let file: SourceFile
    public let def: Stmt
    public let qualifiedName: QualifiedName
    public let enclosingClass: Stmt?

    public var functionDef: FunctionDef? {
        switch def.kind {
        case .functionDef(let def), .asyncFunctionDef(let def): return def
        default: return nil
        }
    }
}
