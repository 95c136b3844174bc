import ModelintSyntax

/// A cheap syntactic test run before asking the semantic model what a callee is: semantic queries take the
/// program-wide lock, so rules ask only about callees that can possibly match.
///
/// A callee can resolve to `torch...<name>` only if its last identifier is `<name>` (`F.dropout`,
/// `dropout`), or if it is a bare name bound by an aliasing import (`from torch.nn.functional import dropout
/// as drop`).
enum CalleeFilter {
    static func mayBe(_ callee: Expr, oneOf names: Set<String>, _ context: RuleContext) -> Bool {
        switch callee.kind {
        case .attribute(_, let attr, _):
            return names.contains(attr.text)
        case .name(let id, _):
            return names.contains(id.text) || context.importAliases.contains(id.text)
        default:
            return false
        }
    }
}

/// Names bound by `import a as b` / `from m import a as b` anywhere in a file.
enum ImportAliases {
    static func collect(_ body: [Stmt]) -> Set<String> {
        var names = Set<String>()
        var pending = body[...].reversed().map { $0 }
        while let statement = pending.popLast() {
            switch statement.kind {
            case .import(let aliases), .importFrom(_, let aliases, _):
                for alias in aliases { if let asname = alias.asname { names.insert(asname.text) } }
            case .functionDef(let def), .asyncFunctionDef(let def):
                pending.append(contentsOf: def.body)
            case .classDef(let def):
                pending.append(contentsOf: def.body)
            case .for(_, _, let body, let orelse), .asyncFor(_, _, let body, let orelse),
                 .while(_, let body, let orelse), .if(_, let body, let orelse):
                pending.append(contentsOf: body)
                pending.append(contentsOf: orelse)
            case .with(_, let body), .asyncWith(_, let body):
                pending.append(contentsOf: body)
            case .try(let body, let handlers, let orelse, let finalbody),
                 .tryStar(let body, let handlers, let orelse, let finalbody):
                pending.append(contentsOf: body)
                for handler in handlers { pending.append(contentsOf: handler.body) }
                pending.append(contentsOf: orelse)
                pending.append(contentsOf: finalbody)
            case .match(_, let cases):
                for matchCase in cases { pending.append(contentsOf: matchCase.body) }
            default:
                break
            }
        }
        return names
    }
}
