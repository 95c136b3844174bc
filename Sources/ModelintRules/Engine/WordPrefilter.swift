/// Decides, from a file's bytes alone, which node rules can possibly report in it, so files that cannot hold
/// a finding are not walked at all — and the loader need not keep their trees.
///
/// A rule that matches an identifier (`eval`, `dropout`, `no_grad`...) can only fire where that identifier
/// is spelled in the file — at the use or in the aliasing import. That holds for ASCII names; Python
/// normalises non-ASCII identifiers (NFKC: `ｅval` is `eval`), so a file with a non-ASCII name (the lexer
/// says) runs every rule.
///
/// The search is one pass over the file's runs of name bytes (letters, digits, `_`): strings and comments
/// are searched too, which can only make a rule run where it finds nothing.
struct WordPrefilter {
    struct Word {
        let bytes: [UInt8]
        let position: RequiredWord.Position
    }

    /// Each distinct word once (several rules share `train` and `eval`).
    private let words: [Word]
    /// For each rule, indices into `words`; nil when the rule runs on every file.
    private let ruleWords: [[Int]?]
    /// Whole-name words (`.name`, `.attribute`) by their length: a run is compared only with words as long.
    private let wholeWordsByLength: [[Int]]
    /// `.anywhere` words, looked for inside runs at least as long as the shortest of them.
    private let partWords: [Int]
    private let shortestPartWord: Int

    init(_ rules: [any NodeRule]) {
        var words: [Word] = []
        var indexOf: [RequiredWord: Int] = [:]
        ruleWords = rules.map { rule in
            guard !rule.requiredWords.isEmpty else { return nil }
            return rule.requiredWords.map { word in
                if let index = indexOf[word] { return index }
                words.append(Word(bytes: Array(word.text.utf8), position: word.position))
                indexOf[word] = words.count - 1
                return words.count - 1
            }
        }
        self.words = words
        var byLength = [[Int]](repeating: [], count: (words.map(\.bytes.count).max() ?? 0) + 1)
        var parts: [Int] = []
        for (index, word) in words.enumerated() {
            if word.position == .anywhere { parts.append(index) } else { byLength[word.bytes.count].append(index) }
        }
        wholeWordsByLength = byLength
        partWords = parts
        shortestPartWord = parts.map { words[$0].bytes.count }.min() ?? Int.max
    }

    /// Indices of the rules that may find something in `bytes`. `hasNonASCIINames`: the lexer saw a name
    /// spelled with non-ASCII characters (`ParsedModule.hasNonASCIINames`).
    func applicableRules(in bytes: [UInt8], hasNonASCIINames: Bool) -> [Int] {
        guard !hasNonASCIINames else { return Array(ruleWords.indices) }
        let found = presentWords(in: bytes)
        return ruleWords.indices.filter { rule in
            guard let required = ruleWords[rule] else { return true }
            return required.contains { found[$0] }
        }
    }

    /// For each word, whether it occurs in its position somewhere in `bytes`. The hot loop only classifies
    /// bytes; a run is looked at only when its length is that of a whole-name word (a bit test) or at least
    /// that of the shortest `.anywhere` word.
    func presentWords(in bytes: [UInt8]) -> [Bool] {
        var found = [Bool](repeating: false, count: words.count)
        guard !words.isEmpty else { return found }
        var missing = words.count
        let wholeLengths = wholeWordsByLength.indices.reduce(UInt64(0)) { mask, length in
            !wholeWordsByLength[length].isEmpty && length < 64 ? mask | (1 << UInt64(length)) : mask
        }
        let shortestPart = shortestPartWord
        bytes.withUnsafeBufferPointer { text in
            Self.nameBytes.withUnsafeBufferPointer { isName in
                let count = text.count
                var index = 0
                while index < count {
                    guard isName[Int(text[index])] else {
                        index += 1
                        continue
                    }
                    let start = index
                    index += 1
                    while index < count && isName[Int(text[index])] { index += 1 }
                    let length = index - start
                    let isWholeLength = length < 64 && wholeLengths & (1 << UInt64(length)) != 0
                    guard isWholeLength || length >= shortestPart else { continue }
                    if isWholeLength {
                        for word in wholeWordsByLength[length] where !found[word] {
                            if Self.equals(text, start, words[word].bytes)
                                && (words[word].position != .attribute || Self.followsADot(text, start)) {
                                found[word] = true
                                missing -= 1
                            }
                        }
                    }
                    if length >= shortestPart {
                        for word in partWords where !found[word] && Self.runContains(text, start, length, words[word].bytes) {
                            found[word] = true
                            missing -= 1
                        }
                    }
                    if missing == 0 { return }
                }
            }
        }
        return found
    }

    /// `nameBytes[b]`: `isNameByte(b)`, as a table for the hot loop.
    private static let nameBytes: [Bool] = (0...255).map { isNameByte(UInt8($0)) }

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

    private static func runContains(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int,
                                    _ word: [UInt8]) -> Bool {
        guard length >= word.count else { return false }
        let first = word[0]
        for candidate in start...(start + length - word.count) where text[candidate] == first {
            if equals(text, candidate, word) { return true }
        }
        return false
    }

    /// Whether the name at `start` is an attribute: a `.` before it. Between the `.` and the name Python
    /// allows blanks and backslash continuations, and inside brackets line breaks with comments; a line
    /// break before the name is therefore accepted without looking further (a wasted walk, never a missed
    /// finding).
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
