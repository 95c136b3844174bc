/// One f-string being lexed: CPython's `tokenizer_mode` for `TOK_FSTRING_MODE`.
struct FStringState {
    var quote: UInt8
    var quoteSize: Int
    var isRaw: Bool
    /// Offset of the prefix, where "unterminated f-string" errors point.
    var start: Int
    /// True while lexing literal text (FSTRING_MIDDLE), false inside a replacement field.
    var inLiteral = true
    /// Brackets opened inside this f-string's fields and not yet closed (CPython's `curly_bracket_depth`,
    /// which counts every bracket kind).
    var bracketDepth = 0
    /// `bracketDepth` just outside the innermost open field; -1 when no field is open
    /// (CPython's `curly_bracket_expr_start_depth`).
    var exprStartDepth = -1
    /// Lexing a format spec (after the field's top-level `:`), where `{` always opens a nested field.
    var inFormatSpec = false
}

extension Lexer {
    /// FSTRING_START: the prefix and opening quote(s); the literal text follows in f-string mode.
    mutating func lexFStringStart(prefixStart start: Int, quoteAt quoteOffset: Int, raw: Bool) {
        let quote = text[quoteOffset]
        let quoteSize = byte(quoteOffset + 1) == quote && byte(quoteOffset + 2) == quote ? 3 : 1
        let stop = quoteOffset + quoteSize
        if fstrings.count >= Lexer.maxFStringNesting {
            return fail("too many nested f-strings", start, stop)
        }
        fstrings.append(FStringState(quote: quote, quoteSize: quoteSize, isRaw: raw, start: start))
        emitAndAdvance(.fstringStart, start, stop - start)
    }

    /// CPython's `tok_get_fstring_mode`: the closing quote (FSTRING_END), or one run of literal text
    /// up to a replacement field, the end of a format spec, or the closing quote.
    ///
    /// Unlike CPython, which splits the text after `{{`, `}}` and `\N{...}`, one FSTRING_MIDDLE covers
    /// the whole run (the literal decoder handles the doubled braces), and empty runs are not emitted.
    mutating func lexFStringLiteral() {
        let index = fstrings.count - 1
        var mode = fstrings[index]
        defer { if !finished && index < fstrings.count { fstrings[index] = mode } }
        let start = pos
        if isClosingQuote(start, mode) {
            fstrings.removeLast()
            return emitAndAdvance(.fstringEnd, start, mode.quoteSize)
        }
        var p = start
        var inNamedEscape = false
        while true {
            guard p < end else { return unterminatedFString(mode) }
            let c = text[p]
            if c == Ascii.lf || c == Ascii.cr {
                if mode.quoteSize == 1 {
                    guard mode.inFormatSpec else { return unterminatedFString(mode, detectedAt: p) }
                    // CPython 3.12 ends the format spec at the line break and lexes on in the field
                    // (3.13.4 made this an error: "newlines are not allowed in format specifiers").
                    emitMiddle(start, p)
                    mode.inLiteral = false
                    mode.inFormatSpec = false
                    pos = p
                    return
                }
                p += newlineLength(at: p)
                continue
            }
            if c == mode.quote && isClosingQuote(p, mode) { break }
            switch c {
            case Ascii.lbrace:
                if byte(p + 1) == Ascii.lbrace && !mode.inFormatSpec {
                    p += 2
                    continue
                }
                // A replacement field opens; its `{` is lexed in normal mode.
                emitMiddle(start, p)
                mode.exprStartDepth += 1
                if mode.exprStartDepth >= Lexer.maxFieldNesting {
                    return fail("f-string: expressions nested too deeply", p, p + 1)
                }
                mode.inLiteral = false
                mode.inFormatSpec = false
                pos = p
                return
            case Ascii.rbrace:
                if inNamedEscape {
                    inNamedEscape = false
                    p += 1
                    continue
                }
                if byte(p + 1) == Ascii.rbrace && !mode.inFormatSpec && mode.bracketDepth == 0 {
                    p += 2
                    continue
                }
                // The end of a format spec, or a lone `}` that normal mode reports.
                emitMiddle(start, p)
                mode.inLiteral = false
                mode.inFormatSpec = false
                pos = p
                return
            case Ascii.backslash:
                var q = p + 1
                var escaped = byte(q)
                if escaped == Ascii.cr && byte(q + 1) == Ascii.lf {
                    q += 1
                    escaped = Ascii.lf
                }
                if escaped == Ascii.lbrace || escaped == Ascii.rbrace {
                    // `\{` is no escape: the brace keeps its meaning.
                    p = q
                } else if !mode.isRaw && escaped == 0x4E && byte(q + 1) == Ascii.lbrace {
                    inNamedEscape = true
                    p = q + 2
                } else {
                    p = min(q + 1, end)
                }
            case 0:
                return fail("source code cannot contain null bytes", at: p)
            default:
                p += 1
            }
        }
        emitMiddle(start, p)
        pos = p
    }

    private func isClosingQuote(_ p: Int, _ mode: FStringState) -> Bool {
        byte(p) == mode.quote && (mode.quoteSize == 1 || (byte(p + 1) == mode.quote && byte(p + 2) == mode.quote))
    }

    private mutating func emitMiddle(_ start: Int, _ stop: Int) {
        if stop > start { emit(.fstringMiddle, start, stop) }
    }

    private mutating func unterminatedFString(_ mode: FStringState, detectedAt: Int? = nil) {
        let line = detectedAt.map(lineNumber) ?? lastLineNumber
        if mode.quoteSize == 3 {
            fail("unterminated triple-quoted f-string literal (detected at line \(line))", at: mode.start)
        } else {
            fail("unterminated f-string literal (detected at line \(line))", at: mode.start)
        }
    }
}
