// Helpers shared by the Parser*Tests files (named to match them; it holds no tests itself).
import Foundation
import Testing
@testable import ModelintSyntax

enum ParserFixtures {
    /// fixtures/parser, found from this file's location so tests run from any directory.
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/parser")
}

/// Parses `text` as a file.
func parse(_ text: String) -> ParsedModule {
    Parser.parse(SourceBuffer(path: "test.py", text: text))
}

/// The tree of valid `text` as `modelint ast` JSON (CPython's `ast` shape), decoded.
func tree(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [String: Any] {
    let parsed = parse(text)
    #expect(parsed.diagnostics.isEmpty, "unexpected diagnostics: \(parsed.diagnostics)", sourceLocation: sourceLocation)
    let json = ASTJSON.encode(parsed.module, in: parsed.source, style: .compact)
    return (try? JSONSerialization.jsonObject(with: Data(json))) as? [String: Any] ?? [:]
}

/// The value at a dotted path of keys and list indices: `node(t, "body.0.value.args.1")`.
func node(_ root: Any, _ path: String) -> Any? {
    var current: Any? = root
    for key in path.split(separator: ".") {
        if let index = Int(key) {
            guard let list = current as? [Any], index < list.count else { return nil }
            current = list[index]
        } else {
            current = (current as? [String: Any])?[String(key)]
        }
    }
    return current
}

/// `_type` of the node at `path`.
func type(_ root: Any, _ path: String) -> String? {
    (node(root, path) as? [String: Any])?["_type"] as? String
}

/// `"line:col-line:col"` of the node at `path` (CPython's lineno/col_offset/end_lineno/end_col_offset).
func span(_ root: Any, _ path: String) -> String? {
    guard let object = node(root, path) as? [String: Any],
          let line = object["lineno"], let column = object["col_offset"],
          let endLine = object["end_lineno"], let endColumn = object["end_col_offset"] else { return nil }
    return "\(line):\(column)-\(endLine):\(endColumn)"
}

/// The first diagnostic's message and 1-based line:column, or nil for a valid file.
func firstError(_ text: String) -> (message: String, location: String)? {
    let parsed = parse(text)
    guard let diagnostic = parsed.diagnostics.first else { return nil }
    let location = parsed.source.location(diagnostic.range.start)
    return (diagnostic.message, "\(location.line):\(location.column + 1)")
}

/// Runs `body` on a thread with an 8 MB stack (the main thread's default on Linux and macOS), so
/// the deep-nesting tests hold against a known stack size whatever thread the test runner uses.
func onEightMegabyteStack<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        box.value = body()
        done.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
    done.wait()
    return box.value!
}

/// Written once by the worker thread before it signals, read once after the wait.
final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
