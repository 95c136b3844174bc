/// A syntax error unwinding the parse of one statement. `diagnostic` is nil when the lexer already
/// reported the error (the parser ran into its `.error` token). Fatal failures end the whole parse.
struct ParseFailure: Error {
    let diagnostic: SyntaxDiagnostic?
    let fatal: Bool
}

/// The parser's cursor over the token array plus its nesting bookkeeping. Grammar rules live in
/// extensions, one file per part of the grammar.
struct PythonParser {
    let source: SourceBuffer
    let tokens: UnsafeBufferPointer<Token>
    /// `source.bytes`, unchecked access for the hot paths.
    let text: UnsafeBufferPointer<UInt8>

    /// Index of the current token; never moves past the final `.endMarker`.
    var pos = 0
    /// End of the last consumed token that is not NEWLINE/INDENT/DEDENT: where a node that ends
    /// here ends, as CPython's `_PyPegen_get_last_nonnwhitespace_token` decides.
    var lastEnd: UInt32 = 0

    /// Recursion depth of the descent (stack safety).
    var depth = 0
    /// Height register: for a rule called at recursion depth `d`, the subtree it returns is at most
    /// `peak - d + 1` nodes high. Rules that build a node over sub-results bump it (see `openNode`),
    /// so trees built by loops (`a+b+c+...`, `a.b.c...`) are bounded as well as recursive ones;
    /// Swift releases a tree recursively, so its height must stay stack-safe too.
    var peak = 0

    /// The first parser error (later ones are not recorded: they are often consequences of it).
    var firstError: SyntaxDiagnostic?

    /// Limit on recursion depth and tree height. CPython rejects trees about this deep too
    /// (RecursionError during AST construction past ~3000 levels; 200 nested brackets in the tokenizer).
    /// Chosen so a debug build parses at the limit within an 8 MB stack.
    static let maxNesting = 1500

    init(source: SourceBuffer, tokens: UnsafeBufferPointer<Token>, text: UnsafeBufferPointer<UInt8>) {
        self.source = source
        self.tokens = tokens
        self.text = text
    }

    // MARK: - Token access

    @inline(__always) var token: Token { tokens[pos] }
    @inline(__always) var kind: TokenKind { tokens[pos].kind }
    @inline(__always) var start: UInt32 { tokens[pos].range.start }

    /// Kind of the token `offset` places ahead (the end marker past the end).
    @inline(__always) func kind(ahead offset: Int) -> TokenKind {
        let index = pos + offset
        return index < tokens.count ? tokens[index].kind : .endMarker
    }

    @inline(__always) mutating func advance() {
        let current = tokens[pos]
        switch current.kind {
        case .newline, .indent, .dedent: break
        case .endMarker, .error: return
        default: lastEnd = current.range.end
        }
        pos += 1
    }

    @inline(__always) mutating func accept(_ expected: TokenKind) -> Bool {
        if tokens[pos].kind == expected {
            advance()
            return true
        }
        return false
    }

    mutating func expect(_ expected: TokenKind, _ description: String) throws(ParseFailure) {
        if tokens[pos].kind != expected { throw unexpected(expecting: description) }
        advance()
    }

    /// Range from `start` to the end of the last consumed token.
    @inline(__always) func range(from start: UInt32) -> TextRange {
        TextRange(start: start, end: lastEnd)
    }

    // MARK: - Errors

    func failure(_ message: String, at range: TextRange) -> ParseFailure {
        ParseFailure(diagnostic: SyntaxDiagnostic(message, at: range), fatal: false)
    }

    /// The error for the current token not fitting the grammar. At a lexer `.error` token the lexer's
    /// diagnostic stands and parsing stops.
    func unexpected(expecting description: String? = nil) -> ParseFailure {
        let current = tokens[pos]
        switch current.kind {
        case .error:
            return ParseFailure(diagnostic: nil, fatal: true)
        case .indent:
            return failure("unexpected indent", at: current.range)
        case .dedent:
            return failure("unindent does not match the block" + (description.map { "; expected \($0)" } ?? ""),
                           at: current.range)
        case .endMarker:
            return failure("unexpected end of file" + (description.map { "; expected \($0)" } ?? ""),
                           at: current.range)
        default:
            let shown = describe(current)
            if let description { return failure("invalid syntax: expected \(description), found \(shown)", at: current.range) }
            return failure("invalid syntax: unexpected \(shown)", at: current.range)
        }
    }

    func describe(_ token: Token) -> String {
        switch token.kind {
        case .newline: return "end of line"
        case .indent: return "indent"
        case .dedent: return "dedent"
        case .endMarker: return "end of file"
        case .string, .fstringStart, .fstringMiddle, .fstringEnd: return "string"
        default:
            let length = min(token.range.length, 40)
            let bytes = UnsafeBufferPointer(rebasing: text[Int(token.range.start)..<Int(token.range.start) + length])
            return "'" + String(decoding: bytes, as: UTF8.self) + "'"
        }
    }

    // MARK: - Nesting bookkeeping

    func tooDeep() -> ParseFailure {
        ParseFailure(diagnostic: SyntaxDiagnostic("too deeply nested (more than \(Self.maxNesting) levels)",
                                                  at: tokens[pos].range),
                     fatal: true)
    }

    /// Counts one level of recursion; pair with `leave()` (use `defer`).
    @inline(__always) mutating func enter() throws(ParseFailure) {
        depth += 1
        if depth > peak { peak = depth }
        if depth > Self.maxNesting { throw tooDeep() }
    }

    @inline(__always) mutating func leave() { depth -= 1 }

    /// Starts measuring the height of sub-results; returns the mark `closeNode` restores.
    @inline(__always) mutating func openNode() -> Int {
        let saved = peak
        peak = depth
        return saved
    }

    /// A node was built on top of everything parsed since `openNode`.
    @inline(__always) mutating func bump() throws(ParseFailure) {
        peak += 1
        if peak > Self.maxNesting { throw tooDeep() }
    }

    /// Ends a measurement started by `openNode`, keeping the enclosing maximum.
    @inline(__always) mutating func closeNode(_ saved: Int) {
        if saved > peak { peak = saved }
    }

    // MARK: - Speculation

    /// The cursor state, for the few places where the grammar needs a bounded second try
    /// (`match` as a soft keyword, parenthesized with-items).
    struct Checkpoint {
        let pos: Int
        let lastEnd: UInt32
        let depth: Int
        let peak: Int
    }

    var checkpoint: Checkpoint { Checkpoint(pos: pos, lastEnd: lastEnd, depth: depth, peak: peak) }

    mutating func restore(_ checkpoint: Checkpoint) {
        pos = checkpoint.pos
        lastEnd = checkpoint.lastEnd
        depth = checkpoint.depth
        peak = checkpoint.peak
    }
}
