/// Formats numbers the way Python's `repr` does, because PyTorch's error messages interpolate Python values
/// (`f"... but got {p}"`) and the runner must reproduce those messages byte for byte.
public enum PythonNumberFormat {
    /// `repr(float)`: shortest round-trip digits, positional for 1e-4 <= |x| < 1e16, else `1e-05` style.
    public static func repr(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let sign = value.sign == .minus ? "-" : ""
        // Swift's description also yields the shortest round-trip digits; only the layout differs.
        let (digits, pointPosition) = shortestDigits(abs(value))
        if pointPosition > -4 && pointPosition <= 16 {
            if pointPosition <= 0 {
                return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
            }
            if digits.count <= pointPosition {
                return sign + digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
            }
            let split = digits.index(digits.startIndex, offsetBy: pointPosition)
            return sign + digits[..<split] + "." + digits[split...]
        }
        let exponent = pointPosition - 1
        let mantissa = digits.count == 1 ? digits : String(digits.prefix(1)) + "." + String(digits.dropFirst())
        let exponentText = String(abs(exponent))
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+")
            + (exponentText.count < 2 ? "0" + exponentText : exponentText)
    }

    /// A JSON literal as Python would print it after `json.load`: integers stay integers.
    public static func repr(_ value: Double, isInteger: Bool) -> String {
        if isInteger, let integer = Int64(exactly: value) { return String(integer) }
        return repr(value)
    }

    /// The significant digits (no leading/trailing zeros) and the decimal point position: value = 0.DIGITS × 10^position.
    static func shortestDigits(_ magnitude: Double) -> (String, Int) {
        if magnitude == 0 { return ("0", 1) }
        let text = magnitude.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...])!
        }
        let integerPart: Substring
        let fractionPart: Substring
        if let dot = mantissa.firstIndex(of: ".") {
            integerPart = mantissa[..<dot]
            fractionPart = mantissa[mantissa.index(after: dot)...]
        } else {
            integerPart = mantissa
            fractionPart = ""
        }
        var allDigits = String(integerPart) + fractionPart
        var pointPosition = integerPart.count + exponent
        while allDigits.first == "0" {
            allDigits.removeFirst()
            pointPosition -= 1
        }
        while allDigits.last == "0" { allDigits.removeLast() }
        return (allDigits, pointPosition)
    }
}

/// A number as the user wrote it: PyTorch's messages print a Python `int` without a fractional part and a
/// `float` with its `repr`, so `Dropout(2)` and `Dropout(2.0)` report "got 2" and "got 2.0".
public struct PythonNumber: Equatable, Sendable, CustomStringConvertible {
    public let value: Double
    public let isInteger: Bool

    public init(_ value: Double, isInteger: Bool = false) {
        self.value = value
        self.isInteger = isInteger
    }

    public var description: String { PythonNumberFormat.repr(value, isInteger: isInteger) }
}
