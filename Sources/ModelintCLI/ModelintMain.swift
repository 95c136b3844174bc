/// Dispatches `modelint <subcommand> ...`.
public enum ModelintMain {
    public static let version = "0.1.0"

    public static func run(arguments: [String], stdout: OutputStream, stderr: OutputStream) -> Int32 {
        guard let first = arguments.first else {
            stderr.write(usage)
            return 2
        }
        switch first {
        case "-h", "--help", "help":
            stdout.write(usage)
            return 0
        case "-V", "--version":
            stdout.write("modelint \(version)\n")
            return 0
        default:
            guard let command = allSubcommands.first(where: { $0.name == first }) else {
                stderr.write("modelint: unknown subcommand '\(first)'\n\n" + usage)
                return 2
            }
            return command.run(arguments: Array(arguments.dropFirst()), stdout: stdout, stderr: stderr)
        }
    }

    static var usage: String {
        var text = "usage: modelint <subcommand> [options]\n\nsubcommands:\n"
        for command in allSubcommands {
            text += "  " + command.name.padding(toLength: 12, withPad: " ", startingAt: 0) + command.summary + "\n"
        }
        return text
    }
}
