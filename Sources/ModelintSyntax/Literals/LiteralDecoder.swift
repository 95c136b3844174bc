/// Values of literal tokens, computed on demand by the parser when it builds `Constant` and
/// `JoinedStr` nodes. Errors carry CPython's messages and the token's range.
public enum LiteralDecoder {
    /// A whole `.string` token (prefix, quotes, body) -> `.string(PyString)` or `.bytes`.
    public static func decodeString(_ source: SourceBuffer, _ token: Token) -> Result<ConstantValue, SyntaxDiagnostic> {
        let prefix = stringPrefix(source, token)
        let start = Int(token.range.start) + prefix.length + prefix.quoteLength
        let stop = Int(token.range.end) - prefix.quoteLength
        guard token.kind == .string, start <= stop else {
            return .failure(SyntaxDiagnostic("not a complete string literal", at: token.range))
        }
        return source.bytes.withUnsafeBufferPointer { buf in
            if prefix.isBytes {
                for i in start..<stop where buf[i] >= 0x80 {
                    return .failure(SyntaxDiagnostic("bytes can only contain ASCII literal characters", at: token.range))
                }
                var decoder = EscapeDecoder(mode: .bytes, raw: prefix.isRaw, fstring: false)
                if let message = decoder.decode(buf, start, stop) {
                    return .failure(SyntaxDiagnostic(message, at: token.range))
                }
                return .success(.bytes(decoder.output))
            }
            if let plain = plainText(buf, start, stop) { return .success(.string(.text(plain))) }
            var decoder = EscapeDecoder(mode: .str, raw: prefix.isRaw, fstring: false)
            if let message = decoder.decode(buf, start, stop) {
                return .failure(SyntaxDiagnostic(message, at: token.range))
            }
            return .success(.string(decoder.pyString()))
        }
    }

    /// The text of an `.fstringMiddle` token -> its str value (escapes unless raw; `{{` -> `{`, `}}` -> `}`).
    public static func decodeFStringMiddle(_ source: SourceBuffer, _ token: Token, raw: Bool) -> Result<PyString, SyntaxDiagnostic> {
        let start = Int(token.range.start)
        let stop = Int(token.range.end)
        return source.bytes.withUnsafeBufferPointer { buf in
            var decoder = EscapeDecoder(mode: .str, raw: raw, fstring: true)
            if let message = decoder.decode(buf, start, stop) {
                return .failure(SyntaxDiagnostic(message, at: token.range))
            }
            return .success(decoder.pyString())
        }
    }

    /// A `.number` token -> `.int` / `.bigInt` / `.float` / `.complex(real: 0, imag: v)`.
    public static func decodeNumber(_ source: SourceBuffer, _ token: Token) -> Result<ConstantValue, SyntaxDiagnostic> {
        let digits = source.bytes[Int(token.range.start)..<Int(token.range.end)]
        return NumberDecoder.decode(digits).mapError { SyntaxDiagnostic($0.message, at: token.range) }
    }

    /// The common case needs no work: no backslash, no carriage return.
    private static func plainText(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ stop: Int) -> String? {
        var i = ByteWords.skip(buf, from: start, to: stop) { ByteWords.holds($0, Ascii.backslash) || ByteWords.holds($0, Ascii.cr) }
        while i < stop {
            let b = buf[i]
            if b == Ascii.backslash || b == Ascii.cr { return nil }
            i += 1
        }
        return String(decoding: UnsafeBufferPointer(rebasing: buf[start..<stop]), as: UTF8.self)
    }
}
