extension Lexer {
    /// Numeric literals with CPython's acceptance rules and messages. Error positions follow CPython,
    /// which reports the column just before its cursor: usually the last character that was fine.
    mutating func lexNumber(at start: Int) {
        guard let stop = scanNumber(start) else { return }
        emitAndAdvance(.number, start, stop - start)
    }

    /// The end of the literal starting at `start`, or nil after reporting an error.
    private mutating func scanNumber(_ start: Int) -> Int? {
        if text[start] == Ascii.dot { return scanFraction(start + 1) }
        guard text[start] == Ascii.zero else {
            guard let p = decimalTail(start) else { return nil }
            return byte(p) == Ascii.dot ? scanFraction(p + 1) : scanExponentOrEnd(p)
        }
        switch byte(start + 1).asciiLowercased {
        case 0x78: return scanRadix(start + 2, kind: "hexadecimal", isDigit: { $0.isHexDigit }, checksDecimal: false)
        case 0x6F: return scanRadix(start + 2, kind: "octal", isDigit: { $0 &- 0x30 < 8 }, checksDecimal: true)
        case 0x62: return scanRadix(start + 2, kind: "binary", isDigit: { $0 &- 0x30 < 2 }, checksDecimal: true)
        default: break
        }
        // Zeros, possibly an old-style octal (now an error), or a float such as `00.5` / `0e0` / `0j`.
        var p = start + 1
        while true {
            if byte(p) == Ascii.underscore {
                p += 1
                guard byte(p).isDigit else {
                    fail("invalid decimal literal", at: p - 1)
                    return nil
                }
            }
            guard byte(p) == Ascii.zero else { break }
            p += 1
        }
        let zerosEnd = p
        let nonzero = byte(p).isDigit
        if nonzero {
            guard let q = decimalTail(p) else { return nil }
            p = q
        }
        let c = byte(p)
        if c == Ascii.dot { return scanFraction(p + 1) }
        if c == 0x65 || c == 0x45 || c == 0x6A || c == 0x4A { return scanExponentOrEnd(p) }
        if nonzero {
            fail("leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
                 start, zerosEnd)
            return nil
        }
        return verifyEndOfNumber(p, kind: "decimal") ? p : nil
    }

    /// Digits with single underscores between them; `p` is at a digit.
    private mutating func decimalTail(_ start: Int) -> Int? {
        var p = start
        while true {
            while byte(p).isDigit { p += 1 }
            guard byte(p) == Ascii.underscore else { return p }
            p += 1
            guard byte(p).isDigit else {
                fail("invalid decimal literal", at: p - 1)
                return nil
            }
        }
    }

    /// After the '.' of a float: optional digits, then an exponent, `j`, or the end.
    private mutating func scanFraction(_ start: Int) -> Int? {
        var p = start
        if byte(p).isDigit {
            guard let q = decimalTail(p) else { return nil }
            p = q
        }
        return scanExponentOrEnd(p)
    }

    private mutating func scanExponentOrEnd(_ start: Int) -> Int? {
        var p = start
        let e = byte(p)
        if e == 0x65 || e == 0x45 {
            var q = p + 1
            let sign = byte(q)
            if sign == Ascii.plus || sign == Ascii.minus {
                q += 1
                guard byte(q).isDigit else {
                    fail("invalid decimal literal", at: q - 1)
                    return nil
                }
            } else if !sign.isDigit {
                // Not an exponent: `1else` is `1` followed by `else` (with a warning in CPython).
                return verifyEndOfNumber(p, kind: "decimal") ? p : nil
            }
            guard let r = decimalTail(q) else { return nil }
            p = r
        }
        let j = byte(p)
        if j == 0x6A || j == 0x4A {
            return verifyEndOfNumber(p + 1, kind: "imaginary") ? p + 1 : nil
        }
        return verifyEndOfNumber(p, kind: "decimal") ? p : nil
    }

    /// `0x` / `0o` / `0b` digits (at `start`), each group optionally preceded by one underscore.
    private mutating func scanRadix(_ start: Int, kind: String, isDigit: (UInt8) -> Bool,
                                    checksDecimal: Bool) -> Int? {
        var p = start
        repeat {
            if byte(p) == Ascii.underscore { p += 1 }
            let c = byte(p)
            guard isDigit(c) else {
                if checksDecimal && c.isDigit {
                    fail("invalid digit '\(Character(Unicode.Scalar(c)))' in \(kind) literal", at: p)
                } else {
                    fail("invalid \(kind) literal", at: p - 1)
                }
                return nil
            }
            while isDigit(byte(p)) { p += 1 }
        } while byte(p) == Ascii.underscore
        if checksDecimal && byte(p).isDigit {
            fail("invalid digit '\(Character(Unicode.Scalar(byte(p))))' in \(kind) literal", at: p)
            return nil
        }
        return verifyEndOfNumber(p, kind: kind) ? p : nil
    }

    /// CPython's `verify_end_of_number`: a literal directly followed by `and`, `else`, `for`, `if`,
    /// `in`, `is`, `not` or `or` is accepted (3.12 warns); any other ASCII name character is an error.
    private mutating func verifyEndOfNumber(_ p: Int, kind: String) -> Bool {
        let c = byte(p)
        let keywordFollows: Bool
        switch c {
        case 0x61: keywordFollows = followedBy(p + 1, "nd")
        case 0x65: keywordFollows = followedBy(p + 1, "lse")
        case 0x66: keywordFollows = followedBy(p + 1, "or")
        case 0x69:
            let c2 = byte(p + 1)
            keywordFollows = c2 == 0x66 || c2 == 0x6E || c2 == 0x73
        case 0x6F: keywordFollows = followedBy(p + 1, "r")
        case 0x6E: keywordFollows = followedBy(p + 1, "ot")
        default: keywordFollows = false
        }
        if keywordFollows { return true }
        if c < 0x80 && c.isPotentialIdentifierChar {
            fail("invalid \(kind) literal", at: p - 1)
            return false
        }
        return true
    }

    /// CPython's `lookahead`: the bytes of `rest` at `p`, then a character that cannot continue a name.
    private func followedBy(_ p: Int, _ rest: StaticString) -> Bool {
        var i = p
        for k in 0..<rest.utf8CodeUnitCount {
            if byte(i) != rest.utf8Start[k] { return false }
            i += 1
        }
        return !byte(i).isPotentialIdentifierChar
    }
}
