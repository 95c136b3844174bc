import ModelintAnalysis
import ModelintSyntax

/// What a rule sees besides the node: the file, its semantic model, the whole program, and the chain of
/// enclosing nodes. One context per file; the walker updates `ancestors` in place, so handing it to a rule
/// costs nothing. Valid only during the call it is passed to.
public final class RuleContext {
    public let program: Program
    public let file: SourceFile
    /// Built on first use: a file none of whose nodes needs a semantic question never pays for its model.
    public private(set) lazy var semantics: SemanticModel = program.semantics(of: file)
    /// Names bound by aliasing imports in this file (see `CalleeFilter`).
    private(set) lazy var importAliases: Set<String> = ImportAliases.collect(file.parsed.module.body)
    /// Enclosing expressions and statements of the node being checked, outermost first (the node itself
    /// excluded). Empty for a top-level statement and for analysis rules.
    public internal(set) var ancestors: [AnyNode]

    public init(program: Program, file: SourceFile) {
        self.program = program
        self.file = file
        self.ancestors = []
        ancestors.reserveCapacity(64)
    }

    public var source: SourceBuffer { file.parsed.source }

    /// The innermost enclosing node.
    public var parent: AnyNode? { ancestors.last }

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
        for node in ancestors.reversed() {
            if case .stmt(let s) = node {
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
        for node in ancestors.reversed() {
            guard case .stmt(let s) = node else { continue }
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
