/// A syntax error found by the decoder, lexer or parser. The front end never throws: it records
/// diagnostics and recovers, and callers decide what a diagnostic means (for `modelint ast` the
/// first one is fatal; `modelint check` reports it as ML000 and checks the other files).
public struct SyntaxDiagnostic: Sendable, Equatable, Error {
    public let message: String
    /// Where it was found; always inside (or at the end of) the file.
    public let range: TextRange

    public init(_ message: String, at range: TextRange) {
        self.message = message
        self.range = range
    }
}
