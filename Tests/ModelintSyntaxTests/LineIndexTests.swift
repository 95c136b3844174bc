import Testing
@testable import ModelintSyntax

/// `LineIndex` skips eight bytes at a time; line breaks at every offset of a word, and CRLF pairs split
/// across two words, must give the line starts of a byte-by-byte scan.
@Suite struct LineIndexTests {
    /// The reference: one byte at a time; CRLF, CR and LF each end a line.
    static func naiveLineStarts(_ bytes: [UInt8]) -> [UInt32] {
        var starts: [UInt32] = [0]
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
            if bytes[i] == 0x0A || bytes[i] == 0x0D { starts.append(UInt32(i + 1)) }
            i += 1
        }
        return starts
    }

    @Test func everyBreakAtEveryOffset() {
        for breakText in ["\n", "\r", "\r\n", "\n\n", "\r\r", "\n\r"] {
            for length in 0..<40 {
                for position in 0...length {
                    var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: length)
                    bytes.insert(contentsOf: Array(breakText.utf8), at: position)
                    #expect(LineIndex(bytes).lineStarts == Self.naiveLineStarts(bytes), "\(breakText.debugDescription) at \(position) of \(length)")
                }
            }
        }
    }

    @Test func bytesNextToTheBreakValues() {
        // 0x0B, 0x0C, 0x0E and 0x8A / 0x8D share most bits with LF and CR but are no line breaks.
        let bytes: [UInt8] = [0x0B, 0x0C, 0x0E, 0x8A, 0x8D, 0x09, 0x1A, 0x1D, 0x0A, 0x0B, 0x0C, 0x0E, 0x8A, 0x8D, 0x09,
                              0x1A, 0x1D, 0x0D, 0x00, 0xFF, 0x0D, 0x0A, 0x01]
        #expect(LineIndex(bytes).lineStarts == [0, 9, 18, 22])
        #expect(LineIndex(bytes).lineStarts == Self.naiveLineStarts(bytes))
    }
}
