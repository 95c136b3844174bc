/// The lexer's output for one file.
public struct TokenizedSource: Sendable {
    /// Significant tokens only (no COMMENT, no NL); always ends with `.endMarker`.
    public var tokens: [Token]
    /// Every comment's range, '#' to the end of its line, in source order.
    public var comments: [TextRange]
    /// Lexer errors, one per `.error` token, in order. Tokens that only CPython's parser rejects
    /// (`$`, `?`, a backtick, a bare `!`, `<>`) give "invalid syntax" and lexing goes on; any other
    /// error ends the stream, so it is the last diagnostic.
    public var diagnostics: [SyntaxDiagnostic]
    /// What CPython reports instead of a parser error found before the end of this stream. After a
    /// failed parse CPython tokenizes the rest of the file and prefers a tokenizer error it finds
    /// there (`_PyPegen_tokenize_full_source_to_check_for_errors`); nil when it would find none.
    public var parserErrorOverride: ParserErrorOverride?
    /// Some NAME token holds a non-ASCII character (its identifier is the NFKC form, which may differ from
    /// the bytes: `ｅval` is `eval`).
    public var hasNonASCIINames: Bool
    /// Bits of the watched names that occur (see `NameWatch`); 0 without a watch.
    public var watchedNames: UInt64

    public init(tokens: [Token], comments: [TextRange], diagnostics: [SyntaxDiagnostic],
                parserErrorOverride: ParserErrorOverride? = nil, hasNonASCIINames: Bool = false,
                watchedNames: UInt64 = 0) {
        self.tokens = tokens
        self.comments = comments
        self.diagnostics = diagnostics
        self.parserErrorOverride = parserErrorOverride
        self.hasNonASCIINames = hasNonASCIINames
        self.watchedNames = watchedNames
    }
}

/// A tokenizer error that takes precedence over a parser error (see `TokenizedSource`).
public struct ParserErrorOverride: Sendable, Equatable {
    public var diagnostic: SyntaxDiagnostic
    /// When set (an unclosed bracket), the override applies only to a parser error reported on a later
    /// line than this one; otherwise it always applies.
    public var onlyAfterLine: Int?

    public init(diagnostic: SyntaxDiagnostic, onlyAfterLine: Int?) {
        self.diagnostic = diagnostic
        self.onlyAfterLine = onlyAfterLine
    }
}

/// Tokenizes a decoded source file with the Python 3.12 tokenizer's rules (PEP 701 f-strings).
public func tokenize(_ source: SourceBuffer, watching watch: NameWatch? = nil,
                     reusing recycled: ParseRecycler? = nil) -> TokenizedSource {
    source.bytes.withUnsafeBufferPointer { buffer in
        var lexer = Lexer(buffer, source: source, tokens: recycled?.take() ?? [])
        lexer.watch = watch
        lexer.run()
        return TokenizedSource(tokens: lexer.tokens, comments: lexer.comments, diagnostics: lexer.diagnostics,
                               parserErrorOverride: lexer.parserErrorOverride,
                               hasNonASCIINames: lexer.hasNonASCIINames, watchedNames: lexer.watchedNames)
    }
}

/// One pass over the bytes, emitting tokens into an array. The state mirrors CPython's `tok_state`:
/// an indentation stack (with the tab-size-1 "alt" column used to detect inconsistent tabs), a
/// bracket stack shared by all f-strings, and a stack of f-string modes.
struct Lexer {
    let text: UnsafeBufferPointer<UInt8>
    let end: Int
    /// For line numbers in messages only: its line index is built on the first one.
    let source: SourceBuffer

    var pos = 0
    var tokens: [Token] = []
    var comments: [TextRange] = []
    var diagnostics: [SyntaxDiagnostic] = []
    var parserErrorOverride: ParserErrorOverride?
    var hasNonASCIINames = false
    var watch: NameWatch?
    var watchedNames: UInt64 = 0
    var finished = false

    // Indentation (CPython's indstack / altindstack).
    var indents: [Int] = [0]
    var altIndents: [Int] = [0]
    var atLineStart = true
    /// Set once the current logical line produced a token, so its end produces a NEWLINE.
    var lineHasTokens = false

    /// Open brackets, innermost last.
    var brackets: [OpenBracket] = []
    /// Enclosing f-strings, innermost last.
    var fstrings: [FStringState] = []

    static let maxBracketDepth = 200
    static let maxIndentLevels = 100
    /// CPython's MAXFSTRINGLEVEL: the mode stack (whose bottom is the regular mode) holds 150 entries.
    static let maxFStringNesting = 149
    /// CPython's MAX_EXPR_NESTING: replacement fields nested in format specs.
    static let maxFieldNesting = 3

    init(_ text: UnsafeBufferPointer<UInt8>, source: SourceBuffer, tokens: [Token] = []) {
        self.text = text
        self.end = text.count
        self.source = source
        self.tokens = tokens
        self.tokens.removeAll(keepingCapacity: true)
        self.tokens.reserveCapacity(text.count / 5 + 8)
    }

    mutating func run() {
        while !finished {
            if let top = fstrings.last, top.inLiteral {
                lexFStringLiteral()
            } else if atLineStart {
                lexIndentation()
            } else {
                lexNormalToken()
            }
        }
    }

    // MARK: - Byte access

    /// The byte at `i`, or 0 past the end (the decoder guarantees no NUL inside the text; a NUL that
    /// slipped in through `SourceBuffer(text:)` is caught where it is consumed).
    @inline(__always) func byte(_ i: Int) -> UInt8 {
        i < end ? text[i] : 0
    }

    /// Length of the line break at `i` (1 or 2 for `\r\n`), 0 if none.
    @inline(__always) func newlineLength(at i: Int) -> Int {
        let b = byte(i)
        if b == Ascii.lf { return 1 }
        if b == Ascii.cr { return byte(i + 1) == Ascii.lf ? 2 : 1 }
        return 0
    }

    // MARK: - Emitting

    @inline(__always) mutating func emit(_ kind: TokenKind, _ start: Int, _ stop: Int) {
        tokens.append(Token(kind, TextRange(start, stop)))
        lineHasTokens = true
    }

    /// Records a diagnostic, leaves an `.error` token, closes the stream and stops. The token sits at
    /// the diagnostic's range unless that lies before tokens already emitted (an unclosed bracket is
    /// reported at the bracket): then it marks the point where lexing stopped, keeping the stream ordered.
    ///
    /// `raisesException`: CPython's tokenizer raises this error as an exception, which makes it win
    /// over an earlier parser error. Indentation errors, a bad line continuation and the end of file
    /// are only status codes; they lose, except that an open bracket then reads "'(' was never closed".
    mutating func fail(_ message: String, _ start: Int, _ stop: Int, raisesException: Bool = true) {
        let lower = min(start, end)
        let range = TextRange(lower, max(lower, min(stop, end)))
        let diagnostic = SyntaxDiagnostic(message, at: range)
        diagnostics.append(diagnostic)
        let lastStart = tokens.last?.range.start ?? 0
        if range.start >= lastStart {
            tokens.append(Token(.error, range))
        } else {
            let here = max(min(pos, end), Int(tokens.last?.range.end ?? 0))
            tokens.append(Token(.error, TextRange(here, here)))
        }
        tokens.append(Token(.endMarker, TextRange(end, end)))
        finished = true
        // Inside an f-string CPython keeps the parser's error.
        guard fstrings.isEmpty else { return }
        if raisesException {
            parserErrorOverride = ParserErrorOverride(diagnostic: diagnostic, onlyAfterLine: nil)
        } else if let bracket = brackets.last {
            parserErrorOverride = ParserErrorOverride(
                diagnostic: SyntaxDiagnostic(neverClosed(bracket), at: TextRange(bracket.offset, bracket.offset + 1)),
                onlyAfterLine: lineNumber(bracket.offset))
        }
    }

    /// A token CPython's tokenizer accepts but its parser never does: reported as "invalid syntax"
    /// with an `.error` token, and lexing goes on so that later tokenizer errors are still found.
    mutating func rejectForParser(_ start: Int, _ stop: Int) {
        let range = TextRange(start, stop)
        diagnostics.append(SyntaxDiagnostic("invalid syntax", at: range))
        emit(.error, start, stop)
        pos = stop
    }

    func neverClosed(_ bracket: OpenBracket) -> String {
        "'\(Character(Unicode.Scalar(bracket.byte)))' was never closed"
    }

    /// An error pointing at the single character starting at `i` (CPython reports a column, not a span).
    mutating func fail(_ message: String, at i: Int) {
        fail(message, i, i + characterLength(at: i))
    }

    /// Byte length of the (possibly multi-byte) character at `i`; 0 at the end of the text.
    func characterLength(at i: Int) -> Int {
        guard i < end else { return 0 }
        var length = 1
        _ = UTF8Scan.decode(text, at: i, length: &length)
        return length
    }

    /// 1-based line of a byte offset, for messages such as "detected at line N".
    func lineNumber(_ offset: Int) -> Int {
        source.lines.lineIndex(of: UInt32(min(offset, end))) + 1
    }

    /// The line CPython names when it runs off the end of the file: the last line holding text.
    var lastLineNumber: Int { lineNumber(max(end - 1, 0)) }

    // MARK: - End of file

    mutating func lexEndOfFile() {
        if let innermost = brackets.last {
            // Also inside an f-string field (CPython 3.12: `f'{1#}'` -> "'{' was never closed").
            return fail(neverClosed(innermost), innermost.offset, innermost.offset + 1, raisesException: false)
        }
        if lineHasTokens { emit(.newline, end, end) }
        for _ in 1..<indents.count { tokens.append(Token(.dedent, TextRange(end, end))) }
        indents.removeSubrange(1...)
        altIndents.removeSubrange(1...)
        tokens.append(Token(.endMarker, TextRange(end, end)))
        finished = true
    }
}

/// An open bracket: which one and where, for mismatch and never-closed messages.
struct OpenBracket {
    var byte: UInt8
    var offset: Int
}
