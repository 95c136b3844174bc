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
        return .success(.bigInt(String(decoding: significant, as: UTF8.self)))
    }

    private static func radixInteger(_ digits: ArraySlice<UInt8>, radix: UInt32) -> Result<ConstantValue, NumberError> {
        var number = BigUnsigned()
        for d in digits {
            let value: UInt32
            switch d {
            case 0x30...0x39: value = UInt32(d - 0x30)
            case 0x61...0x66: value = UInt32(d - 0x61 + 10)
            case 0x41...0x46: value = UInt32(d - 0x41 + 10)
            default: return .failure(NumberError("invalid digit in base-\(radix) literal"))
            }
            guard value < radix else { return .failure(NumberError("invalid digit in base-\(radix) literal")) }
            number.multiplyAdd(radix, value)
        }
        if let small = number.int64Value { return .success(.int(small)) }
        return .success(.bigInt(number.decimalString()))
    }
}

/// A little unsigned bignum: just enough to turn long hex/octal/binary literals into decimal digits.
struct BigUnsigned {
    /// Base-2^32 limbs, least significant first; empty means zero.
    private var limbs: [UInt32] = []

    mutating func multiplyAdd(_ factor: UInt32, _ addend: UInt32) {
        var carry = UInt64(addend)
        for k in limbs.indices {
            let product = UInt64(limbs[k]) * UInt64(factor) + carry
            limbs[k] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry != 0 { limbs.append(UInt32(carry)) }
    }

    var int64Value: Int64? {
        switch limbs.count {
        case 0: return 0
        case 1: return Int64(limbs[0])
        case 2:
            let value = UInt64(limbs[1]) << 32 | UInt64(limbs[0])
            return value <= UInt64(Int64.max) ? Int64(value) : nil
        default: return nil
        }
    }

    /// Repeated division by 10^9, collecting nine-digit groups.
    func decimalString() -> String {
        var work = limbs
        var groups: [UInt32] = []
        while !work.isEmpty {
            var remainder: UInt64 = 0
            for k in stride(from: work.count - 1, through: 0, by: -1) {
                let current = remainder << 32 | UInt64(work[k])
                work[k] = UInt32(current / 1_000_000_000)
                remainder = current % 1_000_000_000
            }
            groups.append(UInt32(remainder))
            while let top = work.last, top == 0 { work.removeLast() }
        }
        guard let most = groups.last else { return "0" }
        var text = String(most)
        for group in groups.dropLast().reversed() {
            let digits = String(group)
            text += String(repeating: "0", count: 9 - digits.count) + digits
        }
        return text
    }
}
