import Foundation
import Testing
import ModelintCLI
import ModelintExecutor

/// `modelint simulate` driven in-process: the command prints exactly what the library computes, with the exit
/// codes of the scenario contract (0 ran, 1 PyTorch would raise, 2 malformed or usage).
@Suite struct SimulateCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/executor")

    static let fixtureNames: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []
        return files.filter { $0.hasSuffix(".scenario.json") }.map { String($0.dropLast(".scenario.json".count)) }.sorted()
    }()

    static func simulate(_ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        let stdout = OutputStream(), stderr = OutputStream()
        let status = ModelintMain.run(arguments: ["simulate"] + arguments, stdout: stdout, stderr: stderr)
        return (status, stdout.capturedText, stderr.capturedText)
    }

    static func temporaryScenario(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("modelint-simulate-\(UUID().uuidString).json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func everyFixtureRunsThroughTheCommand() throws {
        #expect(Self.fixtureNames.count >= 30)
        for name in Self.fixtureNames {
            let path = Self.fixtures.appendingPathComponent("\(name).scenario.json").path
            let scenario = try ScenarioDecoder.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
            let expectedStatus: Int32
            let expectedOutput: String
            do {
                expectedOutput = SimulationOutput.json(try ScenarioRunner.run(scenario))
                expectedStatus = 0
            } catch SimulationError.torch(let error) {
                expectedOutput = SimulationOutput.json(error: error)
                expectedStatus = 1
            }
            let (status, stdout, stderr) = Self.simulate(["--scenario", path])
            #expect(status == expectedStatus, "\(name): \(stderr)")
            #expect(stdout == expectedOutput, "\(name)")
            #expect(stderr.isEmpty, "\(name): \(stderr)")
        }
    }

    @Test func pyTorchErrorsGoToStdoutWithExitOne() throws {
        let path = try Self.temporaryScenario(#"{"format": "modelint-scenario/1", "model": [{"type": "Dropout", "p": 1.5}]}"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, stdout, stderr) = Self.simulate(["--scenario=\(path)"])
        #expect(status == 1)
        #expect(stdout == "{\"error\": \"dropout probability has to be between 0 and 1, but got 1.5\"}\n")
        #expect(stderr.isEmpty)
    }

    @Test func malformedScenariosNameTheKeyOnStderrWithExitTwo() throws {
        let path = try Self.temporaryScenario(
            #"{"format": "modelint-scenario/1", "model": [{"type": "ReLU"}, {"type": "Tanh"}, {"type": "Dropout", "p": "x"}]}"#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, stdout, stderr) = Self.simulate(["--scenario", path])
        #expect(status == 2)
        #expect(stdout.isEmpty)
        #expect(stderr == "modelint simulate: \(path): model[2].p: expected a number, got a string\n")
    }

    @Test func outputIsJSONWithOutputsLossesAndState() throws {
        let path = try Self.temporaryScenario(#"""
            {"format": "modelint-scenario/1", "seed": 7,
             "model": [{"type": "Linear", "in_features": 2, "out_features": 1, "weight": [[0.5, -1]], "bias": [0.25]}],
             "loss": "mse", "optimizer": {"type": "SGD", "lr": 0.1},
             "steps": [{"op": "forward", "name": "before", "input": [[1, 2]]},
                       {"op": "train_step", "input": [[1, 2]], "target": [[0]]}]}
            """#)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, stdout, _) = Self.simulate(["--scenario", path])
        #expect(status == 0)
        // y = 0.5 − 2 + 0.25 = −1.25; loss = 1.5625; dL/dy = −2.5; w ← w + 0.25·x, b ← b + 0.25.
        #expect(stdout == """
            {"outputs": {"before": [[-1.25]]}, "losses": [1.5625], "state": {"0.weight": [[0.75, -0.5]], "0.bias": [0.5]}}

            """)
    }

    @Test func usageErrors() {
        #expect(Self.simulate([]).status == 2)
        #expect(Self.simulate([]).stderr.hasPrefix("modelint simulate: missing --scenario FILE"))
        #expect(Self.simulate(["--scenario"]).status == 2)
        #expect(Self.simulate(["--bogus"]).stderr.hasPrefix("modelint simulate: unexpected argument '--bogus'"))
        let missing = Self.simulate(["--scenario", "/nonexistent/scenario.json"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "modelint simulate: /nonexistent/scenario.json: cannot read the file\n")
        let help = Self.simulate(["--help"])
        #expect(help.status == 0 && help.stdout.hasPrefix("usage: modelint simulate --scenario FILE.json"))
    }

    @Test func theCommandIsRegistered() {
        let stdout = OutputStream()
        #expect(ModelintMain.run(arguments: ["--help"], stdout: stdout, stderr: OutputStream()) == 0)
        #expect(stdout.capturedText.contains("simulate"))
    }
}
