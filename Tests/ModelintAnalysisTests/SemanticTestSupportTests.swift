import Foundation
import Testing
@testable import ModelintAnalysis
import ModelintSyntax

/// A program built from in-memory sources, with helpers to find nodes by their source text.
/// (Named `*Tests.swift` to sit with the semantic tests; it holds the shared helpers and their own checks.)
struct Snippet {
    let program: Program
    let file: SourceFile
    let model: SemanticModel

    init(_ text: String, path: String = "main.py", others: [String: String] = [:],
         sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let (program, errors) = Program.inMemory(given: [path: text], others: others)
        #expect(errors.isEmpty, "load errors: \(errors.map(\.message))", sourceLocation: sourceLocation)
        self.program = program
        let file = program.file(atPath: path)!
        #expect(file.diagnostics.isEmpty, "syntax errors: \(file.diagnostics)", sourceLocation: sourceLocation)
        self.file = file
        self.model = program.semantics(of: file)
    }

    /// The model of another file of the program, by path.
    func model(of path: String) -> SemanticModel {
        program.semantics(of: program.file(atPath: path)!)
    }

    /// The first expression whose source text is exactly `text`, starting at the first occurrence of `after`
    /// (a unique piece of the source), or from the start.
    func expr(_ text: String, after anchor: String? = nil,
              sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Expr {
        // A missing node is recorded as an issue; a stand-in keeps the other expectations running.
        Self.find(text, after: anchor, in: file, sourceLocation: sourceLocation)
            ?? Expr(.constant(value: .none, kind: nil), TextRange(0, 0))
    }

    static func find(_ text: String, after anchor: String?, in file: SourceFile,
                     sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Expr? {
        let source = file.source
        let whole = String(decoding: source.bytes, as: UTF8.self)
        var start: UInt32 = 0
        if let anchor {
            guard let range = whole.range(of: anchor) else {
                Issue.record("anchor not found: \(anchor)", sourceLocation: sourceLocation)
                return nil
            }
            start = UInt32(whole[..<range.lowerBound].utf8.count)
        }
        var found: Expr?
        ASTWalk.walk(file.module.body, enterDefinitions: true) { expr in
            guard expr.range.start >= start, source.text(expr.range) == text else { return }
            if found == nil || expr.range.start < found!.range.start { found = expr }
        }
        if found == nil { Issue.record("expression not found: \(text)", sourceLocation: sourceLocation) }
        return found
    }

    /// A def or class statement by name (the first one, in source order).
    func definition(_ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Stmt {
        Self.definition(name, in: file, sourceLocation: sourceLocation) ?? Stmt(.pass, TextRange(0, 0))
    }

    static func definition(_ name: String, in file: SourceFile,
                           sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Stmt? {
        var found: Stmt?
        ASTWalk.walk(file.module.body, enterDefinitions: true, stmt: { stmt in
            guard found == nil else { return }
            switch stmt.kind {
            case .functionDef(let def) where def.name.text == name, .asyncFunctionDef(let def) where def.name.text == name:
                found = stmt
            case .classDef(let cls) where cls.name.text == name:
                found = stmt
            default:
                break
            }
        }, expr: { _ in })
        if found == nil { Issue.record("definition not found: \(name)", sourceLocation: sourceLocation) }
        return found
    }

    func qualified(_ text: String, after anchor: String? = nil) -> String? {
        model.qualifiedName(of: expr(text, after: anchor))?.description
    }

    func isModule(_ text: String, after anchor: String? = nil) -> Bool {
        model.isModule(expr(text, after: anchor))
    }

    func path(_ text: String, after anchor: String? = nil) -> String? {
        model.modulePath(expr(text, after: anchor))
    }
}

@Suite struct SemanticTestSupportTests {
    @Test func findsExpressionsByTextAfterAnAnchor() {
        let snippet = Snippet("""
        a = 1
        b = a
        c = a
        """)
        #expect(snippet.expr("a", after: "c =").range.start > snippet.expr("a", after: "b =").range.start)
        #expect(snippet.file.source.text(snippet.expr("a", after: "c =").range) == "a")
    }
}
