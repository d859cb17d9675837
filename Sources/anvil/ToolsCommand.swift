import AnvilCore
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

    /// `anvil tools list`
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every tool with its source and parameters.")

        @Flag(help: "Print the list as JSON.")
        var json = false

        func run() async throws {
            let registry = try CompiledPlugins.registry(environment: ProcessInfo.processInfo.environment)
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

        func run() async throws {
            let registry = try CompiledPlugins.registry(environment: ProcessInfo.processInfo.environment)
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
                    context: ToolContext(userID: "cli", logger: Logger(label: "anvil.tools"))
                )
            } catch {
                output = .error("\(error)")
            }
            print(output.content)
            if output.isError { throw ExitCode(1) }
        }
    }
}
