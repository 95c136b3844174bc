#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Expands the paths given to `modelint check` into Python files: a file is taken as given (whatever its
/// extension, as ruff does); a directory is walked for `*.py`, skipping virtual environments, caches and
/// build output. Symbolic links to directories are not followed (no cycles); links to files are.
public enum SourceDiscovery {
    /// Directory names never entered during a walk (a directory given explicitly is still walked).
    public static let skippedDirectories: Set<String> = [
        ".git", ".venv", "venv", "__pycache__", "build", "dist", "site-packages", "node_modules",
    ]

    public struct Failure: Error, Equatable, Sendable {
        public let path: String
        public let message: String
    }

    /// Files in deterministic order (sorted, duplicates removed) plus the paths that could not be read.
    public static func pythonFiles(in paths: [String]) -> (files: [String], failures: [Failure]) {
        var files: [String] = []
        var failures: [Failure] = []
        for path in paths {
            let cleaned = clean(path)
            var info = stat()
            guard stat(cleaned, &info) == 0 else {
                failures.append(Failure(path: path, message: String(cString: strerror(errno))))
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                walk(directory: cleaned, into: &files, failures: &failures)
            } else {
                files.append(cleaned)
            }
        }
        // Sorted, equal paths are neighbours: dropping repeats needs no hashing.
        files.sort()
        var previous: String?
        files = files.filter { path in
            defer { previous = path }
            return path != previous
        }
        return (files, failures)
    }

    /// `./a//b/` -> `a/b`; `.` stays `.`.
    static func clean(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    private static func join(_ directory: String, _ name: String) -> String {
        if directory == "." { return name }
        if directory.hasSuffix("/") { return directory + name }
        return directory + "/" + name
    }

    private static func walk(directory: String, into files: inout [String], failures: inout [Failure]) {
        guard let handle = opendir(directory) else {
            failures.append(Failure(path: directory, message: String(cString: strerror(errno))))
            return
        }
        defer { closedir(handle) }
        var subdirectories: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let path = join(directory, name)
            var isDirectory = false
            var isFile = false
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_DIR): isDirectory = true
            case Int32(DT_REG): isFile = true
            case Int32(DT_LNK), Int32(DT_UNKNOWN):
                // Links: follow to files only. Unknown (some file systems): ask stat.
                var info = stat()
                var linkInfo = stat()
                guard stat(path, &info) == 0, lstat(path, &linkInfo) == 0 else { continue }
                let isLink = (linkInfo.st_mode & S_IFMT) == S_IFLNK
                isDirectory = !isLink && (info.st_mode & S_IFMT) == S_IFDIR
                isFile = (info.st_mode & S_IFMT) == S_IFREG
            default: continue
            }
            if isDirectory {
                if !skippedDirectories.contains(name) { subdirectories.append(path) }
            } else if isFile && name.hasSuffix(".py") {
                files.append(path)
            }
        }
        for subdirectory in subdirectories {
            walk(directory: subdirectory, into: &files, failures: &failures)
        }
    }
}
