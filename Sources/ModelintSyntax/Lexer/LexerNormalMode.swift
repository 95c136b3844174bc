extension Lexer {
    /// One step of CPython's `tok_get_normal_mode`: skips blanks and comments, then lexes a single
    /// token (or a line break, which may or may not be a NEWLINE).
    mutating func lexNormalToken() {
        var p = pos
        while true {
            let b = byte(p)
            if b == Ascii.space || b == Ascii.tab || b == Ascii.formFeed { p += 1 } else { break }
        }
        pos = p
        guard p < end else { return lexEndOfFile() }
        let c = text[p]

        // Names first: they are the most frequent token. The ASCII path never decodes.
        if c.isPotentialIdentifierStart {
            return lexNameOrPrefixedString(at: p)
        }
        switch c {
        case Ascii.lf, Ascii.cr:
            let length = newlineLength(at: p)
            if brackets.isEmpty && lineHasTokens {
                emit(.newline, p, p + length)
                lineHasTokens = false
            }
            pos = p + length
            atLineStart = true
        case Ascii.hash:
            var q = p + 1
            q = ByteWords.skip(text, from: q, to: end, until: ByteWords.holdsLineBreak)
            while q < end {
                let b = text[q]
                if b == Ascii.lf || b == Ascii.cr { break }
                q += 1
            }
            comments.append(TextRange(p, q))
            pos = q
        case Ascii.zero...(Ascii.zero + 9):
            lexNumber(at: p)
        case Ascii.dot:
            if byte(p + 1).isDigit {
                lexNumber(at: p)
            } else if byte(p + 1) == Ascii.dot && byte(p + 2) == Ascii.dot {
                emitAndAdvance(.ellipsis, p, 3)
            } else {
                emitAndAdvance(.dot, p, 1)
            }
        case Ascii.doubleQuote, Ascii.singleQuote:
            lexString(prefixStart: p, quoteAt: p)
        case Ascii.backslash:
            guard let next = continuationLine(afterBackslashAt: p) else { return }
            pos = next
        case 0:
            fail("source code cannot contain null bytes", at: p)
        default:
            lexOperator(at: p, c)
        }
    }

    /// Emits a token of `length` bytes at `p` and continues after it.
    @inline(__always) mutating func emitAndAdvance(_ kind: TokenKind, _ p: Int, _ length: Int) {
        emit(kind, p, p + length)
        pos = p + length
    }
}
