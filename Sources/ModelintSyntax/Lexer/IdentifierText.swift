import Foundation

/// The identifier a name token stands for. CPython NFKC-normalises non-ASCII identifiers (PEP 3131),
/// so `ﬁle` and `file` are the same name; ASCII names, nearly all of them, are returned as written.
public enum IdentifierText {
    public static func normalized(_ source: SourceBuffer, _ token: Token) -> String {
        let range = Int(token.range.start)..<Int(token.range.end)
        let text = source.text(token.range)
        if source.bytes[range].allSatisfy({ $0 < 0x80 }) { return text }
        return text.precomposedStringWithCompatibilityMapping
    }
}
