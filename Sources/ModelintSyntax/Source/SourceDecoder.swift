/// Turns raw file bytes into a UTF-8 `SourceBuffer` the way CPython's file tokenizer reads a source
/// file: a UTF-8 BOM is dropped, a PEP 263 coding cookie on line 1 or 2 selects the codec, and the
/// text must then decode cleanly and hold no NUL byte. Only the codecs a training script can
/// realistically declare are supported (UTF-8, Latin-1, ASCII, cp1252, and KOI8-R, which CPython's own
/// standard library declares in two files); anything else is reported rather than guessed at.
public enum SourceDecoder {
    /// Raw file bytes -> UTF-8 SourceBuffer. Errors carry a range into the *raw* bytes (which equals the
    /// decoded position for UTF-8 files, the common case), so a caller can still print a location.
    public static func decode(path: String, bytes: [UInt8]) -> Result<SourceBuffer, SyntaxDiagnostic> {
        let hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        let bodyStart = hasBOM ? 3 : 0

        var codec = SourceCodec.utf8
        var declared = false
        if let cookie = CodingCookie.find(in: bytes, from: bodyStart) {
            let normal = CodingCookie.normalName(cookie.name)
            if hasBOM && normal != "utf-8" {
                return .failure(SyntaxDiagnostic("encoding problem: \(normal) with BOM", at: cookie.range))
            }
            guard let selected = SourceCodec(pythonName: normal) else {
                return .failure(SyntaxDiagnostic("unsupported source encoding '\(cookie.name)'", at: cookie.range))
            }
            codec = selected
            declared = true
        }

        switch codec {
        case .utf8:
            if let failure = validateUTF8(bytes, from: bodyStart, declared: declared, path: path) {
                return .failure(failure)
            }
            let text = bodyStart == 0 ? bytes : Array(bytes[bodyStart...])
            return .success(SourceBuffer(path: path, utf8: text))
        case .ascii:
            return transcode(bytes, path: path) { b, offset in
                .failure(undecodable(b, at: offset, codec: "ascii", reason: "ordinal not in range(128)"))
            }
        case .latin1:
            return transcode(bytes, path: path) { b, _ in .success(UInt32(b)) }
        case .cp1252:
            return transcode(bytes, path: path) { b, offset in
                let mapped = cp1252High[Int(b) - 0x80]
                if mapped == 0 {
                    return .failure(undecodable(b, at: offset, codec: "charmap", reason: "character maps to <undefined>"))
                }
                return .success(UInt32(mapped))
            }
        case .koi8r:
            return transcode(bytes, path: path) { b, _ in .success(UInt32(koi8rHigh[Int(b) - 0x80])) }
        }
    }

    /// UTF-8 validation with CPython's rules (no surrogates, no overlongs, nothing above U+10FFFF);
    /// a NUL byte is reported as CPython's tokenizer does. Returns the first problem, if any.
    private static func validateUTF8(_ bytes: [UInt8], from start: Int, declared: Bool,
                                     path: String) -> SyntaxDiagnostic? {
        bytes.withUnsafeBufferPointer { buf -> SyntaxDiagnostic? in
            let n = buf.count
            var i = start
            while i < n {
                // Eight bytes at a time past words of ASCII without a NUL.
                if i + 8 <= n {
                    let word = ByteWords.load(buf, i)
                    if ByteWords.isASCII(word) && !ByteWords.holdsZero(word) {
                        i += 8
                        continue
                    }
                }
                let b = buf[i]
                if b < 0x80 {
                    if b == 0 { return nullByte(at: i) }
                    i += 1
                    continue
                }
                let length = UTF8Scan.sequenceLength(buf, at: i)
                if length.count > 0 {
                    i += length.count
                    continue
                }
                let range = TextRange(i, i + 1)
                if !declared {
                    let line = LineIndex(Array(buf[0..<i])).lineCount
                    let hex = String(b, radix: 16)
                    return SyntaxDiagnostic(
                        "Non-UTF-8 code starting with '\\x\(hex)' in file \(path) on line \(line), but no "
                            + "encoding declared; see https://peps.python.org/pep-0263/ for details",
                        at: range)
                }
                return SyntaxDiagnostic(
                    "'utf-8' codec can't decode byte 0x\(String(b, radix: 16)): \(length.problem)", at: range)
            }
            return nil
        }
    }

    /// Single-byte codecs: ASCII passes through, `high` maps (or rejects) each byte from 0x80 up.
    private static func transcode(_ bytes: [UInt8], path: String,
                                  high: (UInt8, Int) -> Result<UInt32, SyntaxDiagnostic>) -> Result<SourceBuffer, SyntaxDiagnostic> {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        for (offset, b) in bytes.enumerated() {
            if b < 0x80 {
                if b == 0 { return .failure(nullByte(at: offset)) }
                out.append(b)
                continue
            }
            switch high(b, offset) {
            case .success(let scalar): UTF8Scan.append(scalar, to: &out)
            case .failure(let diagnostic): return .failure(diagnostic)
            }
        }
        return .success(SourceBuffer(path: path, utf8: out))
    }

    private static func nullByte(at offset: Int) -> SyntaxDiagnostic {
        SyntaxDiagnostic("source code cannot contain null bytes", at: TextRange(offset, offset + 1))
    }

    private static func undecodable(_ byte: UInt8, at offset: Int, codec: String, reason: String) -> SyntaxDiagnostic {
        let hex = String(byte, radix: 16)
        return SyntaxDiagnostic("'\(codec)' codec can't decode byte 0x\(hex): \(reason)",
                                at: TextRange(offset, offset + 1))
    }

    /// cp1252 bytes 0x80...0x9F (the rest equals Latin-1); 0 marks the five undefined bytes, which
    /// Python's cp1252 codec rejects.
    private static let cp1252High: [UInt16] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
        0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
        0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
        0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
        0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
        0x00C0, 0x00C1, 0x00C2, 0x00C3, 0x00C4, 0x00C5, 0x00C6, 0x00C7,
        0x00C8, 0x00C9, 0x00CA, 0x00CB, 0x00CC, 0x00CD, 0x00CE, 0x00CF,
        0x00D0, 0x00D1, 0x00D2, 0x00D3, 0x00D4, 0x00D5, 0x00D6, 0x00D7,
        0x00D8, 0x00D9, 0x00DA, 0x00DB, 0x00DC, 0x00DD, 0x00DE, 0x00DF,
        0x00E0, 0x00E1, 0x00E2, 0x00E3, 0x00E4, 0x00E5, 0x00E6, 0x00E7,
        0x00E8, 0x00E9, 0x00EA, 0x00EB, 0x00EC, 0x00ED, 0x00EE, 0x00EF,
        0x00F0, 0x00F1, 0x00F2, 0x00F3, 0x00F4, 0x00F5, 0x00F6, 0x00F7,
        0x00F8, 0x00F9, 0x00FA, 0x00FB, 0x00FC, 0x00FD, 0x00FE, 0x00FF,
    ]
}

extension SourceDecoder {
    /// KOI8-R bytes 0x80...0xFF (all defined), from Python's `koi8_r` codec.
    fileprivate static let koi8rHigh: [UInt16] = [
        0x2500, 0x2502, 0x250C, 0x2510, 0x2514, 0x2518, 0x251C, 0x2524,
        0x252C, 0x2534, 0x253C, 0x2580, 0x2584, 0x2588, 0x258C, 0x2590,
        0x2591, 0x2592, 0x2593, 0x2320, 0x25A0, 0x2219, 0x221A, 0x2248,
        0x2264, 0x2265, 0x00A0, 0x2321, 0x00B0, 0x00B2, 0x00B7, 0x00F7,
        0x2550, 0x2551, 0x2552, 0x0451, 0x2553, 0x2554, 0x2555, 0x2556,
        0x2557, 0x2558, 0x2559, 0x255A, 0x255B, 0x255C, 0x255D, 0x255E,
        0x255F, 0x2560, 0x2561, 0x0401, 0x2562, 0x2563, 0x2564, 0x2565,
        0x2566, 0x2567, 0x2568, 0x2569, 0x256A, 0x256B, 0x256C, 0x00A9,
        0x044E, 0x0430, 0x0431, 0x0446, 0x0434, 0x0435, 0x0444, 0x0433,
        0x0445, 0x0438, 0x0439, 0x043A, 0x043B, 0x043C, 0x043D, 0x043E,
        0x043F, 0x044F, 0x0440, 0x0441, 0x0442, 0x0443, 0x0436, 0x0432,
        0x044C, 0x044B, 0x0437, 0x0448, 0x044D, 0x0449, 0x0447, 0x044A,
        0x042E, 0x0410, 0x0411, 0x0426, 0x0414, 0x0415, 0x0424, 0x0413,
        0x0425, 0x0418, 0x0419, 0x041A, 0x041B, 0x041C, 0x041D, 0x041E,
        0x041F, 0x042F, 0x0420, 0x0421, 0x0422, 0x0423, 0x0416, 0x0412,
        0x042C, 0x042B, 0x0417, 0x0428, 0x042D, 0x0429, 0x0427, 0x042A,
    ]
}

/// The codecs a source file may declare.
enum SourceCodec {
    case utf8, ascii, latin1, cp1252, koi8r

    /// Looks a cookie up the way Python's codec registry does: lower-case it, collapse runs of
    /// punctuation other than '.' to '_', then resolve `encodings.aliases`.
    init?(pythonName name: String) {
        var normalized: [UInt8] = []
        var pendingUnderscore = false
        for b in name.utf8 {
            let lower = (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
            let isAlnum = (lower >= 0x61 && lower <= 0x7A) || (lower >= 0x30 && lower <= 0x39)
            if isAlnum || lower == 0x2E {
                if pendingUnderscore && !normalized.isEmpty { normalized.append(0x5F) }
                normalized.append(lower)
                pendingUnderscore = false
            } else {
                pendingUnderscore = true
            }
        }
        let key = String(decoding: normalized, as: UTF8.self)
        if let codec = SourceCodec.registry[key] {
            self = codec
        } else if let codec = SourceCodec.registry[key.replacingDots()] {
            self = codec
        } else {
            return nil
        }
    }

    /// Module names and `encodings.aliases` entries (Python 3.11) for the supported codecs.
    private static let registry: [String: SourceCodec] = {
        var table: [String: SourceCodec] = [:]
        for name in ["utf_8", "utf_8_sig", "cp65001", "u8", "utf", "utf8", "utf8_ucs2", "utf8_ucs4"] {
            table[name] = .utf8
        }
        for name in ["latin_1", "iso8859_1", "8859", "cp819", "csisolatin1", "ibm819", "iso8859",
                     "iso_8859_1", "iso_8859_1_1987", "iso_ir_100", "l1", "latin", "latin1"] {
            table[name] = .latin1
        }
        for name in ["ascii", "646", "ansi_x3.4_1968", "ansi_x3.4_1986", "ansi_x3_4_1968", "cp367",
                     "csascii", "ibm367", "iso646_us", "iso_646.irv_1991", "iso_ir_6", "us", "us_ascii"] {
            table[name] = .ascii
        }
        for name in ["cp1252", "1252", "windows_1252"] {
            table[name] = .cp1252
        }
        for name in ["koi8_r", "cskoi8r"] {
            table[name] = .koi8r
        }
        return table
    }()
}

private extension String {
    func replacingDots() -> String {
        String(decoding: utf8.map { $0 == 0x2E ? 0x5F : $0 }, as: UTF8.self)
    }
}

/// A PEP 263 coding cookie, found with CPython's `get_coding_spec` rules.
struct CodingCookie {
    var name: String
    /// The encoding name's bytes in the raw file.
    var range: TextRange

    /// Looks on line 1, and on line 2 only when line 1 holds nothing but blanks or a comment.
    static func find(in bytes: [UInt8], from start: Int) -> CodingCookie? {
        var lineStart = start
        for lineNumber in 1...2 {
            guard lineStart < bytes.count else { return nil }
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != 0x0A && bytes[lineEnd] != 0x0D { lineEnd += 1 }
            if let cookie = scanLine(bytes, lineStart, lineEnd) { return cookie }
            if lineNumber == 1 && !isBlankOrComment(bytes, lineStart, lineEnd) { return nil }
            lineStart = lineEnd
            if lineStart < bytes.count && bytes[lineStart] == 0x0D { lineStart += 1 }
            if lineStart < bytes.count && bytes[lineStart] == 0x0A { lineStart += 1 }
        }
        return nil
    }

    /// `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)` with ASCII `\w`, first match wins.
    private static func scanLine(_ bytes: [UInt8], _ start: Int, _ end: Int) -> CodingCookie? {
        var i = start
        while i < end && (bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0C) { i += 1 }
        guard i < end && bytes[i] == 0x23 else { return nil }
        let coding: [UInt8] = Array("coding".utf8)
        var t = i + 1
        while t + 6 < end {
            if bytes[t..<t + 6].elementsEqual(coding) && (bytes[t + 6] == 0x3A || bytes[t + 6] == 0x3D) {
                var begin = t + 7
                while begin < end && (bytes[begin] == 0x20 || bytes[begin] == 0x09) { begin += 1 }
                var stop = begin
                while stop < end && isNameByte(bytes[stop]) { stop += 1 }
                if stop > begin {
                    return CodingCookie(name: String(decoding: bytes[begin..<stop], as: UTF8.self),
                                        range: TextRange(begin, stop))
                }
            }
            t += 1
        }
        return nil
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == 0x2D || b == 0x5F || b == 0x2E
    }

    private static func isBlankOrComment(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Bool {
        for i in start..<end {
            let b = bytes[i]
            if b == 0x23 { return true }
            if b != 0x20 && b != 0x09 && b != 0x0C { return false }
        }
        return true
    }

    /// CPython's `get_normal_name`: the first 12 characters, lower-cased with '_' as '-', decide
    /// whether a cookie means UTF-8 or Latin-1; other names pass through unchanged.
    static func normalName(_ name: String) -> String {
        var buffer = ""
        for b in name.utf8.prefix(12) {
            if b == 0x5F {
                buffer.append("-")
            } else {
                buffer.unicodeScalars.append(Unicode.Scalar((b >= 0x41 && b <= 0x5A) ? b | 0x20 : b))
            }
        }
        if buffer == "utf-8" || buffer.hasPrefix("utf-8-") { return "utf-8" }
        if buffer == "latin-1" || buffer == "iso-8859-1" || buffer == "iso-latin-1"
            || buffer.hasPrefix("latin-1-") || buffer.hasPrefix("iso-8859-1-") || buffer.hasPrefix("iso-latin-1-") {
            return "iso-8859-1"
        }
        return name
    }
}
