// Benchmarks, run as `swift run -c release modelint-bench <benchmark> [options]`; results and the
// exact commands are recorded in docs/performance.md. Each benchmark lives in its own file and is
// listed here.
import Foundation

let benchmarks: [any Benchmark.Type] = [
    ParseBenchmark.self,
]

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, let benchmark = benchmarks.first(where: { $0.name == name }) else {
    var usage = "usage: modelint-bench <benchmark> [options]\n\nbenchmarks:\n"
    for benchmark in benchmarks {
        usage += "  " + benchmark.name.padding(toLength: 10, withPad: " ", startingAt: 0) + benchmark.summary + "\n"
    }
    FileHandle.standardError.write(Data(usage.utf8))
    exit(arguments.first.map { ["-h", "--help"].contains($0) } == true ? 0 : 2)
}
exit(benchmark.run(arguments: Array(arguments.dropFirst())))
