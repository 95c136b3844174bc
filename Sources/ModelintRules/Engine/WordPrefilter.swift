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
/// watch (a tree parsed elsewhere, tests) is searched in its bytes instead: one pass over runs of name bytes,
/// strings and comments included — never a missed word, at worst a wasted walk.
struct WordPrefilter {
    /// Each distinct word once (several rules share `train` and `eval`); bit i of a result is `watch.names[i]`.
    let watch: NameWatch
    /// For each rule, the mask of its words; nil when the rule runs on every file.
    private let ruleWords: [UInt64?]
    /// Word indices by length, for the byte search.
    private let wordsByLength: [[Int]]
    private let spellings: [[UInt8]]

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
        spellings = names.map { Array($0.text.utf8) }
        var byLength = [[Int]](repeating: [], count: (spellings.map(\.count).max() ?? 0) + 1)
        for (index, spelling) in spellings.enumerated() { byLength[spelling.count].append(index) }
        wordsByLength = byLength
    }

    /// Indices of the rules that may find something in a file: its bytes, whether the lexer saw a non-ASCII
    /// name, and the watch it was lexed with with the watched names it found.
    func applicableRules(in bytes: [UInt8], hasNonASCIINames: Bool, lexedWith lexerWatch: NameWatch?,
                         watchedNames: UInt64) -> [Int] {
        guard !hasNonASCIINames else { return Array(ruleWords.indices) }
        let found = lexerWatch == watch ? watchedNames : presentWords(in: bytes)
        return ruleWords.indices.filter { rule in
            guard let required = ruleWords[rule] else { return true }
            return required & found != 0
        }
    }

    /// The byte search: bit i set when word i occurs in its position somewhere in `bytes`.
    func presentWords(in bytes: [UInt8]) -> UInt64 {
        var found: UInt64 = 0
        let all: UInt64 = spellings.count == 64 ? ~0 : (1 << UInt64(spellings.count)) - 1
        guard all != 0 else { return 0 }
        bytes.withUnsafeBufferPointer { text in
            let count = text.count
            var index = 0
            while index < count && found != all {
                guard Self.isNameByte(text[index]) else {
                    index += 1
                    continue
                }
                let start = index
                while index < count && Self.isNameByte(text[index]) { index += 1 }
                let length = index - start
                guard length < wordsByLength.count else { continue }
                for word in wordsByLength[length] where found & (1 << UInt64(word)) == 0 {
                    if Self.equals(text, start, spellings[word])
                        && (!watch.names[word].onlyAsAttribute || Self.followsADot(text, start)) {
                        found |= 1 << UInt64(word)
                    }
                }
            }
        }
        return found
    }

    /// Letters, digits, `_`, and any non-ASCII byte (part of a name, or inside a string or comment where
    /// the rules do not look).
    @inline(__always)
    static func isNameByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || byte == 0x5F || (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A)
    }

    @inline(__always)
    private static func equals(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ word: [UInt8]) -> Bool {
        for offset in word.indices where text[start + offset] != word[offset] { return false }
        return true
    }

    /// Whether the name at `start` is an attribute: a `.` before it. Between the `.` and the name Python
    /// allows blanks and backslash continuations, and inside brackets line breaks with comments; a line
    /// break before the name is therefore accepted without looking further.
    static func followsADot(_ text: UnsafeBufferPointer<UInt8>, _ start: Int) -> Bool {
        var index = start - 1
        while index >= 0 {
            switch text[index] {
            case 0x20, 0x09, 0x0C, 0x5C: index -= 1  // space, tab, form feed, backslash
            case 0x0A, 0x0D: return true
            case 0x2E: return true  // `.`
            default: return false
            }
        }
        return false
    }
}
