/// Names a caller wants reported while a file is lexed: for each, whether it occurs as a NAME token, or only
/// as an attribute (the token before it is `.`, comments and line breaks in between). A linter decides from
/// this which of its rules can apply to the file, at the cost of a bit test per name token.
///
/// Names are compared by their bytes: a name spelled with non-ASCII characters is never matched (its
/// identifier is the NFKC form, see `ParsedModule.hasNonASCIINames`).
public struct NameWatch: Sendable, Hashable {
    public struct Name: Sendable, Hashable {
        public let text: String
        public let onlyAsAttribute: Bool

        public init(_ text: String, onlyAsAttribute: Bool) {
            self.text = text
            self.onlyAsAttribute = onlyAsAttribute
        }
    }

    /// At most 64; bit i of a result stands for `names[i]`.
    public let names: [Name]
    /// Bit n is set when some name is n bytes long: most name tokens are rejected by one test.
    let lengths: UInt64
    /// Bit b (of the low 64 ASCII values, then the high 64) is set when some name starts with byte b.
    let firstBytes: (low: UInt64, high: UInt64)
    let spellings: [[UInt8]]

    public init(_ names: [Name]) {
        precondition(names.count <= 64, "a NameWatch holds at most 64 names")
        self.names = names
        spellings = names.map { Array($0.text.utf8) }
        lengths = spellings.reduce(0) { mask, bytes in bytes.count < 64 ? mask | (1 << UInt64(bytes.count)) : mask }
        var low: UInt64 = 0, high: UInt64 = 0
        for first in spellings.compactMap(\.first) where first < 128 {
            if first < 64 { low |= 1 << UInt64(first) } else { high |= 1 << UInt64(first - 64) }
        }
        firstBytes = (low, high)
    }

    public static func == (a: NameWatch, b: NameWatch) -> Bool { a.names == b.names }
    public func hash(into hasher: inout Hasher) { hasher.combine(names) }

    /// Whether some watched name is `length` bytes long and starts with `first`: the two tests most name
    /// tokens get.
    @inline(__always)
    func mayMatch(length: Int, first: UInt8) -> Bool {
        guard length < 64, lengths & (1 << UInt64(length)) != 0, first < 128 else { return false }
        return first < 64 ? firstBytes.low & (1 << UInt64(first)) != 0 : firstBytes.high & (1 << UInt64(first - 64)) != 0
    }

    /// Bits of the names that `text[start..<start + length]` spells, given whether the previous token is `.`.
    /// Called for the name tokens `mayMatch` let through.
    func matches(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int, afterDot: Bool) -> UInt64 {
        var found: UInt64 = 0
        for (index, spelling) in spellings.enumerated() where spelling.count == length {
            guard afterDot || !names[index].onlyAsAttribute else { continue }
            var offset = 0
            while offset < length && text[start + offset] == spelling[offset] { offset += 1 }
            if offset == length { found |= 1 << UInt64(index) }
        }
        return found
    }
}
