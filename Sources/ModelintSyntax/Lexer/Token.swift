/// A token: a payload-free kind plus a byte range into the source. No per-token allocation; the
/// parser reads text (names, numbers, strings) from the source when it builds a node.
public struct Token: Sendable, Equatable {
    public var kind: TokenKind
    public var range: TextRange

    @inlinable public init(_ kind: TokenKind, _ range: TextRange) {
        self.kind = kind
        self.range = range
    }
}

/// Token kinds of the Python 3.12 tokenizer (PEP 701 f-string tokens included). Hard keywords get
/// kinds of their own; soft keywords (`match`, `case`, `type`, `_`) are `.name` and the parser decides.
public enum TokenKind: UInt8, Sendable {
    case endMarker, name, number, string, newline, indent, dedent
    /// `f"` / `rf'''` ...: the prefix and opening quote of an f-string.
    case fstringStart
    /// Literal text between replacement fields (escapes undecoded; `{{` / `}}` included as written).
    case fstringMiddle
    case fstringEnd
    /// An error the lexer recorded; the parser stops at it.
    case error

    // Operators and delimiters.
    case lpar, rpar, lsqb, rsqb, lbrace, rbrace, colon, comma, semi, plus, minus, star, slash
    case vbar, amper, less, greater, equal, dot, percent, eqEqual, notEqual, lessEqual, greaterEqual
    case tilde, circumflex, leftShift, rightShift, doubleStar, plusEqual, minEqual, starEqual
    case slashEqual, percentEqual, amperEqual, vbarEqual, circumflexEqual, leftShiftEqual
    case rightShiftEqual, doubleStarEqual, doubleSlash, doubleSlashEqual, at, atEqual, rarrow
    case ellipsis, colonEqual, exclamation

    // Hard keywords.
    case kwFalse, kwNone, kwTrue, kwAnd, kwAs, kwAssert, kwAsync, kwAwait, kwBreak, kwClass
    case kwContinue, kwDef, kwDel, kwElif, kwElse, kwExcept, kwFinally, kwFor, kwFrom, kwGlobal
    case kwIf, kwImport, kwIn, kwIs, kwLambda, kwNonlocal, kwNot, kwOr, kwPass, kwRaise, kwReturn
    case kwTry, kwWhile, kwWith, kwYield
}
