extension Lexer {
    /// CPython's `atbol` block: measures the indentation of a new line and emits INDENT / DEDENTs.
    ///
    /// Tabs advance to the next multiple of 8, a form feed resets the column, and a second "alt"
    /// column counts every tab as one space: if the two columns disagree about the nesting, the
    /// file mixes tabs and spaces ambiguously (TabError). Blank and comment-only lines, and lines
    /// inside brackets, do not affect indentation.
    mutating func lexIndentation() {
        atLineStart = false
        let lineStart = pos
        // Runs of eight spaces at once: deep indentation is most of what this loop reads.
        var p = ByteWords.skip(text, from: pos, to: end) { $0 != ByteWords.spaces }
        var col = p - lineStart
        var altCol = p - lineStart
        // Indentation cannot be split with backslashes: the first one seen fixes the column.
        var continuationCol = 0
        scan: while true {
            switch byte(p) {
            case Ascii.space:
                col += 1
                altCol += 1
                p += 1
            case Ascii.tab:
                col = (col / 8 + 1) * 8
                altCol += 1
                p += 1
            case Ascii.formFeed:
                col = 0
                altCol = 0
                p += 1
            case Ascii.backslash where p < end:
                continuationCol = continuationCol != 0 ? continuationCol : col
                guard let next = continuationLine(afterBackslashAt: p) else { return }
                p = next
            default:
                break scan
            }
        }
        pos = p
        let c = byte(p)
        // End of file behaves as a blank line; the end-of-file handler closes every block.
        let blank = c == Ascii.hash || c == Ascii.lf || c == Ascii.cr || p >= end
        guard !blank && brackets.isEmpty else { return }
        if continuationCol != 0 {
            col = continuationCol
            altCol = continuationCol
        }
        let current = indents[indents.count - 1]
        if col == current {
            if altCol != altIndents[altIndents.count - 1] { return inconsistentTabs(lineStart, p) }
        } else if col > current {
            if indents.count >= Lexer.maxIndentLevels {
                return fail("too deeply nested: more than \(Lexer.maxIndentLevels) indentation levels", lineStart, p,
                            raisesException: false)
            }
            if altCol <= altIndents[altIndents.count - 1] { return inconsistentTabs(lineStart, p) }
            indents.append(col)
            altIndents.append(altCol)
            tokens.append(Token(.indent, TextRange(lineStart, p)))
        } else {
            var dedents = 0
            while indents.count > 1 && col < indents[indents.count - 1] {
                indents.removeLast()
                altIndents.removeLast()
                dedents += 1
            }
            if col != indents[indents.count - 1] {
                // CPython points at the end of the offending line.
                var lineEnd = p
                while lineEnd < end && text[lineEnd] != Ascii.lf && text[lineEnd] != Ascii.cr { lineEnd += 1 }
                return fail("unindent does not match any outer indentation level", lineEnd, lineEnd, raisesException: false)
            }
            if altCol != altIndents[altIndents.count - 1] { return inconsistentTabs(lineStart, p) }
            for _ in 0..<dedents { tokens.append(Token(.dedent, TextRange(p, p))) }
        }
    }

    private mutating func inconsistentTabs(_ lineStart: Int, _ p: Int) {
        fail("inconsistent use of tabs and spaces in indentation", lineStart, p, raisesException: false)
    }

    /// After a backslash at `p`: the offset just past the line break that must follow it, or nil
    /// after reporting CPython's error (anything else after the backslash, or the file ending).
    mutating func continuationLine(afterBackslashAt p: Int) -> Int? {
        let breakLength = newlineLength(at: p + 1)
        if breakLength == 0 && p + 1 < end {
            fail("unexpected character after line continuation character", p + 1, p + 1 + characterLength(at: p + 1),
                 raisesException: false)
            return nil
        }
        let next = p + 1 + breakLength
        if next >= end {
            if let bracket = brackets.last {
                fail(neverClosed(bracket), bracket.offset, bracket.offset + 1, raisesException: false)
            } else {
                // CPython points just past the backslash.
                fail("unexpected EOF while parsing", p + 1, p + 1, raisesException: false)
            }
            return nil
        }
        return next
    }
}
