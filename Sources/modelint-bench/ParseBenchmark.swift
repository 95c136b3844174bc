import Foundation
import ModelintSyntax

/// `modelint-bench parse`: read + decode + lex + parse every file on all cores, against
/// `ruff check --select E9` (ruff's parser and syntax errors, no lint rules) on the same files.
enum ParseBenchmark: Benchmark {
    static let name = "parse"
    static let summary = "parse the stdlib (or a directory) on all cores; compare with ruff"

    static let usage = """
        usage: modelint-bench parse [--ruff PATH] [--files-from stdlib|DIR] [--runs N] [--phases]

          --ruff PATH        ruff executable (default: `ruff` on PATH; skipped if there is none)
          --files-from SRC   `stdlib` (default: python3's stdlib without site-packages, as the
                             differential uses) or a directory of .py files
          --runs N           timed runs of each tool; the best wall time counts (default 5)
          --phases           also time each front-end phase on one thread (read, decode, lex, parse)

        """

    static func run(arguments: [String]) -> Int32 {
        var ruffPath: String?
        var source = "stdlib"
        var runs = 5
        var phases = false
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            switch argument {
            case "-h", "--help":
                print(usage, terminator: "")
                return 0
            case "--phases":
                phases = true
            case "--ruff", "--files-from", "--runs":
                guard let value = remaining.popFirst() else { return BenchSupport.fail("\(argument) needs a value\n\n\(usage)") }
                if argument == "--ruff" { ruffPath = value }
                if argument == "--files-from" { source = value }
                if argument == "--runs" {
                    guard let count = Int(value), count > 0 else { return BenchSupport.fail("--runs needs a positive number") }
                    runs = count
                }
            default:
                return BenchSupport.fail("unexpected argument '\(argument)'\n\n\(usage)")
            }
        }

        let root: String
        if source == "stdlib" {
            guard let python = BenchSupport.findOnPath("python3"),
                  let result = try? BenchSupport.runProgram(
                    python, ["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"]),
                  result.status == 0 else {
                return BenchSupport.fail("cannot ask python3 for its stdlib directory")
            }
            root = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            root = source
        }
        let files = pythonFiles(under: root)
        guard !files.isEmpty else { return BenchSupport.fail("no .py files under \(root)") }

        // Sizes and line counts once, outside the timed runs.
        var totalBytes = 0
        var totalLines = 0
        var sizes: [Int] = []
        for path in files {
            let bytes = readFile(path) ?? []
            sizes.append(bytes.count)
            totalBytes += bytes.count
            totalLines += bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        // Largest files first, so no big file starts last and leaves one core idle at the end.
        let order = files.indices.sorted { sizes[$0] > sizes[$1] }
        let threads = ProcessInfo.processInfo.activeProcessorCount

        print("files: \(files.count) under \(root)")
        print("lines: \(totalLines), bytes: \(totalBytes) (\(String(format: "%.1f", Double(totalBytes) / 1e6)) MB)")
        print("cores: \(threads)")

        let rejected = RejectedCount(files.count)
        let modelintTime = BenchSupport.bestOf(runs) {
            DispatchQueue.concurrentPerform(iterations: order.count) { slot in
                let index = order[slot]
                rejected.set(index, parseFile(files[index]))
            }
        }
        print(String(format: "modelint (read+decode+lex+parse, concurrentPerform): best of %d: %.3f s wall, %.3f s cpu  (%.1f MB/s, %.2f M lines/s wall); files with syntax errors: %d",
                     runs, modelintTime.wall, modelintTime.cpu, Double(totalBytes) / 1e6 / modelintTime.wall,
                     Double(totalLines) / 1e6 / modelintTime.wall, rejected.total))

        if phases { timePhases(files, runs: runs) }

        guard let ruff = ruffPath.map({ BenchSupport.findOnPath($0) ?? $0 }) ?? BenchSupport.findOnPath("ruff"),
              FileManager.default.isExecutableFile(atPath: ruff) else {
            print("ruff: not found; pass --ruff PATH (e.g. a venv with `pip install ruff`) to compare")
            return 0
        }
        let version = (try? BenchSupport.runProgram(ruff, ["--version"]).stdout)?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "ruff"
        let ruffArguments = ["check", "--select", "E9", "--no-cache", "--isolated", "--quiet"] + files
        var ruffFailure: String?
        let ruffTime = BenchSupport.bestOf(runs, children: true) {
            // Exit 1 means "found problems" (the stdlib's deliberately broken files); 2 is an error.
            guard let result = try? BenchSupport.runProgram(ruff, ruffArguments, quiet: true), result.status <= 1 else {
                ruffFailure = "ruff failed to run"
                return
            }
        }
        if let ruffFailure { return BenchSupport.fail(ruffFailure) }
        print(version + String(format: " check --select E9 --no-cache --isolated: best of %d: %.3f s wall, %.3f s cpu",
                               runs, ruffTime.wall, ruffTime.cpu))
        print(String(format: "ratio modelint / ruff: %.2fx wall, %.2fx cpu",
                     modelintTime.wall / ruffTime.wall, modelintTime.cpu / ruffTime.cpu))
        return 0
    }

    /// Cumulative single-thread CPU time up to each phase, so each phase's cost is a difference.
    private static func timePhases(_ files: [String], runs: Int) {
        let stages = ["read", "read+decode", "read+decode+lex", "read+decode+lex+parse"]
        var previous = 0.0
        for (depth, stage) in stages.enumerated() {
            let timing = BenchSupport.bestOf(runs) {
                for path in files {
                    guard let bytes = readFile(path), depth > 0,
                          case .success(let buffer) = SourceDecoder.decode(path: path, bytes: bytes) else { continue }
                    if depth == 2 { _ = tokenize(buffer) }
                    if depth == 3 { _ = Parser.parse(buffer) }
                }
            }
            print("  one thread, \(stage): " + String(format: "%.3f s cpu (+%.3f s)", timing.cpu, timing.cpu - previous))
            previous = timing.cpu
        }
    }

    /// One file's full front end; true when it has a syntax error.
    private static func parseFile(_ path: String) -> Bool {
        guard let bytes = readFile(path) else { return true }
        switch SourceDecoder.decode(path: path, bytes: bytes) {
        case .failure:
            return true
        case .success(let buffer):
            return !Parser.parse(buffer).diagnostics.isEmpty
        }
    }

    private static func readFile(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }

    /// Every .py file under `root`, skipping site-packages directories, sorted: the same selection
    /// as Tests/oracles/ast_differential.py.
    static func pythonFiles(under root: String) -> [String] {
        var files: [String] = []
        var pending = [root]
        let manager = FileManager.default
        while let directory = pending.popLast() {
            guard let names = try? manager.contentsOfDirectory(atPath: directory) else { continue }
            for name in names {
                let path = directory + "/" + name
                var isDirectory: ObjCBool = false
                guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
                if isDirectory.boolValue {
                    let isLink = (try? manager.destinationOfSymbolicLink(atPath: path)) != nil
                    if name != "site-packages" && !isLink { pending.append(path) }
                } else if name.hasSuffix(".py") {
                    files.append(path)
                }
            }
        }
        return files.sorted()
    }
}

/// Per-file results written from concurrentPerform's threads. Each index is written by one thread
/// only, into raw memory, so there is no shared Swift array to race on.
private final class RejectedCount: @unchecked Sendable {
    private let flags: UnsafeMutableBufferPointer<Bool>

    init(_ count: Int) {
        flags = .allocate(capacity: count)
        flags.initialize(repeating: false)
    }

    deinit { flags.deallocate() }

    func set(_ index: Int, _ value: Bool) { flags[index] = value }

    var total: Int { flags.filter { $0 }.count }
}
