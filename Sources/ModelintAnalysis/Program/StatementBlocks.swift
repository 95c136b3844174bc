import ModelintSyntax

/// Every `import` / `from ... import` statement of a file, wherever it sits (module level, functions, branches,
/// try/except): lazy imports inside functions pull in local modules just the same.
enum ImportScan {
    static func importStatements(in module: Module) -> [Stmt] {
        var found: [Stmt] = []
        var stack: [[Stmt]] = [module.body]
        while let block = stack.popLast() {
            for stmt in block {
                switch stmt.kind {
                case .import, .importFrom:
                    found.append(stmt)
                default:
                    for child in StatementBlocks.children(of: stmt).reversed() { stack.append(child) }
                }
            }
        }
        found.sort { $0.range.start < $1.range.start }
        return found
    }
}

/// The nested statement blocks of a compound statement, in source order.
public enum StatementBlocks {
    public static func children(of stmt: Stmt) -> [[Stmt]] {
        switch stmt.kind {
        case .functionDef(let def), .asyncFunctionDef(let def): return [def.body]
        case .classDef(let cls): return [cls.body]
        case .for(_, _, let body, let orelse), .asyncFor(_, _, let body, let orelse): return [body, orelse]
        case .while(_, let body, let orelse): return [body, orelse]
        case .if(_, let body, let orelse): return [body, orelse]
        case .with(_, let body), .asyncWith(_, let body): return [body]
        case .match(_, let cases): return cases.map(\.body)
        case .try(let body, let handlers, let orelse, let finalbody),
             .tryStar(let body, let handlers, let orelse, let finalbody):
            return [body] + handlers.map(\.body) + [orelse, finalbody]
        default: return []
        }
    }
}
