/// Small UTF-8 helpers shared by the decoder, the lexer and the literal decoder. They work on raw
/// bytes so the hot paths never build a `String`.
enum UTF8Scan {
    /// Length of the well-formed sequence starting at `i` (0 if ill-formed), and CPython's reason
    /// for rejecting it. Surrogates, overlongs and values above U+10FFFF are ill-formed.
    static func sequenceLength(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> (count: Int, problem: String) {
        let n = buf.count
        let b0 = buf[i]
        if b0 < 0x80 { return (1, "") }
        let count: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: count = 2
        case 0xE0: count = 3; low = 0xA0
        case 0xED: count = 3; high = 0x9F
        case 0xE1...0xEF: count = 3
        case 0xF0: count = 4; low = 0x90
        case 0xF4: count = 4; high = 0x8F
        case 0xF1...0xF3: count = 4
        default: return (0, "invalid start byte")
        }
        for k in 1..<count {
            guard i + k < n else { return (0, "unexpected end of data") }
            let b = buf[i + k]
            let (lo, hi) = k == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
            if b < lo || b > hi { return (0, "invalid continuation byte") }
        }
        return (count, "")
    }

    /// Decodes the scalar at `i`; nil if ill-formed. `length` receives the byte count (1 when ill-formed).
    static func decode(_ buf: UnsafeBufferPointer<UInt8>, at i: Int, length: inout Int) -> UInt32? {
        let (count, _) = sequenceLength(buf, at: i)
        guard count > 0 else {
            length = 1
            return nil
        }
        length = count
        let b0 = UInt32(buf[i])
        switch count {
        case 1: return b0
        case 2: return (b0 & 0x1F) << 6 | UInt32(buf[i + 1] & 0x3F)
        case 3: return (b0 & 0x0F) << 12 | UInt32(buf[i + 1] & 0x3F) << 6 | UInt32(buf[i + 2] & 0x3F)
        default:
            return (b0 & 0x07) << 18 | UInt32(buf[i + 1] & 0x3F) << 12 | UInt32(buf[i + 2] & 0x3F) << 6
                | UInt32(buf[i + 3] & 0x3F)
        }
    }

    /// Appends the UTF-8 encoding of a scalar value (surrogates included, as CPython's "surrogatepass"
    /// would; callers only pass them where a Python str may hold them).
    static func append(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | (scalar >> 6) & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | (scalar >> 12) & 0x3F))
            out.append(UInt8(0x80 | (scalar >> 6) & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
