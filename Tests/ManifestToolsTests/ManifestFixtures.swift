import AnvilCore
import AnvilPluginKit
import AnvilStore
import Foundation
import Logging
import ManifestTools

/// A manifests directory in a temporary folder, and the plugin context loaders are given.
struct ManifestFixture {
    let directory: URL
    let database: Database

    /// Writes `tools` (file name → YAML) under `tools/`.
    init(tools: [String: String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "anvil-manifests-\(UUID().uuidString)")
        let toolsDirectory = directory.appendingPathComponent("tools")
        try FileManager.default.createDirectory(at: toolsDirectory, withIntermediateDirectories: true)
        for (name, text) in tools {
            try text.write(to: toolsDirectory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        database = try Database(
            location: .sqlite(path: directory.appendingPathComponent("anvil.sqlite").path),
            logger: Logger(label: "test")
        )
    }

    func context(environment: [String: String] = [:]) throws -> PluginContext {
        var logger = Logger(label: "test")
        logger.logLevel = ProcessInfo.processInfo.environment["ANVIL_TEST_TRACE"] == nil ? .critical : .trace
        return PluginContext(
            database: database,
            secretBox: try SecretBox(keyData: Data(repeating: 7, count: 32)),
            environment: environment,
            dataDirectory: directory.path,
            logger: logger
        )
    }

    func load(environment: [String: String] = [:]) async throws -> DeclaredTools {
        try await ToolManifestLoader().load(manifestsDirectory: directory, context: context(environment: environment))
    }

    func remove() async {
        try? await database.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Runs `body` with a fixture, removing it afterwards whatever happens.
func withManifests<Result>(
    tools: [String: String],
    _ body: (ManifestFixture) async throws -> Result
) async throws -> Result {
    let fixture = try ManifestFixture(tools: tools)
    do {
        let result = try await body(fixture)
        await fixture.remove()
        return result
    } catch {
        await fixture.remove()
        throw error
    }
}

extension DeclaredTools {
    /// The registered tool called `name`, run like the agent loop runs it: validated, under its limits.
    func run(_ name: String, _ arguments: String, userID: String = "user-1") async throws -> ToolOutput {
        var registry = ToolRegistry()
        for registration in tools { try registry.register(registration) }
        guard let tool = registry[name] else { throw FixtureError.noTool(name) }
        let validated = try ToolRunner.validatedArguments(arguments, for: tool)
        return try await ToolRunner.run(tool, arguments: validated, context: ToolContext(userID: userID))
    }
}

enum FixtureError: Error {
    case noTool(String)
}
