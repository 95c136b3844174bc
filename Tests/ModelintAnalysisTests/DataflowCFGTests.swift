import Testing
import ModelintSyntax
@testable import ModelintAnalysis

/// The control-flow graph: which statements can follow which, checked through reachability.
@Suite struct DataflowCFGTests {
    /// The graph of a module body, and the source to find statements by their text.
    private struct Graph {
        let cfg: ControlFlowGraph
        let source: SourceBuffer

        init(_ code: String) {
            source = SourceBuffer(text: code)
            cfg = ControlFlowGraph.build(body: Parser.parse(source).module.body)
        }

        /// The text of every simple statement in a block.
        func texts(_ block: Int) -> [String] {
            cfg.blocks[block].elements.compactMap { element in
                if case .statement(let statement) = element { return source.text(statement.range) }
                return nil
            }
        }

        /// Blocks reachable from `start`, following normal edges (and exception edges when asked).
        func reachable(from start: Int, exceptions: Bool = false) -> Set<Int> {
            var seen: Set<Int> = [start]
            var stack = [start]
            while let block = stack.popLast() {
                for edge in cfg.blocks[block].successors where exceptions || !edge.isException {
                    if seen.insert(edge.target).inserted { stack.append(edge.target) }
                }
            }
            return seen
        }

        func reachable(from start: Int, avoiding: Set<Int>) -> Set<Int> {
            var seen: Set<Int> = [start]
            var stack = [start]
            while let block = stack.popLast() {
                for edge in cfg.blocks[block].successors where !edge.isException && !avoiding.contains(edge.target) {
                    if seen.insert(edge.target).inserted { stack.append(edge.target) }
                }
            }
            return seen
        }

        func blocks(containing text: String) -> [Int] {
            cfg.blocks.indices.filter { texts($0).contains(text) }
        }

        /// Whether the statement `text` can run on some path from the entry to the normal exit.
        func onPathToExit(_ text: String) -> Bool {
            let fromEntry = reachable(from: cfg.entry)
            return blocks(containing: text).contains { fromEntry.contains($0) && reachable(from: $0).contains(cfg.exit) }
        }

        func reachableFromEntry(_ text: String) -> Bool {
            let fromEntry = reachable(from: cfg.entry, exceptions: true)
            return blocks(containing: text).contains { fromEntry.contains($0) }
        }
    }

    @Test func whileTrueLeavesOnlyThroughBreak() {
        let g = Graph("""
            while True:
                step()
                if done():
                    break
            after()
            """)
        #expect(g.onPathToExit("after()"))
        // No edge from the header for a false condition: the else/after path starts at the break.
        let header = g.cfg.blocks.indices.first { g.cfg.blocks[$0].loop != nil }!
        #expect(g.cfg.blocks[header].successors.allSatisfy { $0.outcome })
    }

    @Test func breakSkipsTheLoopElse() {
        let g = Graph("""
            for x in items:
                if x:
                    break
            else:
                not_found()
            done()
            """)
        #expect(g.onPathToExit("not_found()"))
        #expect(g.onPathToExit("done()"))
        // `break` reaches `done()` without the else body; exhausting the loop runs it.
        let elseBlocks = Set(g.blocks(containing: "not_found()"))
        let withoutElse = g.reachable(from: g.cfg.entry, avoiding: elseBlocks)
        #expect(g.blocks(containing: "done()").contains { withoutElse.contains($0) })
        #expect(g.cfg.blocks.contains { $0.successors.contains(where: \.isBack) })
    }

    @Test func finallyRunsOnReturnAndOnFallThrough() {
        let g = Graph("""
            try:
                if cond:
                    return early()
                work()
            finally:
                cleanup()
            after()
            """)
        // One copy on the return path, one on the normal path, one on the exception path.
        #expect(g.blocks(containing: "cleanup()").count == 3)
        let returnCopy = g.blocks(containing: "cleanup()").filter { g.reachable(from: $0).contains(g.cfg.exit) }
        #expect(returnCopy.count == 2)
        // The exceptional copy re-raises: it leads to the raise exit, not to `after()`.
        let exceptional = g.blocks(containing: "cleanup()").filter { !g.reachable(from: $0).contains(g.cfg.exit) }
        #expect(exceptional.count == 1)
        #expect(g.reachable(from: exceptional[0], exceptions: true).contains(g.cfg.raiseExit))
    }

    @Test func handlersSeeTheStateBeforeAndBetweenStatements() {
        let g = Graph("""
            try:
                first()
                second()
            except ValueError:
                handle()
            """)
        let handler = g.blocks(containing: "handle()")
        #expect(handler.count == 1)
        // Exception edges leave from before `first()`, after `first()` and after `second()`.
        let sources = g.cfg.blocks.indices.filter { block in
            g.cfg.blocks[block].successors.contains { $0.isException && g.reachable(from: $0.target).contains(handler[0]) }
        }
        #expect(sources.count >= 3)
        // A handler that does not catch everything lets the exception propagate.
        #expect(g.reachable(from: g.cfg.entry, exceptions: true).contains(g.cfg.raiseExit))
    }

    @Test func returnInsideWithRunsTheExit() {
        let g = Graph("""
            with torch.no_grad():
                return model(x)
            """)
        let exits = g.cfg.blocks.indices.filter { block in
            g.cfg.blocks[block].elements.contains { if case .exitWith = $0 { return true } else { return false } }
        }
        #expect(!exits.isEmpty)
        #expect(exits.allSatisfy { g.reachable(from: $0).contains(g.cfg.exit) })
    }

    @Test func irrefutableCaseEndsTheMatch() {
        let g = Graph("""
            match command:
                case "train":
                    train()
                case _:
                    other()
            after()
            """)
        #expect(g.onPathToExit("train()"))
        #expect(g.onPathToExit("other()"))
        // Every path to `after()` went through one of the cases.
        let subjectBlock = g.cfg.entry
        #expect(!g.cfg.blocks[subjectBlock].successors.contains { g.texts($0.target).contains("after()") })
    }

    @Test func codeAfterReturnIsUnreachable() {
        let g = Graph("""
            def f():
                pass
            return_value = 1
            raise SystemExit
            dead()
            """)
        #expect(!g.reachableFromEntry("dead()"))
        #expect(g.reachableFromEntry("return_value = 1"))
    }

    @Test func constantFalseBranchIsPruned() {
        let g = Graph("""
            if False:
                never()
            else:
                always()
            """)
        #expect(!g.reachableFromEntry("never()"))
        #expect(g.onPathToExit("always()"))
    }

    @Test func continueRunsFinallyAndClosesTheLoop() {
        let g = Graph("""
            for batch in loader:
                try:
                    if skip(batch):
                        continue
                    step(batch)
                finally:
                    log()
            """)
        // The continue path runs its own copy of the finally body and then takes a back edge.
        let copies = g.blocks(containing: "log()")
        #expect(copies.count == 3)
        #expect(copies.contains { block in g.cfg.blocks[block].successors.contains(where: \.isBack) })
    }
}
