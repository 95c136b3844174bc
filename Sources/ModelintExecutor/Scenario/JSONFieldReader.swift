/// Typed access to the keys of one JSON object, producing `ScenarioError`s that carry the full key path and
/// rejecting keys the format does not define (a misspelt `momentun` must not silently become a default).
struct JSONFieldReader {
    let object: JSONObject
    let path: String

    init(_ value: JSONValue, path: String) throws(ScenarioError) {
        guard case .object(let object) = value else {
            throw ScenarioError(path: path, message: "expected an object, got \(value.kindDescription)")
        }
        self.object = object
        self.path = path
    }

    func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func rejectUnknownKeys(allowed: [String]) throws(ScenarioError) {
        for key in object.keys where !allowed.contains(key) {
            throw ScenarioError(
                path: childPath(key),
                message: "unknown key (expected one of: \(allowed.joined(separator: ", ")))")
        }
    }

    func value(_ key: String) -> JSONValue? { object[key] }

    func required(_ key: String) throws(ScenarioError) -> JSONValue {
        guard let value = object[key] else { throw ScenarioError(path: childPath(key), message: "missing required key") }
        return value
    }

    func number(_ key: String) throws(ScenarioError) -> PythonNumber? {
        guard let value = object[key] else { return nil }
        return try JSONFieldReader.number(value, path: childPath(key))
    }

    func integer(_ key: String) throws(ScenarioError) -> Int? {
        guard let value = object[key] else { return nil }
        return try JSONFieldReader.integer(value, path: childPath(key))
    }

    func bool(_ key: String) throws(ScenarioError) -> Bool? {
        guard let value = object[key] else { return nil }
        guard case .bool(let flag) = value else {
            throw ScenarioError(path: childPath(key), message: "expected true or false, got \(value.kindDescription)")
        }
        return flag
    }

    func string(_ key: String) throws(ScenarioError) -> String? {
        guard let value = object[key] else { return nil }
        guard case .string(let text) = value else {
            throw ScenarioError(path: childPath(key), message: "expected a string, got \(value.kindDescription)")
        }
        return text
    }

    func requiredString(_ key: String) throws(ScenarioError) -> String {
        guard let text = try string(key) else { throw ScenarioError(path: childPath(key), message: "missing required key") }
        return text
    }

    func requiredInteger(_ key: String) throws(ScenarioError) -> Int {
        guard let integer = try integer(key) else {
            throw ScenarioError(path: childPath(key), message: "missing required key")
        }
        return integer
    }

    static func number(_ value: JSONValue, path: String) throws(ScenarioError) -> PythonNumber {
        guard case .number(let number) = value else {
            throw ScenarioError(path: path, message: "expected a number, got \(value.kindDescription)")
        }
        return PythonNumber(number.value, isInteger: number.isIntegerLiteral)
    }

    static func integer(_ value: JSONValue, path: String) throws(ScenarioError) -> Int {
        guard case .number(let number) = value else {
            throw ScenarioError(path: path, message: "expected an integer, got \(value.kindDescription)")
        }
        guard number.isIntegerLiteral, let integer = number.integerValue, let exact = Int(exactly: integer) else {
            throw ScenarioError(path: path, message: "expected an integer, got \(PythonNumberFormat.repr(number.value))")
        }
        return exact
    }

    /// A nested array of numbers (or a bare number, a 0-D tensor) with a rectangular shape.
    static func numericArray(_ value: JSONValue, path: String) throws(ScenarioError) -> NumericArray {
        var shape: [Int] = []
        var probe = value
        while case .array(let elements) = probe {
            shape.append(elements.count)
            guard let first = elements.first else { break }
            probe = first
        }
        var values: [Double] = []
        values.reserveCapacity(shape.reduce(1, *))
        var integers: [Int64]? = []
        // The element path is only spelled out for an error; building it per element would dominate parsing.
        var indices: [Int] = []
        func elementPath() -> String { path + indices.map { "[\($0)]" }.joined() }
        func collect(_ value: JSONValue, level: Int) throws(ScenarioError) {
            if level == shape.count {
                guard case .number(let number) = value else {
                    throw ScenarioError(path: elementPath(), message: "expected a number, got \(value.kindDescription)")
                }
                values.append(number.value)
                if let integer = number.integerValue, number.isIntegerLiteral {
                    integers?.append(integer)
                } else {
                    integers = nil
                }
                return
            }
            guard case .array(let elements) = value else {
                throw ScenarioError(
                    path: elementPath(), message: "expected an array of \(shape[level]) elements, got \(value.kindDescription)")
            }
            guard elements.count == shape[level] else {
                throw ScenarioError(
                    path: elementPath(),
                    message: "expected \(shape[level]) elements like its first sibling (the array is ragged), got \(elements.count)")
            }
            indices.append(0)
            for (index, element) in elements.enumerated() {
                indices[level] = index
                try collect(element, level: level + 1)
            }
            indices.removeLast()
        }
        try collect(value, level: 0)
        return NumericArray(shape: shape, values: values, integers: integers)
    }

    static func tensor(_ value: JSONValue, path: String) throws(ScenarioError) -> Tensor {
        try numericArray(value, path: path).floatTensor
    }

    /// A tensor whose shape is fixed by the layer's constructor arguments.
    static func tensor(_ value: JSONValue, path: String, shape: [Int]) throws(ScenarioError) -> Tensor {
        let tensor = try tensor(value, path: path)
        guard tensor.shape == shape else {
            throw ScenarioError(
                path: path, message: "expected shape \(Tensor.describe(shape)), got \(tensor.shapeDescription)")
        }
        return tensor
    }
}

extension JSONValue {
    /// "a number", "an array", ... for error messages.
    var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
