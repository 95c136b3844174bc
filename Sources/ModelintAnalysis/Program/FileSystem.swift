import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// One open, one fstat and one read straight into the array: loading the stdlib reads 1,800 files, and
    /// FileManager's existence check, `Data` and the copy to `[UInt8]` cost more than the reading.
    public func read(_ path: String) -> Result<[UInt8], FileSystemError> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(Self.error(errno)) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(Self.error(errno)) }
        if status.st_mode & S_IFMT == S_IFDIR { return .failure(FileSystemError("Is a directory")) }
        // st_size is a hint (the file may change, and special files report 0): read until end of file, into
        // uninitialised storage (zeroing 31 MB of stdlib first cost more than reading it).
        var capacity = max(Int(status.st_size), 0) + 1
        var bytes: [UInt8] = []
        while true {
            var failure: Int32 = 0
            var reachedEnd = false
            let previous = bytes
            bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                previous.withUnsafeBufferPointer { old in
                    if let source = old.baseAddress { buffer.baseAddress!.initialize(from: source, count: old.count) }
                }
                count = previous.count
                while count < capacity {
                    let got = systemRead(descriptor, buffer.baseAddress! + count, capacity - count)
                    if got < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        return
                    }
                    if got == 0 {
                        reachedEnd = true
                        return
                    }
                    count += got
                }
            }
            if failure != 0 { return .failure(Self.error(failure)) }
            if reachedEnd { return .success(bytes) }
            capacity *= 2
        }
    }

    private static func error(_ code: Int32) -> FileSystemError {
        switch code {
        case ENOENT, ENOTDIR: return FileSystemError("No such file or directory")
        case EISDIR: return FileSystemError("Is a directory")
        case EACCES, EPERM: return FileSystemError("Permission denied or unreadable")
        default: return FileSystemError(String(cString: strerror(code)))
        }
    }

    // stat(2) and readdir(3) directly: import resolution lists hundreds of folders on a large tree, and
    // FileManager's listing builds several objects per entry.
    public func isFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT != S_IFDIR
    }

    public func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    public func entries(_ directory: String) -> [String]? {
        guard let handle = opendir(directory) else { return nil }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    public func absolute(_ path: String) -> String {
        let joined = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return PathText.normalize(joined)
    }
}

/// read(2), named apart from `FileSystem.read` which shadows it inside conforming types.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
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
        // Most paths are already normal (the loader normalises one per file): check before rebuilding.
        isNormal(path) ? path : rebuilt(path)
    }

    /// `normalize` component by component.
    static func rebuilt(_ path: String) -> String {
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

    /// What `normalize` returns unchanged: "/" or ".", or components that are neither empty, "." nor "..".
    static func isNormal(_ path: String) -> Bool {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        return path.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            if bytes.count == 1 { return true }
            guard !bytes.isEmpty, bytes[bytes.count - 1] != slash else { return false }
            var componentStart = bytes[0] == slash ? 1 : 0
            for index in componentStart...bytes.count {
                guard index == bytes.count || bytes[index] == slash else { continue }
                switch index - componentStart {
                case 0: return false
                case 1 where bytes[componentStart] == dot: return false
                case 2 where bytes[componentStart] == dot && bytes[componentStart + 1] == dot: return false
                default: break
                }
                componentStart = index + 1
            }
            return true
        } ?? false
    }

    /// "/a/b/c.py" -> "/a/b"; "c.py" -> "."; "/c.py" -> "/".
    public static func directory(of path: String) -> String {
        // Searched as bytes: the `Character` view's `lastIndex` costs a grapheme break test per step.
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// "/a/b/c.py" -> "c.py".
    public static func lastComponent(_ path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
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
