/// The runner's stdout document: `{"outputs": {...}, "losses": [...], "state": {...}}`, or `{"error": "..."}`.
/// Keys keep a stable order (outputs as first recorded, state in `state_dict` order); floats print with the
/// shortest digits that round-trip float32; non-finite values use Python json's `NaN`/`Infinity`/`-Infinity`.
public enum SimulationOutput {
    public static func json(_ result: SimulationResult) -> String {
        var writer = JSONTextWriter()
        writer.text("{\"outputs\": {")
        for (index, output) in result.outputs.enumerated() {
            if index > 0 { writer.text(", ") }
            writer.string(output.name)
            writer.text(": ")
            writer.tensor(output.value)
        }
        writer.text("}, \"losses\": [")
        for (index, loss) in result.losses.enumerated() {
            if index > 0 { writer.text(", ") }
            writer.float(loss)
        }
        writer.text("], \"state\": {")
        for (index, entry) in result.state.enumerated() {
            if index > 0 { writer.text(", ") }
            writer.string(entry.name)
            writer.text(": ")
            switch entry.value {
            case .tensor(let tensor): writer.tensor(tensor)
            case .integer(let integer): writer.text(String(integer))
            }
        }
        writer.text("}}\n")
        return writer.result
    }

    public static func json(error: TorchError) -> String {
        var writer = JSONTextWriter()
        writer.text("{\"error\": ")
        writer.string(error.message)
        writer.text("}\n")
        return writer.result
    }
}

/// Appends JSON text to a byte buffer.
struct JSONTextWriter {
    private var bytes: [UInt8] = []

    var result: String { String(decoding: bytes, as: UTF8.self) }

    mutating func text(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): text("\\\"")
            case UInt8(ascii: "\\"): text("\\\\")
            case 0x0A: text("\\n")
            case 0x0D: text("\\r")
            case 0x09: text("\\t")
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                text("\\u00")
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func float(_ value: Float) {
        if value.isNaN {
            text("NaN")
        } else if value.isInfinite {
            text(value < 0 ? "-Infinity" : "Infinity")
        } else {
            // Swift prints the shortest digits that round-trip the float32 value, e.g. 0.1 and 1e-05.
            text(value.description)
        }
    }

    /// Nested arrays in row-major order; a 0-D tensor is a bare number.
    mutating func tensor(_ tensor: Tensor) {
        var offset = 0
        nested(tensor, dimension: 0, offset: &offset)
    }

    private mutating func nested(_ tensor: Tensor, dimension: Int, offset: inout Int) {
        if dimension == tensor.rank {
            float(tensor.scalars[offset])
            offset += 1
            return
        }
        bytes.append(UInt8(ascii: "["))
        for index in 0..<tensor.shape[dimension] {
            if index > 0 { text(", ") }
            nested(tensor, dimension: dimension + 1, offset: &offset)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}
