/// The parser's result for one file: a best-effort tree plus every syntax error.
public struct ParsedModule: Sendable {
    public let source: SourceBuffer
    /// The tree; partial (statements that failed to parse are left out) when there are diagnostics.
    public let module: Module
    /// Every comment's range, in source order (the lexer's).
    public let comments: [TextRange]
    /// Lexer and parser errors in source order; empty means the file is valid Python 3.12.
    public let diagnostics: [SyntaxDiagnostic]
    /// Every `import` and `from ... import` statement of `module`, wherever it sits, in source order.
    public let imports: [Stmt]
    /// Some name is spelled with non-ASCII characters, so its identifier (NFKC) may differ from its bytes.
    public let hasNonASCIINames: Bool
    /// The watch the file was lexed with, and the bits of its names that occur (`NameWatch`).
    public let watch: NameWatch?
    public let watchedNames: UInt64

    public init(source: SourceBuffer, module: Module, comments: [TextRange], diagnostics: [SyntaxDiagnostic],
                imports: [Stmt], hasNonASCIINames: Bool = false, watch: NameWatch? = nil, watchedNames: UInt64 = 0) {
        self.source = source
        self.module = module
        self.comments = comments
        self.diagnostics = diagnostics
        self.imports = imports
        self.hasNonASCIINames = hasNonASCIINames
        self.watch = watch
        self.watchedNames = watchedNames
    }
}

/// Python 3.12 parser: recursive descent with precedence climbing over the lexer's token array.
/// Accepts exactly what CPython's `ast.parse` accepts and gives nodes CPython's positions.
public enum Parser {
    /// Parses a decoded source file. Never throws and never traps: errors become diagnostics.
    /// `watch`: names to report the occurrence of (`ParsedModule.watchedNames`).
    /// `recycler`: where to take the token array and the name cache from and give them back to, so threads
    /// parsing many files reuse them instead of building them per file.
    public static func parse(_ source: SourceBuffer, watching watch: NameWatch? = nil,
                             recycling recycler: ParseRecycler? = nil) -> ParsedModule {
        var tokenized = tokenize(source, watching: watch, reusing: recycler)
        defer { recycler?.giveBack(&tokenized.tokens) }
        let (body, parserDiagnostic, imports) = tokenized.tokens.withUnsafeBufferPointer { tokens in
            source.bytes.withUnsafeBufferPointer { text in
                var parser = PythonParser(source: source, tokens: tokens, text: text,
                                          shortNames: recycler?.takeNames() ?? ShortNameCache())
                parser.namesAreASCII = !tokenized.hasNonASCIINames
                let body = parser.parseModule()
                recycler?.giveBack(parser.shortNames)
                return (body, parser.firstError, parser.imports)
            }
        }
        return ParsedModule(source: source, module: Module(body: body), comments: tokenized.comments,
                            diagnostics: diagnostics(tokenized, parserDiagnostic, source), imports: imports,
                            hasNonASCIINames: tokenized.hasNonASCIINames, watch: watch,
                            watchedNames: tokenized.watchedNames)
    }

    /// Lexer and parser errors in source order, except where CPython would report another error:
    /// when the parse fails (on the parser's own error, or on a token only the parser rejects, which
    /// the lexer reports as "invalid syntax"), CPython tokenizes the rest of the file and prefers a
    /// tokenizer error found there. The lexer computes that error (`parserErrorOverride`); it then
    /// becomes the only diagnostic, since the errors it supersedes are not what CPython reports.
    static func diagnostics(_ tokenized: TokenizedSource, _ parserDiagnostic: SyntaxDiagnostic?,
                            _ source: SourceBuffer) -> [SyntaxDiagnostic] {
        // The parser stops at the first lexer `.error` token, so its own error, if any, comes first.
        // Too deep a nesting is not a syntax error (CPython fails with RecursionError): it stands.
        let parseFailure = parserDiagnostic
            ?? tokenized.diagnostics.first.flatMap { $0.message == "invalid syntax" ? $0 : nil }
        if let parseFailure, parseFailure.message != PythonParser.nestingMessage,
           let override = tokenized.parserErrorOverride,
           override.onlyAfterLine.map({ source.location(parseFailure.range.start).line > $0 }) ?? true {
            return [override.diagnostic]
        }
        var diagnostics = tokenized.diagnostics
        if let parserDiagnostic {
            diagnostics.append(parserDiagnostic)
            diagnostics.sort { $0.range < $1.range }
        }
        return diagnostics
    }
}
