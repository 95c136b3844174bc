import ModelintSyntax

/// The files of the program a file imports (at any depth of its body), for the relevance pre-check.
enum LocalImports {
    static func files(importedBy file: SourceFile, in program: Program) -> [SourceFile] {
        var result: [SourceFile] = []
        func add(_ dotted: String) {
            if let target = program.file(forModule: dotted), target !== file { result.append(target) }
        }
        func visit(_ body: [Stmt]) {
            for statement in body {
                switch statement.kind {
                case .import(let names):
                    for alias in names { add(alias.name.text) }
                case .importFrom(let module, let names, let level):
                    let base = resolve(module?.text, level: level, from: file)
                    if let base {
                        add(base)
                        for alias in names { add(base.isEmpty ? alias.name.text : base + "." + alias.name.text) }
                    }
                case .functionDef(let def), .asyncFunctionDef(let def): visit(def.body)
                case .classDef(let def): visit(def.body)
                case .if(_, let body, let orelse), .while(_, let body, let orelse),
                     .for(_, _, let body, let orelse), .asyncFor(_, _, let body, let orelse):
                    visit(body)
                    visit(orelse)
                case .try(let body, let handlers, let orelse, let finalbody),
                     .tryStar(let body, let handlers, let orelse, let finalbody):
                    visit(body)
                    handlers.forEach { visit($0.body) }
                    visit(orelse)
                    visit(finalbody)
                case .with(_, let body), .asyncWith(_, let body):
                    visit(body)
                default:
                    break
                }
            }
        }
        visit(file.parsed.module.body)
        return result
    }

    /// The absolute dotted name of `from <dots><module> import ...` in `file`.
    private static func resolve(_ module: String?, level: Int, from file: SourceFile) -> String? {
        guard level > 0 else { return module }
        var package = file.moduleName.split(separator: ".").map(String.init)
        if !file.isPackageInit { package = Array(package.dropLast()) }
        guard level - 1 <= package.count else { return nil }
        package = Array(package.dropLast(level - 1))
        if let module { package.append(module) }
        return package.joined(separator: ".")
    }
}
