extension Lexer {
    /// Operators and delimiters, longest match first, plus the bracket bookkeeping that f-strings
    /// depend on (a `:` or `}` at the field's own bracket depth leaves the expression).
    mutating func lexOperator(at p: Int, _ c: UInt8) {
        let c1 = byte(p + 1)
        let c2 = byte(p + 2)
        switch c {
        case Ascii.lpar, Ascii.lsqb, Ascii.lbrace:
            openBracket(c, at: p)
        case Ascii.rpar, Ascii.rsqb, Ascii.rbrace:
            closeBracket(c, at: p)
        case Ascii.colon:
            if let top = fstrings.indices.last, fstrings[top].exprStartDepth >= 0,
               fstrings[top].bracketDepth - 1 == fstrings[top].exprStartDepth {
                // The field's format spec starts here (this also wins over `:=`, as in CPython).
                fstrings[top].inLiteral = true
                fstrings[top].inFormatSpec = true
                return emitAndAdvance(.colon, p, 1)
            }
            if c1 == Ascii.equal { return emitAndAdvance(.colonEqual, p, 2) }
            emitAndAdvance(.colon, p, 1)
        case Ascii.comma: emitAndAdvance(.comma, p, 1)
        case Ascii.semicolon: emitAndAdvance(.semi, p, 1)
        case Ascii.plus:
            c1 == Ascii.equal ? emitAndAdvance(.plusEqual, p, 2) : emitAndAdvance(.plus, p, 1)
        case Ascii.minus:
            if c1 == Ascii.equal { return emitAndAdvance(.minEqual, p, 2) }
            if c1 == Ascii.greater { return emitAndAdvance(.rarrow, p, 2) }
            emitAndAdvance(.minus, p, 1)
        case Ascii.star:
            if c1 == Ascii.star {
                return c2 == Ascii.equal ? emitAndAdvance(.doubleStarEqual, p, 3) : emitAndAdvance(.doubleStar, p, 2)
            }
            c1 == Ascii.equal ? emitAndAdvance(.starEqual, p, 2) : emitAndAdvance(.star, p, 1)
        case Ascii.slash:
            if c1 == Ascii.slash {
                return c2 == Ascii.equal ? emitAndAdvance(.doubleSlashEqual, p, 3) : emitAndAdvance(.doubleSlash, p, 2)
            }
            c1 == Ascii.equal ? emitAndAdvance(.slashEqual, p, 2) : emitAndAdvance(.slash, p, 1)
        case Ascii.vbar:
            c1 == Ascii.equal ? emitAndAdvance(.vbarEqual, p, 2) : emitAndAdvance(.vbar, p, 1)
        case Ascii.ampersand:
            c1 == Ascii.equal ? emitAndAdvance(.amperEqual, p, 2) : emitAndAdvance(.amper, p, 1)
        case Ascii.less:
            if c1 == Ascii.less {
                return c2 == Ascii.equal ? emitAndAdvance(.leftShiftEqual, p, 3) : emitAndAdvance(.leftShift, p, 2)
            }
            if c1 == Ascii.equal { return emitAndAdvance(.lessEqual, p, 2) }
            // `<>` is only valid under `from __future__ import barry_as_FLUFL`.
            if c1 == Ascii.greater { return rejectForParser(p, p + 2) }
            emitAndAdvance(.less, p, 1)
        case Ascii.greater:
            if c1 == Ascii.greater {
                return c2 == Ascii.equal ? emitAndAdvance(.rightShiftEqual, p, 3) : emitAndAdvance(.rightShift, p, 2)
            }
            c1 == Ascii.equal ? emitAndAdvance(.greaterEqual, p, 2) : emitAndAdvance(.greater, p, 1)
        case Ascii.equal:
            c1 == Ascii.equal ? emitAndAdvance(.eqEqual, p, 2) : emitAndAdvance(.equal, p, 1)
        case Ascii.exclamation:
            if c1 == Ascii.equal { return emitAndAdvance(.notEqual, p, 2) }
            // A bare `!` only exists as an f-string conversion marker.
            if let top = fstrings.last, top.exprStartDepth >= 0 { return emitAndAdvance(.exclamation, p, 1) }
            rejectForParser(p, p + 1)
        case Ascii.percent:
            c1 == Ascii.equal ? emitAndAdvance(.percentEqual, p, 2) : emitAndAdvance(.percent, p, 1)
        case Ascii.circumflex:
            c1 == Ascii.equal ? emitAndAdvance(.circumflexEqual, p, 2) : emitAndAdvance(.circumflex, p, 1)
        case Ascii.at:
            c1 == Ascii.equal ? emitAndAdvance(.atEqual, p, 2) : emitAndAdvance(.at, p, 1)
        case Ascii.tilde:
            emitAndAdvance(.tilde, p, 1)
        default:
            // `$`, `?`, a backtick and control characters: CPython's parser rejects the printable ones
            // as plain syntax errors, its tokenizer the rest.
            if UnicodeText.isPrintable(UInt32(c)) {
                rejectForParser(p, p + 1)
            } else {
                fail("invalid non-printable character \(UnicodeText.codePointLabel(UInt32(c)))", p, p + 1)
            }
        }
    }

    private mutating func openBracket(_ c: UInt8, at p: Int) {
        if brackets.count >= Lexer.maxBracketDepth {
            return fail("too deeply nested: more than \(Lexer.maxBracketDepth) nested parentheses", p, p + 1)
        }
        brackets.append(OpenBracket(byte: c, offset: p))
        if let top = fstrings.indices.last { fstrings[top].bracketDepth += 1 }
        emitAndAdvance(c == Ascii.lpar ? .lpar : c == Ascii.lsqb ? .lsqb : .lbrace, p, 1)
    }

    private mutating func closeBracket(_ c: UInt8, at p: Int) {
        let top = fstrings.indices.last
        if let top, c == Ascii.rbrace, fstrings[top].bracketDepth == 0 {
            return fail("f-string: single '}' is not allowed", p, p + 1)
        }
        guard let opening = brackets.last else {
            return fail("unmatched '\(Character(Unicode.Scalar(c)))'", p, p + 1)
        }
        let matches = (opening.byte == Ascii.lpar && c == Ascii.rpar)
            || (opening.byte == Ascii.lsqb && c == Ascii.rsqb)
            || (opening.byte == Ascii.lbrace && c == Ascii.rbrace)
        if !matches {
            let closing = Character(Unicode.Scalar(c))
            if let top, opening.byte == Ascii.lbrace,
               fstrings[top].bracketDepth - 1 == fstrings[top].exprStartDepth {
                return fail("f-string: unmatched '\(closing)'", p, p + 1)
            }
            let open = Character(Unicode.Scalar(opening.byte))
            let openLine = lineNumber(opening.offset)
            if openLine != lineNumber(p) {
                return fail("closing parenthesis '\(closing)' does not match opening parenthesis '\(open)' on line \(openLine)", p, p + 1)
            }
            return fail("closing parenthesis '\(closing)' does not match opening parenthesis '\(open)'", p, p + 1)
        }
        brackets.removeLast()
        if let top {
            fstrings[top].bracketDepth -= 1
            if c == Ascii.rbrace && fstrings[top].bracketDepth == fstrings[top].exprStartDepth {
                // The replacement field is complete: back to literal text.
                fstrings[top].exprStartDepth -= 1
                fstrings[top].inLiteral = true
                fstrings[top].inFormatSpec = false
            }
        }
        emitAndAdvance(c == Ascii.rpar ? .rpar : c == Ascii.rsqb ? .rsqb : .rbrace, p, 1)
    }
}
