/// The value of a CPython `ast.Constant`.
public enum ConstantValue: Sendable, Equatable {
    case none
    case bool(Bool)
    case ellipsis
    /// An int that fits in 64 bits.
    case int(Int64)
    /// An int that does not fit in 64 bits (literals are never negative).
    case bigInt(BigIntLiteral)
    case float(Double)
    case complex(real: Double, imag: Double)
    case string(PyString)
    case bytes([UInt8])
}

/// A Python `str` value. Python strings may hold lone surrogates (`"\ud800"`), which a Swift `String`
/// cannot; those keep their code points instead of being replaced.
public enum PyString: Sendable, Equatable, Hashable {
    /// Valid Unicode: the common case.
    case text(String)
    /// Code points (0...0x10FFFF) where at least one is a surrogate (0xD800...0xDFFF).
    case codePoints([UInt32])

    /// The text with any lone surrogate replaced by U+FFFD; for messages and name matching only.
    public var lossyText: String {
        switch self {
        case .text(let s): return s
        case .codePoints(let cps):
            var s = String.UnicodeScalarView()
            for cp in cps { s.append(Unicode.Scalar(cp) ?? "\u{FFFD}") }
            return String(s)
        }
    }
}

/// An integer literal too large for 64 bits, kept as written (digits and radix). Converting a huge hex
/// literal to decimal costs time quadratic in its length, so the parser never does it; only output that
/// must print the value in decimal (`modelint ast`) asks for `decimalDigits`.
public struct BigIntLiteral: Sendable, Equatable, Hashable {
    /// 10, 16, 8 or 2.
    public let radix: Int
    /// The digits, lower-case, without underscores or leading zeros.
    public let digits: String

    public init(radix: Int, digits: String) {
        self.radix = radix
        self.digits = digits
    }

    public init(decimal digits: String) { self.init(radix: 10, digits: digits) }

    /// The value in decimal. Radix 10 is stored as written; the others are powers of two.
    public var decimalDigits: String {
        radix == 10 ? digits : BigUnsigned(digits: Array(digits.utf8), radix: radix).decimalString()
    }

    /// Equal values compare equal whatever radix they were written in.
    public static func == (lhs: BigIntLiteral, rhs: BigIntLiteral) -> Bool {
        lhs.radix == rhs.radix ? lhs.digits == rhs.digits : lhs.decimalDigits == rhs.decimalDigits
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(decimalDigits) }
}
