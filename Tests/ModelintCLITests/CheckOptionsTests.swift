import Testing
@testable import ModelintCLI

/// `modelint check` argument parsing and usage errors (exit status 2), without touching any file.
@Suite struct CheckOptionsTests {
    private func run(_ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        let out = OutputStream()
        let err = OutputStream()
        let status = CheckCommand.execute(arguments: arguments, stdout: out, stderr: err, environment: [:],
                                          isTerminal: false, currentDirectory: "/")
        return (status, out.capturedText, err.capturedText)
    }

    @Test func parsesEveryOption() throws {
        let options = try CheckCommand.parse([
            "src", "--select", "ML1,ML203", "--select=ML3", "--ignore", "ML101", "--ignore=ML102, ML103",
            "--format", "json", "--exit-zero", "train.py", "--", "--odd-name.py",
        ])
        #expect(options.paths == ["src", "train.py", "--odd-name.py"])
        #expect(options.select == ["ML1", "ML203", "ML3"])
        #expect(options.ignore == ["ML101", "ML102", "ML103"])
        #expect(options.format == .json)
        #expect(options.exitZero)
    }

    @Test func defaults() throws {
        let options = try CheckCommand.parse([])
        #expect(options == CheckCommand.Options())
        #expect(options.select == nil && options.format == .text && !options.exitZero)
        #expect(try CheckCommand.parse(["--output-format=concise"]).format == .concise)
    }

    @Test func usageErrorsExitTwo() {
        for arguments in [["--frobnicate"], ["--format", "xml"], ["--select"], ["--select", "ML9"],
                          ["--ignore", "XY1"]] {
            let result = run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix("modelint check: "), "\(arguments): \(result.stderr)")
        }
        #expect(run(["--select", "ML9"]).stderr == "modelint check: unknown rule selector 'ML9'\n")
        #expect(run(["--format", "xml"]).stderr.contains("unknown format 'xml' (expected text, concise or json)"))
    }

    @Test func help() {
        let result = run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout == CheckCommand.usage)
    }
}
