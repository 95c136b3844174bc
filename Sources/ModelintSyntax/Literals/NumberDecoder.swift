/// Values of numeric literals. The lexer has already checked the spelling, so these functions only
/// convert; they still return errors rather than trapping if handed a malformed token.
enum NumberDecoder {
    struct NumberError: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    static func decode(_ digits: ArraySlice<UInt8>) -> Result<ConstantValue, NumberError> {
        // Most literals are short plain decimals: no copy needed.
        if digits.count <= 18, digits.count > 0, digits.allSatisfy({ $0.isDigit }) {
            return .success(.int(digits.reduce(0) { $0 * 10 + Int64($1 - Ascii.zero) }))
        }
        // Underscores only separate digits.
        let cleaned = digits.filter { $0 != Ascii.underscore }
        guard let first = cleaned.first else { return .failure(NumberError("empty numeric literal")) }
        let last = cleaned[cleaned.count - 1]
        if last == 0x6A || last == 0x4A {
            return parseFloat(cleaned.dropLast()).map { .complex(real: 0, imag: $0) }
        }
        if first == Ascii.zero && cleaned.count > 2 {
            switch cleaned[1].asciiLowercased {
            case 0x78: return radixInteger(cleaned.dropFirst(2), radix: 16)
            case 0x6F: return radixInteger(cleaned.dropFirst(2), radix: 8)
            case 0x62: return radixInteger(cleaned.dropFirst(2), radix: 2)
            default: break
            }
        }
        if cleaned.contains(where: { $0 == Ascii.dot || $0 == 0x65 || $0 == 0x45 }) {
            return parseFloat(cleaned[...]).map { .float($0) }
        }
        return decimalInteger(cleaned[...])
    }

    /// Correctly rounded (the standard library's parser is); overflow gives infinity, as in CPython.
    private static func parseFloat(_ text: ArraySlice<UInt8>) -> Result<Double, NumberError> {
        let string = String(decoding: text, as: UTF8.self)
        guard let value = Double(string) else { return .failure(NumberError("invalid float literal '\(string)'")) }
        return .success(value)
    }

    /// CPython refuses to convert decimal literals longer than this (`sys.int_info.default_max_str_digits`).
    static let maxDecimalDigits = 4300

    private static func decimalInteger(_ digits: ArraySlice<UInt8>) -> Result<ConstantValue, NumberError> {
        var value: Int64 = 0
        var overflow = false
        for d in digits {
            guard d.isDigit else { return .failure(NumberError("invalid decimal literal")) }
            if !overflow {
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(Int64(d - Ascii.zero))
                overflow = o1 || o2
                value = sum
            }
        }
        if !overflow { return .success(.int(value)) }
        let significant = digits.drop(while: { $0 == Ascii.zero })
        if significant.count > maxDecimalDigits {
            return .failure(NumberError(
                "Exceeds the limit (\(maxDecimalDigits) digits) for integer string conversion: value has "
                    + "\(significant.count) digits; use sys.set_int_max_str_digits() to increase the limit - "
                    + "Consider hexadecimal for huge integer literals to avoid decimal conversion limits."))
        }
        return .success(.bigInt(BigIntLiteral(decimal: String(decoding: significant, as: UTF8.self))))
    }

    private static func radixInteger(_ digits: ArraySlice<UInt8>, radix: Int) -> Result<ConstantValue, NumberError> {
        var lowered: [UInt8] = []
        lowered.reserveCapacity(digits.count)
        for d in digits {
            let lower = d.asciiLowercased
            guard let value = BigUnsigned.digitValue(lower), value < radix else {
                return .failure(NumberError("invalid digit in base-\(radix) literal"))
            }
            if lowered.isEmpty && value == 0 { continue }  // leading zeros
            lowered.append(lower)
        }
        let number = BigUnsigned(digits: lowered, radix: radix)
        if let small = number.int64Value { return .success(.int(small)) }
        return .success(.bigInt(BigIntLiteral(radix: radix, digits: String(decoding: lowered, as: UTF8.self))))
    }
}

/// A little unsigned bignum: just enough to turn hex/octal/binary literals into decimal digits.
struct BigUnsigned {
    /// Base-2^64 limbs, least significant first; empty means zero.
    private var limbs: [UInt64] = []

    /// Digits of a power-of-two radix (16, 8 or 2) place their bits directly: linear time.
    init(digits: [UInt8], radix: Int) {
        let bitsPerDigit = radix == 16 ? 4 : radix == 8 ? 3 : 1
        limbs = [UInt64](repeating: 0, count: (digits.count * bitsPerDigit + 63) / 64)
        var bit = 0
        for d in digits.reversed() {
            let value = UInt64(Self.digitValue(d) ?? 0)
            limbs[bit / 64] |= value << UInt64(bit % 64)
            // A 3-bit octal digit can straddle two limbs.
            if bit % 64 + bitsPerDigit > 64 { limbs[bit / 64 + 1] |= value >> UInt64(64 - bit % 64) }
            bit += bitsPerDigit
        }
        while let top = limbs.last, top == 0 { limbs.removeLast() }
    }

    static func digitValue(_ lower: UInt8) -> Int? {
        switch lower {
        case 0x30...0x39: return Int(lower - 0x30)
        case 0x61...0x66: return Int(lower - 0x61 + 10)
        default: return nil
        }
    }

    var int64Value: Int64? {
        switch limbs.count {
        case 0: return 0
        case 1: return limbs[0] <= UInt64(Int64.max) ? Int64(limbs[0]) : nil
        default: return nil
        }
    }

    /// Repeated division by 10^19, collecting nineteen-digit groups (quadratic in the length; only
    /// `modelint ast` asks for it).
    func decimalString() -> String {
        let base: UInt64 = 10_000_000_000_000_000_000
        var work = limbs
        var groups: [UInt64] = []
        while !work.isEmpty {
            var remainder: UInt64 = 0
            for k in stride(from: work.count - 1, through: 0, by: -1) {
                let (quotient, rest) = base.dividingFullWidth((high: remainder, low: work[k]))
                work[k] = quotient
                remainder = rest
            }
            groups.append(remainder)
            while let top = work.last, top == 0 { work.removeLast() }
        }
        guard let most = groups.last else { return "0" }
        var text = String(most)
        for group in groups.dropLast().reversed() {
            let digits = String(group)
            text += String(repeating: "0", count: 19 - digits.count) + digits
        }
        return text
    }
}
