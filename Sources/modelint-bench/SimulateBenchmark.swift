import Foundation
import ModelintExecutor

/// `modelint-bench simulate`: one training scenario run by the executor and by PyTorch on CPU, side by side.
///
/// The scenario is generated deterministically (an MLP of `--width` with BatchNorm1d, ReLU and Dropout,
/// cross-entropy, SGD with momentum, `--steps` train steps of `--batch` rows) and written to a temporary file.
/// Both sides report the best wall and CPU (all threads) time of `--repeats` runs of the steps, excluding JSON
/// loading, which is reported separately: CPU time is the steadier number on a shared machine. PyTorch runs through Tests/oracles/torch_bench.py with the python given by `--python`.
enum SimulateBenchmark: Benchmark {
    static let name = "simulate"
    static let summary = "a BatchNorm/Dropout MLP training scenario: modelint simulate vs PyTorch CPU"

    struct Options {
        var width = 256
        var batch = 64
        var steps = 200
        var repeats = 5
        var python = ProcessInfo.processInfo.environment["MODELINT_TORCH_PYTHON"] ?? "python3"
        var keepScenario: String?
        /// 0 keeps both sides' defaults (all cores); N pins the executor and torch.set_num_threads to N.
        var threads = 0
    }

    static let usage = """
        usage: modelint-bench simulate [--width N] [--batch N] [--steps N] [--repeats N] [--threads N]
                                       [--python PATH] [--keep-scenario FILE]
          --python defaults to $MODELINT_TORCH_PYTHON, else python3; it needs torch installed.
          --threads N limits both sides to N threads (MODELINT_THREADS and torch.set_num_threads).

        """

    static func run(arguments: [String]) -> Int32 {
        guard let options = parse(arguments) else {
            FileHandle.standardError.write(Data(usage.utf8))
            return 2
        }
        return run(options)
    }

    private static func parse(_ arguments: [String]) -> Options? {
        var options = Options()
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            guard let value = remaining.popFirst() else { return nil }
            switch flag {
            case "--width": guard let n = Int(value), n > 0 else { return nil }; options.width = n
            case "--batch": guard let n = Int(value), n > 1 else { return nil }; options.batch = n
            case "--steps": guard let n = Int(value), n > 0 else { return nil }; options.steps = n
            case "--repeats": guard let n = Int(value), n > 0 else { return nil }; options.repeats = n
            case "--python": options.python = value
            case "--keep-scenario": options.keepScenario = value
            case "--threads": guard let n = Int(value), n > 0 else { return nil }; options.threads = n
            default: return nil
            }
        }
        return options
    }

    private static func run(_ options: Options) -> Int32 {
        // Set before the first matrix product, which reads it once.
        if options.threads > 0 { setenv("MODELINT_THREADS", String(options.threads), 1) }
        let path = options.keepScenario
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("modelint-bench-simulate.json").path
        let text = scenarioText(options)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            return BenchSupport.fail("cannot write \(path)")
        }
        defer { if options.keepScenario == nil { try? FileManager.default.removeItem(atPath: path) } }
        print("scenario: MLP \(options.width)-wide, BatchNorm1d + ReLU + Dropout(0.2), batch \(options.batch), "
            + "\(options.steps) SGD steps; \(text.utf8.count / 1_000_000) MB of JSON; best of \(options.repeats)")

        let bytes = [UInt8](text.utf8)
        var scenario: Scenario?
        var decodeFailure: Error?
        let load = BenchSupport.bestOf(1) {
            do { scenario = try ScenarioDecoder.decode(bytes) } catch { decodeFailure = error }
        }
        guard let scenario else { return BenchSupport.fail("decode failed: \(decodeFailure!)") }
        var lastLosses: [Float] = []
        var runFailure: Error?
        let executor = BenchSupport.bestOf(options.repeats) {
            do { lastLosses = Array(try ScenarioRunner.run(scenario).losses.suffix(3)) } catch { runFailure = error }
        }
        if let runFailure { return BenchSupport.fail("run failed: \(runFailure)") }
        report("modelint", load: load.wall, wall: executor.wall, cpu: executor.cpu, steps: options.steps)
        print("           last losses \(lastLosses)")

        guard let torch = runPyTorch(options, scenarioPath: path) else { return 1 }
        report("pytorch", load: torch.load, wall: torch.wall, cpu: torch.cpu, steps: options.steps)
        print("           torch \(torch.version), \(torch.threads) threads, last losses \(torch.lastLosses)")
        print(String(format: "ratio    : modelint / pytorch = %.2f wall, %.2f CPU (below 1: modelint is faster)",
                     executor.wall / torch.wall, executor.cpu / torch.cpu))
        return 0
    }

    private static func report(_ side: String, load: Double, wall: Double, cpu: Double, steps: Int) {
        print(String(format: "%@: load %.3f s; run %.3f s wall (%.2f ms/step), %.3f s CPU",
                     side.padding(toLength: 9, withPad: " ", startingAt: 0), load, wall, wall * 1000 / Double(steps), cpu))
    }

    /// A deterministic scenario document; weights are omitted so both sides initialise from their seed.
    static func scenarioText(_ options: Options) -> String {
        var generator = SeededGenerator(seed: 2024)
        let width = options.width, classes = 10
        var text = "{\"format\": \"modelint-scenario/1\", \"seed\": 7, \"model\": ["
        text += "{\"type\": \"Linear\", \"in_features\": \(width), \"out_features\": \(width)}, "
        text += "{\"type\": \"BatchNorm1d\", \"num_features\": \(width)}, {\"type\": \"ReLU\"}, "
        text += "{\"type\": \"Dropout\", \"p\": 0.2}, "
        text += "{\"type\": \"Linear\", \"in_features\": \(width), \"out_features\": \(width)}, "
        text += "{\"type\": \"BatchNorm1d\", \"num_features\": \(width)}, {\"type\": \"ReLU\"}, "
        text += "{\"type\": \"Dropout\", \"p\": 0.2}, "
        text += "{\"type\": \"Linear\", \"in_features\": \(width), \"out_features\": \(classes)}], "
        text += "\"loss\": \"cross_entropy\", "
        text += "\"optimizer\": {\"type\": \"SGD\", \"lr\": 0.01, \"momentum\": 0.9}, \"steps\": [{\"op\": \"train\"}"
        for _ in 0..<options.steps {
            text += ", {\"op\": \"train_step\", \"input\": "
            text += matrixText(rows: options.batch, columns: width, generator: &generator)
            text += ", \"target\": ["
            text += (0..<options.batch).map { _ in String(generator.next() % UInt64(classes)) }.joined(separator: ", ")
            text += "]}"
        }
        text += ", {\"op\": \"eval\"}, {\"op\": \"forward\", \"name\": \"val\", \"input\": "
        text += matrixText(rows: options.batch, columns: width, generator: &generator) + "}]}\n"
        return text
    }

    /// Values in [-2, 2) with three decimals: short in JSON, and read identically by both sides.
    private static func matrixText(rows: Int, columns: Int, generator: inout SeededGenerator) -> String {
        var text = "["
        for row in 0..<rows {
            text += row == 0 ? "[" : ", ["
            for column in 0..<columns {
                if column > 0 { text += ", " }
                text += String(Double(Int(generator.next() % 4000) - 2000) / 1000)
            }
            text += "]"
        }
        return text + "]"
    }

    private struct TorchTiming {
        let version: String
        let threads: Int
        let load: Double
        let wall: Double
        let cpu: Double
        let lastLosses: [Double]
    }

    private static func runPyTorch(_ options: Options, scenarioPath: String) -> TorchTiming? {
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tests/oracles/torch_bench.py").path
        guard let python = BenchSupport.findOnPath(options.python) else {
            print("pytorch  : \(options.python) not found; pass --python or set MODELINT_TORCH_PYTHON")
            return nil
        }
        let output: (status: Int32, stdout: String)
        do {
            output = try BenchSupport.runProgram(
                python, [script, scenarioPath, "--repeats", String(options.repeats), "--threads", String(options.threads)])
        } catch {
            print("pytorch  : cannot run \(python): \(error)")
            return nil
        }
        guard output.status == 0,
            let report = try? JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any],
            let version = report["torch_version"] as? String, let threads = report["threads"] as? Int,
            let load = report["load_seconds"] as? Double, let runs = report["run_seconds"] as? [Double],
            let cpu = report["run_cpu_seconds"] as? [Double], let wall = runs.min(), let bestCPU = cpu.min()
        else {
            print("pytorch  : \(python) failed (is torch installed?): \(output.stdout)")
            return nil
        }
        return TorchTiming(
            version: version, threads: threads, load: load, wall: wall, cpu: bestCPU,
            lastLosses: report["last_losses"] as? [Double] ?? [])
    }
}
