import Foundation
import ModelintSyntax

/// `modelint ast FILE`: prints the syntax tree as JSON in the shape of CPython's `ast` (see ASTJSON),
/// which `Tests/oracles/ast_differential.py` compares against `ast.parse`.
enum ASTCommand: Subcommand {
    static let name = "ast"
    static let summary = "print a file's syntax tree as JSON (CPython ast shape)"

    static let usage = """
        usage: modelint ast [--compact] FILE

        Prints FILE's syntax tree as JSON: one object per node with "_type", CPython 3.12 field names
        and lineno/col_offset/end_lineno/end_col_offset (UTF-8 byte columns).
          --compact   one line instead of indented output

        exit status: 0 tree printed, 1 syntax error (FILE:LINE:COL: syntax error: ...), 2 usage or I/O error

        """

    static func run(arguments: [String], stdout: OutputStream, stderr: OutputStream) -> Int32 {
        var style = ASTJSON.Style.indented
        var path: String?
        for argument in arguments {
            switch argument {
            case "-h", "--help":
                stdout.write(usage)
                return 0
            case "--compact":
                style = .compact
            default:
                if argument.hasPrefix("-") && argument != "-" || path != nil {
                    stderr.write("modelint ast: unexpected argument '\(argument)'\n\n" + usage)
                    return 2
                }
                path = argument
            }
        }
        guard let path else {
            stderr.write("modelint ast: missing FILE\n\n" + usage)
            return 2
        }

        let bytes: [UInt8]
        switch SourceFile.read(path: path) {
        case .success(let contents): bytes = contents
        case .failure(let error):
            stderr.write("modelint ast: \(error.description)\n")
            return 2
        }

        let source: SourceBuffer
        switch SourceDecoder.decode(path: path, bytes: bytes) {
        case .success(let buffer): source = buffer
        case .failure(let diagnostic):
            // The decoder's positions are in the raw bytes: it failed before producing a buffer.
            stderr.write(SyntaxErrorLine.format(diagnostic, path: path, bytes: bytes, lines: LineIndex(bytes)) + "\n")
            return 1
        }

        let parsed = Parser.parse(source)
        if let diagnostic = parsed.diagnostics.first {
            stderr.write(SyntaxErrorLine.format(diagnostic, path: path, bytes: source.bytes, lines: source.lines) + "\n")
            return 1
        }
        stdout.write(bytes: ASTJSON.encode(parsed.module, in: source, style: style))
        return 0
    }
}

/// `FILE:LINE:COL: syntax error: MESSAGE`, with a 1-based line and a 1-based *character* column,
/// the convention flake8 and ruff use, so editors can jump to it.
enum SyntaxErrorLine {
    static func format(_ diagnostic: SyntaxDiagnostic, path: String, bytes: [UInt8], lines: LineIndex) -> String {
        // Clamped so that a bad offset yields a wrong-but-valid location rather than a crash.
        let offset = min(Int(diagnostic.range.start), bytes.count)
        let lineIndex = lines.lineIndex(of: UInt32(offset))
        let lineStart = Int(lines.lineStarts[lineIndex])
        var characters = 0
        for byte in bytes[lineStart..<offset] where byte & 0xC0 != 0x80 {
            characters += 1
        }
        return "\(path):\(lineIndex + 1):\(characters + 1): syntax error: \(diagnostic.message)"
    }
}

/// Reads a source file for a command. Only regular files are read: a FIFO or device could block
/// forever or never end, and a directory is a usage mistake; each gets a message naming the path.
enum SourceFile {
    struct ReadError: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "cannot read '\(path)': \(reason)" }
    }

    static func read(path: String) -> Result<[UInt8], ReadError> {
        // O_NONBLOCK so that opening a FIFO with no writer returns at once instead of hanging.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return .failure(ReadError(path: path, reason: String(cString: strerror(errno)))) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            return .failure(ReadError(path: path, reason: String(cString: strerror(errno))))
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .failure(ReadError(path: path, reason: "is a directory"))
        default: return .failure(ReadError(path: path, reason: "not a regular file"))
        }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var filled = 0
        while true {
            // Read until EOF rather than trusting st_size: the file may change while we read it.
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(4096, filled))) }
            let count = bytes.withUnsafeMutableBytes { buffer in
                Foundation.read(fd, buffer.baseAddress! + filled, buffer.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(ReadError(path: path, reason: String(cString: strerror(errno))))
            }
            if count == 0 { break }
            filled += count
        }
        bytes.removeLast(bytes.count - filled)
        return .success(bytes)
    }
}
