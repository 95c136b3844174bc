/// A small JSON reader for comparing trees semantically. Unlike Foundation's JSONSerialization it keeps
/// ints and floats apart (`1` vs `1.0` is a real difference in a Constant) and reads lone-surrogate
/// escapes (`"\ud800"`), which Python strings can hold.
enum JSONValue: Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    /// UTF-16 code units, so a lone surrogate survives.
    case string([UInt16])
    case array([JSONValue])
    /// Keys in document order.
    case object([(key: String, value: JSONValue)])

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        JSONValue.firstDifference(lhs, rhs) == nil
    }

    var description: String {
        switch self {
        case .null: return "null"
        case .bool(let flag): return String(flag)
        case .int(let value): return String(value)
        case .float(let value): return "\(value)"
        case .string(let units): return "\"" + String(decoding: units, as: UTF16.self) + "\""
        case .array(let elements): return "[" + elements.map(\.description).joined(separator: ", ") + "]"
        case .object(let fields):
            return "{" + fields.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
        }
    }

    subscript(key: String) -> JSONValue? {
        guard case .object(let fields) = self else { return nil }
        return fields.first { $0.key == key }?.value
    }

    /// Path and both values of the first difference (object key order ignored), or nil when equal.
    static func firstDifference(_ expected: JSONValue, _ actual: JSONValue, path: String = "")
        -> (path: String, expected: String, actual: String)? {
        switch (expected, actual) {
        case (.object(let lhs), .object(let rhs)):
            for (key, value) in lhs {
                let keyPath = path.isEmpty ? key : path + "." + key
                guard let other = rhs.first(where: { $0.key == key })?.value else {
                    return (keyPath, value.description, "<missing>")
                }
                if let difference = firstDifference(value, other, path: keyPath) { return difference }
            }
            for (key, value) in rhs where !lhs.contains(where: { $0.key == key }) {
                return (path.isEmpty ? key : path + "." + key, "<missing>", value.description)
            }
            return nil
        case (.array(let lhs), .array(let rhs)):
            guard lhs.count == rhs.count else { return (path + ".length", String(lhs.count), String(rhs.count)) }
            for (index, (left, right)) in zip(lhs, rhs).enumerated() {
                if let difference = firstDifference(left, right, path: "\(path)[\(index)]") { return difference }
            }
            return nil
        case (.null, .null): return nil
        case (.bool(let a), .bool(let b)) where a == b: return nil
        case (.int(let a), .int(let b)) where a == b: return nil
        case (.float(let a), .float(let b)) where a.bitPattern == b.bitPattern: return nil
        case (.string(let a), .string(let b)) where a == b: return nil
        default: return (path, expected.description, actual.description)
        }
    }

    struct ParseError: Error, CustomStringConvertible {
        let offset: Int
        let message: String
        var description: String { "JSON error at byte \(offset): \(message)" }
    }

    static func parse(_ text: String) throws -> JSONValue { try parse(Array(text.utf8)) }

    static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        var reader = Reader(bytes: bytes)
        let value = try reader.value()
        reader.skipSpace()
        guard reader.offset == bytes.count else { throw ParseError(offset: reader.offset, message: "trailing text") }
        return value
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func skipSpace() {
            while offset < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[offset]) { offset += 1 }
        }

        func fail(_ message: String) -> ParseError { ParseError(offset: offset, message: message) }

        mutating func expect(_ literal: String) throws {
            for byte in literal.utf8 {
                guard offset < bytes.count, bytes[offset] == byte else { throw fail("expected \(literal)") }
                offset += 1
            }
        }

        mutating func value() throws -> JSONValue {
            skipSpace()
            guard offset < bytes.count else { throw fail("unexpected end") }
            switch bytes[offset] {
            case UInt8(ascii: "n"): try expect("null"); return .null
            case UInt8(ascii: "t"): try expect("true"); return .bool(true)
            case UInt8(ascii: "f"): try expect("false"); return .bool(false)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "["):
                offset += 1
                var elements: [JSONValue] = []
                skipSpace()
                if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") { offset += 1; return .array(elements) }
                while true {
                    elements.append(try value())
                    skipSpace()
                    guard offset < bytes.count else { throw fail("unterminated array") }
                    if bytes[offset] == UInt8(ascii: "]") { offset += 1; return .array(elements) }
                    try expect(",")
                }
            case UInt8(ascii: "{"):
                offset += 1
                var fields: [(key: String, value: JSONValue)] = []
                skipSpace()
                if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") { offset += 1; return .object(fields) }
                while true {
                    skipSpace()
                    let key = String(decoding: try string(), as: UTF16.self)
                    skipSpace()
                    try expect(":")
                    fields.append((key, try value()))
                    skipSpace()
                    guard offset < bytes.count else { throw fail("unterminated object") }
                    if bytes[offset] == UInt8(ascii: "}") { offset += 1; return .object(fields) }
                    try expect(",")
                }
            default:
                return try number()
            }
        }

        mutating func number() throws -> JSONValue {
            let start = offset
            var isFloat = false
            while offset < bytes.count {
                let byte = bytes[offset]
                if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                    isFloat = true
                } else if !(byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || (0x30...0x39).contains(byte)) {
                    break
                }
                offset += 1
            }
            let text = String(decoding: bytes[start..<offset], as: UTF8.self)
            if isFloat, let value = Double(text) { return .float(value) }
            if !isFloat, let value = Int(text) { return .int(value) }
            offset = start
            throw fail("bad number '\(text)'")
        }

        mutating func string() throws -> [UInt16] {
            try expect("\"")
            var raw: [UInt8] = []
            var units: [UInt16] = []
            func flush() { units.append(contentsOf: String(decoding: raw, as: UTF8.self).utf16); raw.removeAll() }
            while true {
                guard offset < bytes.count else { throw fail("unterminated string") }
                let byte = bytes[offset]
                offset += 1
                switch byte {
                case UInt8(ascii: "\""):
                    flush()
                    return units
                case UInt8(ascii: "\\"):
                    guard offset < bytes.count else { throw fail("unterminated escape") }
                    let escape = bytes[offset]
                    offset += 1
                    flush()
                    switch escape {
                    case UInt8(ascii: "n"): units.append(0x0A)
                    case UInt8(ascii: "r"): units.append(0x0D)
                    case UInt8(ascii: "t"): units.append(0x09)
                    case UInt8(ascii: "b"): units.append(0x08)
                    case UInt8(ascii: "f"): units.append(0x0C)
                    case UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "\""): units.append(UInt16(escape))
                    case UInt8(ascii: "u"):
                        guard offset + 4 <= bytes.count,
                              let unit = UInt16(String(decoding: bytes[offset..<offset + 4], as: UTF8.self), radix: 16)
                        else { throw fail("bad \\u escape") }
                        units.append(unit)
                        offset += 4
                    default: throw fail("bad escape")
                    }
                case 0..<0x20:
                    throw fail("control character in string")
                default:
                    raw.append(byte)
                }
            }
        }
    }
}
