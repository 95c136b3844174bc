import Foundation
import ModelintCLI

let status = ModelintMain.run(arguments: Array(CommandLine.arguments.dropFirst()),
                              stdout: .standardOutput, stderr: .standardError)
exit(status)
