/// The value of a CPython `ast.Constant`.
public enum ConstantValue: Sendable, Equatable {
    case none
    case bool(Bool)
    case ellipsis
    /// An int that fits in 64 bits.
    case int(Int64)
    /// An int that does not fit in 64 bits, as its decimal digits (with a leading '-' never: literals are unsigned).
    case bigInt(String)
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
