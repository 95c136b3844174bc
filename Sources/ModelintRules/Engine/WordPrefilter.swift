import ModelintSyntax

/// Decides which node rules can possibly report in a file, so files that cannot hold a finding are not
/// walked at all — and the loader need not keep their trees.
///
/// A rule that matches a name (`eval`, `dropout`, `no_grad`...) can only fire where that name is spelled in
/// the file — at the use or in the aliasing import. That holds for ASCII names; Python normalises non-ASCII
/// identifiers (NFKC: `ｅval` is `eval`), so a file with a non-ASCII name (the lexer says) runs every rule.
///
/// The words are handed to the lexer as a `NameWatch` when the checker's program is loaded, which makes the
/// test free and exact (name tokens only, attributes by the token before them). A file lexed without that
/// watch (a program loaded by other means) runs every rule: never a missed finding, at worst a wasted walk.
struct WordPrefilter {
    /// Each distinct word once (several rules share `train` and `eval`); bit i of a result is `watch.names[i]`.
    let watch: NameWatch
    /// For each rule, the mask of its words; nil when the rule runs on every file.
    private let ruleWords: [UInt64?]

    init(_ rules: [any NodeRule]) {
        var names: [NameWatch.Name] = []
        var indexOf: [RequiredWord: Int] = [:]
        ruleWords = rules.map { rule in
            guard !rule.requiredWords.isEmpty else { return nil }
            return rule.requiredWords.reduce(UInt64(0)) { mask, word in
                let index = indexOf[word] ?? {
                    names.append(NameWatch.Name(word.text, onlyAsAttribute: word.position == .attribute))
                    indexOf[word] = names.count - 1
                    return names.count - 1
                }()
                return mask | (1 << UInt64(index))
            }
        }
        watch = NameWatch(names)
    }

    /// Indices of the rules that may find something in a file, from what its lexer reported: whether it saw a
    /// non-ASCII name, the watch it was lexed with and the watched names it found.
    func applicableRules(hasNonASCIINames: Bool, lexedWith lexerWatch: NameWatch?, watchedNames: UInt64) -> [Int] {
        guard !hasNonASCIINames, lexerWatch == watch else { return Array(ruleWords.indices) }
        return ruleWords.indices.filter { rule in
            guard let required = ruleWords[rule] else { return true }
            return required & watchedNames != 0
        }
    }
}
