import Foundation
import ModelintExecutor

/// `modelint simulate --scenario FILE.json`: runs a training scenario on the built-in executor and prints the
/// outputs, losses and final state_dict as JSON (exit 0); `{"error": ...}` with PyTorch's message where PyTorch
/// would raise (exit 1); a malformed scenario is reported on stderr with its key path (exit 2).
struct SimulateCommand: Subcommand {
    static let name = "simulate"
    static let summary = "run a train/eval scenario on the PyTorch-exact executor"

    static let usage = """
        usage: modelint simulate --scenario FILE.json

        Runs the modelint-scenario/1 document in FILE.json (see docs/architecture.md (Executor)) and prints
        {"outputs": ..., "losses": ..., "state": ...} on stdout.
        Exit status: 0 success, 1 PyTorch would raise ({"error": ...} on stdout), 2 usage or malformed scenario.

        """

    static func run(arguments: [String], stdout: OutputStream, stderr: OutputStream) -> Int32 {
        var scenarioPath: String?
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            switch argument {
            case "-h", "--help":
                stdout.write(usage)
                return 0
            case "--scenario":
                guard let path = remaining.popFirst() else {
                    stderr.write("modelint simulate: --scenario needs a FILE argument\n\n" + usage)
                    return 2
                }
                scenarioPath = path
            default:
                if let path = argument.split(separator: "=", maxSplits: 1).last, argument.hasPrefix("--scenario=") {
                    scenarioPath = String(path)
                } else {
                    stderr.write("modelint simulate: unexpected argument '\(argument)'\n\n" + usage)
                    return 2
                }
            }
        }
        guard let scenarioPath else {
            stderr.write("modelint simulate: missing --scenario FILE\n\n" + usage)
            return 2
        }
        guard let data = FileManager.default.contents(atPath: scenarioPath) else {
            stderr.write("modelint simulate: \(scenarioPath): cannot read the file\n")
            return 2
        }
        do {
            let scenario = try ScenarioDecoder.decode([UInt8](data))
            let result = try ScenarioRunner.run(scenario)
            stdout.write(SimulationOutput.json(result))
            return 0
        } catch let error as ScenarioError {
            stderr.write("modelint simulate: \(scenarioPath): \(error)\n")
            return 2
        } catch SimulationError.invalidScenario(let error) {
            stderr.write("modelint simulate: \(scenarioPath): \(error)\n")
            return 2
        } catch SimulationError.torch(let error) {
            stdout.write(SimulationOutput.json(error: error))
            return 1
        } catch {
            stderr.write("modelint simulate: \(scenarioPath): \(error)\n")
            return 2
        }
    }
}
