/// A half-open byte range into a `SourceBuffer`'s UTF-8 text.
///
/// Nodes and tokens store byte offsets only; line and column are derived through the buffer's
/// `LineIndex` when a position is printed, so the hot path never counts lines.
public struct TextRange: Hashable, Sendable, Comparable {
    public var start: UInt32
    public var end: UInt32

    @inlinable public init(start: UInt32, end: UInt32) {
        self.start = start
        self.end = end
    }

    @inlinable public init(_ start: Int, _ end: Int) {
        self.start = UInt32(start)
        self.end = UInt32(end)
    }

    @inlinable public var length: Int { Int(end) - Int(start) }
    @inlinable public var isEmpty: Bool { start == end }

    /// The smallest range covering both.
    @inlinable public func cover(_ other: TextRange) -> TextRange {
        TextRange(start: min(start, other.start), end: max(end, other.end))
    }

    @inlinable public static func < (lhs: TextRange, rhs: TextRange) -> Bool {
        lhs.start != rhs.start ? lhs.start < rhs.start : lhs.end < rhs.end
    }
}
