// Hostile and unusual inputs: the front end must neither crash, hang nor overflow the stack, and
// every error must point inside the file.
import Foundation
import Testing
import ModelintSyntax

/// Decode + lex + parse, as `modelint ast` does.
struct FrontEndResult {
    let size: Int
    let source: SourceBuffer?
    let module: Module?
    let diagnostics: [SyntaxDiagnostic]

    init(_ bytes: [UInt8]) {
        size = bytes.count
        switch SourceDecoder.decode(path: "<test>", bytes: bytes) {
        case .failure(let diagnostic):
            source = nil
            module = nil
            diagnostics = [diagnostic]
        case .success(let buffer):
            let parsed = Parser.parse(buffer)
            source = buffer
            module = parsed.module
            diagnostics = parsed.diagnostics
        }
    }

    init(_ text: String) { self.init(Array(text.utf8)) }

    /// Problems with the diagnostics' positions: each must lie in the file (decoder errors in the
    /// raw bytes, the rest in the decoded text), with a valid line and column.
    func positionProblems(rawBytes: [UInt8]? = nil) -> [String] {
        var problems: [String] = []
        let bytes = source?.bytes ?? rawBytes ?? []
        let lines = source?.lines ?? LineIndex(bytes)
        for diagnostic in diagnostics {
            let range = diagnostic.range
            guard range.start <= range.end, Int(range.end) <= bytes.count else {
                problems.append("\(diagnostic.message): range \(range.start)..<\(range.end) outside 0...\(bytes.count)")
                continue
            }
            let location = lines.location(of: range.start, in: bytes)
            let lineLength = (location.line < lines.lineCount ? Int(lines.lineStarts[location.line]) : bytes.count)
                - Int(lines.lineStarts[location.line - 1])
            if location.line < 1 || location.line > lines.lineCount || location.column < 0
                || location.column > lineLength {
                problems.append("\(diagnostic.message): bad location \(location)")
            }
        }
        return problems
    }
}

/// Runs `work` on its own thread and waits at most `limit`. A front end stuck in a quadratic loop is
/// reported instead of hanging the test run (the abandoned thread ends with the process).
func timedFrontEnd(_ bytes: [UInt8], limit: Duration = .seconds(30)) -> (result: FrontEndResult, time: Duration)? {
    final class Box: @unchecked Sendable { var value: (FrontEndResult, Duration)? }
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        let clock = ContinuousClock()
        var result: FrontEndResult?
        let time = clock.measure { result = FrontEndResult(bytes) }
        box.value = (result!, time)
        done.signal()
    }
    thread.stackSize = 16 << 20
    thread.start()
    let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18
    guard done.wait(timeout: .now() + seconds) == .success else { return nil }
    return box.value
}

/// Nesting without brackets or indentation, 100,000 deep. CPython rejects all of these (`ast.parse`
/// raises RecursionError, MemoryError or SyntaxError), and so must we, without exhausting the stack.
enum DeepNesting: String, CaseIterable, Sendable {
    case unaryMinus, not, await, power, lambda, conditional, binaryChain, attributeChain, callChain,
         subscriptChain, walrus

    var code: String {
        let depth = 100_000
        switch self {
        case .unaryMinus: return String(repeating: "-", count: depth) + "x"
        case .not: return String(repeating: "not ", count: depth) + "x"
        case .await: return "async def f():\n    " + String(repeating: "await ", count: depth) + "x"
        case .power: return "x" + String(repeating: "**x", count: depth)
        case .lambda: return String(repeating: "lambda: ", count: depth) + "x"
        case .conditional: return "x" + String(repeating: " if x else x", count: depth)
        case .binaryChain: return "x" + String(repeating: "+x", count: depth)
        case .attributeChain: return "a" + String(repeating: ".b", count: depth)
        case .callChain: return "f" + String(repeating: "()", count: depth)
        case .subscriptChain: return "x" + String(repeating: "[0]", count: depth)
        case .walrus: return "(" + String(repeating: "a := ", count: depth) + "1)"
        }
    }
}

/// Long but flat constructs, which CPython accepts.
enum LongFlat: String, CaseIterable, Sendable {
    case comparisonChain, stringConcatenation, tuple, boolChain, dictionary

    var code: String {
        let count = 100_000
        switch self {
        case .comparisonChain: return "x" + String(repeating: "<x", count: count)
        case .stringConcatenation: return String(repeating: "'a' ", count: count)
        case .tuple: return "t = " + String(repeating: "x, ", count: count)
        case .boolChain: return "x" + String(repeating: " and x", count: count)
        case .dictionary: return "d = {" + String(repeating: "1: 2, ", count: count) + "}"
        }
    }
}

struct RobustnessTests {
    private func expectRejected(_ bytes: [UInt8], containing phrase: String? = nil,
                                sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let result = FrontEndResult(bytes)
        #expect(!result.diagnostics.isEmpty, "accepted", sourceLocation: sourceLocation)
        #expect(result.positionProblems(rawBytes: bytes) == [], sourceLocation: sourceLocation)
        if let phrase, let first = result.diagnostics.first {
            #expect(first.message.localizedCaseInsensitiveContains(phrase), "message: \(first.message)",
                    sourceLocation: sourceLocation)
        }
    }

    @Test func hundredThousandNestedBrackets() {
        let depth = 100_000
        for (open, close) in [("(", ")"), ("[", "]"), ("{", "}")] {
            let text = String(repeating: open, count: depth) + "x" + String(repeating: close, count: depth) + "\n"
            expectRejected(Array(text.utf8), containing: "too deeply nested")
        }
        // Unclosed: the error must still be inside the file.
        expectRejected(Array((String(repeating: "(", count: depth)).utf8), containing: "too deeply nested")
    }

    @Test func tenThousandNestedBlocks() {
        let depth = 10_000
        var bytes: [UInt8] = []
        bytes.reserveCapacity(depth * depth / 2 + depth * 8)
        for level in 0..<depth {
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: level))
            bytes.append(contentsOf: "if x:\n".utf8)
        }
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth))
        bytes.append(contentsOf: "pass\n".utf8)
        expectRejected(bytes, containing: "too deeply nested")
    }

    @Test(arguments: DeepNesting.allCases)
    func deepExpressionsAreRejectedCleanly(shape: DeepNesting) {
        let result = FrontEndResult(shape.code + "\n")
        #expect(!result.diagnostics.isEmpty, "accepted; CPython rejects it")
        #expect(result.positionProblems() == [])
    }

    @Test(arguments: LongFlat.allCases)
    func longFlatConstructsAreAccepted(shape: LongFlat) {
        let result = FrontEndResult(shape.code + "\n")
        #expect(result.diagnostics == [])
    }

    @Test func nulBytesAreRejected() {
        expectRejected(Array("x = 1\0\n".utf8))
        expectRejected(Array("x = '\0'\n".utf8))
        expectRejected(Array("# comment \0\n".utf8))
        expectRejected([0])
    }

    @Test func invalidUTF8IsRejected() {
        let prefix = Array("x = '".utf8)
        let suffix = Array("'\n".utf8)
        for bad: [UInt8] in [[0xFF], [0xC3], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
                             [0xE2, 0x82], [0x80], [0xF0, 0x9F, 0x98]] {
            expectRejected(prefix + bad + suffix)
            expectRejected(bad)
        }
    }

    /// 20 MB on one line must take time linear in its length. The list has 100,000 elements of 200
    /// bytes each, so it is the line length that is large, not the node count (which only measures
    /// the allocator in a debug build).
    @Test func twentyMegabyteLines() throws {
        let element = "'" + String(repeating: "abcdefghij", count: 19) + "abcdefg', "
        var list = Array("x = [".utf8)
        list.reserveCapacity(element.utf8.count * 100_000 + 8)
        for _ in 0..<100_000 { list.append(contentsOf: element.utf8) }
        list.append(contentsOf: "]\n".utf8)
        var string = Array("s = '".utf8)
        string.append(contentsOf: repeatElement(UInt8(ascii: "a"), count: 20_000_000))
        string.append(contentsOf: "'\n".utf8)
        var comment = Array("x = 1  # ".utf8)
        comment.append(contentsOf: repeatElement(UInt8(ascii: "c"), count: 20_000_000))

        for (name, bytes) in [("list", list), ("string", string), ("comment", comment)] {
            #expect(bytes.count > 20_000_000)
            // Generous for a debug build on a loaded 2-core machine; a quadratic path blows it.
            guard let (result, time) = timedFrontEnd(bytes) else {
                Issue.record("20 MB \(name) line did not finish in 30 s")
                continue
            }
            #expect(result.diagnostics == [], "\(name)")
            if name == "list", case .assign(_, let value)? = result.module?.body.first?.kind,
               case .list(let elts, _) = value.kind {
                #expect(elts.count == 100_000)
            }
            print("20 MB \(name) line: \(time)")
        }
    }

    /// Number literals far beyond 64 bits: CPython converts hex/octal/binary in linear time (20 MB of
    /// hex digits parse in half a second) and refuses decimal literals over 4,300 digits. 250,000
    /// digits take milliseconds when linear, and far beyond the limit when quadratic.
    @Test func hugeNumberLiterals() {
        for (prefix, digit) in [("0x", "f"), ("0o", "7"), ("0b", "1"), ("", "7")] {
            let name = prefix.isEmpty ? "decimal" : prefix
            let text = "x = " + prefix + String(repeating: digit, count: 250_000) + "\n"
            guard let (result, _) = timedFrontEnd(Array(text.utf8), limit: .seconds(10)) else {
                Issue.record("250,000-digit \(name) literal did not finish in 10 s")
                continue
            }
            #expect(result.positionProblems() == [], "\(name)")
            if prefix.isEmpty {
                #expect(!result.diagnostics.isEmpty, "CPython rejects decimal literals over 4300 digits")
            }
        }
    }

    @Test func emptyAndCommentOnlyFiles() {
        for text in ["", "\n", "# only a comment", "# one\n# two\n", "   \n\t\n", "\\\n"] {
            let result = FrontEndResult(text)
            if text == "\\\n" {
                // A lone continuation line: CPython says "unexpected EOF while parsing".
                #expect(!result.diagnostics.isEmpty)
                #expect(result.positionProblems() == [])
            } else {
                #expect(result.diagnostics == [], "\(text.debugDescription)")
                #expect(result.module?.body.isEmpty == true, "\(text.debugDescription)")
            }
        }
    }

    @Test func noFinalNewline() {
        let result = FrontEndResult("if x:\n    y = 1")
        #expect(result.diagnostics == [])
        guard let statement = result.module?.body.first, let source = result.source else {
            Issue.record("no statement")
            return
        }
        #expect(source.location(statement.range.end) == ModelintSyntax.SourceLocation(line: 2, column: 9))
    }

    /// CPython gives identical trees (positions and string values) for `\n`, `\r\n` and lone `\r`
    /// files (checked with python3 for fixtures/syntax/line_endings_*.py), so ours must be identical too.
    @Test func lineEndingsDoNotChangeTheTree() throws {
        let lines = ["x = 1", "if x:", "    y = (1,", "  2)  # c", "s = '''a", "b'''", "z = x + \\", "    3",
                     "f = f'''{", "x}'''", "é = 'ü'", ""]
        var dumps: [String] = []
        for newline in ["\n", "\r\n", "\r"] {
            let result = FrontEndResult(lines.joined(separator: newline))
            try #require(result.diagnostics == [], "\(newline.debugDescription): \(result.diagnostics)")
            let json = ASTJSON.encode(try #require(result.module), in: try #require(result.source))
            dumps.append(String(decoding: json, as: UTF8.self))
        }
        #expect(dumps[0] == dumps[1])
        #expect(dumps[0] == dumps[2])
    }

    @Test func everySyntaxErrorIsInsideTheFile() {
        let samples = ["x = (", "def f(:\n", "'abc", "'''abc", "f'{", "f'{x", "class", "x = 1 +", "\tif x:\n  y",
                       "if x:\ny", "  x = 1", "x = 1\n  y = 2", "@", "lambda", "try:\n    pass\n", "0x", "1e",
                       "x = 0b2", "$", "x = `1`", "f'{x!}'", "f'{x!z}'", "f'{}'", "u'\\N{NOPE}'", "b'é'",
                       "match x:\n    case", "type X[", "def f[T: ](): pass", "print 'x'", "\u{FEFF}x = 1 $"]
        for text in samples {
            let result = FrontEndResult(text)
            #expect(!result.diagnostics.isEmpty, "\(text.debugDescription) accepted")
            #expect(result.positionProblems() == [], "\(text.debugDescription)")
        }
    }
}
