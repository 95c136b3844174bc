import ModelintSyntax

/// The files of the program a file imports (at any depth of its body, read from its import records without
/// its tree), for the relevance pre-check.
enum LocalImports {
    static func files(importedBy file: SourceFile, in program: Program) -> [SourceFile] {
        var result: [SourceFile] = []
        func add(_ dotted: String) {
            if let target = program.file(forModule: dotted), target !== file { result.append(target) }
        }
        for record in file.imports {
            if !record.isFrom {
                record.names.forEach(add)
            } else if let base = resolve(record.fromModule, level: record.level, from: file) {
                add(base)
                for name in record.names { add(base.isEmpty ? name : base + "." + name) }
            }
        }
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
