import Foundation
import ModelintSyntax

/// One parsed file of the program.
///
/// The tree is the bulk of a program's memory (about twelve bytes of nodes per byte of source), and most
/// files of a large tree need none after loading: no rule applies to them and no framework is mentioned.
/// The loader drops those trees as soon as it has read what it needs from them (diagnostics, comments, the
/// imports), so their memory is reused at once; `module` parses such a file again on first use. The
/// re-parsed tree is kept from then on, so node identity stays stable for the analysis' side tables.
public final class SourceFile: @unchecked Sendable {
    /// As given on the command line, or as discovered (relative when the importing file's path was relative).
    public let path: String
    /// Absolute, normalised path: the identity of the file within the program.
    public let absolutePath: String
    /// Dotted module name relative to its sys.path root ("engine", "pkg.utils", "pkg" for pkg/__init__.py).
    public let moduleName: String
    /// Given on the command line: findings are reported only in these files.
    public let isGiven: Bool
    /// Everything the parse left besides the tree (see `ParsedFileParts`).
    private let parts: ParsedFileParts

    public var source: SourceBuffer { parts.source }
    public var diagnostics: [SyntaxDiagnostic] { parts.diagnostics }
    public var comments: [TextRange] { parts.comments }
    public var imports: [ImportRecord] { parts.imports }
    public var hasNonASCIINames: Bool { parts.hasNonASCIINames }
    public var watch: NameWatch? { parts.watch }
    public var watchedNames: UInt64 { parts.watchedNames }
    public var mentionsFramework: Bool { parts.mentionsFramework }

    /// Guards `tree` once it has been dropped; a retained tree is never replaced.
    private let treeLock = NSLock()
    private var tree: Module?

    /// `retainsTree: false` drops the tree now; `module` rebuilds it when asked.
    public convenience init(path: String, absolutePath: String, moduleName: String, parsed: ParsedModule,
                            isGiven: Bool, retainsTree: Bool = true) {
        self.init(path: path, absolutePath: absolutePath, moduleName: moduleName,
                  parts: ParsedFileParts(parsed, keepsTree: retainsTree), isGiven: isGiven)
    }

    init(path: String, absolutePath: String, moduleName: String, parts: consuming ParsedFileParts, isGiven: Bool) {
        self.path = path
        self.absolutePath = absolutePath
        self.moduleName = moduleName
        self.isGiven = isGiven
        self.tree = parts.takeTree()
        self.parts = parts
    }

    /// The tree (partial when there are diagnostics), parsed again if the loader dropped it.
    public var module: Module {
        treeLock.lock()
        defer { treeLock.unlock() }
        if let tree { return tree }
        let rebuilt = Parser.parse(source).module
        tree = rebuilt
        return rebuilt
    }

    /// Whether the tree is in memory now (tests and statistics).
    public var holdsTree: Bool {
        treeLock.lock()
        defer { treeLock.unlock() }
        return tree != nil
    }

    /// `pkg/__init__.py`: relative imports start from its own folder, and `from . import x` names submodules.
    public var isPackageInit: Bool { PathText.lastComponent(absolutePath) == "__init__.py" }
}

/// What a file keeps of its parse: everything but the tree, which is kept only when asked for. Built on the
/// parsing thread, so a dropped tree is freed there, while its memory is still in that thread's cache.
struct ParsedFileParts: @unchecked Sendable {
    let source: SourceBuffer
    /// Lexer and parser errors (see `ParsedModule.diagnostics`).
    let diagnostics: [SyntaxDiagnostic]
    /// Every comment's range, in source order.
    let comments: [TextRange]
    /// Every import statement of the file, wherever it sits, in source order.
    let imports: [ImportRecord]
    /// Some name is spelled with non-ASCII characters (NFKC may turn it into any identifier).
    let hasNonASCIINames: Bool
    /// The watch the file was lexed with, and the bits of its names found (`ParsedModule.watchedNames`).
    let watch: NameWatch?
    let watchedNames: UInt64
    /// The file mentions a framework whose modules the analysis tracks (see `FrameworkMarkers`).
    let mentionsFramework: Bool
    private(set) var tree: Module?

    /// Moves the tree out, for `SourceFile` to hold in its own guarded slot.
    mutating func takeTree() -> Module? {
        defer { tree = nil }
        return tree
    }

    /// `retainsTree` is asked only when the file does not mention a framework (those trees are always kept).
    init(_ parsed: ParsedModule, retainsTree: () -> Bool) {
        let mentionsFramework = FrameworkMarkers.mentionsFramework(parsed.source.bytes)
        self.init(parsed, mentionsFramework: mentionsFramework, keepsTree: mentionsFramework || retainsTree())
    }

    init(_ parsed: ParsedModule, keepsTree: Bool) {
        self.init(parsed, mentionsFramework: FrameworkMarkers.mentionsFramework(parsed.source.bytes),
                  keepsTree: keepsTree)
    }

    private init(_ parsed: ParsedModule, mentionsFramework: Bool, keepsTree: Bool) {
        source = parsed.source
        diagnostics = parsed.diagnostics
        comments = parsed.comments
        imports = parsed.imports.compactMap(ImportRecord.init)
        hasNonASCIINames = parsed.hasNonASCIINames
        watch = parsed.watch
        watchedNames = parsed.watchedNames
        self.mentionsFramework = mentionsFramework
        tree = keepsTree ? parsed.module : nil
    }
}

/// An `import` or `from ... import` statement, reduced to what import resolution reads.
public struct ImportRecord: Sendable, Equatable {
    /// `import a.b as c, d`: ["a.b", "d"]; `from m import x, y`: ["x", "y"] (`*` included).
    public let names: [String]
    /// The module of a `from` import (nil for `from . import x`); nil for a plain import.
    public let fromModule: String?
    /// Leading dots of a `from` import; 0 for a plain import.
    public let level: Int
    public let isFrom: Bool

    init?(_ statement: Stmt) {
        switch statement.kind {
        case .import(let aliases):
            names = aliases.map(\.name.text)
            fromModule = nil
            level = 0
            isFrom = false
        case .importFrom(let module, let aliases, let level):
            names = aliases.map(\.name.text)
            fromModule = module?.text
            self.level = level
            isFrom = true
        default:
            return nil
        }
    }
}

/// A file that could not be loaded. Decoding errors are syntax errors of a given file (reported as ML000);
/// I/O errors are usage errors (exit code 2).
public struct LoadError: Error, Sendable {
    public enum Kind: Sendable {
        case io(String)
        case decode(SyntaxDiagnostic)
    }

    public let path: String
    public let kind: Kind
    /// The raw bytes, for locating a decoding error; nil for I/O errors.
    public let rawSource: SourceBuffer?

    public init(path: String, kind: Kind, rawSource: SourceBuffer?) {
        self.path = path
        self.kind = kind
        self.rawSource = rawSource
    }

    public var message: String {
        switch kind {
        case .io(let reason): return "\(path): \(reason)"
        case .decode(let diagnostic): return diagnostic.message
        }
    }
}
