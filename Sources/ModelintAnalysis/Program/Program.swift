import Dispatch
import Foundation
import ModelintSyntax

/// All files analysed together: the given files plus the local modules they import (transitively).
///
/// Loading is the only I/O; everything after is computed from the parsed trees. Semantic models are built
/// lazily, once per file, and cached; the cache is thread-safe so files can be analysed in parallel.
public final class Program: @unchecked Sendable {
    /// Given files in sorted path order, then discovered files in discovery order.
    public let files: [SourceFile]
    /// Absolute path of the project root (nearest ancestor with pyproject.toml/setup.py/setup.cfg/.git, or the
    /// common folder of the given files).
    public let projectRoot: String
    let locator: ModuleLocator
    private let byModule: [String: SourceFile]
    private let byAbsolutePath: [String: SourceFile]
    /// Absolute paths of the local files each file imports (by the file's absolute path).
    private let importGraph: [String: [String]]

    private let cacheLock = NSRecursiveLock()
    private var models: [ObjectIdentifier: SemanticModel] = [:]
    /// Cross-file memo tables of the semantic layer (class facts, function returns); guarded by `cacheLock`.
    var memo = ProgramMemo()

    init(files: [SourceFile], projectRoot: String, locator: ModuleLocator, importGraph: [String: [String]]) {
        self.files = files
        self.importGraph = importGraph
        self.projectRoot = projectRoot
        self.locator = locator
        var byModule: [String: SourceFile] = [:]
        var byPath: [String: SourceFile] = [:]
        byModule.reserveCapacity(files.count)
        byPath.reserveCapacity(files.count)
        for file in files {
            if byModule[file.moduleName] == nil { byModule[file.moduleName] = file }
            byPath[file.absolutePath] = file
        }
        self.byModule = byModule
        self.byAbsolutePath = byPath
    }

    /// Reads and parses the given files, then transitively discovers the local modules they import (from the
    /// importing file's folder, its package root, the project root and `<root>/src`) and loads those too with
    /// `isGiven == false`. I/O and decoding errors of given files are returned, not thrown; a discovered file
    /// that cannot be read or decoded is left out (it is not the user's file to report on).
    ///
    /// `retainsTree` says which given files' trees a caller needs right after loading (for its node rules); the
    /// loader also keeps the trees of files that mention a framework (the mode analysis' files). Every other
    /// tree is dropped as soon as the file is parsed and rebuilt on first use (`SourceFile.module`).
    /// `watching`: names the lexer reports per file (`ParsedModule.watchedNames`), for `retainsTree` and later.
    public static func load(paths: [String], projectRoot: String? = nil,
                            fileSystem: any FileSystem = DiskFileSystem(), watching watch: NameWatch? = nil,
                            retainsTree: @escaping @Sendable (ParsedModule) -> Bool = { _ in true })
        -> (Program, [LoadError]) {
        ProgramLoader(fileSystem: fileSystem, retention: .needed(retainsTree), watch: watch)
            .load(paths: paths, projectRoot: projectRoot)
    }

    /// A program from in-memory sources: `given` are the checked files, `others` may be found through imports.
    /// Paths are relative to `/project`, which is also the project root.
    /// `watching` and `retainsTree` as for `load`.
    public static func inMemory(given: [String: String], others: [String: String] = [:], watching watch: NameWatch? = nil,
                                retainsTree: @escaping @Sendable (ParsedModule) -> Bool = { _ in true })
        -> (Program, [LoadError]) {
        var all = others
        for (path, text) in given { all[path] = text }
        let fileSystem = InMemoryFileSystem(files: all, workingDirectory: "/project")
        return load(paths: given.keys.sorted(), projectRoot: "/project", fileSystem: fileSystem, watching: watch,
                    retainsTree: retainsTree)
    }

    public func file(forModule dotted: String) -> SourceFile? { byModule[dotted] }

    /// The loaded file at `path` (as given, or absolute).
    public func file(atPath path: String) -> SourceFile? {
        byAbsolutePath[locator.fileSystem.absolute(path)]
    }

    func file(atAbsolutePath path: String) -> SourceFile? { byAbsolutePath[path] }

    /// The files of the program that `file` imports (anywhere in its body), in import order, without repeats.
    public func imports(of file: SourceFile) -> [SourceFile] {
        var seen: Set<ObjectIdentifier> = [ObjectIdentifier(file)]
        return (importGraph[file.absolutePath] ?? []).compactMap { path in
            guard let target = byAbsolutePath[path], seen.insert(ObjectIdentifier(target)).inserted else { return nil }
            return target
        }
    }

    public var givenFiles: [SourceFile] { files.filter(\.isGiven) }

    public func semantics(of file: SourceFile) -> SemanticModel {
        let key = ObjectIdentifier(file)
        cacheLock.lock()
        if let model = models[key] {
            cacheLock.unlock()
            return model
        }
        cacheLock.unlock()
        // The tables depend on the file alone: build them outside the lock so files can be prepared in parallel.
        let tables = BindingCollector.collect(file.module, moduleName: file.moduleName, sourceLength: file.source.count)
        cacheLock.lock()
        defer { cacheLock.unlock() }
        if let model = models[key] { return model }
        let model = SemanticModel(file: file, program: self, tables: tables)
        models[key] = model
        return model
    }

    /// Builds the semantic tables of `files` (default: all) on all cores.
    public func prepareSemantics(of files: [SourceFile]? = nil) {
        let targets = files ?? self.files
        DispatchQueue.concurrentPerform(iterations: targets.count) { index in
            _ = semantics(of: targets[index])
        }
    }

    /// Runs `body` with the cross-file memo tables locked (re-entrant: memo computations recurse across files).
    func withMemo<T>(_ body: (inout ProgramMemo) -> T) -> T {
        cacheLock.lock()
        defer { cacheLock.unlock() }
        return body(&memo)
    }

    func lockMemo() { cacheLock.lock() }
    func unlockMemo() { cacheLock.unlock() }
}

/// Reads, decodes and parses files, and follows their imports to local modules.
struct ProgramLoader {
    /// Which trees loading keeps (see `SourceFile`).
    enum TreeRetention: Sendable {
        /// Those of framework files, and of given files the closure asks for.
        case needed(@Sendable (ParsedModule) -> Bool)
        /// None: every tree is rebuilt on first use (tests of the rebuilding path).
        case none
    }

    let fileSystem: any FileSystem
    let retention: TreeRetention
    var watch: NameWatch?

    private struct Loaded: Sendable {
        var file: SourceFile?
        var error: LoadError?
    }

    func load(paths: [String], projectRoot explicitRoot: String?) -> (Program, [LoadError]) {
        // Given files: deduplicated by absolute path, in sorted order of the path as given.
        var seen: Set<String> = []
        seen.reserveCapacity(paths.count)
        var given: [(path: String, absolute: String)] = []
        for path in paths.sorted() {
            let absolute = fileSystem.absolute(path)
            if seen.insert(absolute).inserted { given.append((path, absolute)) }
        }
        let root = explicitRoot.map(fileSystem.absolute) ?? detectRoot(given.map(\.absolute))
        let locator = ModuleLocator(fileSystem: fileSystem, projectRoot: root)
        let workingDirectory = fileSystem.absolute(".")

        var files: [SourceFile] = []
        var errors: [LoadError] = []
        var wave: [WaveEntry] = given.map { WaveEntry(path: $0.path, absolute: $0.absolute, isGiven: true, name: nil) }
        var names = ModuleNames()
        var importGraph: [String: [String]] = [:]
        importGraph.reserveCapacity(given.count)
        while !wave.isEmpty {
            let loaded = parseAll(wave, locator: locator, names: &names)
            let importSlots = resolveImports(of: loaded, locator: locator, leavingOut: seen)
            var next: [WaveEntry] = []
            for (index, result) in loaded.enumerated() {
                if let error = result.error, wave[index].isGiven { errors.append(error) }
                guard let file = result.file else { continue }
                files.append(file)
                let (paths, unseen) = importSlots.take(index) ?? ([], [])
                importGraph[file.absolutePath] = paths
                for target in unseen where seen.insert(target.path).inserted {
                    let display = file.path.hasPrefix("/")
                        ? target.path : PathText.relative(target.path, to: workingDirectory) ?? target.path
                    next.append(WaveEntry(path: display, absolute: target.path, isGiven: false,
                                          name: target.name.isEmpty ? nil : target.name))
                }
            }
            wave = next
        }
        return (Program(files: files, projectRoot: root, locator: locator, importGraph: importGraph), errors)
    }

    /// Nearest ancestor of the given files' common folder that holds a project marker; else that folder.
    func detectRoot(_ absolutePaths: [String]) -> String {
        guard var common = absolutePaths.first.map(PathText.directory(of:)) else { return fileSystem.absolute(".") }
        for path in absolutePaths.dropFirst() {
            let dir = PathText.directory(of: path)
            while common != "/" && dir != common && !dir.hasPrefix(common + "/") {
                common = PathText.directory(of: common)
            }
        }
        var dir = common
        while true {
            let entries = Set(fileSystem.entries(dir) ?? [])
            if !entries.isDisjoint(with: ["pyproject.toml", "setup.py", "setup.cfg", ".git"]) { return dir }
            if dir == "/" { return common }
            dir = PathText.directory(of: dir)
        }
    }

    /// A file to load: given on the command line, or found through an import (named as that import names it).
    private struct WaveEntry: Sendable {
        let path: String
        let absolute: String
        let isGiven: Bool
        let name: String?
    }

    /// Reads, decodes and parses one wave of files in parallel (dropping the trees the retention policy does
    /// not keep); names them in order.
    private func parseAll(_ wave: [WaveEntry], locator: ModuleLocator,
                          names: inout ModuleNames) -> [Loaded] {
        let slots = ResultSlots<(ParsedFileParts?, LoadError?)>(count: wave.count)
        /// The Python name of each parsed file (set with its parts).
        let pythonNames = ResultSlots<String>(count: wave.count)
        let sources = ResultSlots<SourceBuffer>(count: wave.count)
        let fileSystem = self.fileSystem
        let retention = self.retention
        let watch = self.watch
        // Read and decode first, so the files can be parsed largest first: a big file started last would
        // leave the other cores idle at the end.
        DispatchQueue.concurrentPerform(iterations: wave.count) { index in
            let entry = wave[index]
            switch fileSystem.read(entry.absolute) {
            case .failure(let error):
                slots[index] = (nil, LoadError(path: entry.path, kind: .io(error.message), rawSource: nil))
            case .success(let bytes):
                switch SourceDecoder.decode(path: entry.path, bytes: bytes) {
                case .failure(let diagnostic):
                    let raw = SourceBuffer(path: entry.path, utf8: bytes)
                    slots[index] = (nil, LoadError(path: entry.path, kind: .decode(diagnostic), rawSource: raw))
                case .success(let source):
                    sources[index] = source
                }
            }
        }
        let sizes = wave.indices.map { sources[$0]?.bytes.count ?? 0 }
        let order = wave.indices.sorted { sizes[$0] > sizes[$1] }
        let recycler = ParseRecycler()
        DispatchQueue.concurrentPerform(iterations: order.count) { slot in
            let index = order[slot]
            guard let source = sources[index] else { return }
            let parsed = Parser.parse(source, watching: watch, recycling: recycler)
            let parts: ParsedFileParts
            switch retention {
            case .needed(let retainsTree) where wave[index].isGiven:
                parts = ParsedFileParts(parsed, retainsTree: { retainsTree(parsed) })
            case .needed:
                parts = ParsedFileParts(parsed, retainsTree: { false })
            case .none:
                parts = ParsedFileParts(parsed, keepsTree: false)
            }
            slots[index] = (parts, nil)
            // Off the serial path below: the name walks up the folders (cached listings, thread-safe).
            pythonNames[index] = wave[index].name ?? locator.dottedName(ofFile: wave[index].absolute)
        }
        return wave.indices.map { index in
            let (parts, error) = slots.take(index) ?? (nil, nil)
            guard let parts else { return Loaded(file: nil, error: error) }
            let entry = wave[index]
            let name = names.unique(pythonNames.take(index)!, absolutePath: entry.absolute, root: locator.projectRoot)
            return Loaded(file: SourceFile(path: entry.path, absolutePath: entry.absolute, moduleName: name,
                                           parts: parts, isGiven: entry.isGiven), error: nil)
        }
    }

    /// Each loaded file's imported paths, and those of its targets that are not in `loaded` (the paths loaded
    /// so far). Import resolution only reads the file and the (thread-safe) locator, so it runs on all cores,
    /// and so does leaving out the known targets: the caller's serial loop only sees new files.
    private func resolveImports(of files: [Loaded], locator: ModuleLocator, leavingOut loaded: Set<String>)
        -> ResultSlots<(paths: [String], unseen: [(path: String, name: String)])> {
        let slots = ResultSlots<(paths: [String], unseen: [(path: String, name: String)])>(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            guard let file = files[index].file else { return }
            let imported = importedFiles(of: file, locator: locator)
            slots[index] = (imported.map(\.path), imported.filter { !loaded.contains($0.path) })
        }
        return slots
    }

    /// The local files `file` imports (modules, submodules named in `from`, package inits), each with the
    /// dotted name the import gives it.
    func importedFiles(of file: SourceFile, locator: ModuleLocator) -> [(path: String, name: String)] {
        var targets: [(path: String, name: String)] = []
        func add(_ located: LocatedModule?, _ dotted: @autoclosure () -> String) {
            if case .file(let path)? = located { targets.append((path, dotted())) }
        }
        /// The `__init__.py` of every package a dotted name passes through (nothing for a one-segment name).
        func addInits(_ name: String, under base: String, prefix: [String]) {
            guard name.utf8.contains(UInt8(ascii: ".")) else { return }
            let segments = name.split(separator: ".").map(String.init)
            var dir = base
            for (index, segment) in segments.dropLast().enumerated() {
                dir = PathText.join(dir, segment)
                if locator.isPackage(dir) {
                    targets.append((PathText.join(dir, "__init__.py"), (prefix + segments[...index]).joined(separator: ".")))
                }
            }
        }
        let site = locator.importSite(ofFile: file.absolutePath)
        for record in file.imports {
            if !record.isFrom {
                for name in record.names {
                    guard let (base, located) = locator.locateAbsolute(name, from: site)
                    else { continue }
                    addInits(name, under: base, prefix: [])
                    add(located, name)
                }
            } else {
                let level = record.level
                let module = record.fromModule ?? ""
                let located: LocatedModule?
                let dotted: String
                if level > 0 {
                    let base = locator.relativeBase(fromFile: file.absolutePath, level: level)
                    located = module.isEmpty
                        ? (locator.isPackage(base) ? .file(PathText.join(base, "__init__.py")) : .namespace(base))
                        : locator.locate(module.split(separator: ".").map(String.init), under: base)
                    var package = file.moduleName.split(separator: ".").map(String.init)
                    if !file.isPackageInit { package = Array(package.dropLast()) }
                    package = Array(package.dropLast(max(0, level - 1)))
                    addInits(module, under: base, prefix: package)
                    dotted = (package + (module.isEmpty ? [] : [module])).joined(separator: ".")
                } else {
                    guard let (base, found) = locator.locateAbsolute(module, from: site)
                    else { continue }
                    located = found
                    addInits(module, under: base, prefix: [])
                    dotted = module
                }
                add(located, dotted)
                // `from pkg import sub` imports the submodule pkg/sub.py when pkg does not define `sub`.
                let packageDir: String?
                switch located {
                case .file(let path) where PathText.lastComponent(path) == "__init__.py":
                    packageDir = PathText.directory(of: path)
                case .namespace(let dir): packageDir = dir
                default: packageDir = nil
                }
                if let packageDir {
                    for name in record.names where name != "*" {
                        add(locator.locate([name], under: packageDir), dotted.isEmpty ? name : dotted + "." + name)
                    }
                }
            }
        }
        return targets
    }
}

/// Gives every file a distinct module name: the Python name when free, else its path under the project root.
struct ModuleNames {
    private var taken: Set<String> = []

    mutating func unique(_ preferred: String, absolutePath: String, root: String) -> String {
        if taken.insert(preferred).inserted { return preferred }
        let relative = PathText.relative(absolutePath, to: root) ?? String(absolutePath.drop { $0 == "/" })
        var dotted = relative.hasSuffix(".py") ? String(relative.dropLast(3)) : relative
        dotted = dotted.replacingOccurrences(of: "/", with: ".")
        var candidate = dotted
        var counter = 2
        while !taken.insert(candidate).inserted {
            candidate = "\(dotted)~\(counter)"
            counter += 1
        }
        return candidate
    }
}

/// Per-index result slots written from `concurrentPerform`; each index is written by exactly one iteration
/// and read only after `concurrentPerform` returns, so the slots need no lock.
final class ResultSlots<T>: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil)
    }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }

    subscript(index: Int) -> T? {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    /// Moves the value out (no copy), leaving nil.
    func take(_ index: Int) -> T? {
        let slot = storage.baseAddress! + index
        defer { slot.initialize(to: nil) }
        return slot.move()
    }
}
