#if os(Linux)
import Foundation
import Testing

/// The real process decides on colour from its own stdout: a terminal (here a pseudo-terminal from
/// util-linux `script`) gets ANSI colour unless `NO_COLOR` is set; a pipe never does.
@Suite struct CheckTerminalTests {
    /// `modelint` is built next to the test bundle by `swift test`.
    private static let binary = URL(fileURLWithPath: CommandLine.arguments[0])
        .deletingLastPathComponent().appendingPathComponent("modelint").path
    private static let fixture = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/projects/cli_basic/train.py").path

    private func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "NO_COLOR" }
            .merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    private func inTerminal(_ command: String, environment: [String: String] = [:]) throws -> String {
        try run("/usr/bin/script", ["-qec", command, "/dev/null"], environment: environment)
    }

    @Test func colourOnATerminalOnly() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "missing \(Self.binary)")
        let command = "'\(Self.binary)' check '\(Self.fixture)' --select ML203"
        let escape = "\u{1B}[1;31mML203\u{1B}[0m"
        #expect(try inTerminal(command).contains(escape))
        #expect(!(try inTerminal(command, environment: ["NO_COLOR": "1"]).contains("\u{1B}[")))
        let piped = try run(Self.binary, ["check", Self.fixture, "--select", "ML203"])
        #expect(piped.contains("ML203 [error]"))
        #expect(!piped.contains("\u{1B}["))
    }
}
#endif
