import Foundation

/// Where a dotted import name lands on disk, seen from one importing file.
public enum LocatedModule: Hashable, Sendable {
    /// A `.py` file: `name.py` or `name/__init__.py` (absolute path).
    case file(String)
    /// A directory without `__init__.py` (a PEP 420 namespace package), absolute path.
    case namespace(String)
}

/// Finds local modules the way `sys.path` would for a script of the project: from the importing file's
/// folder (a script's `sys.path[0]`), the folder its package hierarchy starts in (`python -m pkg.mod`), the
/// project root and `<root>/src`. Directory listings are read once and cached; the locator is thread-safe.
final class ModuleLocator: @unchecked Sendable {
    let fileSystem: any FileSystem
    let projectRoot: String
    private let listings = ShardedCache<String, Listing>()
    /// Absolute imports already located, by the importing file's folder (the answer depends only on it).
    private let importsByFolder = ShardedCache<String, FolderImports>()
    /// `searchBases` by the importing file's folder (every file of a folder has the same).
    private let basesByFolder = ShardedCache<String, [String]>()
    /// `packageName(of:)` by folder.
    private let packageNames = ShardedCache<String, String>()

    fileprivate struct Located {
        let found: (base: String, module: LocatedModule)?
    }

    /// The absolute imports seen from one folder, by dotted name. The loader fetches it once per file and
    /// then looks names up without building a key per import.
    final class FolderImports: @unchecked Sendable {
        fileprivate let lock = ReadWriteLock()
        fileprivate var located: [String: Located] = [:]
    }

    /// A folder's entries, read once; which of them are directories is learnt as asked.
    private final class Listing: @unchecked Sendable {
        /// Empty for a folder that does not exist or cannot be listed (cached all the same).
        let entries: Set<String>
        private let lock = ReadWriteLock()
        private var directories: [String: Bool] = [:]

        init(entries: Set<String>) { self.entries = entries }

        func isDirectory(_ name: String, else find: () -> Bool) -> Bool {
            if let known = lock.reading({ directories[name] }) { return known }
            let found = find()
            lock.writing { directories[name] = found }
            return found
        }
    }

    init(fileSystem: any FileSystem, projectRoot: String) {
        self.fileSystem = fileSystem
        self.projectRoot = projectRoot
    }

    // MARK: - Directory queries (cached)

    private func listing(_ directory: String) -> Listing {
        listings.value(directory) { Listing(entries: Set(fileSystem.entries(directory) ?? [])) }
    }

    func hasFile(_ directory: String, _ name: String) -> Bool {
        // A folder named like `x.py` is not worth a stat per lookup; reading it fails later with a clear error.
        listing(directory).entries.contains(name)
    }

    func hasDirectory(_ directory: String, _ name: String) -> Bool {
        hasDirectory(directory, name, listed: listing(directory))
    }

    private func hasDirectory(_ directory: String, _ name: String, listed listing: Listing) -> Bool {
        guard listing.entries.contains(name) else { return false }
        return listing.isDirectory(name) { fileSystem.isDirectory(PathText.join(directory, name)) }
    }

    func isPackage(_ directory: String) -> Bool {
        hasFile(directory, "__init__.py")
    }

    // MARK: - Module names

    /// The dotted name Python gives a file: its package chain (folders holding `__init__.py`) plus its stem.
    /// "/p/pkg/sub/m.py" with pkg/ and sub/ packages -> "pkg.sub.m"; "/p/pkg/__init__.py" -> "pkg".
    func dottedName(ofFile path: String) -> String {
        let stem = PathText.lastComponent(path)
        let base = stem.hasSuffix(".py") ? String(stem.dropLast(3)) : stem
        let folder = PathText.directory(of: path)
        let package = packageName(of: folder)
        if base == "__init__" { return package.isEmpty ? PathText.lastComponent(folder) : package }
        return package.isEmpty ? base : package + "." + base
    }

    /// The dotted name of the package a folder is ("" when it is not one), cached: every file of a folder asks.
    private func packageName(of folder: String) -> String {
        // Read, compute, write rather than `value(_:make:)`: the parent is computed inside, and may sit in
        // the same shard, whose lock is not re-entrant. Two threads may compute a folder twice, alike.
        if let known = packageNames[folder] { return known }
        let name: String
        if folder == "/" || !isPackage(folder) {
            name = ""
        } else {
            let parent = packageName(of: PathText.directory(of: folder))
            name = parent.isEmpty ? PathText.lastComponent(folder) : parent + "." + PathText.lastComponent(folder)
        }
        packageNames[folder] = name
        return name
    }

    /// The folder a file's package hierarchy starts in (the first ancestor that is not a package).
    func packageBase(ofFile path: String) -> String {
        var dir = PathText.directory(of: path)
        while dir != "/", isPackage(dir) { dir = PathText.directory(of: dir) }
        return dir
    }

    // MARK: - Resolution

    /// Search folders for absolute imports in `file` (absolute path), most specific first, without repeats.
    func searchBases(forFile path: String) -> [String] {
        let folder = PathText.directory(of: path)
        if let known = basesByFolder[folder] { return known }
        var bases: [String] = []
        for candidate in [folder, packageBase(ofFile: path), projectRoot,
                          PathText.join(projectRoot, "src")] where !bases.contains(candidate) {
            bases.append(candidate)
        }
        basesByFolder[folder] = bases
        return bases
    }

    /// `segments` looked up under `base`: a module file, a regular package, or a namespace folder.
    func locate(_ segments: [String], under base: String) -> LocatedModule? {
        guard !segments.isEmpty else { return nil }
        var dir = base
        for segment in segments.dropLast() {
            guard hasDirectory(dir, segment) else { return nil }
            dir = PathText.join(dir, segment)
        }
        let last = segments[segments.count - 1]
        let folder = listing(dir)
        if hasDirectory(dir, last, listed: folder) {
            let packageDir = PathText.join(dir, last)
            return isPackage(packageDir) ? .file(PathText.join(packageDir, "__init__.py")) : .namespace(packageDir)
        }
        let fileName = last + ".py"
        return folder.entries.contains(fileName) ? .file(PathText.join(dir, fileName)) : nil
    }

    /// An absolute import `a.b.c` from `file`: the first search base where the whole name exists as a module
    /// or package; else the first where it exists as a namespace folder. nil when it is not local.
    func locateAbsolute(_ dotted: [String], fromFile path: String) -> (base: String, module: LocatedModule)? {
        locateAbsolute(dotted.joined(separator: "."), from: importSite(ofFile: path))
    }

    /// Where a file's absolute imports are looked up from: its folder's cache and its own one-segment name.
    struct ImportSite {
        let path: String
        let folder: FolderImports
        /// "m" for ".../m.py": `import m` in m.py is not the file itself (see `searchAbsolute`).
        let ownName: Substring?
    }

    /// The import site of `path` (absolute); every file of a folder shares the folder's cache.
    func importSite(ofFile path: String) -> ImportSite {
        let fileName = PathText.lastComponent(path)
        let stem = fileName.utf8.count > 3 && fileName.hasSuffix(".py") ? fileName.dropLast(3) : nil
        return ImportSite(path: path, folder: importsByFolder.value(PathText.directory(of: path)) { FolderImports() },
                          ownName: stem.flatMap { $0.utf8.contains(UInt8(ascii: ".")) ? nil : $0 })
    }

    /// `locateAbsolute` for the dotted name as written ("a.b.c"), through the cache of the importing file's folder.
    func locateAbsolute(_ name: String, from site: ImportSite) -> (base: String, module: LocatedModule)? {
        // A module never finds itself (`searchAbsolute`): a file named like a one-segment import gets its own entry.
        let key = site.ownName.map { $0 == name } == true ? name + "\u{0}self" : name
        let folder = site.folder
        if let known = folder.lock.reading({ folder.located[key] }) { return known.found }
        let found = searchAbsolute(name.split(separator: ".").map(String.init), fromFile: site.path)
        folder.lock.writing { folder.located[key] = Located(found: found) }
        return found
    }

    private func searchAbsolute(_ dotted: [String], fromFile path: String) -> (base: String, module: LocatedModule)? {
        var namespace: (String, LocatedModule)?
        for base in searchBases(forFile: path) {
            guard let found = locate(dotted, under: base) else { continue }
            // `import torch` inside d2l/torch.py is the library, not the file itself: a module never imports
            // itself by an absolute name (its own folder is on sys.path only when it runs as a script).
            if case .file(let file) = found, dotted.count == 1, file == path { continue }
            if case .file = found { return (base, found) }
            if namespace == nil { namespace = (base, found) }
        }
        return namespace
    }

    /// The folder a relative import (`level` leading dots) starts from: level 1 is the file's own folder.
    func relativeBase(fromFile path: String, level: Int) -> String {
        var dir = PathText.directory(of: path)
        for _ in 1..<max(level, 1) { dir = PathText.directory(of: dir) }
        return dir
    }
}
