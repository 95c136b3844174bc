import Foundation
import ModelintAnalysis
import ModelintReporting
import ModelintRules
import ModelintSyntax

/// `modelint check [PATH ...]`: analyses the given files (directories walked for `*.py`) as one program and
/// reports the findings. Exit status: 0 no findings, 1 findings, 2 usage or I/O error.
enum CheckCommand: Subcommand {
    static let name = "check"
    static let summary = "find train/eval mode misuse in Python files"

    static let usage = """
        usage: modelint check [PATH ...] [options]

        Checks the Python files under each PATH (default: .) as one program.

        options:
          --select CODES    only these rules: codes or prefixes, comma-separated (ML1,ML203); default all
          --ignore CODES    skip these rules (the more specific of --select/--ignore wins)
          --format FORMAT   text (default), concise or json
          --exit-zero       exit with 0 even when there are findings
          --statistics      print the time each phase took to stderr
          -h, --help        show this help

        Silence a finding with `# noqa: CODE` on its line, a file with `# modelint: noqa`.

        """

    struct Options: Equatable {
        var paths: [String] = []
        var select: [String]?
        var ignore: [String] = []
        var format: OutputFormat = .text
        var exitZero = false
        var statistics = false
        var help = false
    }

    struct UsageError: Error {
        let message: String
    }

    static func run(arguments: [String], stdout: OutputStream, stderr: OutputStream) -> Int32 {
        execute(arguments: arguments, stdout: stdout, stderr: stderr,
                environment: ProcessInfo.processInfo.environment, isTerminal: isatty(STDOUT_FILENO) != 0,
                currentDirectory: FileManager.default.currentDirectoryPath, freesProgram: false)
    }

    /// `run` with the process's surroundings made explicit, so tests decide whether output is a terminal.
    /// `freesProgram: false` keeps the parsed program alive until the process exits, as compilers do: the
    /// process ends right after the report, and freeing millions of nodes one by one is pure cost.
    static func execute(arguments: [String], stdout: OutputStream, stderr: OutputStream,
                        environment: [String: String], isTerminal: Bool, currentDirectory: String,
                        freesProgram: Bool = true) -> Int32 {
        let options: Options
        let selection: RuleSelection
        do {
            options = try parse(arguments)
            if options.help {
                stdout.write(usage)
                return 0
            }
            selection = try RuleSelection(select: options.select, ignore: options.ignore)
        } catch let error as UsageError {
            stderr.write("modelint check: \(error.message)\n\n" + usage)
            return 2
        } catch {
            stderr.write("modelint check: \(error)\n")
            return 2
        }

        let discovered = SourceDiscovery.pythonFiles(in: options.paths.isEmpty ? ["."] : options.paths)
        var ioErrors = discovered.failures.map { "\($0.path): \($0.message)" }
        if discovered.files.isEmpty && ioErrors.isEmpty {
            stderr.write("modelint check: warning: no Python files found under \(options.paths.isEmpty ? "." : options.paths.joined(separator: ", "))\n")
        }
        let checker = Checker(selection: selection)
        let loadClock = PhaseClock()
        let (program, loadErrors) = Program.load(paths: discovered.files, watching: checker.nameWatch,
                                                 retainsTree: checker.needsTree)
        let loadTime = loadClock.elapsed
        if !freesProgram { _ = Unmanaged.passRetained(program) }
        var timings = Checker.Timings()
        var findings = checker.check(program, timings: &timings)
        // The text of the files the report quotes (only files with findings).
        var sources: [String: SourceBuffer] = [:]
        let reported = Set(findings.map(\.file))
        for file in program.files where file.isGiven && reported.contains(file.path) { sources[file.path] = file.source }
        // Undecodable files are syntax errors of that file (ML000); unreadable ones are I/O errors.
        for error in loadErrors {
            switch error.kind {
            case .io(let reason):
                ioErrors.append("\(error.path): \(reason)")
            case .decode(let diagnostic):
                findings.append(Checker.syntaxError(diagnostic, file: error.path))
                sources[error.path] = error.rawSource
            }
        }
        findings = Checker.sorted(findings)
        for message in ioErrors { stderr.write("modelint check: error: \(message)\n") }

        let report = Report(format: options.format,
                            style: .forOutput(isTerminal: isTerminal, environment: environment),
                            currentDirectory: currentDirectory)
        let reportClock = PhaseClock()
        stdout.write(report.render(findings, sources: sources))
        if options.statistics {
            let given = program.files.filter(\.isGiven).count
            stderr.write("files: \(given) given, \(program.files.count - given) discovered\n"
                + "load and parse: \(loadTime.description)\n"
                + "mode analysis: \(timings.analysis.description)\n"
                + "rules: \(timings.rules.description)\n"
                + "report: \(reportClock.elapsed.description)\n")
        }

        if !ioErrors.isEmpty { return 2 }
        return findings.isEmpty || options.exitZero ? 0 : 1
    }

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var index = 0
        var onlyPaths = false
        func value(of option: String, inline: String?) throws -> String {
            if let inline { return inline }
            index += 1
            guard index < arguments.count else { throw UsageError(message: "\(option) needs a value") }
            return arguments[index]
        }
        func codes(_ text: String) -> [String] {
            text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        while index < arguments.count {
            let argument = arguments[index]
            if onlyPaths || !argument.hasPrefix("-") || argument == "-" {
                options.paths.append(argument)
                index += 1
                continue
            }
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            let option = parts[0]
            let inline = parts.count == 2 ? parts[1] : nil
            switch option {
            case "--":
                onlyPaths = true
            case "--select":
                options.select = (options.select ?? []) + codes(try value(of: option, inline: inline))
            case "--ignore":
                options.ignore += codes(try value(of: option, inline: inline))
            case "--format", "--output-format":
                let name = try value(of: option, inline: inline)
                guard let format = OutputFormat(rawValue: name) else {
                    throw UsageError(message: "unknown format '\(name)' (expected text, concise or json)")
                }
                options.format = format
            case "--exit-zero":
                options.exitZero = true
            case "--statistics":
                options.statistics = true
            case "-h", "--help":
                options.help = true
            default:
                throw UsageError(message: "unknown option '\(argument)'")
            }
            index += 1
        }
        return options
    }
}
