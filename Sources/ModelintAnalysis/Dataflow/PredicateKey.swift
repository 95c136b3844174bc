import ModelintSyntax

/// A branch condition in a canonical spelling, so that the same predicate written twice (`phase == 'train'`
/// in an `if` and again in `set_grad_enabled(...)`) is recognised as one assumption.
struct PredicateKey: Sendable, Hashable {
    let text: String
    /// The names whose assignment invalidates the assumption.
    let names: [String]

    /// The key of `expr` and the outcome that makes `expr` true; `not p` and `a != b` map to `p` / `a == b`
    /// with the outcome flipped. Nil for conditions with calls or other effects.
    static func normalize(_ expr: Expr, in source: SourceBuffer) -> (key: PredicateKey, polarity: Bool)? {
        switch expr.kind {
        case .unaryOp(.not, let operand):
            guard let inner = normalize(operand, in: source) else { return nil }
            return (inner.key, !inner.polarity)
        case .compare(let left, let ops, let comparators) where ops.count == 1:
            guard let l = operandText(left, source), let r = operandText(comparators[0], source) else { return nil }
            var names = rootNames(left)
            names.append(contentsOf: rootNames(comparators[0]))
            switch ops[0] {
            case .eq: return (PredicateKey(text: "\(l) == \(r)", names: names), true)
            case .notEq: return (PredicateKey(text: "\(l) == \(r)", names: names), false)
            case .is: return (PredicateKey(text: "\(l) is \(r)", names: names), true)
            case .isNot: return (PredicateKey(text: "\(l) is \(r)", names: names), false)
            case .in: return (PredicateKey(text: "\(l) in \(r)", names: names), true)
            case .notIn: return (PredicateKey(text: "\(l) in \(r)", names: names), false)
            default: return nil
            }
        case .name, .attribute, .subscript:
            guard let text = operandText(expr, source) else { return nil }
            return (PredicateKey(text: text, names: rootNames(expr)), true)
        default:
            return nil
        }
    }

    /// Names, attribute chains, constant subscripts and literals, without whitespace differences.
    private static func operandText(_ expr: Expr, _ source: SourceBuffer) -> String? {
        switch expr.kind {
        case .name(let id, _): return id.text
        case .attribute(let value, let attr, _):
            return operandText(value, source).map { "\($0).\(attr.text)" }
        case .subscript(let value, let slice, _):
            guard let base = operandText(value, source), let index = operandText(slice, source) else { return nil }
            return "\(base)[\(index)]"
        case .constant(let value, _):
            switch value {
            case .string(let s): return "'" + s.lossyText + "'"
            case .int(let i): return String(i)
            case .bool(let b): return b ? "True" : "False"
            case .none: return "None"
            default: return nil
            }
        case .tuple(let elts, _), .list(let elts, _):
            var parts: [String] = []
            for element in elts {
                guard let part = operandText(element, source) else { return nil }
                parts.append(part)
            }
            return "(" + parts.joined(separator: ", ") + ")"
        default: return nil
        }
    }

    private static func rootNames(_ expr: Expr) -> [String] {
        switch expr.kind {
        case .name(let id, _): return [id.text]
        case .attribute(let value, _, _): return rootNames(value)
        case .subscript(let value, let slice, _): return rootNames(value) + rootNames(slice)
        case .tuple(let elts, _), .list(let elts, _): return elts.flatMap(rootNames)
        default: return []
        }
    }
}
