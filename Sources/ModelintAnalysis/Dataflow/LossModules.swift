import ModelintSyntax

/// Loss and metric modules are nn.Modules, but calling one computes a loss, not a model's forward pass: it
/// is neither an evaluation in train mode nor a forward that needs `no_grad`.
enum LossModules {
    /// `CrossEntropyLoss`, `LabelSmoothingCrossEntropy`, `BinaryCrossEntropy`, `DiceCriterion`, `criterion`,
    /// `loss_fn`, `dist_loss`.
    static func isLossName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix("loss") || lower.hasPrefix("loss") || lower.contains("criterion")
            || lower.contains("crossentropy") || lower.contains("_loss") || lower.hasSuffix("divergence")
    }

    /// A loss class by its name or, for local classes, by a base that is one (torch's `_Loss`,
    /// `_WeightedLoss`, any `*Loss`), through local base classes up to a small depth.
    static func isLossClass(_ info: ModuleClassInfo, _ analyzer: ModeAnalyzer) -> Bool {
        if isLossName(info.name.last) { return true }
        guard let file = info.file, let classDef = info.classDef else { return false }
        return hasLossBase(classDef, in: file, analyzer, depth: 0)
    }

    private static func hasLossBase(_ classDef: Stmt, in file: SourceFile, _ analyzer: ModeAnalyzer, depth: Int) -> Bool {
        guard depth < 8, case .classDef(let def) = classDef.kind else { return false }
        let semantics = analyzer.cachedSemantics(of: file)
        for base in def.bases {
            let spelled: String
            switch base.kind {
            case .name(let id, _): spelled = id.text
            case .attribute(_, let attr, _): spelled = attr.text
            default: continue
            }
            if spelled == "_Loss" || spelled == "_WeightedLoss" || isLossName(spelled) { return true }
            guard let name = semantics.qualifiedName(of: base), name.segments.count > 1,
                  let owner = analyzer.program.file(forModule: name.segments.dropLast().joined(separator: ".")) else { continue }
            for statement in owner.module.body {
                if case .classDef(let baseDef) = statement.kind, baseDef.name.text == name.last,
                   hasLossBase(statement, in: owner, analyzer, depth: depth + 1) {
                    return true
                }
            }
        }
        return false
    }
}
