import ModelintAnalysis
import ModelintSyntax

/// What a rule sees besides the node: the file, its semantic model, the whole program, and the chain of
/// enclosing nodes. One context per file; the walker updates the ancestor stack in place, so handing it to a rule
/// costs nothing. Valid only during the call it is passed to.
public final class RuleContext {
    public let program: Program
    public let file: SourceFile
    /// Built on first use: a file none of whose nodes needs a semantic question never pays for its model.
    public private(set) lazy var semantics: SemanticModel = program.semantics(of: file)
    /// Names bound by aliasing imports in this file -> what they stand for (see `CalleeFilter`).
    private(set) lazy var importAliases: [String: String] = ImportAliases.collect(file.module.body)
    /// An enclosing node as the walker keeps it: unretained, because the tree outlives the walk.
    enum Ancestor {
        case expr(Unmanaged<Expr>)
        case stmt(Unmanaged<Stmt>)

        var node: AnyNode {
            switch self {
            case .expr(let e): return .expr(e.takeUnretainedValue())
            case .stmt(let s): return .stmt(s.takeUnretainedValue())
            }
        }
    }

    /// Maintained by the walker, innermost last. Only the walking thread touches it, so the dynamic
    /// exclusivity check a class property gets on every push and pop is skipped.
    @exclusivity(unchecked) var ancestorStack: [Ancestor] = []

    /// Enclosing expressions and statements of the node being checked, outermost first (the node itself
    /// excluded). Empty for a top-level statement and for analysis rules. Built on each call: prefer `parent`,
    /// `enclosingFunction` and `enclosingMethod`, which do not allocate.
    public var ancestors: [AnyNode] { ancestorStack.map(\.node) }

    public init(program: Program, file: SourceFile) {
        self.program = program
        self.file = file
        ancestorStack.reserveCapacity(64)
    }

    public var source: SourceBuffer { file.source }

    /// The innermost enclosing node.
    public var parent: AnyNode? { ancestorStack.last?.node }

    /// Line (1-based) and byte column (0-based) of a position.
    public func location(of offset: UInt32) -> SourceLocation { source.location(offset) }

    public func location(of range: TextRange) -> SourceLocation { source.location(range.start) }

    /// The source text of a range, as written.
    public func text(of range: TextRange) -> String { source.text(range) }

    public func text(of expr: Expr) -> String { source.text(expr.range) }

    /// The text of an expression for a one-line message: whitespace runs (line breaks included) become one
    /// space, and long text is shortened with an ellipsis.
    public func snippet(of expr: Expr, limit: Int = 60) -> String {
        var result = ""
        var pendingSpace = false
        for scalar in source.text(expr.range).unicodeScalars {
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.unicodeScalars.append(" "); pendingSpace = false }
            result.unicodeScalars.append(scalar)
        }
        guard result.unicodeScalars.count > limit else { return result }
        return String(String.UnicodeScalarView(result.unicodeScalars.prefix(limit - 1))) + "…"
    }

    /// The innermost enclosing `def` / `async def`, if any.
    public var enclosingFunction: Stmt? {
        for ancestor in ancestorStack.reversed() {
            if case .stmt(let reference) = ancestor {
                let s = reference.takeUnretainedValue()
                switch s.kind {
                case .functionDef, .asyncFunctionDef: return s
                default: continue
                }
            }
        }
        return nil
    }

    /// The method the node is in (the outermost `def` directly in a class body) and that class, if any.
    /// Nested functions and lambdas inside a method count as part of it.
    public var enclosingMethod: (method: Stmt, def: FunctionDef, classDef: Stmt)? {
        var previous: Stmt?
        for ancestor in ancestorStack.reversed() {
            guard case .stmt(let reference) = ancestor else { continue }
            let s = reference.takeUnretainedValue()
            if case .classDef = s.kind, let method = previous {
                switch method.kind {
                case .functionDef(let def), .asyncFunctionDef(let def): return (method, def, s)
                default: break
                }
            }
            previous = s
        }
        return nil
    }
}
