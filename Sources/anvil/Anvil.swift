import AnvilServer
import ArgumentParser

/// The `anvil` command: runs the server and administers its data.
@main
struct Anvil: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anvil",
        abstract: "A self-hosted, plugin-oriented AI assistant runtime.",
        subcommands: [ServeCommand.self, MigrateCommand.self, UserCommand.self, ToolsCommand.self, PromptCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
