import ModelintSyntax

/// Reading a call's arguments by parameter, the way Python binds them.
struct CallArguments {
    let args: [Expr]
    let keywords: [Keyword]

    init(args: [Expr], keywords: [Keyword]) {
        self.args = args
        self.keywords = keywords
    }

    /// `*xs` or `**kw` present: any parameter may be bound at run time, so nothing can be said about one.
    var hasUnpacking: Bool {
        args.contains { if case .starred = $0.kind { return true } else { return false } }
            || keywords.contains { $0.arg == nil }
    }

    /// The argument bound to the parameter at `position` / named `name`, if written in the call.
    func argument(position: Int?, name: String) -> Expr? {
        if let keyword = keywords.first(where: { $0.arg?.text == name }) { return keyword.value }
        if let position, position < args.count { return args[position] }
        return nil
    }

    /// Where a new keyword argument can be appended: after the last argument written.
    var endOfLastArgument: UInt32? {
        let lastPositional = args.last?.range.end
        let lastKeyword = keywords.last?.range.end
        switch (lastPositional, lastKeyword) {
        case let (a?, b?): return max(a, b)
        case let (a?, nil): return a
        case let (nil, b?): return b
        case (nil, nil): return nil
        }
    }
}

extension Expr {
    /// The bool of a `True` / `False` literal.
    var boolLiteral: Bool? {
        if case .constant(.bool(let value), _) = kind { return value }
        return nil
    }

    /// A literal whose value is fixed at the call: constants, containers of literals, f-strings, `-1`.
    var isLiteral: Bool {
        switch kind {
        case .constant, .joinedStr: return true
        case .unaryOp(_, let operand): return operand.isLiteral
        case .list(let elts, _), .tuple(let elts, _), .set(let elts): return elts.allSatisfy(\.isLiteral)
        case .dict(let keys, let values): return keys.allSatisfy { $0?.isLiteral ?? false } && values.allSatisfy(\.isLiteral)
        default: return false
        }
    }
}
