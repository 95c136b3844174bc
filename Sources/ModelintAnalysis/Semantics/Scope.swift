import ModelintSyntax

/// A Python scope: the module, a class body, a function, a lambda or a comprehension.
/// Built once per file by `BindingCollector`; read-only afterwards.
public final class Scope: @unchecked Sendable {
    public enum Kind: Sendable { case module, classBody, function, lambda, comprehension }

    public let kind: Kind
    public let parent: Scope?
    /// Position in the file's scope list (its children are kept there, so scopes form no reference cycles).
    let index: Int
    /// The def/class statement, or the lambda/comprehension expression; nil for the module scope.
    public let node: AnyNode?
    /// "Trainer", "fit", "<lambda>", "<listcomp>"; the module name for the module scope.
    public let name: String
    /// Names of the enclosing defs and classes within the file, then this one: ["Trainer", "fit"].
    public let qualifiedPath: [String]
    /// Where names bound in this scope are visible: the body (not decorators, defaults or annotations).
    let bodyRange: TextRange
    /// Comprehensions evaluate their first iterable in the enclosing scope.
    let outerRange: TextRange?

    var bindings: [String: [Binding]] = [:]
    var globals: Set<String> = []
    var nonlocals: Set<String> = []

    init(kind: Kind, parent: Scope?, index: Int, node: AnyNode?, name: String, qualifiedPath: [String],
         bodyRange: TextRange, outerRange: TextRange? = nil) {
        self.kind = kind
        self.parent = parent
        self.index = index
        self.node = node
        self.name = name
        self.qualifiedPath = qualifiedPath
        self.bodyRange = bodyRange
        self.outerRange = outerRange
    }

    /// Whether `name` is bound in this scope itself (assigned, imported, defined, a parameter...).
    public func binds(_ name: String) -> Bool { bindings[name] != nil && !globals.contains(name) }

    /// Names bound in this scope, sorted.
    public var boundNames: [String] { bindings.keys.sorted() }

    /// The def statement of a function scope.
    public var functionStatement: Stmt? {
        if case .stmt(let stmt)? = node, kind == .function { return stmt }
        return nil
    }

    /// The class statement of a class scope.
    public var classStatement: Stmt? {
        if case .stmt(let stmt)? = node, kind == .classBody { return stmt }
        return nil
    }

    /// The nearest function scope at or above this one (lambdas and comprehensions are skipped).
    public var enclosingFunction: Scope? {
        var scope: Scope? = self
        while let current = scope {
            if current.kind == .function { return current }
            scope = current.parent
        }
        return nil
    }

    /// For a method's scope: the class it is defined in.
    public var methodClass: Scope? {
        guard kind == .function, let parent, parent.kind == .classBody else { return nil }
        return parent
    }

    /// Records a binding where Python puts it: `global x` sends assignments to the module scope, `nonlocal x`
    /// to the enclosing function that owns x.
    func add(_ name: String, _ binding: Binding) {
        if globals.contains(name) {
            NameLookup.root(of: self).bindings[name, default: []].append(binding)
            return
        }
        if nonlocals.contains(name) {
            var current = parent
            while let scope = current {
                if scope.kind != .classBody && scope.kind != .module
                    && (scope.bindings[name] != nil || scope.nonlocals.contains(name)) {
                    scope.add(name, binding)
                    return
                }
                current = scope.parent
            }
        }
        bindings[name, default: []].append(binding)
    }
}

/// One place where a name gets a value.
struct Binding {
    enum Kind {
        /// `import a.b.c` binds `a` (segments ["a"]); `import a.b as x` binds `x` (["a", "b"]).
        case importModule(segments: [String])
        /// `from module import name`; `module` is empty for `from . import name`.
        case importFrom(module: [String], level: Int, name: String)
        case function(Stmt)
        case classDef(Stmt)
        /// A plain or annotated assignment, walrus or for/with/comprehension target. `unpack` is the index path
        /// into the value when the target is a tuple/list (`a, (b, c) = v`: b -> [1, 0]).
        case value(Expr, unpack: [Int], origin: ValueOrigin)
        /// `x: T` (with or without a value).
        case annotation(Expr)
        /// A function parameter; `index` counts positional parameters including `self`.
        case parameter(function: AnyNode, arg: Arg, index: Int, isFirstOfMethod: Bool, isVariadic: Bool)
        /// Anything whose value is unknowable here: `x += 1`, `except E as x`, match captures, starred targets.
        case opaque
        case deletion
    }

    enum ValueOrigin { case assignment, forTarget, withTarget, comprehensionTarget, walrus }

    let kind: Kind
    /// Byte offset of the bound name, for source order.
    let position: UInt32
}
