import ModelintSyntax

/// The suppression comments of one file, in flake8/ruff syntax:
/// `# noqa` (every finding on that line), `# noqa: ML101,ML201` (those codes on that line; commas and/or
/// spaces between codes), and `# modelint: noqa` / `# modelint: noqa: ML101` anywhere in the file (file level).
/// The directive may follow other comment text (`# why # noqa: ML301`). Matching is case-insensitive for the
/// keyword and exact for codes.
public struct NoqaDirectives: Sendable {
    public enum Scope: Sendable, Equatable {
        case all
        case codes(Set<String>)

        func covers(_ code: String) -> Bool {
            switch self {
            case .all: return true
            case .codes(let codes): return codes.contains(code)
            }
        }

        mutating func merge(_ other: Scope) {
            switch (self, other) {
            case (.all, _): break
            case (_, .all): self = .all
            case (.codes(let a), .codes(let b)): self = .codes(a.union(b))
            }
        }
    }

    /// 1-based line -> what `# noqa` on that line covers.
    public private(set) var lines: [Int: Scope] = [:]
    /// What `# modelint: noqa` covers in the whole file, if present.
    public private(set) var file: Scope?

    public init() {}

    /// Scans each comment (a byte range starting at `#`) for directives.
    public init(source: SourceBuffer, comments: [TextRange]) {
        for comment in comments {
            let bytes = source.bytes[Int(comment.start)..<Int(comment.end)]
            if let scope = Self.fileDirective(in: bytes) {
                if file == nil { file = scope } else { file!.merge(scope) }
            } else if let scope = Self.lineDirective(in: bytes) {
                let line = source.location(comment.start).line
                if lines[line] == nil { lines[line] = scope } else { lines[line]!.merge(scope) }
            }
        }
    }

    public func suppresses(code: String, line: Int) -> Bool {
        if let file, file.covers(code) { return true }
        if let scope = lines[line], scope.covers(code) { return true }
        return false
    }

    // MARK: - Parsing (bytes, no regex)

    /// `# noqa` with optional `: CODES`, anywhere in the comment.
    static func lineDirective(in bytes: ArraySlice<UInt8>) -> Scope? {
        var i = bytes.startIndex
        while let hash = bytes[i...].firstIndex(of: UInt8(ascii: "#")) {
            var j = skipSpaces(bytes, hash + 1)
            if matchesKeyword(bytes, j, "noqa") {
                j += 4
                // `# noqa` must end the word: `# noqa123` and `# noqaz` are not directives.
                if j < bytes.endIndex, isWordByte(bytes[j]) { i = j; continue }
                return codesAfterColon(bytes, j)
            }
            i = hash + 1
        }
        return nil
    }

    /// `# modelint: noqa` with optional `: CODES`, anywhere in the comment.
    static func fileDirective(in bytes: ArraySlice<UInt8>) -> Scope? {
        var i = bytes.startIndex
        while let hash = bytes[i...].firstIndex(of: UInt8(ascii: "#")) {
            var j = skipSpaces(bytes, hash + 1)
            if matchesKeyword(bytes, j, "modelint") {
                j = skipSpaces(bytes, j + 8)
                if j < bytes.endIndex, bytes[j] == UInt8(ascii: ":") {
                    j = skipSpaces(bytes, j + 1)
                    if matchesKeyword(bytes, j, "noqa") {
                        j += 4
                        if j < bytes.endIndex, isWordByte(bytes[j]) { i = j; continue }
                        return codesAfterColon(bytes, j)
                    }
                }
            }
            i = hash + 1
        }
        return nil
    }

    /// After the keyword: nothing (or no colon) covers every code; `:` followed by codes covers those codes.
    /// A colon followed by no code is a blanket directive, as in flake8.
    private static func codesAfterColon(_ bytes: ArraySlice<UInt8>, _ start: Int) -> Scope {
        var j = skipSpaces(bytes, start)
        guard j < bytes.endIndex, bytes[j] == UInt8(ascii: ":") else { return .all }
        j += 1
        var codes = Set<String>()
        while true {
            while j < bytes.endIndex, bytes[j] == UInt8(ascii: ",") || bytes[j] == UInt8(ascii: " ")
                    || bytes[j] == UInt8(ascii: "\t") { j += 1 }
            // A code: uppercase letters then digits (`ML101`).
            let codeStart = j
            while j < bytes.endIndex, bytes[j] >= UInt8(ascii: "A"), bytes[j] <= UInt8(ascii: "Z") { j += 1 }
            let lettersEnd = j
            while j < bytes.endIndex, bytes[j] >= UInt8(ascii: "0"), bytes[j] <= UInt8(ascii: "9") { j += 1 }
            guard lettersEnd > codeStart, j > lettersEnd else { break }
            codes.insert(String(decoding: bytes[codeStart..<j], as: UTF8.self))
        }
        return codes.isEmpty ? .all : .codes(codes)
    }

    private static func skipSpaces(_ bytes: ArraySlice<UInt8>, _ start: Int) -> Int {
        var j = start
        while j < bytes.endIndex, bytes[j] == UInt8(ascii: " ") || bytes[j] == UInt8(ascii: "\t") { j += 1 }
        return j
    }

    /// Case-insensitive ASCII match of `keyword` at `start`.
    private static func matchesKeyword(_ bytes: ArraySlice<UInt8>, _ start: Int, _ keyword: StaticString) -> Bool {
        let count = keyword.utf8CodeUnitCount
        guard bytes.endIndex - start >= count else { return false }
        let pointer = keyword.utf8Start
        for k in 0..<count where bytes[start + k] | 0x20 != pointer[k] { return false }
        return true
    }

    private static func isWordByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_")
    }
}
