/// The prefix letters and quote style of a string or f-string token.
public struct StringPrefix: Sendable, Equatable {
    public var isRaw: Bool
    public var isBytes: Bool
    public var isFormat: Bool
    /// A `u` prefix: the value is an ordinary str, but `ast.Constant.kind` is "u".
    public var isUnicode: Bool
    /// Number of prefix bytes before the first quote (0...2).
    public var length: Int
    /// 1 for `'` / `"`, 3 for `'''` / `"""`.
    public var quoteLength: Int

    public init(isRaw: Bool, isBytes: Bool, isFormat: Bool, isUnicode: Bool, length: Int, quoteLength: Int) {
        self.isRaw = isRaw
        self.isBytes = isBytes
        self.isFormat = isFormat
        self.isUnicode = isUnicode
        self.length = length
        self.quoteLength = quoteLength
    }
}

extension LiteralDecoder {
    /// Reads the prefix of a `.string` or `.fstringStart` token.
    public static func stringPrefix(_ source: SourceBuffer, _ token: Token) -> StringPrefix {
        let bytes = source.bytes
        let start = Int(token.range.start)
        let stop = Int(token.range.end)
        var prefix = StringPrefix(isRaw: false, isBytes: false, isFormat: false, isUnicode: false,
                                  length: 0, quoteLength: 1)
        var i = start
        while i < stop {
            switch bytes[i].asciiLowercased {
            case 0x72: prefix.isRaw = true
            case 0x62: prefix.isBytes = true
            case 0x66: prefix.isFormat = true
            case 0x75: prefix.isUnicode = true
            default:
                prefix.length = i - start
                let quote = bytes[i]
                if token.kind == .fstringStart {
                    prefix.quoteLength = stop - i
                } else if stop - i >= 6 && bytes[i + 1] == quote && bytes[i + 2] == quote {
                    prefix.quoteLength = 3
                }
                return prefix
            }
            i += 1
        }
        prefix.length = stop - start
        return prefix
    }
}
