import Testing
import ModelintSyntax
@testable import ModelintRules

@Suite struct NoqaDirectivesTests {
    /// Comment ranges of sources whose only `#` characters start comments (no strings in these snippets).
    private func directives(_ text: String) -> NoqaDirectives {
        let source = SourceBuffer(text: text)
        var comments: [TextRange] = []
        var line = 1
        while line <= source.lines.lineCount {
            let range = source.lines.lineRange(line, in: source.bytes)
            if let hash = source.bytes[Int(range.start)..<Int(range.end)].firstIndex(of: UInt8(ascii: "#")) {
                comments.append(TextRange(hash, Int(range.end)))
            }
            line += 1
        }
        return NoqaDirectives(source: source, comments: comments)
    }

    @Test func blanketNoqaCoversEveryCodeOnItsLine() {
        let noqa = directives("x = 1  # noqa\ny = 2\n")
        #expect(noqa.suppresses(code: "ML301", line: 1))
        #expect(noqa.suppresses(code: "ML101", line: 1))
        #expect(!noqa.suppresses(code: "ML301", line: 2))
    }

    @Test func codeListsCoverOnlyTheirCodes() {
        let noqa = directives("""
            a  # noqa: ML101,ML201
            b  # noqa:ML301 ML302
            c  # NOQA : ML303, ML304
            d  # explanation first # noqa: ML203
            """)
        #expect(noqa.suppresses(code: "ML101", line: 1))
        #expect(noqa.suppresses(code: "ML201", line: 1))
        #expect(!noqa.suppresses(code: "ML102", line: 1))
        #expect(noqa.suppresses(code: "ML301", line: 2))
        #expect(noqa.suppresses(code: "ML302", line: 2))
        #expect(noqa.suppresses(code: "ML303", line: 3))
        #expect(noqa.suppresses(code: "ML304", line: 3))
        #expect(noqa.suppresses(code: "ML203", line: 4))
        #expect(!noqa.suppresses(code: "ML204", line: 4))
    }

    @Test func colonWithoutCodesIsBlanket() {
        let noqa = directives("a  # noqa:\n")
        #expect(noqa.suppresses(code: "ML999", line: 1))
    }

    @Test func wordsContainingNoqaAreNotDirectives() {
        let noqa = directives("a  # noqaz\nb  # not a noqa-free line\n")
        #expect(!noqa.suppresses(code: "ML301", line: 1))
        // `# noqa` must directly follow a `#`.
        #expect(!noqa.suppresses(code: "ML301", line: 2))
    }

    @Test func fileLevelDirective() {
        let all = directives("import torch\n# modelint: noqa\nx = 1\n")
        #expect(all.suppresses(code: "ML301", line: 3))
        #expect(all.suppresses(code: "ML101", line: 1))
        let some = directives("#modelint:noqa: ML301\nx = 1\n")
        #expect(some.suppresses(code: "ML301", line: 2))
        #expect(!some.suppresses(code: "ML302", line: 2))
        // A line-level `# noqa` is not a file-level one.
        #expect(!directives("a  # noqa\nb\n").suppresses(code: "ML301", line: 2))
    }
}
