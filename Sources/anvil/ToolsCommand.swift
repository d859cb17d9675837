import AnvilCore
import AnvilServer
import AnvilStore
import ArgumentParser
import Foundation
import Logging

/// `anvil tools ...`: try the server's tools from the command line, without HTTP.
struct ToolsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tools",
        abstract: "List the tools a server would offer, or run one.",
        subcommands: [List.self, Call.self]
    )

    /// Opens the configured store, loads the tools a server would offer, runs `body` and closes everything.
    static func withTools(
        _ storage: StorageOptions,
        _ body: (ToolRegistry, Store) async throws -> Void
    ) async throws {
        let configuration = try storage.configuration()
        var logger = Logger(label: "anvil")
        logger.logLevel = .warning
        try await AdminStore.with(configuration: configuration, logger: logger) { store in
            let tools = try await CompiledPlugins.tools(configuration: configuration, store: store, logger: logger)
            try await body(tools.registry, store)
        }
    }

    static func withTools(_ storage: StorageOptions, _ body: (ToolRegistry) async throws -> Void) async throws {
        try await withTools(storage) { registry, _ in try await body(registry) }
    }

    /// `anvil tools list`
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every tool with its source and parameters.")

        @Flag(help: "Print the list as JSON.")
        var json = false

        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await ToolsCommand.withTools(storage) { registry in
                try list(registry)
            }
        }

        private func list(_ registry: ToolRegistry) throws {
            if json {
                let entries: [JSONValue] = registry.all.map { tool in
                    [
                        "name": .string(tool.name),
                        "description": .string(tool.spec.description),
                        "source": .string(tool.source.kind),
                        "origin": tool.source.origin.map(JSONValue.string) ?? .null,
                        "parameters": tool.spec.parameters,
                    ]
                }
                print(try Self.prettyJSON(.array(entries)))
                return
            }
            for tool in registry.all {
                let source = tool.source.origin.map { "\(tool.source.kind): \($0)" } ?? tool.source.kind
                print("\(tool.name)  [\(source)]")
                print("    \(tool.spec.description)")
                print(
                    try Self.prettyJSON(tool.spec.parameters).split(separator: "\n").map { "    " + $0 }
                        .joined(separator: "\n")
                )
            }
        }

        static func prettyJSON(_ value: JSONValue) throws -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        }
    }

    /// `anvil tools call NAME --args JSON`
    struct Call: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one tool with JSON arguments and print what it returns.",
            discussion: "Exits with 1 when the tool reports an error and 2 when the arguments do not fit its schema."
        )

        @Argument(help: "The tool's name, as `anvil tools list` shows it.")
        var name: String

        @Option(name: .customLong("args"), help: "The arguments as a JSON object.")
        var arguments: String = "{}"

        @Option(help: "Run the tool as this user (email), for tools that read or write a user's own data.")
        var user: String?

        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await ToolsCommand.withTools(storage) { registry, store in
                let userID = try await resolveUser(store: store)
                try await call(registry, userID: userID)
            }
        }

        private func resolveUser(store: Store) async throws -> String {
            guard let user else { return "cli" }
            guard let account = try await store.users.find(email: user) else {
                throw ValidationError("No user has the email '\(user)'. Create one with `anvil user create`.")
            }
            return account.user.id
        }

        private func call(_ registry: ToolRegistry, userID: String) async throws {
            guard let tool = registry[name] else {
                throw ValidationError(
                    "Unknown tool '\(name)'. Available: \(registry.names.joined(separator: ", "))."
                )
            }
            let validated: [String: JSONValue]
            do {
                validated = try ToolRunner.validatedArguments(arguments, for: tool)
            } catch let error as ToolInvocationError {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(2)
            }
            let output: ToolOutput
            do {
                output = try await ToolRunner.run(
                    tool,
                    arguments: validated,
                    context: ToolContext(userID: userID, logger: Logger(label: "anvil.tools"))
                )
            } catch {
                output = .error("\(error)")
            }
            print(output.content)
            if output.isError { throw ExitCode(1) }
        }
    }
}
