// Helpers shared by the lexer, literal and decoder tests.
import Foundation
import Testing
@testable import ModelintSyntax

enum LexerFixtures {
    /// fixtures/lexer, found from this file's location so tests run from any directory.
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/lexer")

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name))
    }

    static func json(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: data(name))
    }

    /// The fixture sources that have golden token files.
    static func tokenFixtureNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".tokens.json") }
            .map { String($0.dropLast(".tokens.json".count)) + ".py" }
            .sorted()
    }
}

/// CPython's `token.tok_name` spelling of a token kind (hard keywords are NAME there).
func cpythonName(_ kind: TokenKind) -> String {
    switch kind {
    case .endMarker: return "ENDMARKER"
    case .name: return "NAME"
    case .number: return "NUMBER"
    case .string: return "STRING"
    case .newline: return "NEWLINE"
    case .indent: return "INDENT"
    case .dedent: return "DEDENT"
    case .fstringStart: return "FSTRING_START"
    case .fstringMiddle: return "FSTRING_MIDDLE"
    case .fstringEnd: return "FSTRING_END"
    case .error: return "ERRORTOKEN"
    case .lpar: return "LPAR"
    case .rpar: return "RPAR"
    case .lsqb: return "LSQB"
    case .rsqb: return "RSQB"
    case .lbrace: return "LBRACE"
    case .rbrace: return "RBRACE"
    case .colon: return "COLON"
    case .comma: return "COMMA"
    case .semi: return "SEMI"
    case .plus: return "PLUS"
    case .minus: return "MINUS"
    case .star: return "STAR"
    case .slash: return "SLASH"
    case .vbar: return "VBAR"
    case .amper: return "AMPER"
    case .less: return "LESS"
    case .greater: return "GREATER"
    case .equal: return "EQUAL"
    case .dot: return "DOT"
    case .percent: return "PERCENT"
    case .eqEqual: return "EQEQUAL"
    case .notEqual: return "NOTEQUAL"
    case .lessEqual: return "LESSEQUAL"
    case .greaterEqual: return "GREATEREQUAL"
    case .tilde: return "TILDE"
    case .circumflex: return "CIRCUMFLEX"
    case .leftShift: return "LEFTSHIFT"
    case .rightShift: return "RIGHTSHIFT"
    case .doubleStar: return "DOUBLESTAR"
    case .plusEqual: return "PLUSEQUAL"
    case .minEqual: return "MINEQUAL"
    case .starEqual: return "STAREQUAL"
    case .slashEqual: return "SLASHEQUAL"
    case .percentEqual: return "PERCENTEQUAL"
    case .amperEqual: return "AMPEREQUAL"
    case .vbarEqual: return "VBAREQUAL"
    case .circumflexEqual: return "CIRCUMFLEXEQUAL"
    case .leftShiftEqual: return "LEFTSHIFTEQUAL"
    case .rightShiftEqual: return "RIGHTSHIFTEQUAL"
    case .doubleStarEqual: return "DOUBLESTAREQUAL"
    case .doubleSlash: return "DOUBLESLASH"
    case .doubleSlashEqual: return "DOUBLESLASHEQUAL"
    case .at: return "AT"
    case .atEqual: return "ATEQUAL"
    case .rarrow: return "RARROW"
    case .ellipsis: return "ELLIPSIS"
    case .colonEqual: return "COLONEQUAL"
    case .exclamation: return "EXCLAMATION"
    case .kwFalse, .kwNone, .kwTrue, .kwAnd, .kwAs, .kwAssert, .kwAsync, .kwAwait, .kwBreak, .kwClass,
         .kwContinue, .kwDef, .kwDel, .kwElif, .kwElse, .kwExcept, .kwFinally, .kwFor, .kwFrom, .kwGlobal,
         .kwIf, .kwImport, .kwIn, .kwIs, .kwLambda, .kwNonlocal, .kwNot, .kwOr, .kwPass, .kwRaise,
         .kwReturn, .kwTry, .kwWhile, .kwWith, .kwYield:
        return "NAME"
    }
}

/// Tokens as `KIND(text)` words, NEWLINE / INDENT / DEDENT / ENDMARKER without text: compact enough
/// to write expected sequences by hand.
func lexed(_ text: String) -> String {
    let source = SourceBuffer(text: text)
    let result = tokenize(source)
    return result.tokens.map { token -> String in
        switch token.kind {
        case .newline, .indent, .dedent, .endMarker: return cpythonName(token.kind)
        case .error: return "ERROR"
        default:
            let name: String
            switch token.kind {
            case .name, .number, .string, .fstringStart, .fstringMiddle, .fstringEnd: name = cpythonName(token.kind)
            default: name = token.kind.rawValue >= TokenKind.kwFalse.rawValue ? "KW" : "OP"
            }
            return "\(name)(\(source.text(token.range)))"
        }
    }.joined(separator: " ")
}

/// The first lexer diagnostic: message and 1-based line / 0-based byte column of its start.
func lexError(_ text: String) -> (message: String, line: Int, column: Int)? {
    let source = SourceBuffer(text: text)
    let result = tokenize(source)
    guard let diagnostic = result.diagnostics.first else { return nil }
    let location = source.location(diagnostic.range.start)
    return (diagnostic.message, location.line, location.column)
}
