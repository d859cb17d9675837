import AnvilCore
import AnvilPluginKit
import AnvilStore
import Foundation
import Logging
import Testing

// The example plugin of the README's "Write your own tool", kept here word for word so the walkthrough compiles and
// works.

public struct DicePlugin: ToolPlugin {
    public static let id = "dice"
    public static let summary = "Rolls dice."
    public static var configurationSchema: JSONValue {
        [
            "type": "object", "additionalProperties": false,
            "properties": ["max_dice": ["type": "integer", "minimum": 1, "maximum": 100, "default": 10]],
        ]
    }
    public struct Configuration: Decodable, Sendable { var maxDice: Int }

    let configuration: Configuration
    public init(configuration: Configuration, context: PluginContext) { self.configuration = configuration }
    public var tools: [any Tool] { [RollDice(maxDice: configuration.maxDice)] }
}

struct RollDice: Tool {
    let maxDice: Int
    var spec: ToolSpec {
        ToolSpec(
            name: "roll_dice",
            description: "Roll dice and return each result and the total.",
            parameters: [
                "type": "object",
                "properties": [
                    "count": ["type": "integer", "minimum": 1, "description": "How many dice."],
                    "sides": ["type": "integer", "minimum": 2, "maximum": 1000, "default": 6],
                ],
                "required": ["count"],
            ]
        )
    }
    func call(arguments: [String: JSONValue], context: ToolContext) async throws -> ToolOutput {
        guard case .integer(let count) = arguments["count"], count <= maxDice else {
            return .error("Roll at most \(maxDice) dice at once.")
        }
        let sides = if case .integer(let value) = arguments["sides"] { Int(value) } else { 6 }
        let rolls = (0..<count).map { _ in Int.random(in: 1...sides) }
        return ToolOutput(content: "\(rolls) total \(rolls.reduce(0, +))")
    }
}

@Suite("The README's example plugin")
struct ReadmeDicePluginTests {
    @Test("rolls within the limit its manifest sets, and refuses more")
    func rollsWithinTheLimit() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anvil-dice-\(UUID())")
        let manifests = directory.appendingPathComponent("manifests")
        try FileManager.default.createDirectory(
            at: manifests.appendingPathComponent("plugins"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "config:\n  max_dice: 3\n".write(
            to: manifests.appendingPathComponent("plugins/dice.yaml"), atomically: true, encoding: .utf8)
        let database = try Database(
            location: .sqlite(path: directory.appendingPathComponent("db.sqlite").path), logger: Logger(label: "test"))
        let context = PluginContext(
            database: database,
            secretBox: try SecretBox(keyData: Data(repeating: 3, count: 32)),
            environment: [:],
            dataDirectory: directory.path,
            logger: Logger(label: "test")
        )
        let loaded: LoadedPlugins
        do {
            loaded = try await PluginHost.load([DicePlugin.self], manifestsDirectory: manifests, context: context)
            try await database.shutdown()
        } catch {
            try? await database.shutdown()
            throw error
        }
        var registry = ToolRegistry()
        for tool in loaded.tools { try registry.register(tool) }
        let tool = try #require(registry["roll_dice"])
        let output = try await ToolRunner.run(tool, arguments: ["count": 3], context: ToolContext(userID: "u1"))
        #expect(output.content.contains("total"))
        #expect(!output.isError)
        let tooMany = try await ToolRunner.run(tool, arguments: ["count": 4], context: ToolContext(userID: "u1"))
        #expect(tooMany.isError)
        #expect(tooMany.content == "Roll at most 3 dice at once.")
    }
}
