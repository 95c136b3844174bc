/// ASCII byte values the lexer and literal decoder test against, named so the code reads as Python.
enum Ascii {
    static let tab: UInt8 = 0x09
    static let lf: UInt8 = 0x0A
    static let formFeed: UInt8 = 0x0C
    static let cr: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let exclamation: UInt8 = 0x21
    static let doubleQuote: UInt8 = 0x22
    static let hash: UInt8 = 0x23
    static let percent: UInt8 = 0x25
    static let ampersand: UInt8 = 0x26
    static let singleQuote: UInt8 = 0x27
    static let lpar: UInt8 = 0x28
    static let rpar: UInt8 = 0x29
    static let star: UInt8 = 0x2A
    static let plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C
    static let minus: UInt8 = 0x2D
    static let dot: UInt8 = 0x2E
    static let slash: UInt8 = 0x2F
    static let zero: UInt8 = 0x30
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let less: UInt8 = 0x3C
    static let equal: UInt8 = 0x3D
    static let greater: UInt8 = 0x3E
    static let at: UInt8 = 0x40
    static let lsqb: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let rsqb: UInt8 = 0x5D
    static let circumflex: UInt8 = 0x5E
    static let underscore: UInt8 = 0x5F
    static let lbrace: UInt8 = 0x7B
    static let vbar: UInt8 = 0x7C
    static let rbrace: UInt8 = 0x7D
    static let tilde: UInt8 = 0x7E
}

extension UInt8 {
    @inline(__always) var isDigit: Bool { self &- 0x30 < 10 }
    @inline(__always) var isHexDigit: Bool { self &- 0x30 < 10 || (self | 0x20) &- 0x61 < 6 }
    @inline(__always) var isASCIILetter: Bool { (self | 0x20) &- 0x61 < 26 }
    /// CPython's `is_potential_identifier_start`: any non-ASCII byte may start a name; PEP 3131
    /// validity is checked afterwards on the whole name.
    @inline(__always) var isPotentialIdentifierStart: Bool { isASCIILetter || self == 0x5F || self >= 0x80 }
    @inline(__always) var isPotentialIdentifierChar: Bool { isPotentialIdentifierStart || isDigit }
    /// The byte lower-cased if it is an ASCII letter, unchanged otherwise.
    @inline(__always) var asciiLowercased: UInt8 { isASCIILetter ? self | 0x20 : self }
}

enum UnicodeText {
    /// Python's `str.isprintable` for one character: everything except the categories Cc, Cf, Cs, Co,
    /// Cn, Zl, Zp and Zs, with the space itself printable.
    static func isPrintable(_ value: UInt32) -> Bool {
        if value == 0x20 { return true }
        guard let scalar = Unicode.Scalar(value) else { return false } // surrogates (Cs)
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned,
             .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }

    /// CPython's `U+%04X` spelling of a code point.
    static func codePointLabel(_ value: UInt32) -> String {
        var hex = String(value, radix: 16, uppercase: true)
        while hex.count < 4 { hex = "0" + hex }
        return "U+" + hex
    }
}
