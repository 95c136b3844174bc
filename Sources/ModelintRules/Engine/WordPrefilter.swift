#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decides, from a file's bytes alone, which node rules can possibly report in it, so files that cannot hold
/// a finding are not walked at all.
///
/// A rule that matches an identifier (`eval`, `dropout`, `no_grad`...) can only fire where that identifier
/// is spelled in the file — at the use or in the aliasing import. That holds for ASCII source; Python
/// normalises non-ASCII identifiers (NFKC: `ｅval` is `eval`), so a file with any non-ASCII byte runs every
/// rule.
struct WordPrefilter {
    /// A word to look for, with the offset of its rarest byte.
    struct Word {
        let bytes: [UInt8]
        let anchor: Int
    }

    /// Each distinct word once (several rules share `train` and `eval`).
    private let words: [Word]
    /// For each rule, indices into `words`; nil when the rule runs on every file.
    private let ruleWords: [[Int]?]

    init(_ rules: [any NodeRule]) {
        var words: [Word] = []
        var indexOf: [String: Int] = [:]
        ruleWords = rules.map { rule in
            guard !rule.requiredWords.isEmpty else { return nil }
            return rule.requiredWords.map { word in
                if let index = indexOf[word] { return index }
                let bytes = Array(word.utf8)
                words.append(Word(bytes: bytes, anchor: Self.anchorIndex(bytes)))
                indexOf[word] = words.count - 1
                return words.count - 1
            }
        }
        self.words = words
    }

    /// Indices of the rules that may find something in `bytes`.
    func applicableRules(in bytes: [UInt8]) -> [Int] {
        bytes.withUnsafeBufferPointer { buffer in
            guard !Self.hasNonASCII(buffer) else { return Array(ruleWords.indices) }
            // Searched on demand, each word at most once per file.
            var found = [Bool?](repeating: nil, count: words.count)
            func present(_ index: Int) -> Bool {
                if let known = found[index] { return known }
                let result = Self.contains(buffer, words[index])
                found[index] = result
                return result
            }
            return ruleWords.indices.filter { rule in
                guard let required = ruleWords[rule] else { return true }
                return required.contains(where: present)
            }
        }
    }

    /// Lowercase letters and `_` from most to least frequent in Python source (measured on the CPython
    /// standard library). A search anchors on the word's rarest byte, so `memchr` stops less often.
    private static let frequencyOrder = Array("estaronilfcd_pumhgbxywkvqzj".utf8)

    static func anchorIndex(_ word: [UInt8]) -> Int {
        var best = 0
        var bestRank = -1
        for (index, byte) in word.enumerated() {
            let rank = frequencyOrder.firstIndex(of: byte) ?? frequencyOrder.count
            if rank > bestRank { best = index; bestRank = rank }
        }
        return best
    }

    /// Substring search: `memchr` for the word's rarest byte, then an inline comparison (`memmem` is not
    /// portable).
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ word: Word) -> Bool {
        let needle = word.bytes
        guard let base = haystack.baseAddress, !needle.isEmpty else { return needle.isEmpty }
        let count = haystack.count
        let length = needle.count
        guard count >= length else { return false }
        let anchor = word.anchor
        let anchorByte = Int32(needle[anchor])
        return needle.withUnsafeBufferPointer { word in
            // Candidate starts run from 0 to count - length; the anchor sits `anchor` bytes in.
            var position = anchor
            let lastPosition = count - length + anchor
            while position <= lastPosition {
                guard let hit = memchr(base + position, anchorByte, lastPosition - position + 1) else { return false }
                let found = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                let start = found - anchor
                var matched = 0
                while matched < length && base[start + matched] == word[matched] { matched += 1 }
                if matched == length { return true }
                position = found + 1
            }
            return false
        }
    }

    /// Eight bytes at a time.
    static func hasNonASCII(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = buffer.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        let count = buffer.count
        var index = 0
        while index + 8 <= count {
            if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return true }
            index += 8
        }
        while index < count {
            if buffer[index] >= 0x80 { return true }
            index += 1
        }
        return false
    }
}
