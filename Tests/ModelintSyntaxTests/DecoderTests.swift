// SourceDecoder: BOM, PEP 263 cookies, codecs, invalid bytes and NULs.
import Testing
@testable import ModelintSyntax

struct DecoderTests {
    private func decode(_ bytes: [UInt8]) -> Result<SourceBuffer, SyntaxDiagnostic> {
        SourceDecoder.decode(path: "t.py", bytes: bytes)
    }

    private func text(_ bytes: [UInt8]) -> String? {
        guard case .success(let source) = decode(bytes) else { return nil }
        return String(decoding: source.bytes, as: UTF8.self)
    }

    private func error(_ bytes: [UInt8]) -> SyntaxDiagnostic? {
        guard case .failure(let diagnostic) = decode(bytes) else { return nil }
        return diagnostic
    }

    @Test func utf8PassesThroughAndBOMIsDropped() {
        #expect(text(Array("x = 'é'\n".utf8)) == "x = 'é'\n")
        #expect(text([0xEF, 0xBB, 0xBF] + Array("x = 1\n".utf8)) == "x = 1\n")
        #expect(text([]) == "")
    }

    @Test func latin1AndItsAliases() {
        for name in ["latin-1", "latin1", "LATIN_1", "iso-8859-1", "iso8859-1", "ISO_8859_1", "l1", "8859", "cp819",
                     "latin", "iso-ir-100", "csisolatin1", "iso-latin-1", "latin-1-unix", "iso8859_1"] {
            let file = Array("# -*- coding: \(name) -*-\nx = '".utf8) + [0xE9, 0xFF] + Array("'\n".utf8)
            #expect(text(file) == "# -*- coding: \(name) -*-\nx = 'éÿ'\n", "\(name)")
        }
    }

    @Test func cp1252MapsTheHighControlRange() {
        let file = Array("# coding=windows-1252\nx = '".utf8) + [0x80, 0x93, 0x94, 0xE9] + Array("'\n".utf8)
        #expect(text(file) == "# coding=windows-1252\nx = '€“”é'\n")
        let undefined = Array("# coding: cp1252\nx = '".utf8) + [0x81] + Array("'\n".utf8)
        #expect(error(undefined)?.message == "'charmap' codec can't decode byte 0x81: character maps to <undefined>")
        #expect(error(undefined)?.range == TextRange(22, 23))
    }

    @Test(arguments: [("cp1252", "cp1252High"), ("koi8-r", "koi8rHigh")])
    func singleByteCodecAgreesWithPythonOnEveryHighByte(cookie: String, table: String) throws {
        let golden = try #require(try LexerFixtures.json("codecs.json") as? [String: Any])
        let expected = try #require(golden[table] as? [Any])
        let header = "# coding: \(cookie)\n'"
        for (index, value) in expected.enumerated() {
            let byte = UInt8(0x80 + index)
            let result = decode(Array(header.utf8) + [byte] + Array("'\n".utf8))
            switch (value as? Int, result) {
            case (let scalar?, .success(let source)):
                let text = String(decoding: source.bytes, as: UTF8.self)
                #expect(text.unicodeScalars.map(\.value).dropFirst(header.utf8.count).first == UInt32(scalar),
                        "\(cookie) byte \(byte)")
            case (nil, .failure):
                break
            default:
                Issue.record("\(cookie) byte \(byte): Python gives \(value), we give \(result)")
            }
        }
    }

    @Test func asciiAndUTF8Aliases() {
        #expect(text(Array("# coding: us-ascii\nx = 1\n".utf8)) == "# coding: us-ascii\nx = 1\n")
        #expect(text(Array("# coding: 646\nx = 1\n".utf8)) == "# coding: 646\nx = 1\n")
        let high = Array("# coding: ascii\nx = '".utf8) + [0xE9] + Array("'\n".utf8)
        #expect(error(high)?.message == "'ascii' codec can't decode byte 0xe9: ordinal not in range(128)")
        for name in ["utf-8", "utf8", "UTF_8", "utf-8-sig", "u8", "utf"] {
            #expect(text(Array("# coding: \(name)\nx = 'é'\n".utf8)) != nil, "\(name)")
        }
    }

    @Test func cookieOnlyOnTheFirstTwoLinesAndOnlyInAComment() {
        let second = Array("#!/usr/bin/env python\n# coding: latin-1\nx = '".utf8) + [0xE9] + Array("'\n".utf8)
        #expect(text(second)?.hasSuffix("x = 'é'\n") == true)
        // Line 1 holds code, so line 2 is not looked at: the byte must then be UTF-8.
        let ignored = Array("x = 1\n# coding: latin-1\ny = '".utf8) + [0xE9] + Array("'\n".utf8)
        #expect(error(ignored)?.message.hasPrefix("Non-UTF-8 code starting with '\\xe9' in file t.py on line 3") == true)
        let third = Array("\n\n# coding: latin-1\ny = '".utf8) + [0xE9] + Array("'\n".utf8)
        #expect(error(third) != nil)
        // Not a comment: no cookie.
        #expect(text(Array("x = 'coding: latin-1'\n".utf8)) == "x = 'coding: latin-1'\n")
    }

    @Test func unsupportedAndConflictingCookies() {
        let euc = Array("# coding: euc-jp\nx = 1\n".utf8)
        #expect(error(euc)?.message == "unsupported source encoding 'euc-jp'")
        #expect(error(euc)?.range == TextRange(10, 16))
        #expect(error(Array("# vim: set fileencoding=klingon :\n".utf8))?.message == "unsupported source encoding 'klingon'")
        let bomLatin = [0xEF, 0xBB, 0xBF] + Array("# coding: latin-1\n".utf8)
        #expect(error(bomLatin)?.message == "encoding problem: iso-8859-1 with BOM")
        let bomUtf8 = [0xEF, 0xBB, 0xBF] + Array("# coding: utf8\n".utf8)
        #expect(error(bomUtf8)?.message == "encoding problem: utf8 with BOM")
        #expect(text([0xEF, 0xBB, 0xBF] + Array("# coding: utf-8\nx = 1\n".utf8)) == "# coding: utf-8\nx = 1\n")
    }

    @Test func invalidUTF8NamesTheByte() {
        let undeclared = Array("x = 1\ny = '".utf8) + [0xC3, 0x28] + Array("'\n".utf8)
        let diagnostic = error(undeclared)
        #expect(diagnostic?.message == "Non-UTF-8 code starting with '\\xc3' in file t.py on line 2, but no encoding declared; see https://peps.python.org/pep-0263/ for details")
        #expect(diagnostic?.range == TextRange(11, 12))
        let declared = Array("# coding: utf-8\nx = '".utf8) + [0xED, 0xA0, 0x80] + Array("'\n".utf8)
        #expect(error(declared)?.message == "'utf-8' codec can't decode byte 0xed: invalid continuation byte")
        #expect(error(Array("# coding: utf-8\n".utf8) + [0xFF])?.message == "'utf-8' codec can't decode byte 0xff: invalid start byte")
        #expect(error(Array("# coding: utf-8\n".utf8) + [0xE2, 0x82])?.message == "'utf-8' codec can't decode byte 0xe2: unexpected end of data")
        // Overlong encodings and code points above U+10FFFF are not UTF-8.
        #expect(error([0xC0, 0x80]) != nil)
        #expect(error([0xF4, 0x90, 0x80, 0x80]) != nil)
        #expect(text([0xF4, 0x8F, 0xBF, 0xBF]) != nil)
    }

    @Test func nullBytesAreRejectedWhereTheyAre() {
        let file = Array("x = 1\n# c\u{0}\n".utf8)
        #expect(error(file) == SyntaxDiagnostic("source code cannot contain null bytes", at: TextRange(9, 10)))
        let latin = Array("# coding: latin-1\n\u{0}".utf8)
        #expect(error(latin)?.message == "source code cannot contain null bytes")
        // The ASCII scan goes eight bytes at a time: a NUL or a non-ASCII byte at any offset of a word.
        for offset in 0..<24 {
            var bytes = Array(String(repeating: "x = 1 # ok\n", count: 3).utf8)
            bytes[offset] = 0
            #expect(error(bytes) == SyntaxDiagnostic("source code cannot contain null bytes",
                                                     at: TextRange(offset, offset + 1)))
            bytes[offset] = 0xFF
            #expect(error(bytes)?.range == TextRange(offset, offset + 1))
        }
    }

    @Test func decodedFilesLexWithOriginalLineEndings() throws {
        let source = try decode(Array("# coding: latin-1\r\nx = '".utf8) + [0xE9] + Array("'\r\n".utf8)).get()
        let result = tokenize(source)
        #expect(result.diagnostics.isEmpty)
        #expect(result.tokens.map(\.kind) == [.name, .equal, .string, .newline, .endMarker])
        #expect(try LiteralDecoder.decodeString(source, result.tokens[2]).get() == .string(.text("é")))
    }
}
