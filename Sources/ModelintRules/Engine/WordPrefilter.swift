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
    /// For each rule, its words as bytes; nil when the rule runs on every file.
    private let words: [[[UInt8]]?]

    init(_ rules: [any NodeRule]) {
        words = rules.map { rule in
            rule.requiredWords.isEmpty ? nil : rule.requiredWords.map { Array($0.utf8) }
        }
    }

    /// Indices of the rules that may find something in `bytes`.
    func applicableRules(in bytes: [UInt8]) -> [Int] {
        bytes.withUnsafeBufferPointer { buffer in
            let allRules = Array(words.indices)
            guard !Self.hasNonASCII(buffer) else { return allRules }
            return allRules.filter { index in
                guard let required = words[index] else { return true }
                return required.contains { Self.contains(buffer, $0) }
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
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let base = haystack.baseAddress, !needle.isEmpty else { return needle.isEmpty }
        let count = haystack.count
        let length = needle.count
        guard count >= length else { return false }
        let anchor = anchorIndex(needle)
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
