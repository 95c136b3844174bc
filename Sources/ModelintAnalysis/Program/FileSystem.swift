import Foundation

/// The few file-system questions program loading asks. Abstracted so that tests and multi-file rule examples
/// can load a program from memory exactly as `modelint check` loads one from disk.
public protocol FileSystem: Sendable {
    /// The bytes of a regular file, or an error message ("No such file or directory", ...).
    func read(_ path: String) -> Result<[UInt8], FileSystemError>
    func isFile(_ path: String) -> Bool
    func isDirectory(_ path: String) -> Bool
    /// Names of the entries of a directory (no order promised), nil when it cannot be listed.
    func entries(_ directory: String) -> [String]?
    /// The absolute form of `path` ("." and ".." removed, symlinks kept).
    func absolute(_ path: String) -> String
}

public struct FileSystemError: Error, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

/// The real file system.
public struct DiskFileSystem: FileSystem {
    public init() {}

    public func read(_ path: String) -> Result<[UInt8], FileSystemError> {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            return .failure(FileSystemError("No such file or directory"))
        }
        if isDir.boolValue { return .failure(FileSystemError("Is a directory")) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(FileSystemError("Permission denied or unreadable"))
        }
        return .success([UInt8](data))
    }

    public func isFile(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && !isDir.boolValue
    }

    public func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    public func entries(_ directory: String) -> [String]? {
        try? FileManager.default.contentsOfDirectory(atPath: directory)
    }

    public func absolute(_ path: String) -> String {
        let joined = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return PathText.normalize(joined)
    }
}

/// Files held in memory, keyed by absolute path; directories are implied by the files under them.
/// Relative paths are taken relative to `workingDirectory`.
public struct InMemoryFileSystem: FileSystem {
    public let workingDirectory: String
    private let files: [String: [UInt8]]
    private let directories: Set<String>
    private let children: [String: [String]]

    public init(files: [String: String], workingDirectory: String = "/project") {
        let cwd = PathText.normalize(workingDirectory)
        self.workingDirectory = cwd
        var table: [String: [UInt8]] = [:]
        var dirs: Set<String> = ["/"]
        var children: [String: Set<String>] = [:]
        for (path, text) in files {
            let abs = PathText.normalize(path.hasPrefix("/") ? path : cwd + "/" + path)
            table[abs] = Array(text.utf8)
            var entry = abs
            var dir = PathText.directory(of: abs)
            while true {
                children[dir, default: []].insert(PathText.lastComponent(entry))
                if !dirs.insert(dir).inserted || dir == "/" { break }
                entry = dir
                dir = PathText.directory(of: dir)
            }
        }
        self.files = table
        self.directories = dirs
        self.children = children.mapValues { $0.sorted() }
    }

    public func read(_ path: String) -> Result<[UInt8], FileSystemError> {
        if let bytes = files[absolute(path)] { return .success(bytes) }
        if directories.contains(absolute(path)) { return .failure(FileSystemError("Is a directory")) }
        return .failure(FileSystemError("No such file or directory"))
    }

    public func isFile(_ path: String) -> Bool { files[absolute(path)] != nil }
    public func isDirectory(_ path: String) -> Bool { directories.contains(absolute(path)) }
    public func entries(_ directory: String) -> [String]? {
        let abs = absolute(directory)
        return directories.contains(abs) ? children[abs] ?? [] : nil
    }

    public func absolute(_ path: String) -> String {
        PathText.normalize(path.hasPrefix("/") ? path : workingDirectory + "/" + path)
    }
}

/// POSIX path arithmetic on strings (no file-system access).
public enum PathText {
    /// Removes empty and "." components and folds "..": "/a/./b/../c" -> "/a/c". Keeps a relative path relative.
    public static func normalize(_ path: String) -> String {
        let isAbsolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == ".." {
                if let last = parts.last, last != ".." { parts.removeLast(); continue }
                if isAbsolute { continue }
            }
            parts.append(component)
        }
        let body = parts.joined(separator: "/")
        if isAbsolute { return "/" + body }
        return body.isEmpty ? "." : body
    }

    /// "/a/b/c.py" -> "/a/b"; "c.py" -> "."; "/c.py" -> "/".
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// "/a/b/c.py" -> "c.py".
    public static func lastComponent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    public static func join(_ base: String, _ relative: String) -> String {
        if base == "." { return relative }
        return base.hasSuffix("/") ? base + relative : base + "/" + relative
    }

    /// `path` relative to `base` when it lies under it ("/p/a/b.py" under "/p" -> "a/b.py"), else nil.
    public static func relative(_ path: String, to base: String) -> String? {
        if base == "/" { return path.hasPrefix("/") ? String(path.dropFirst()) : nil }
        guard path.hasPrefix(base + "/") else { return nil }
        return String(path.dropFirst(base.count + 1))
    }
}
