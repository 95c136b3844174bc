extension Lexer {
    /// A complete (non-f) string literal: prefix, quotes and body become one `.string` token. Escapes
    /// are only skipped here (a backslash protects the next character, raw or not); the literal
    /// decoder interprets them later.
    mutating func lexString(prefixStart start: Int, quoteAt quoteOffset: Int) {
        let quote = text[quoteOffset]
        var p = quoteOffset + 1
        var quoteSize = 1
        if byte(p) == quote {
            if byte(p + 1) == quote {
                quoteSize = 3
                p += 2
            } else {
                return emitAndAdvance(.string, start, p + 1 - start) // the empty string
            }
        }
        while true {
            guard p < end else { return unterminatedString(start, quote: quote, quoteSize: quoteSize) }
            let c = text[p]
            if c == quote {
                if quoteSize == 1 { return emitAndAdvance(.string, start, p + 1 - start) }
                if byte(p + 1) == quote && byte(p + 2) == quote { return emitAndAdvance(.string, start, p + 3 - start) }
                p += 1
            } else if c == Ascii.backslash {
                p += 1
                guard p < end else { continue }
                p += text[p] == Ascii.cr && byte(p + 1) == Ascii.lf ? 2 : 1
            } else if (c == Ascii.lf || c == Ascii.cr) && quoteSize == 1 {
                return unterminatedString(start, quote: quote, quoteSize: 1, detectedAt: p)
            } else if c == 0 {
                return fail("source code cannot contain null bytes", at: p)
            } else {
                p += 1
                // Eight bytes at a time while none of them can end the body or needs a look.
                p = ByteWords.skip(text, from: p, to: end) { word in
                    ByteWords.holds(word, quote) || ByteWords.holds(word, Ascii.backslash) || ByteWords.holdsZero(word)
                        || (quoteSize == 1 && ByteWords.holdsLineBreak(word))
                }
            }
        }
    }

    /// CPython reports an unterminated string at its start, naming the line where it gave up. Inside
    /// an f-string replacement field, a string that opens with the f-string's own quote is really a
    /// missing `}`. (3.13 adds "perhaps you escaped the end quote?"; 3.12 does not.)
    private mutating func unterminatedString(_ start: Int, quote: UInt8, quoteSize: Int, detectedAt: Int? = nil) {
        if let top = fstrings.last, top.quote == quote && top.quoteSize == quoteSize {
            return fail("f-string: expecting '}'", at: start)
        }
        let line = detectedAt.map(lineNumber) ?? lastLineNumber
        if quoteSize == 3 {
            return fail("unterminated triple-quoted string literal (detected at line \(line))", at: start)
        }
        fail("unterminated string literal (detected at line \(line))", at: start)
    }
}
