/// Interprets the body of a string literal the way CPython's parser does: newlines normalised to
/// `\n`, then (unless raw) the `unicode_escape` rules for str or `_PyBytes_DecodeEscape` for bytes.
/// Error messages reproduce CPython's, including its codec positions.
struct EscapeDecoder {
    enum Mode {
        case str
        case bytes
    }

    let mode: Mode
    let raw: Bool
    /// In f-string text `{{` and `}}` stand for single braces.
    let fstring: Bool

    /// UTF-8 for str (surrogates in the generalised three-byte form), raw bytes for bytes.
    private(set) var output: [UInt8] = []
    private(set) var hasSurrogate = false

    init(mode: Mode, raw: Bool, fstring: Bool) {
        self.mode = mode
        self.raw = raw
        self.fstring = fstring
    }

    /// Decodes `buf[lo..<hi]`; returns CPython's message on failure.
    mutating func decode(_ buf: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> String? {
        output.reserveCapacity(hi - lo)
        // CPython's str decoder first rewrites every non-ASCII character as a 10-byte `\UXXXXXXXX`
        // escape, and its error positions count in that rewritten buffer; `codecPosition` follows it.
        var codecPosition = 0
        var i = lo
        while i < hi {
            let c = buf[i]
            if c == Ascii.cr {
                output.append(Ascii.lf)
                i += i + 1 < hi && buf[i + 1] == Ascii.lf ? 2 : 1
                codecPosition += 1
                continue
            }
            if fstring && (c == Ascii.lbrace || c == Ascii.rbrace) && i + 1 < hi && buf[i + 1] == c {
                output.append(c)
                i += 2
                codecPosition += 1
                continue
            }
            if c >= 0x80 {
                var length = 1
                _ = UTF8Scan.decode(buf, at: i, length: &length)
                output.append(contentsOf: buf[i..<min(i + length, hi)])
                i += length
                codecPosition += 10
                continue
            }
            if c != Ascii.backslash || raw {
                output.append(c)
                i += 1
                codecPosition += 1
                continue
            }

            // An escape sequence.
            let escapeStart = codecPosition
            let bodyOffset = i - lo
            i += 1
            codecPosition += 1
            guard i < hi else {
                // Only an f-string middle can end in a backslash (`f"\{x}"`): it stays literal.
                output.append(Ascii.backslash)
                break
            }
            let e = buf[i]
            switch e {
            case Ascii.lbrace where fstring, Ascii.rbrace where fstring:
                // `\{` in f-string text: the backslash is literal and the brace pairs up on its own.
                output.append(Ascii.backslash)
            case Ascii.lf:
                i += 1
                codecPosition += 1
            case Ascii.cr:
                i += i + 1 < hi && buf[i + 1] == Ascii.lf ? 2 : 1
                codecPosition += 1
            case Ascii.backslash, Ascii.singleQuote, Ascii.doubleQuote:
                output.append(e)
                i += 1
                codecPosition += 1
            case 0x61: appendSimple(7, &i, &codecPosition)    // \a
            case 0x62: appendSimple(8, &i, &codecPosition)    // \b
            case 0x66: appendSimple(12, &i, &codecPosition)   // \f
            case 0x6E: appendSimple(10, &i, &codecPosition)   // \n
            case 0x72: appendSimple(13, &i, &codecPosition)   // \r
            case 0x74: appendSimple(9, &i, &codecPosition)    // \t
            case 0x76: appendSimple(11, &i, &codecPosition)   // \v
            case 0x30...0x37:
                var value: UInt32 = 0
                var digits = 0
                while digits < 3 && i < hi && buf[i] &- 0x30 < 8 {
                    value = value * 8 + UInt32(buf[i] - 0x30)
                    i += 1
                    digits += 1
                }
                codecPosition += digits
                if mode == .bytes {
                    // CPython keeps the low byte of `\400`...`\777` (with a warning).
                    output.append(UInt8(truncatingIfNeeded: value))
                } else {
                    appendScalar(value)
                }
            case 0x78, 0x75, 0x55:  // \x, \u, \U
                if mode == .bytes && e != 0x78 {
                    appendUnknown(e, &i, &codecPosition)
                    continue
                }
                let count = e == 0x78 ? 2 : e == 0x75 ? 4 : 8
                i += 1
                codecPosition += 1
                var value: UInt32 = 0
                var digits = 0
                while digits < count && i < hi, let digit = hexValue(buf[i]) {
                    value = value << 4 | digit
                    i += 1
                    digits += 1
                }
                codecPosition += digits
                if digits < count {
                    if mode == .bytes { return "(value error) invalid \\x escape at position \(bodyOffset)" }
                    let name = e == 0x78 ? "\\xXX" : e == 0x75 ? "\\uXXXX" : "\\UXXXXXXXX"
                    return unicodeError(escapeStart, codecPosition, "truncated \(name) escape")
                }
                if mode == .bytes {
                    output.append(UInt8(value))
                } else if value > 0x10FFFF {
                    return unicodeError(escapeStart, codecPosition, "illegal Unicode character")
                } else {
                    appendScalar(value)
                }
            case 0x4E where mode == .str:  // \N{NAME}
                i += 1
                codecPosition += 1
                guard i < hi && buf[i] == Ascii.lbrace else {
                    return unicodeError(escapeStart, codecPosition, "malformed \\N character escape")
                }
                let nameStart = i + 1
                var nameEnd = nameStart
                while nameEnd < hi && buf[nameEnd] != Ascii.rbrace { nameEnd += 1 }
                guard nameEnd < hi else {
                    return unicodeError(escapeStart, escapeStart + 2 + transformedLength(buf, i, hi),
                                        "malformed \\N character escape")
                }
                codecPosition += 1 + transformedLength(buf, nameStart, nameEnd)
                i = nameEnd
                guard nameEnd > nameStart else {
                    return unicodeError(escapeStart, codecPosition, "malformed \\N character escape")
                }
                i += 1
                codecPosition += 1
                guard let value = UnicodeNames.lookup(buf, nameStart, nameEnd) else {
                    return unicodeError(escapeStart, codecPosition, "unknown Unicode character name")
                }
                appendScalar(value)
            default:
                if e >= 0x80 {
                    // CPython rewrites `\` before a non-ASCII character as `\u005c`: a plain backslash.
                    output.append(Ascii.backslash)
                    codecPosition += 4
                } else {
                    appendUnknown(e, &i, &codecPosition)
                }
            }
        }
        return nil
    }

    /// The decoded str, with lone surrogates kept as code points.
    func pyString() -> PyString {
        guard hasSurrogate else { return .text(String(decoding: output, as: UTF8.self)) }
        var points: [UInt32] = []
        points.reserveCapacity(output.count)
        output.withUnsafeBufferPointer { buf in
            var i = 0
            while i < buf.count {
                let b0 = UInt32(buf[i])
                if b0 < 0x80 {
                    points.append(b0)
                    i += 1
                } else if b0 < 0xE0 {
                    points.append((b0 & 0x1F) << 6 | UInt32(buf[i + 1] & 0x3F))
                    i += 2
                } else if b0 < 0xF0 {
                    points.append((b0 & 0x0F) << 12 | UInt32(buf[i + 1] & 0x3F) << 6 | UInt32(buf[i + 2] & 0x3F))
                    i += 3
                } else {
                    points.append((b0 & 0x07) << 18 | UInt32(buf[i + 1] & 0x3F) << 12
                        | UInt32(buf[i + 2] & 0x3F) << 6 | UInt32(buf[i + 3] & 0x3F))
                    i += 4
                }
            }
        }
        return .codePoints(points)
    }

    private mutating func appendSimple(_ value: UInt8, _ i: inout Int, _ codecPosition: inout Int) {
        output.append(value)
        i += 1
        codecPosition += 1
    }

    /// An unrecognised escape stays as written (CPython only warns).
    private mutating func appendUnknown(_ e: UInt8, _ i: inout Int, _ codecPosition: inout Int) {
        output.append(Ascii.backslash)
        output.append(e)
        i += 1
        codecPosition += 1
    }

    private mutating func appendScalar(_ value: UInt32) {
        if value &- 0xD800 < 0x800 { hasSurrogate = true }
        UTF8Scan.append(value, to: &output)
    }

    private func hexValue(_ b: UInt8) -> UInt32? {
        if b.isDigit { return UInt32(b - 0x30) }
        let lower = b | 0x20
        if lower &- 0x61 < 6 { return UInt32(lower - 0x61 + 10) }
        return nil
    }

    /// Length of `buf[lo..<hi]` in CPython's rewritten buffer (non-ASCII characters count 10).
    private func transformedLength(_ buf: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> Int {
        var count = 0
        var i = lo
        while i < hi {
            if buf[i] < 0x80 {
                count += 1
                i += 1
            } else {
                var length = 1
                _ = UTF8Scan.decode(buf, at: i, length: &length)
                count += 10
                i += length
            }
        }
        return count
    }

    private func unicodeError(_ start: Int, _ end: Int, _ reason: String) -> String {
        "(unicode error) 'unicodeescape' codec can't decode bytes in position \(start)-\(end - 1): \(reason)"
    }
}
