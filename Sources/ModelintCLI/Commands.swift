/// Every subcommand, in the order `modelint --help` lists them. Add a command here and in its own file.
let allSubcommands: [any Subcommand.Type] = [
    ASTCommand.self,
]
