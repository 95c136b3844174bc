import Foundation

extension PythonParser {
    /// The identifier a NAME token spells. Non-ASCII names are NFKC-normalised, as CPython does;
    /// ASCII names (nearly all) skip the normalisation.
    mutating func identifier(_ token: Token) -> Identifier {
        let bytes = UnsafeBufferPointer(rebasing: text[Int(token.range.start)..<Int(token.range.end)])
        var ascii = true
        if !namesAreASCII {
            for byte in bytes where byte >= 0x80 {
                ascii = false
                break
            }
        }
        if ascii { return Identifier(shortNames.name(text, Int(token.range.start), bytes.count), token.range) }
        let spelled = String(decoding: bytes, as: UTF8.self)
        return Identifier(spelled.precomposedStringWithCompatibilityMapping, token.range)
    }

    /// Consumes a NAME token and returns its identifier.
    mutating func expectName(_ description: String = "a name") throws(ParseFailure) -> Identifier {
        guard kind == .name else { throw unexpected(expecting: description) }
        let name = identifier(token)
        advance()
        return name
    }

    /// True when the token `offset` places ahead is the NAME `word` (soft keywords are names).
    mutating func isName(_ word: StaticString, ahead offset: Int = 0) -> Bool {
        let index = pos + offset
        guard index < tokens.count, tokens[index].kind == .name else { return false }
        let range = tokens[index].range
        let count = word.utf8CodeUnitCount
        guard range.length == count else { return false }
        let base = Int(range.start)
        for i in 0..<count where text[base + i] != word.utf8Start[i] { return false }
        return true
    }

    /// True when the current token's text is exactly `spelling` (e.g. `!=` versus the lexer's `<>`).
    mutating func spelled(_ spelling: StaticString) -> Bool {
        let range = tokens[pos].range
        let count = spelling.utf8CodeUnitCount
        guard range.length == count else { return false }
        let base = Int(range.start)
        for i in 0..<count where text[base + i] != spelling.utf8Start[i] { return false }
        return true
    }

    /// A Name expression for the current NAME token, consumed.
    mutating func parseName(_ context: ExprContext) throws(ParseFailure) -> Expr {
        let name = try expectName()
        return Expr(.name(id: name, ctx: context), name.range)
    }
}
