import ModelintSyntax

/// One parsed file of the program.
public final class SourceFile: Sendable {
    /// As given on the command line, or as discovered (relative when the importing file's path was relative).
    public let path: String
    /// Absolute, normalised path: the identity of the file within the program.
    public let absolutePath: String
    /// Dotted module name relative to its sys.path root ("engine", "pkg.utils", "pkg" for pkg/__init__.py).
    public let moduleName: String
    public let parsed: ParsedModule
    /// Given on the command line: findings are reported only in these files.
    public let isGiven: Bool

    public init(path: String, absolutePath: String, moduleName: String, parsed: ParsedModule, isGiven: Bool) {
        self.path = path
        self.absolutePath = absolutePath
        self.moduleName = moduleName
        self.parsed = parsed
        self.isGiven = isGiven
    }

    public var source: SourceBuffer { parsed.source }
    public var module: Module { parsed.module }
    /// `pkg/__init__.py`: relative imports start from its own folder, and `from . import x` names submodules.
    public var isPackageInit: Bool { PathText.lastComponent(absolutePath) == "__init__.py" }
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
