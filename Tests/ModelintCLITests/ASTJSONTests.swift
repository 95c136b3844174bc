import Foundation
import Testing
import ModelintSyntax

/// The dumper on hand-built trees: exact value encodings and positions, independent of the parser.
@Suite struct ASTJSONTests {
    /// `Expr(Constant)` statements over one-byte ranges of a short source.
    private func constants(_ values: [ConstantValue], kind: ConstantKind? = nil) -> String {
        let source = SourceBuffer(text: "x\n")
        let body = values.map { value in
            Stmt(.expr(value: Expr(.constant(value: value, kind: kind), TextRange(0, 1))), TextRange(0, 1))
        }
        return String(decoding: ASTJSON.encode(Module(body: body), in: source, style: .compact), as: UTF8.self)
    }

    private func valueText(_ value: ConstantValue) -> String {
        let json = constants([value])
        let start = json.range(of: "\"_type\":\"Constant\",\"value\":")!.upperBound
        let end = json.range(of: ",\"kind\":")!.lowerBound
        return String(json[start..<end])
    }

    @Test func compactModuleShape() {
        let json = constants([.none], kind: .u)
        #expect(json == """
            {"_type":"Module","body":[{"_type":"Expr","value":{"_type":"Constant","value":null,"kind":"u",\
            "lineno":1,"col_offset":0,"end_lineno":1,"end_col_offset":1},\
            "lineno":1,"col_offset":0,"end_lineno":1,"end_col_offset":1}],"type_ignores":[]}

            """)
    }

    @Test func scalarConstants() {
        #expect(valueText(.bool(true)) == "true")
        #expect(valueText(.bool(false)) == "false")
        #expect(valueText(.ellipsis) == "{\"ellipsis\":true}")
        #expect(valueText(.int(0)) == "0")
        #expect(valueText(.int(9_007_199_254_740_991)) == "9007199254740991")
        #expect(valueText(.int(9_007_199_254_740_992)) == "{\"int\":\"9007199254740992\"}")
        #expect(valueText(.int(Int64.max)) == "{\"int\":\"9223372036854775807\"}")
        #expect(valueText(.bigInt(BigIntLiteral(decimal: "123456789012345678901234567890"))) == "{\"int\":\"123456789012345678901234567890\"}")
        #expect(valueText(.bytes([0x00, 0x7F, 0xAB, 0xFF])) == "{\"bytes\":\"007fabff\"}")
        #expect(valueText(.bytes([])) == "{\"bytes\":\"\"}")
    }

    @Test func floatsRoundTripAndReadBackAsFloats() throws {
        let samples: [Double] = [0, 1, 2.5, 0.1, 1e16, 1e22, 1e100, 123456789012345680, .leastNonzeroMagnitude,
                                 1.7976931348623157e308, 2.2250738585072014e-308, 1 / 3.0]
        for sample in samples {
            let text = valueText(.float(sample))
            let parsed = try JSONValue.parse(text)
            #expect(parsed == .float(sample), "\(sample) was written as \(text)")
        }
        #expect(valueText(.float(.infinity)) == "{\"float\":\"inf\"}")
        #expect(valueText(.float(-.infinity)) == "{\"float\":\"-inf\"}")
        #expect(valueText(.float(.nan)) == "{\"float\":\"nan\"}")
        #expect(valueText(.complex(real: 0, imag: 2)) == "{\"complex\":[0.0,2.0]}")
        #expect(valueText(.complex(real: 0, imag: .infinity)) == "{\"complex\":[0.0,{\"float\":\"inf\"}]}")
    }

    @Test func stringsAreEscapedAsJSON() throws {
        let text = "q\"b\\n\nr\rt\tc\u{01}\u{7F}é€😀"
        let written = valueText(.string(.text(text)))
        #expect(written == "\"q\\\"b\\\\n\\nr\\rt\\tc\\u0001\u{7F}é€😀\"")
        #expect(try JSONValue.parse(written) == .string(Array(text.utf16)))
    }

    @Test func loneSurrogatesUseEscapes() throws {
        let written = valueText(.string(.codePoints([0x61, 0xD800, 0x0A, 0x1F600, 0xDFFF])))
        #expect(written == "\"a\\ud800\\n😀\\udfff\"")
        #expect(try JSONValue.parse(written) == .string([0x61, 0xD800, 0x0A, 0xD83D, 0xDE00, 0xDFFF]))
    }

    /// Columns are UTF-8 byte offsets; `\r\n` and a lone `\r` each end one line (CPython's rule).
    @Test func positionsAcrossLineEndings() throws {
        let text = "a\r\nb\rcé = 1\n"
        let source = SourceBuffer(text: text)
        let offset = text.utf8.count - 2  // the `1`
        let one = Expr(.constant(value: .int(1), kind: nil), TextRange(offset, offset + 1))
        let json = ASTJSON.encode(Module(body: [Stmt(.expr(value: one), TextRange(0, offset + 1))]), in: source)
        let tree = try JSONValue.parse(json)
        guard case .array(let body)? = tree["body"], let statement = body.first, let value = statement["value"] else {
            Issue.record("no statement in \(tree)")
            return
        }
        #expect(statement["lineno"] == .int(1))
        #expect(statement["end_lineno"] == .int(3))
        #expect(statement["end_col_offset"] == .int(7))
        #expect(value["lineno"] == .int(3))
        #expect(value["col_offset"] == .int(6))
    }

    /// Both styles carry the same tree.
    @Test func compactAndIndentedAgree() throws {
        let source = SourceBuffer(text: "f(a, *b, k=1)\n")
        let name = { (id: String, start: Int, ctx: ExprContext) in
            Expr(.name(id: Identifier(id, TextRange(start, start + 1)), ctx: ctx), TextRange(start, start + 1))
        }
        let call = Expr(.call(func: name("f", 0, .load),
                              args: [name("a", 2, .load), Expr(.starred(value: name("b", 6, .load), ctx: .load), TextRange(5, 7))],
                              keywords: [Keyword(arg: Identifier("k", TextRange(9, 10)),
                                                 value: Expr(.constant(value: .int(1), kind: nil), TextRange(11, 12)),
                                                 range: TextRange(9, 12))]),
                        TextRange(0, 13))
        let module = Module(body: [Stmt(.expr(value: call), TextRange(0, 13))])
        let compact = try JSONValue.parse(ASTJSON.encode(module, in: source, style: .compact))
        let indented = try JSONValue.parse(ASTJSON.encode(module, in: source, style: .indented))
        #expect(JSONValue.firstDifference(compact, indented) == nil)
        #expect(compact["body"] != nil)
    }

    /// The walk keeps its own stack: a tree far deeper than any thread stack allows for recursion
    /// is written on a thread with a deliberately small stack.
    @Test func deepTreeNeedsNoRecursion() {
        let depth = 200_000
        let source = SourceBuffer(text: "x\n")
        let holder = ModuleHolder(deepUnaryChain(depth: depth))
        let size = onThread(stackSize: 256 * 1024) {
            ASTJSON.encode(holder.module!, in: source, style: .compact).count
        }
        #expect(size > depth * 40)
        // Releasing a 200,000-deep chain recurses in the runtime; do it where the stack is big enough.
        onThread(stackSize: 512 * 1024 * 1024) { holder.module = nil }
    }

    private func deepUnaryChain(depth: Int) -> Module {
        var expr = Expr(.name(id: Identifier("x", TextRange(0, 1)), ctx: .load), TextRange(0, 1))
        for _ in 0..<depth { expr = Expr(.unaryOp(op: .uSub, operand: expr), TextRange(0, 1)) }
        return Module(body: [Stmt(.expr(value: expr), TextRange(0, 1))])
    }

    @discardableResult
    private func onThread<T: Sendable>(stackSize: Int, _ body: @escaping @Sendable () -> T) -> T {
        let result = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            result.value = body()
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        done.wait()
        return result.value!
    }
}

/// Hand-offs between the test and its helper threads, which `done.wait()` orders.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}

private final class ModuleHolder: @unchecked Sendable {
    var module: Module?
    init(_ module: Module) { self.module = module }
}
