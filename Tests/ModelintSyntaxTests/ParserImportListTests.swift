import Foundation
import Testing
@testable import ModelintSyntax

/// `ParsedModule.imports` is collected while parsing; it must list exactly the import statements the
/// tree holds, also after error recovery drops statements.
@Suite struct ParserImportListTests {
    /// The import statements of the tree, found by walking every statement block.
    static func importsInTree(_ block: [Stmt]) -> [Stmt] {
        var found: [Stmt] = []
        for stmt in block {
            switch stmt.kind {
            case .import, .importFrom: found.append(stmt)
            case .functionDef(let def), .asyncFunctionDef(let def): found += importsInTree(def.body)
            case .classDef(let cls): found += importsInTree(cls.body)
            case .for(_, _, let body, let orelse), .asyncFor(_, _, let body, let orelse),
                 .while(_, let body, let orelse), .if(_, let body, let orelse):
                found += importsInTree(body) + importsInTree(orelse)
            case .with(_, let body), .asyncWith(_, let body): found += importsInTree(body)
            case .match(_, let cases): for c in cases { found += importsInTree(c.body) }
            case .try(let body, let handlers, let orelse, let finalbody),
                 .tryStar(let body, let handlers, let orelse, let finalbody):
                found += importsInTree(body)
                for handler in handlers { found += importsInTree(handler.body) }
                found += importsInTree(orelse) + importsInTree(finalbody)
            default: break
            }
        }
        return found
    }

    static func expectSameImports(_ parsed: ParsedModule, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let expected = importsInTree(parsed.module.body).map(ObjectIdentifier.init)
        #expect(parsed.imports.map(ObjectIdentifier.init) == expected, sourceLocation: sourceLocation)
    }

    @Test func nestedImportsInSourceOrder() {
        let parsed = parse("""
            import os
            def f():
                from . import a
                if x:
                    import b.c as d
                else:
                    from e import (f, g)
            class C:
                try:
                    import h
                except ImportError:
                    h = None
                finally:
                    import i; import j
            match k:
                case 1:
                    from .. import l
            import m

            """)
        #expect(parsed.diagnostics.isEmpty)
        #expect(parsed.imports.count == 9)
        Self.expectSameImports(parsed)
    }

    @Test func failedStatementsTakeTheirImportsWithThem() {
        let cases = [
            "import a\ndef f():\n    import b\n    x = = 1\nimport c\n",   // recovered inside the def
            "import a; import b; 1 +\nimport c\n",                        // the line's first imports stay
            "def f():\n    import b\n    (\n",                            // fatal error: unclosed bracket
            "class C:\n    import a\n  import b\n",                       // bad dedent
            "from a import b,\nimport c\n",                               // trailing comma
            "if x:\n    import a\nelse\n    import b\n",
        ]
        for text in cases {
            let parsed = parse(text)
            #expect(!parsed.diagnostics.isEmpty, "\(text)")
            Self.expectSameImports(parsed)
        }
        // A fatal error inside the def leaves the def out of the tree, and its `import b` with it.
        #expect(parse(cases[2]).imports.isEmpty)
        #expect(parse(cases[2]).module.body.isEmpty)
    }

    /// The 236 snippets of fixtures/parser/cases.json, accepted and rejected ones alike.
    @Test func everyParserGoldenSnippet() {
        #expect(ParserGoldenTests.fixture.count > 200)
        for item in ParserGoldenTests.fixture {
            Self.expectSameImports(parse(item["source"] as? String ?? ""))
        }
    }

    /// Every Python file under fixtures/ (lexer samples and the example projects).
    @Test func everyFixtureFile() throws {
        let root = ParserFixtures.directory.deletingLastPathComponent()
        let paths = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".py") } ?? []
        #expect(paths.count > 20)
        for path in paths {
            let bytes = try [UInt8](Data(contentsOf: root.appendingPathComponent(path)))
            guard case .success(let source) = SourceDecoder.decode(path: path, bytes: bytes) else { continue }
            Self.expectSameImports(Parser.parse(source))
        }
    }
}
