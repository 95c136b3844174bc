import ModelintSyntax

/// One step the mode transfer function interprets. Compound statements never appear whole: the builder
/// lowers them into tests, bindings and context-manager enter/exit steps joined by edges.
public enum CFGElement: Sendable {
    /// A simple statement (assignment, expression, return, raise, assert, import, ...).
    case statement(Stmt)
    /// An `if`/`elif`/`while`/match-guard condition, evaluated for its calls; the outgoing edges carry the outcome.
    case test(Expr)
    /// An expression evaluated once for its effects: a `for` iterable, a `match` subject.
    case evaluate(Expr)
    /// The loop variable of `loop` receives the next item.
    case bindLoopTarget(target: Expr, loop: Stmt)
    case enterWith(item: WithItem, statement: Stmt)
    /// `exceptional` is true on the copy that runs while an exception propagates out of the body.
    case exitWith(item: WithItem, statement: Stmt, exceptional: Bool)
    case bindHandler(ExceptHandler)
    case bindPattern(subject: Expr, pattern: Pattern)
}

public struct CFGEdge: Sendable {
    public let target: Int
    /// The branch condition and the outcome this edge assumes (`if x:` gives (x, true) and (x, false)).
    public let condition: Expr?
    public let outcome: Bool
    /// Closes a loop: leads from the end of a body (or a `continue`) back to the loop header.
    public let isBack: Bool
    /// Taken when a statement of a `try` body raises.
    public let isException: Bool
}

public struct CFGBlock: Sendable {
    public var elements: [CFGElement] = []
    public var successors: [CFGEdge] = []
    /// Set on loop headers: the `for`/`while` statement this block decides.
    public var loop: Stmt?
}

/// The control-flow graph of one function body or module body.
public struct ControlFlowGraph: Sendable {
    public var blocks: [CFGBlock]
    public let entry: Int
    /// Reached by `return` and by falling off the end.
    public let exit: Int
    /// Reached by exceptions that nothing in the body catches.
    public let raiseExit: Int

    /// Blocks in reverse post-order from the entry, the iteration order of the worklist solver.
    public func reversePostOrder() -> [Int] {
        var visited = [Bool](repeating: false, count: blocks.count)
        var order: [Int] = []
        order.reserveCapacity(blocks.count)
        // Iterative DFS: (block, next successor index).
        var stack: [(Int, Int)] = [(entry, 0)]
        visited[entry] = true
        while let (block, start) = stack.popLast() {
            var index = start
            let successors = blocks[block].successors
            if index < successors.count {
                let next = successors[index].target
                index += 1
                stack.append((block, index))
                if !visited[next] {
                    visited[next] = true
                    stack.append((next, 0))
                }
            } else {
                order.append(block)
            }
        }
        return order.reversed()
    }

    public static func build(body: [Stmt]) -> ControlFlowGraph {
        var builder = CFGBuilder()
        return builder.build(body)
    }
}

/// Lowers structured statements into blocks. `finally` bodies and `with` exits are copied onto every path
/// that leaves them (normal completion, exception, return, break, continue), which keeps the state on each
/// path exact instead of merging all exits of a `try` into one.
private struct CFGBuilder {
    private enum Finalizer {
        case finally([Stmt])
        case withExit([WithItem], Stmt)
    }

    private struct LoopContext {
        let header: Int
        let after: Int
        /// Finalizers entered inside the loop that `break`/`continue` must run.
        let finalizerDepth: Int
    }

    private var blocks: [CFGBlock] = []
    private var current: Int?
    private var loops: [LoopContext] = []
    private var finalizers: [Finalizer] = []
    /// Where a raising statement goes; nil means out of the body.
    private var exceptionTargets: [Int] = []
    private var exit = 0
    private var raiseExit = 0

    mutating func build(_ body: [Stmt]) -> ControlFlowGraph {
        let entry = newBlock()
        exit = newBlock()
        raiseExit = newBlock()
        current = entry
        lower(body)
        if let current { addEdge(from: current, to: exit) }
        return ControlFlowGraph(blocks: blocks, entry: entry, exit: exit, raiseExit: raiseExit)
    }

    private mutating func newBlock() -> Int {
        blocks.append(CFGBlock())
        return blocks.count - 1
    }

    private mutating func addEdge(from: Int, to: Int, condition: Expr? = nil, outcome: Bool = true,
                                  isBack: Bool = false, isException: Bool = false) {
        blocks[from].successors.append(CFGEdge(target: to, condition: condition, outcome: outcome, isBack: isBack,
                                               isException: isException))
    }

    /// The block statements are appended to; code after a jump lands in a fresh unreachable block.
    private mutating func currentBlock() -> Int {
        if let current { return current }
        let block = newBlock()
        current = block
        return block
    }

    private var insideTry: Bool { !exceptionTargets.isEmpty }

    private mutating func emit(_ element: CFGElement) {
        let block = currentBlock()
        blocks[block].elements.append(element)
        // Inside a try every statement may raise: end the block so the handler sees the state between statements.
        if let target = exceptionTargets.last {
            addEdge(from: block, to: target, isException: true)
            let next = newBlock()
            addEdge(from: block, to: next)
            current = next
        }
    }

    private mutating func lower(_ body: [Stmt]) {
        for statement in body { lower(statement) }
    }

    private mutating func lower(_ statement: Stmt) {
        switch statement.kind {
        case .functionDef, .asyncFunctionDef, .classDef:
            // The definition binds a name; its body is a separate graph.
            emit(.statement(statement))
        case .return:
            emit(.statement(statement))
            jump(to: exit, finalizerDepth: 0, isBack: false)
        case .raise:
            emit(.statement(statement))
            raiseToHandler()
        case .break:
            guard let loop = loops.last else { emit(.statement(statement)); return }
            jump(to: loop.after, finalizerDepth: loop.finalizerDepth, isBack: false)
        case .continue:
            guard let loop = loops.last else { emit(.statement(statement)); return }
            jump(to: loop.header, finalizerDepth: loop.finalizerDepth, isBack: true)
        case .if(let test, let body, let orelse):
            lowerIf(test: test, body: body, orelse: orelse)
        case .while(let test, let body, let orelse):
            lowerWhile(statement, test: test, body: body, orelse: orelse)
        case .for(let target, let iter, let body, let orelse), .asyncFor(let target, let iter, let body, let orelse):
            lowerFor(statement, target: target, iter: iter, body: body, orelse: orelse)
        case .with(let items, let body), .asyncWith(let items, let body):
            lowerWith(statement, items: items, body: body)
        case .try(let body, let handlers, let orelse, let finalbody),
             .tryStar(let body, let handlers, let orelse, let finalbody):
            lowerTry(body: body, handlers: handlers, orelse: orelse, finalbody: finalbody)
        case .match(let subject, let cases):
            lowerMatch(subject: subject, cases: cases)
        default:
            emit(.statement(statement))
        }
    }

    /// Leaves the current block towards `target`, running the finalizers above `finalizerDepth` on the way.
    private mutating func jump(to target: Int, finalizerDepth: Int, isBack: Bool) {
        runFinalizers(downTo: finalizerDepth)
        if let current { addEdge(from: current, to: target, isBack: isBack) }
        current = nil
    }

    private mutating func raiseToHandler() {
        guard let current else { return }
        // A `raise` inside a try is already followed by an exception edge from `emit`.
        if !insideTry { addEdge(from: current, to: raiseExit, isException: true) }
        self.current = nil
    }

    /// Copies the finalizer bodies (innermost first) onto the current path, each built in the context that
    /// surrounded its own `try`/`with`.
    private mutating func runFinalizers(downTo depth: Int) {
        guard finalizers.count > depth else { return }
        let saved = finalizers
        let savedTargets = exceptionTargets
        let savedLoops = loops
        for index in stride(from: saved.count - 1, through: depth, by: -1) {
            finalizers = Array(saved.prefix(index))
            switch saved[index] {
            case .finally(let body):
                lower(body)
            case .withExit(let items, let statement):
                for item in items.reversed() { emitPlain(.exitWith(item: item, statement: statement, exceptional: false)) }
            }
        }
        finalizers = saved
        exceptionTargets = savedTargets
        loops = savedLoops
    }

    /// Appends without splitting: enter/exit steps of a context manager do not raise in the model.
    private mutating func emitPlain(_ element: CFGElement) {
        let block = currentBlock()
        blocks[block].elements.append(element)
    }

    private mutating func lowerIf(test: Expr, body: [Stmt], orelse: [Stmt]) {
        emit(.test(test))
        let testBlock = currentBlock()
        let constant = constantTruth(test)
        let after = newBlock()
        var afterReached = false
        for (branch, outcome) in [(body, true), (orelse, false)] {
            if let constant, constant != outcome { continue }
            let start = newBlock()
            addEdge(from: testBlock, to: start, condition: test, outcome: outcome)
            current = start
            lower(branch)
            if let end = current {
                addEdge(from: end, to: after)
                afterReached = true
            }
        }
        current = afterReached ? after : nil
    }

    private mutating func lowerWhile(_ loop: Stmt, test: Expr, body: [Stmt], orelse: [Stmt]) {
        let header = newBlock()
        if let current { addEdge(from: current, to: header) }
        blocks[header].loop = loop
        blocks[header].elements.append(.test(test))
        let after = newBlock()
        let constant = constantTruth(test)
        let bodyStart = newBlock()
        if constant != false { addEdge(from: header, to: bodyStart, condition: test, outcome: true) }
        loops.append(LoopContext(header: header, after: after, finalizerDepth: finalizers.count))
        current = bodyStart
        lower(body)
        if let end = current { addEdge(from: end, to: header, isBack: true) }
        loops.removeLast()
        if constant != true {
            let elseStart = newBlock()
            addEdge(from: header, to: elseStart, condition: test, outcome: false)
            current = elseStart
            lower(orelse)
            if let end = current { addEdge(from: end, to: after) }
        }
        current = after
    }

    private mutating func lowerFor(_ loop: Stmt, target: Expr, iter: Expr, body: [Stmt], orelse: [Stmt]) {
        emit(.evaluate(iter))
        let header = newBlock()
        if let current { addEdge(from: current, to: header) }
        blocks[header].loop = loop
        let after = newBlock()
        let bodyStart = newBlock()
        addEdge(from: header, to: bodyStart)
        loops.append(LoopContext(header: header, after: after, finalizerDepth: finalizers.count))
        current = bodyStart
        emitPlain(.bindLoopTarget(target: target, loop: loop))
        lower(body)
        if let end = current { addEdge(from: end, to: header, isBack: true) }
        loops.removeLast()
        let elseStart = newBlock()
        addEdge(from: header, to: elseStart)
        current = elseStart
        lower(orelse)
        if let end = current { addEdge(from: end, to: after) }
        current = after
    }

    private mutating func lowerWith(_ statement: Stmt, items: [WithItem], body: [Stmt]) {
        for item in items { emit(.enterWith(item: item, statement: statement)) }
        // An exception leaving the body runs the exits before reaching the enclosing handler.
        var exceptionalExit: Int?
        if let outer = exceptionTargets.last {
            let block = newBlock()
            exceptionalExit = block
            for item in items.reversed() {
                blocks[block].elements.append(.exitWith(item: item, statement: statement, exceptional: true))
            }
            addEdge(from: block, to: outer, isException: true)
            exceptionTargets.append(block)
        }
        finalizers.append(.withExit(items, statement))
        lower(body)
        finalizers.removeLast()
        if exceptionalExit != nil { exceptionTargets.removeLast() }
        if current != nil {
            for item in items.reversed() { emitPlain(.exitWith(item: item, statement: statement, exceptional: false)) }
        }
    }

    private mutating func lowerTry(body: [Stmt], handlers: [ExceptHandler], orelse: [Stmt], finalbody: [Stmt]) {
        let hasFinally = !finalbody.isEmpty
        // Exceptions not handled here (or raised in handlers/else) run the finally body, then propagate.
        let exceptionalFinally = hasFinally ? newBlock() : nil
        let dispatch = handlers.isEmpty ? nil : newBlock()
        let normalFinally = newBlock()
        let savedExceptionTargets = exceptionTargets

        if hasFinally { finalizers.append(.finally(finalbody)) }
        guard let bodyTarget = dispatch ?? exceptionalFinally else {
            // `try: ... finally:` with an empty finally cannot occur; a bare `try` with only `else` neither.
            lower(body)
            lower(orelse)
            return
        }
        // The state before the first statement also reaches the handlers.
        let bodyStart = newBlock()
        if let current { addEdge(from: current, to: bodyStart) }
        addEdge(from: bodyStart, to: bodyTarget, isException: true)
        let firstStatement = newBlock()
        addEdge(from: bodyStart, to: firstStatement)
        current = firstStatement
        exceptionTargets.append(bodyTarget)
        lower(body)
        exceptionTargets.removeLast()
        if let exceptionalFinally { exceptionTargets.append(exceptionalFinally) }
        lower(orelse)
        if let end = current { addEdge(from: end, to: normalFinally) }

        if let dispatch {
            var catchesAll = false
            for handler in handlers {
                let start = newBlock()
                addEdge(from: dispatch, to: start)
                current = start
                emitPlain(.bindHandler(handler))
                lower(handler.body)
                if let end = current { addEdge(from: end, to: normalFinally) }
                if handler.type == nil || isBroadException(handler.type) { catchesAll = true }
            }
            if !catchesAll {
                let propagate = exceptionalFinally ?? savedExceptionTargets.last ?? raiseExit
                addEdge(from: dispatch, to: propagate, isException: true)
            }
        }
        if hasFinally { exceptionTargets.removeLast() }
        if hasFinally { finalizers.removeLast() }

        if let exceptionalFinally {
            current = exceptionalFinally
            lower(finalbody)
            if let end = current { addEdge(from: end, to: savedExceptionTargets.last ?? raiseExit, isException: true) }
        }
        current = normalFinally
        lower(finalbody)
    }

    private mutating func lowerMatch(subject: Expr, cases: [MatchCase]) {
        emit(.evaluate(subject))
        var test = currentBlock()
        let after = newBlock()
        var fallsThrough = true
        for matchCase in cases {
            let start = newBlock()
            addEdge(from: test, to: start)
            current = start
            emitPlain(.bindPattern(subject: subject, pattern: matchCase.pattern))
            let next = newBlock()
            if let guardExpr = matchCase.guard_ {
                emitPlain(.test(guardExpr))
                let guardBlock = currentBlock()
                let bodyStart = newBlock()
                addEdge(from: guardBlock, to: bodyStart, condition: guardExpr, outcome: true)
                addEdge(from: guardBlock, to: next, condition: guardExpr, outcome: false)
                current = bodyStart
            }
            lower(matchCase.body)
            if let end = current { addEdge(from: end, to: after) }
            let irrefutable = matchCase.guard_ == nil && isIrrefutable(matchCase.pattern)
            // The next case is tried when this pattern does not match.
            if !irrefutable { addEdge(from: test, to: next) }
            test = next
            if irrefutable { fallsThrough = false; break }
        }
        if fallsThrough { addEdge(from: test, to: after) }
        current = after
    }

    private func isIrrefutable(_ pattern: Pattern) -> Bool {
        switch pattern.kind {
        case .matchAs(let inner, _): return inner.map(isIrrefutable) ?? true
        case .matchOr(let patterns): return patterns.contains(where: isIrrefutable)
        default: return false
        }
    }

    private func isBroadException(_ type: Expr?) -> Bool {
        guard let type, case .name(let id, _) = type.kind else { return false }
        return id.text == "BaseException"
    }
}

/// The truth value of a constant condition (`while True:`, `if 0:`), nil when it depends on run time.
func constantTruth(_ expr: Expr) -> Bool? {
    guard case .constant(let value, _) = expr.kind else { return nil }
    switch value {
    case .bool(let b): return b
    case .int(let i): return i != 0
    case .none: return false
    case .string(let s): return !s.lossyText.isEmpty
    default: return nil
    }
}
