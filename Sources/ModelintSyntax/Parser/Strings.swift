// String literals: implicit concatenation, bytes, and f-strings (PEP 701 tokens) built into
// Constant / JoinedStr / FormattedValue nodes the way CPython 3.12's action helpers build them.

/// One piece of an implicit concatenation before adjacent text is merged.
enum StringPart {
    case text(PyString, kind: ConstantKind?, range: TextRange)
    case bytes([UInt8])
    /// A FormattedValue from an f-string.
    case field(Expr)
}

extension PythonParser {
    mutating func parseNumber() throws(ParseFailure) -> Expr {
        let number = token
        switch LiteralDecoder.decodeNumber(source, number) {
        case .success(let value):
            advance()
            return Expr(.constant(value: value, kind: nil), number.range)
        case .failure(let diagnostic):
            throw ParseFailure(diagnostic: diagnostic, fatal: false)
        }
    }

    /// `strings`: one or more adjacent string / f-string literals (`_PyPegen_concatenate_strings`).
    /// Mixing bytes with str is an error; adjacent text merges into one Constant whose kind is that
    /// of the first merged piece; empty text is dropped when an f-string is involved.
    mutating func parseStrings() throws(ParseFailure) -> Expr {
        let start = self.start
        if kind == .string && kind(ahead: 1) != .string && kind(ahead: 1) != .fstringStart {
            return try parseSingleString()
        }
        let mark = openNode()
        defer { closeNode(mark) }
        var parts: [StringPart] = []
        var sawBytes = false
        var sawText = false
        var sawFString = false
        while true {
            if kind == .string {
                let literal = token
                switch LiteralDecoder.decodeString(source, literal) {
                case .success(.bytes(let bytes)):
                    sawBytes = true
                    parts.append(.bytes(bytes))
                case .success(.string(let value)):
                    sawText = true
                    // CPython sets kind "u" only for a lowercase u prefix.
                    let kind: ConstantKind? = text[Int(literal.range.start)] == UInt8(ascii: "u") ? .u : nil
                    parts.append(.text(value, kind: kind, range: literal.range))
                case .success:
                    throw failure("not a string literal", at: literal.range)
                case .failure(let diagnostic):
                    throw ParseFailure(diagnostic: diagnostic, fatal: false)
                }
                advance()
            } else if kind == .fstringStart {
                sawFString = true
                try parseFString(into: &parts)
            } else {
                break
            }
        }
        let whole = range(from: start)
        if sawBytes {
            if sawText || sawFString { throw failure("cannot mix bytes and nonbytes literals", at: whole) }
            var bytes: [UInt8] = []
            for case .bytes(let piece) in parts { bytes += piece }
            return Expr(.constant(value: .bytes(bytes), kind: nil), whole)
        }
        let values = try mergeText(parts, dropEmpty: sawFString)
        if !sawFString { return values[0] }
        try bump()
        return Expr(.joinedStr(values: values), whole)
    }

    /// The common case: one plain string or bytes literal.
    mutating func parseSingleString() throws(ParseFailure) -> Expr {
        let literal = token
        switch LiteralDecoder.decodeString(source, literal) {
        case .success(let value):
            advance()
            let kind: ConstantKind? = text[Int(literal.range.start)] == UInt8(ascii: "u") ? .u : nil
            return Expr(.constant(value: value, kind: kind), literal.range)
        case .failure(let diagnostic):
            throw ParseFailure(diagnostic: diagnostic, fatal: false)
        }
    }

    /// Merges runs of adjacent text parts into single Constants spanning the run.
    mutating func mergeText(_ parts: [StringPart], dropEmpty: Bool) throws(ParseFailure) -> [Expr] {
        var values: [Expr] = []
        values.reserveCapacity(parts.count)
        var index = 0
        while index < parts.count {
            switch parts[index] {
            case .field(let expression):
                values.append(expression)
                index += 1
            case .bytes:
                index += 1
            case .text(let first, let kind, let firstRange):
                var run = [first]
                var lastRange = firstRange
                index += 1
                while index < parts.count, case .text(let next, _, let nextRange) = parts[index] {
                    run.append(next)
                    lastRange = nextRange
                    index += 1
                }
                let merged = run.count == 1 ? first : .concatenation(of: run)
                if dropEmpty && merged.isEmpty { continue }
                values.append(Expr(.constant(value: .string(merged), kind: kind),
                                   TextRange(start: firstRange.start, end: lastRange.end)))
            }
        }
        return values
    }

    /// `FSTRING_START (FSTRING_MIDDLE | replacement_field)* FSTRING_END`, appended as parts.
    mutating func parseFString(into parts: inout [StringPart]) throws(ParseFailure) {
        let raw = LiteralDecoder.stringPrefix(source, token).isRaw
        advance()
        while true {
            switch kind {
            case .fstringMiddle:
                let value = try decodeMiddle(raw: raw)
                if !value.isEmpty { parts.append(.text(value, kind: nil, range: tokens[pos - 1].range)) }
            case .lbrace:
                try parseReplacementField(raw: raw, into: &parts)
            case .fstringEnd:
                advance()
                return
            default:
                throw unexpected(expecting: "the end of the f-string")
            }
        }
    }

    /// Decodes and consumes an FSTRING_MIDDLE token.
    mutating func decodeMiddle(raw: Bool) throws(ParseFailure) -> PyString {
        switch LiteralDecoder.decodeFStringMiddle(source, token, raw: raw) {
        case .success(let value):
            advance()
            return value
        case .failure(let diagnostic):
            throw ParseFailure(diagnostic: diagnostic, fatal: false)
        }
    }

    /// `'{' (yield_expr | star_expressions) ['='] ['!' NAME] [':' format_spec] '}'`. A `=` adds
    /// the expression's source text as a Constant before the value and defaults the conversion to
    /// `!r` unless a conversion or format spec is given.
    mutating func parseReplacementField(raw: Bool, into parts: inout [StringPart]) throws(ParseFailure) {
        try enter()
        defer { leave() }
        let open = token
        let mark = openNode()
        advance()
        if kind == .equal || kind == .exclamation || kind == .colon || kind == .rbrace {
            throw failure("f-string: valid expression required before '\(describe(token).dropFirst().dropLast())'",
                          at: token.range)
        }
        let value = kind == .kwYield ? try parseYieldExpression() : try parseStarExpressions()
        var debugText: StringPart? = nil
        if accept(.equal) {
            let textRange = TextRange(start: open.range.end, end: start)
            let spelled = String(decoding: UnsafeBufferPointer(rebasing: text[Int(textRange.start)..<Int(textRange.end)]),
                                 as: UTF8.self)
            debugText = .text(.text(spelled), kind: nil, range: textRange)
        }
        var conversion = -1
        if kind == .exclamation {
            let bang = token
            advance()
            guard kind == .name, start == bang.range.end else {
                throw failure("f-string: missing conversion character after '!'", at: bang.range)
            }
            let name = token
            let letter = text[Int(name.range.start)]
            guard name.range.length == 1, letter == UInt8(ascii: "s") || letter == UInt8(ascii: "r") || letter == UInt8(ascii: "a") else {
                throw failure("f-string: invalid conversion character \(describe(name)): expected 's', 'r', or 'a'",
                              at: name.range)
            }
            conversion = Int(letter)
            advance()
        }
        var formatSpec: Expr? = nil
        if kind == .colon {
            formatSpec = try parseFormatSpec(raw: raw)
        }
        guard kind == .rbrace else { throw unexpected(expecting: "'}' closing the f-string replacement field") }
        advance()
        if debugText != nil && conversion == -1 && formatSpec == nil { conversion = Int(UInt8(ascii: "r")) }
        try bump()
        closeNode(mark)
        if let debugText { parts.append(debugText) }
        parts.append(.field(Expr(.formattedValue(value: value, conversion: conversion, formatSpec: formatSpec),
                                 range(from: open.range.start))))
    }

    /// The format spec after `:` up to (not including) the `}`: a JoinedStr of literal text and
    /// nested replacement fields, with empty text dropped.
    mutating func parseFormatSpec(raw: Bool) throws(ParseFailure) -> Expr {
        let start = self.start
        advance()
        var parts: [StringPart] = []
        while kind != .rbrace {
            switch kind {
            case .fstringMiddle:
                let value = try decodeMiddle(raw: raw)
                if !value.isEmpty { parts.append(.text(value, kind: nil, range: tokens[pos - 1].range)) }
            case .lbrace:
                try parseReplacementField(raw: raw, into: &parts)
            default:
                throw unexpected(expecting: "'}' closing the f-string replacement field")
            }
        }
        return Expr(.joinedStr(values: try mergeText(parts, dropEmpty: true)), range(from: start))
    }
}

extension PyString {
    static func concatenation(of pieces: [PyString]) -> PyString {
        var allText = true
        for piece in pieces {
            if case .codePoints = piece {
                allText = false
                break
            }
        }
        if allText {
            var result = ""
            for case .text(let piece) in pieces { result += piece }
            return .text(result)
        }
        var codePoints: [UInt32] = []
        for piece in pieces {
            switch piece {
            case .text(let piece): codePoints.append(contentsOf: piece.unicodeScalars.map { $0.value })
            case .codePoints(let piece): codePoints.append(contentsOf: piece)
            }
        }
        return .codePoints(codePoints)
    }

    var isEmpty: Bool {
        switch self {
        case .text(let text): return text.isEmpty
        case .codePoints(let codePoints): return codePoints.isEmpty
        }
    }
}
