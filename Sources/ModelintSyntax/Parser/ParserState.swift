/// A syntax error unwinding the parse of one statement. `diagnostic` is nil when the lexer already
/// reported the error (the parser ran into its `.error` token). Fatal failures end the whole parse.
struct ParseFailure: Error {
    let diagnostic: SyntaxDiagnostic?
    let fatal: Bool
}

/// The parser's cursor over the token array plus its nesting bookkeeping. Grammar rules live in
/// extensions, one file per part of the grammar.
struct PythonParser: ~Copyable {
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
    /// Height register: the height, minus one, of the tallest subtree completed since the last
    /// `openNode` (leaves count 0). Rules that build a node over sub-results `bump` it, so trees built
    /// by loops (`a+b+c+...`, `a.b.c...`, `elif` chains) are bounded as well as recursive ones: Swift
    /// releases a tree recursively, so its height must stay stack-safe too.
    var height = 0

    /// The first parser error (later ones are not recorded: they are often consequences of it).
    var firstError: SyntaxDiagnostic?

    /// Every import statement of the tree, in source order, collected as they are built so that
    /// program loading need not walk every tree to find them.
    var imports: [Stmt] = []

    /// Limit on recursion depth and on tree height: CPython 3.12's C recursion limit, which its
    /// AST construction enforces too. A debug build parses at this limit within an 8 MB stack.
    static let maxNesting = 1500

    /// The lexer saw no name with a non-ASCII character: identifiers need no NFKC check.
    var namesAreASCII = false
    var shortNames: ShortNameCache

    init(source: SourceBuffer, tokens: UnsafeBufferPointer<Token>, text: UnsafeBufferPointer<UInt8>,
         shortNames: ShortNameCache) {
        self.source = source
        self.tokens = tokens
        self.text = text
        self.shortNames = shortNames
    }

    // MARK: - Token access

    // Accessors are `mutating` so debug builds pass the parser by address instead of copying it
    // into a stack slot at every call (which made debug stack frames kilobytes large).
    var token: Token { mutating get { tokens[pos] } }
    var kind: TokenKind { mutating get { tokens[pos].kind } }
    var start: UInt32 { mutating get { tokens[pos].range.start } }

    /// Kind of the token `offset` places ahead (the end marker past the end).
    mutating func kind(ahead offset: Int) -> TokenKind {
        let index = pos + offset
        return index < tokens.count ? tokens[index].kind : .endMarker
    }

    mutating func advance() {
        let current = tokens[pos]
        switch current.kind {
        case .newline, .indent, .dedent: break
        case .endMarker, .error: return
        default: lastEnd = current.range.end
        }
        pos += 1
    }

    mutating func accept(_ expected: TokenKind) -> Bool {
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
    mutating func range(from start: UInt32) -> TextRange {
        TextRange(start: start, end: lastEnd)
    }

    // MARK: - Errors

    mutating func failure(_ message: String, at range: TextRange) -> ParseFailure {
        ParseFailure(diagnostic: SyntaxDiagnostic(message, at: range), fatal: false)
    }

    /// The error for the current token not fitting the grammar. At a lexer `.error` token the lexer's
    /// diagnostic stands and parsing stops.
    mutating func unexpected(expecting description: String? = nil) -> ParseFailure {
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

    mutating func describe(_ token: Token) -> String {
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

    static let nestingMessage = "too deeply nested (more than \(maxNesting) levels)"

    mutating func tooDeep() -> ParseFailure {
        ParseFailure(diagnostic: SyntaxDiagnostic(Self.nestingMessage, at: tokens[pos].range), fatal: true)
    }

    /// Counts one level of recursion; pair with `leave()` (use `defer`).
    mutating func enter() throws(ParseFailure) {
        depth += 1
        if depth > Self.maxNesting { throw tooDeep() }
    }

    mutating func leave() { depth -= 1 }

    /// Starts measuring the height of sub-results; returns the mark `closeNode` restores.
    mutating func openNode() -> Int {
        let saved = height
        height = 0
        return saved
    }

    /// A node was built on top of everything parsed since `openNode`.
    mutating func bump() throws(ParseFailure) {
        height += 1
        if height > Self.maxNesting { throw tooDeep() }
    }

    /// Ends a measurement started by `openNode`, keeping the enclosing maximum.
    mutating func closeNode(_ saved: Int) {
        if saved > height { height = saved }
    }

    // MARK: - Speculation

    /// The cursor state, for the few places where the grammar needs a bounded second try
    /// (`match` as a soft keyword, parenthesized with-items).
    struct Checkpoint {
        let pos: Int
        let lastEnd: UInt32
        let depth: Int
        let height: Int
    }

    var checkpoint: Checkpoint { mutating get { Checkpoint(pos: pos, lastEnd: lastEnd, depth: depth, height: height) } }

    mutating func restore(_ checkpoint: Checkpoint) {
        pos = checkpoint.pos
        lastEnd = checkpoint.lastEnd
        depth = checkpoint.depth
        height = checkpoint.height
    }
}

extension Array {
    /// A list known to get more elements: room for four up front saves the regrowths that
    /// appending to a one-element array costs (one allocation each).
    init(startingWith first: Element) {
        self.init()
        reserveCapacity(4)
        append(first)
    }
}
