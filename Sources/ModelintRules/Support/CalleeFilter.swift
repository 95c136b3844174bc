import ModelintSyntax

/// A cheap syntactic test run before asking the semantic model what a callee is: semantic queries take the
/// program-wide lock (and the first one builds the file's model), so rules ask only about callees that can
/// possibly match.
///
/// A callee can resolve to `torch...<name>` only if its last identifier is `<name>` (`F.dropout`,
/// `dropout`), or if it is a bare name that an import binds to `<name>` (`from torch.nn.functional import
/// dropout as drop`).
enum CalleeFilter {
    /// `names` is a short list: comparing a few strings beats hashing one.
    static func mayBe(_ callee: Expr, oneOf names: [String], _ context: RuleContext) -> Bool {
        switch callee.kind {
        case .attribute(_, let attr, _):
            return names.contains(attr.text)
        case .name(let id, _):
            if names.contains(id.text) { return true }
            guard let original = context.importAliases[id.text] else { return false }
            return names.contains(original)
        default:
            return false
        }
    }
}

/// `import a.b as c` / `from m import a as c` anywhere in a file: alias -> the last identifier it stands for.
enum ImportAliases {
    static func collect(_ body: [Stmt]) -> [String: String] {
        var aliases: [String: String] = [:]
        collect(body, into: &aliases)
        return aliases
    }

    /// Recursion follows statement nesting only, which indentation limits (CPython: 100 levels).
    private static func collect(_ body: [Stmt], into aliases: inout [String: String]) {
        for statement in body {
            switch statement.kind {
            case .import(let names), .importFrom(_, let names, _):
                for alias in names {
                    guard let asname = alias.asname else { continue }
                    let original = alias.name.text.split(separator: ".").last.map(String.init) ?? alias.name.text
                    aliases[asname.text] = original
                }
            case .functionDef(let def), .asyncFunctionDef(let def):
                collect(def.body, into: &aliases)
            case .classDef(let def):
                collect(def.body, into: &aliases)
            case .for(_, _, let body, let orelse), .asyncFor(_, _, let body, let orelse),
                 .while(_, let body, let orelse), .if(_, let body, let orelse):
                collect(body, into: &aliases)
                collect(orelse, into: &aliases)
            case .with(_, let body), .asyncWith(_, let body):
                collect(body, into: &aliases)
            case .try(let body, let handlers, let orelse, let finalbody),
                 .tryStar(let body, let handlers, let orelse, let finalbody):
                collect(body, into: &aliases)
                for handler in handlers { collect(handler.body, into: &aliases) }
                collect(orelse, into: &aliases)
                collect(finalbody, into: &aliases)
            case .match(_, let cases):
                for matchCase in cases { collect(matchCase.body, into: &aliases) }
            default:
                break
            }
        }
    }
}
