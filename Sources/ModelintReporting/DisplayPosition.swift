import ModelintSyntax

/// A 1-based row and a 1-based column counted in characters (Unicode scalars), as ruff reports them.
public struct DisplayPosition: Hashable, Sendable {
    public let row: Int
    public let column: Int

    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    /// The position of a byte offset: the row from the line index, the column by counting the scalars
    /// before the offset on its line (every byte that does not continue a UTF-8 sequence starts one).
    public init(_ offset: UInt32, in source: SourceBuffer) {
        let lineIndex = source.lines.lineIndex(of: offset)
        let lineStart = Int(source.lines.lineStarts[lineIndex])
        let end = min(Int(offset), source.bytes.count)
        var characters = 0
        if lineStart < end {
            for byte in source.bytes[lineStart..<end] where byte & 0xC0 != 0x80 { characters += 1 }
        }
        self.init(row: lineIndex + 1, column: characters + 1)
    }
}
