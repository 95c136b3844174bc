import Foundation

/// One `modelint-bench` subcommand.
protocol Benchmark: SendableMetatype {
    static var name: String { get }
    static var summary: String { get }
    /// Runs with the arguments after the benchmark's name; returns the exit status.
    static func run(arguments: [String]) -> Int32
}

/// Small helpers shared by benchmarks.
enum BenchSupport {
    /// Wall time of `body`, in seconds.
    static func wallTime(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Wall time and CPU time (user + system, of this process or of the children it waited for).
    struct Timing {
        var wall: Double
        var cpu: Double
    }

    /// The smallest wall and CPU times over `runs` runs (each the run least disturbed by other load).
    /// CPU time is counted for this process, or for its children when `children` is set.
    static func bestOf(_ runs: Int, children: Bool = false, _ body: () throws -> Void) rethrows -> Timing {
        var best = Timing(wall: .infinity, cpu: .infinity)
        for _ in 0..<runs {
            let cpuBefore = cpuSeconds(children: children)
            let wall = try wallTime(body)
            best.wall = min(best.wall, wall)
            best.cpu = min(best.cpu, cpuSeconds(children: children) - cpuBefore)
        }
        return best
    }

    static func cpuSeconds(children: Bool) -> Double {
        var usage = rusage()
        #if os(Linux)
        let who = __rusage_who_t((children ? RUSAGE_CHILDREN : RUSAGE_SELF).rawValue)
        #else
        let who = children ? RUSAGE_CHILDREN : RUSAGE_SELF
        #endif
        getrusage(who, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Runs a program to completion, returning its exit status and stdout. stderr passes through
    /// unless `quiet`.
    static func runProgram(_ executable: String, _ arguments: [String], quiet: Bool = false) throws
        -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        if quiet { process.standardError = FileHandle.nullDevice }
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// `name` found on PATH, or nil.
    static func findOnPath(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func fail(_ message: String) -> Int32 {
        FileHandle.standardError.write(Data("modelint-bench: \(message)\n".utf8))
        return 2
    }
}
