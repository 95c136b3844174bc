import ModelintSyntax

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
