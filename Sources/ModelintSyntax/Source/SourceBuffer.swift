import Foundation

/// A Python source file decoded to UTF-8, with its line index.
///
/// All positions in tokens and nodes are byte offsets into `bytes`. Line endings are kept as written
/// (`\n`, `\r\n` or a lone `\r`); the line index treats each as one line break, as CPython's
/// universal-newline translation does, and translating line endings never moves a column.
public struct SourceBuffer: Sendable {
    /// The path it was read from, for messages; "<string>" for in-memory text.
    public let path: String
    /// UTF-8 text (transcoded from the declared encoding, BOM removed).
    public let bytes: [UInt8]
    private let lineCache = LineIndexCache()

    public init(path: String = "<string>", utf8 bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    /// Built on the first position query: most files of a large check never need one (no finding, no error).
    public var lines: LineIndex { lineCache.index(of: bytes) }

    public init(path: String = "<string>", text: String) {
        self.init(path: path, utf8: Array(text.utf8))
    }

    @inlinable public var count: Int { bytes.count }

    /// The text of a range (lossy only if the range splits a UTF-8 sequence).
    public func text(_ range: TextRange) -> String {
        String(decoding: bytes[Int(range.start)..<Int(range.end)], as: UTF8.self)
    }

    /// Line and column of a byte offset.
    public func location(_ offset: UInt32) -> SourceLocation { lines.location(of: offset, in: bytes) }
}

/// A 1-based line and a 0-based UTF-8 byte column (CPython's `lineno` / `col_offset`).
public struct SourceLocation: Hashable, Sendable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// A buffer's line index, built once on first use; copies of the buffer share it. Thread-safe.
final class LineIndexCache: @unchecked Sendable {
    private let lock = NSLock()
    private var built: LineIndex?

    func index(of bytes: [UInt8]) -> LineIndex {
        lock.lock()
        defer { lock.unlock() }
        if let built { return built }
        let index = LineIndex(bytes)
        built = index
        return index
    }
}

/// Start offsets of every line. Built once per file in a single pass over the bytes.
public struct LineIndex: Sendable {
    /// `lineStarts[i]` is the byte offset where line i+1 begins. Always starts with 0.
    public let lineStarts: [UInt32]

    public init(_ bytes: [UInt8]) {
        var starts: [UInt32] = [0]
        starts.reserveCapacity(bytes.count / 32 + 1)
        bytes.withUnsafeBufferPointer { buf in
            var i = 0
            let n = buf.count
            while i < n {
                // Eight bytes at a time past the (most) words that hold no line break.
                i = ByteWords.skip(buf, from: i, to: n, until: ByteWords.holdsLineBreak)
                guard i < n else { break }
                let b = buf[i]
                if b == 0x0A {
                    starts.append(UInt32(i + 1))
                } else if b == 0x0D {
                    if i + 1 < n && buf[i + 1] == 0x0A { i += 1 }
                    starts.append(UInt32(i + 1))
                }
                i += 1
            }
        }
        lineStarts = starts
    }

    public var lineCount: Int { lineStarts.count }

    /// 0-based index of the line holding `offset` (binary search).
    public func lineIndex(of offset: UInt32) -> Int {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    public func location(of offset: UInt32, in bytes: [UInt8]) -> SourceLocation {
        let line = lineIndex(of: offset)
        return SourceLocation(line: line + 1, column: Int(offset - lineStarts[line]))
    }

    /// Byte range of line `line` (1-based) without its line ending.
    public func lineRange(_ line: Int, in bytes: [UInt8]) -> TextRange {
        let start = Int(lineStarts[line - 1])
        var end = line < lineStarts.count ? Int(lineStarts[line]) : bytes.count
        if end > start && bytes[end - 1] == 0x0A { end -= 1 }
        if end > start && bytes[end - 1] == 0x0D { end -= 1 }
        return TextRange(start, end)
    }
}
