/// A parsed JSON document. Numbers remember whether they were written as integers, because the scenario format
/// distinguishes counts from reals and PyTorch's messages print a Python `int` differently from a `float`.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

public struct JSONNumber: Equatable, Sendable {
    public let value: Double
    /// The literal had no fraction and no exponent (`3`, not `3.0` or `3e0`), so Python reads it as an `int`.
    public let isIntegerLiteral: Bool
    /// The exact value of an integer literal that fits in Int64 (a Double cannot hold every seed).
    public let integerValue: Int64?
}

/// A JSON object with its keys in document order; a repeated key resolves to its last value, as in Python.
public struct JSONObject: Equatable, Sendable {
    public let entries: [(key: String, value: JSONValue)]

    public init(entries: [(key: String, value: JSONValue)]) { self.entries = entries }

    public subscript(key: String) -> JSONValue? {
        entries.last { $0.key == key }?.value
    }

    public var keys: [String] { entries.map(\.key) }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
