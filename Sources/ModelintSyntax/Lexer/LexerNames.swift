extension Lexer {
    /// A name, a keyword, or the prefix of a string (`b`, `r`, `u`, `f`, `br`, `rb`, `fr`, `rf` in any
    /// case — CPython's prefix loop; `ub"x"` is the name `ub` followed by a string).
    mutating func lexNameOrPrefixedString(at start: Int) {
        var p = start
        var sawB = false, sawR = false, sawU = false, sawF = false
        while true {
            let lower = byte(p).asciiLowercased
            if !(sawB || sawU || sawF) && lower == 0x62 {
                sawB = true
            } else if !(sawB || sawU || sawR || sawF) && lower == 0x75 {
                sawU = true
            } else if !(sawR || sawU) && lower == 0x72 {
                sawR = true
            } else if !(sawF || sawB || sawU) && lower == 0x66 {
                sawF = true
            } else {
                break
            }
            p += 1
            let q = byte(p)
            if q == Ascii.doubleQuote || q == Ascii.singleQuote {
                if sawF { return lexFStringStart(prefixStart: start, quoteAt: p, raw: sawR) }
                return lexString(prefixStart: start, quoteAt: p)
            }
        }

        let classes = Lexer.nameByteClasses
        var seen: UInt8 = 0
        while p < end {
            let byteClass = classes[Int(text[p])]
            if byteClass == 0 { break }
            seen |= byteClass
            p += 1
        }
        if seen & Lexer.nonASCIINameByte != 0 {
            guard verifyIdentifier(start, p) else { return }
            hasNonASCIINames = true
            return emitAndAdvance(.name, start, p - start)
        }
        let kind = p - start <= 8 ? Lexer.keywordKind(text, start, p) : .name
        if kind == .name, let watch, watch.mayMatch(length: p - start, first: text[start]) {
            watchedNames |= watch.matches(text, start, p - start, afterDot: tokens.last?.kind == .dot)
        }
        emitAndAdvance(kind, start, p - start)
    }

    static let asciiNameByte: UInt8 = 1
    static let nonASCIINameByte: UInt8 = 2

    /// By byte value: `asciiNameByte` for letters, digits and '_', `nonASCIINameByte` for bytes of a
    /// multi-byte character (checked afterwards, on the whole name), 0 for a byte that ends a name. One table
    /// load per byte is cheaper than the chain of range tests in the loop every name goes through.
    /// Written once, before first use, and never again.
    nonisolated(unsafe) static let nameByteClasses: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for value in 0..<256 {
            let byte = UInt8(value)
            table[value] = byte >= 0x80 ? nonASCIINameByte
                : byte.isASCIILetter || byte.isDigit || byte == Ascii.underscore ? asciiNameByte : 0
        }
        return UnsafePointer(table)
    }()

    /// PEP 3131 on a name holding non-ASCII characters: XID_Start (or '_') then XID_Continue. The
    /// error names the first offending character, as CPython's `verify_identifier` does.
    private mutating func verifyIdentifier(_ start: Int, _ stop: Int) -> Bool {
        var i = start
        var first = true
        while i < stop {
            var length = 1
            guard let value = UTF8Scan.decode(text, at: i, length: &length), i + length <= stop else {
                fail("invalid UTF-8 byte 0x\(String(text[i], radix: 16, uppercase: true)) in name", i, i + 1)
                return false
            }
            let scalar = Unicode.Scalar(value)!
            let valid = first
                ? (value == 0x5F || scalar.properties.isXIDStart)
                : scalar.properties.isXIDContinue
            if !valid {
                if UnicodeText.isPrintable(value) {
                    fail("invalid character '\(Character(scalar))' (\(UnicodeText.codePointLabel(value)))", i, i + length)
                } else {
                    fail("invalid non-printable character \(UnicodeText.codePointLabel(value))", i, i + length)
                }
                return false
            }
            first = false
            i += length
        }
        return true
    }

    /// Hard keywords by their bytes packed little-endian into a UInt64 (names hold no zero byte, so
    /// the packing is unique); generated from `keyword.kwlist`.
    static func keywordKind(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ stop: Int) -> TokenKind {
        let length = stop - start
        guard length >= 2 else { return .name } // no keyword has one letter
        let packed = ByteWords.packed(text, start, length)
        switch packed {
        case 0x0000_0065_736C_6146: return .kwFalse
        case 0x0000_0000_656E_6F4E: return .kwNone
        case 0x0000_0000_6575_7254: return .kwTrue
        case 0x0000_0000_0064_6E61: return .kwAnd
        case 0x0000_0000_0000_7361: return .kwAs
        case 0x0000_7472_6573_7361: return .kwAssert
        case 0x0000_0063_6E79_7361: return .kwAsync
        case 0x0000_0074_6961_7761: return .kwAwait
        case 0x0000_006B_6165_7262: return .kwBreak
        case 0x0000_0073_7361_6C63: return .kwClass
        case 0x6575_6E69_746E_6F63: return .kwContinue
        case 0x0000_0000_0066_6564: return .kwDef
        case 0x0000_0000_006C_6564: return .kwDel
        case 0x0000_0000_6669_6C65: return .kwElif
        case 0x0000_0000_6573_6C65: return .kwElse
        case 0x0000_7470_6563_7865: return .kwExcept
        case 0x0079_6C6C_616E_6966: return .kwFinally
        case 0x0000_0000_0072_6F66: return .kwFor
        case 0x0000_0000_6D6F_7266: return .kwFrom
        case 0x0000_6C61_626F_6C67: return .kwGlobal
        case 0x0000_0000_0000_6669: return .kwIf
        case 0x0000_7472_6F70_6D69: return .kwImport
        case 0x0000_0000_0000_6E69: return .kwIn
        case 0x0000_0000_0000_7369: return .kwIs
        case 0x0000_6164_626D_616C: return .kwLambda
        case 0x6C61_636F_6C6E_6F6E: return .kwNonlocal
        case 0x0000_0000_0074_6F6E: return .kwNot
        case 0x0000_0000_0000_726F: return .kwOr
        case 0x0000_0000_7373_6170: return .kwPass
        case 0x0000_0065_7369_6172: return .kwRaise
        case 0x0000_6E72_7574_6572: return .kwReturn
        case 0x0000_0000_0079_7274: return .kwTry
        case 0x0000_0065_6C69_6877: return .kwWhile
        case 0x0000_0000_6874_6977: return .kwWith
        case 0x0000_0064_6C65_6979: return .kwYield
        default: return .name
        }
    }
}
