// Token classes the grammar branches on. Properties of the kind alone, so they take no parser state.

extension TokenKind {
    /// Tokens that can begin an `expression`.
    var startsExpression: Bool {
        switch self {
        case .name, .number, .string, .fstringStart, .lpar, .lsqb, .lbrace, .minus, .plus, .tilde, .kwNot,
             .kwLambda, .kwAwait, .kwNone, .kwTrue, .kwFalse, .ellipsis:
            return true
        default:
            return false
        }
    }

    /// Tokens that can begin a `star_expression`.
    var startsStarExpression: Bool { self == .star || startsExpression }

    /// Tokens that cannot continue an expression after an atom at any precedence level (no
    /// operator, trailer, `if`, `and`/`or`, comparison), so an atom followed by one is complete.
    var endsExpression: Bool {
        switch self {
        case .comma, .rpar, .rsqb, .rbrace, .colon, .equal, .newline, .semi, .kwFor, .kwAs, .kwElse, .kwFrom,
             .kwAsync, .kwImport, .colonEqual, .rarrow, .exclamation, .plusEqual, .minEqual, .starEqual,
             .slashEqual, .percentEqual, .amperEqual, .vbarEqual, .circumflexEqual, .leftShiftEqual,
             .rightShiftEqual, .doubleStarEqual, .doubleSlashEqual, .atEqual, .endMarker:
            return true
        default:
            return false
        }
    }

    /// Tokens that can begin an `atom` (and so a target).
    var startsAtom: Bool {
        switch self {
        case .name, .number, .string, .fstringStart, .lpar, .lsqb, .lbrace, .kwNone, .kwTrue, .kwFalse, .ellipsis:
            return true
        default:
            return false
        }
    }

    /// Tokens that can begin a pattern (or star pattern) of a `case`.
    var startsPattern: Bool {
        switch self {
        case .name, .number, .minus, .string, .fstringStart, .lpar, .lsqb, .lbrace, .kwNone, .kwTrue, .kwFalse, .star:
            return true
        default:
            return false
        }
    }

    /// Binary operators from `|` (precedence 1) to `*` `/` `//` `%` `@` (6), all left-associative.
    var binaryOperator: (BinaryOperator, Int)? {
        switch self {
        case .vbar: return (.bitOr, 1)
        case .circumflex: return (.bitXor, 2)
        case .amper: return (.bitAnd, 3)
        case .leftShift: return (.lShift, 4)
        case .rightShift: return (.rShift, 4)
        case .plus: return (.add, 5)
        case .minus: return (.sub, 5)
        case .star: return (.mult, 6)
        case .slash: return (.div, 6)
        case .doubleSlash: return (.floorDiv, 6)
        case .percent: return (.mod, 6)
        case .at: return (.matMult, 6)
        default: return nil
        }
    }

    /// The operator of an augmented assignment token (`+=` ...).
    var augmentedOperator: BinaryOperator? {
        switch self {
        case .plusEqual: return .add
        case .minEqual: return .sub
        case .starEqual: return .mult
        case .atEqual: return .matMult
        case .slashEqual: return .div
        case .percentEqual: return .mod
        case .amperEqual: return .bitAnd
        case .vbarEqual: return .bitOr
        case .circumflexEqual: return .bitXor
        case .leftShiftEqual: return .lShift
        case .rightShiftEqual: return .rShift
        case .doubleStarEqual: return .pow
        case .doubleSlashEqual: return .floorDiv
        default: return nil
        }
    }
}
