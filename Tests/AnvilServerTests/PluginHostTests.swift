import AnvilCore
import AnvilPluginKit
import AnvilServer
import AnvilStore
import AnvilTestSupport
import Foundation
import Hummingbird
import Logging
import SQLKit
import Testing

/// A plugin with everything a plugin can have: settings with defaults, a table, a tool that writes to it for the
/// caller, a REST route that reads it back, and its OpenAPI description.
struct GreeterPlugin: ToolPlugin {
    static let id = "greeter"
    static let summary = "Greets people and remembers whom."
    static var defaultToolLimits: ToolLimits { ToolLimits(timeout: .seconds(7), maxOutputBytes: 2048) }

    struct Configuration: Decodable, Sendable {
        var greeting: String
        var maxLength: Int
    }

    static var configurationSchema: JSONValue {
        [
            "type": "object",
            "additionalProperties": false,
            "properties": [
                "greeting": ["type": "string", "minLength": 1, "default": "Hello"],
                "max_length": ["type": "integer", "minimum": 1, "default": 40],
            ],
        ]
    }

    static var migrations: [Migration] {
        [
            Migration(id: "greeter.0001_greetings") { database, _ in
                try await database.create(table: "greeter_greetings")
                    .column("owner_id", type: .text, .notNull)
                    .column("text", type: .text, .notNull)
                    .run()
            }
        ]
    }

    let configuration: Configuration
    let database: Database

    init(configuration: Configuration, context: PluginContext) {
        self.configuration = configuration
        self.database = context.database
    }

    var tools: [any Tool] { [GreetTool(plugin: self)] }

    func addRoutes(to routes: RouterGroup<AnvilRequestContext>) {
        routes.get("greetings") { _, context in
            let user = try context.requireUser()
            let rows = try await database.withConnection { db in
                try await db.select().column("text").from("greeter_greetings")
                    .where("owner_id", .equal, user.id).all()
            }
            let texts = try rows.map { try $0.decode(column: "text", as: String.self) }
            return JSONResponse(["greetings": texts])
        }
    }

    var api: PluginAPI {
        PluginAPI(
            tag: .init(name: "Greetings", description: "Who was greeted."),
            schemas: [
                (
                    "GreetingList",
                    .object(properties: ["greetings": .array(items: .string)])
                )
            ],
            operations: [
                .init(
                    .get,
                    "/greetings",
                    id: "listGreetings",
                    summary: "List greetings",
                    description: "Your greetings, oldest first.",
                    responses: [.init(200, "The greetings.", json: .reference("GreetingList"))]
                )
            ]
        )
    }

    func record(_ text: String, for userID: String) async throws {
        try await database.withConnection { db in
            try await db.insert(into: "greeter_greetings").columns("owner_id", "text")
                .values(SQLBind(userID), SQLBind(text)).run()
        }
    }
}

struct GreetTool: Tool {
    let plugin: GreeterPlugin

    var spec: ToolSpec {
        ToolSpec(
            name: "greet_person",
            description: "Greet a person by name.",
            parameters: [
                "type": "object",
                "properties": ["name": ["type": "string", "description": "Who to greet."]],
                "required": ["name"],
            ]
        )
    }

    func call(arguments: [String: JSONValue], context: ToolContext) async throws -> ToolOutput {
        let text = String(
            "\(plugin.configuration.greeting), \(arguments["name"]?.stringValue ?? "")!".prefix(
                plugin.configuration.maxLength))
        try await plugin.record(text, for: context.userID)
        return ToolOutput(content: text)
    }
}

/// Offers a tool named like the built-in one, to prove clashes stop startup.
struct ClashingPlugin: ToolPlugin {
    static let id = "clashing"
    static let summary = "Clashes."
    init(configuration: EmptyPluginConfiguration, context: PluginContext) {}
    var tools: [any Tool] { [NamedTool(name: "current_time")] }
}

/// Declares a configuration schema that is not a schema.
struct BrokenSchemaPlugin: ToolPlugin {
    static let id = "broken"
    static let summary = "Broken."
    static var configurationSchema: JSONValue { ["type": 5] }
    init(configuration: EmptyPluginConfiguration, context: PluginContext) {}
    var tools: [any Tool] { [] }
}

struct NamedTool: Tool {
    let name: String
    var spec: ToolSpec { ToolSpec(name: name, description: "A tool.", parameters: ["type": "object"]) }
    func call(arguments: [String: JSONValue], context: ToolContext) async throws -> ToolOutput {
        ToolOutput(content: name)
    }
}

@Suite("Plugins: manifests, tools, routes and tables")
struct PluginHostTests {
    /// Loads `types` against manifests written to a temporary directory.
    func load(
        _ types: [any ToolPlugin.Type],
        manifests: [String: String]
    ) async throws -> LoadedPlugins {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anvil-plugins-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let plugins = directory.appendingPathComponent("plugins")
        try FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
        for (name, text) in manifests {
            try text.write(to: plugins.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let database = try Database(
            location: .sqlite(path: directory.appendingPathComponent("db.sqlite").path),
            logger: Logger(label: "test")
        )
        let context = PluginContext(
            database: database,
            secretBox: try SecretBox(keyData: Data(repeating: 1, count: 32)),
            environment: [:],
            dataDirectory: directory.path,
            logger: Logger(label: "test")
        )
        do {
            let loaded = try await PluginHost.load(types, manifestsDirectory: directory, context: context)
            try await database.shutdown()
            return loaded
        } catch {
            try? await database.shutdown()
            throw error
        }
    }

    @Test("a plugin without a manifest runs with its defaults; a manifest sets its settings and tool limits")
    func defaultsAndSettings() async throws {
        let defaults = try await load([GreeterPlugin.self], manifests: [:])
        let plugin = try #require(defaults.plugins.first as? GreeterPlugin)
        #expect(plugin.configuration.greeting == "Hello")
        #expect(plugin.configuration.maxLength == 40)
        #expect(defaults.tools.first?.limits == ToolLimits(timeout: .seconds(7), maxOutputBytes: 2048))
        #expect(defaults.migrations.map(\.id) == ["greeter.0001_greetings"])

        let configured = try await load(
            [GreeterPlugin.self],
            manifests: [
                "greeter.yaml": """
                enabled: true
                config:
                  greeting: Ahoy
                tools:
                  greet_person:
                    timeout_seconds: 2.5
                    max_output_bytes: 100
                    default: false
                """
            ]
        )
        let configuredPlugin = try #require(configured.plugins.first as? GreeterPlugin)
        #expect(configuredPlugin.configuration.greeting == "Ahoy")
        #expect(configuredPlugin.configuration.maxLength == 40)
        let tool = try #require(configured.tools.first)
        #expect(tool.limits == ToolLimits(timeout: .milliseconds(2500), maxOutputBytes: 100))
        #expect(tool.offeredByDefault == false)
        #expect(tool.source == .plugin("greeter"))
    }

    @Test("a disabled plugin contributes nothing")
    func disabled() async throws {
        let loaded = try await load([GreeterPlugin.self], manifests: ["greeter.yaml": "enabled: false\n"])
        #expect(loaded.plugins.isEmpty)
        #expect(loaded.tools.isEmpty)
        #expect(loaded.migrations.isEmpty)
    }

    @Test(
        "a bad manifest stops startup with the file, the key and the problem",
        arguments: [
            ("nope.yaml", "enabled: true\n", "", "no compiled-in plugin is called 'nope'"),
            ("greeter.yaml", "config:\n  colour: red\n", "config.colour", "unknown key"),
            ("greeter.yaml", "config:\n  max_length: three\n", "config.max_length", "expected integer, got string"),
            ("greeter.yaml", "config:\n  max_length: 0\n", "config.max_length", "must be >= 1"),
            ("greeter.yaml", "enabled: maybe\n", "enabled", "expected boolean"),
            ("greeter.yaml", "settings: {}\n", "settings", "unknown key"),
            ("greeter.yaml", "tools:\n  shout: {timeout_seconds: 3}\n", "tools.shout", "no tool called 'shout'"),
            ("greeter.yaml", "tools:\n  greet_person: {timeout: 3}\n", "tools.greet_person.timeout", "unknown key"),
            ("greeter.yaml", "config: [1, 2]\n", "config", "expected object"),
            ("greeter.yaml", "config:\n  greeting: 'unclosed\n", "", "invalid YAML"),
        ]
    )
    func badManifests(file: String, yaml: String, key: String, problem: String) async throws {
        do {
            _ = try await load([GreeterPlugin.self], manifests: [file: yaml])
            Issue.record("loading succeeded")
        } catch let error as ManifestErrors {
            let first = try #require(error.errors.first)
            #expect(first.file.hasSuffix("plugins/\(file)"))
            #expect(first.key == key, "\(first)")
            #expect(first.problem.contains(problem), "\(first)")
        }
    }

    @Test("a plugin whose configuration schema is invalid is reported by its manifest's config key")
    func invalidConfigurationSchema() async throws {
        await #expect {
            _ = try await load([BrokenSchemaPlugin.self], manifests: ["broken.yaml": "config: {}\n"])
        } throws: { error in
            (error as? ManifestErrors)?.errors.first?.problem.contains("configuration schema is invalid") == true
        }
    }

    @Test("two tools with one name stop startup", arguments: TestDatabase.available)
    func toolNameClash(engine: TestDatabase) async throws {
        await #expect(throws: ToolRegistryError.self) {
            try await withTestApp(engine, plugins: [ClashingPlugin.self]) { _ in }
        }
    }

    @Test(
        "a plugin's tool, table, route and docs work through the API, scoped to each user",
        arguments: TestDatabase.available)
    func pluginThroughTheAPI(engine: TestDatabase) async throws {
        try await withTestApp(
            engine,
            plugins: [GreeterPlugin.self],
            manifests: ["plugins/greeter.yaml": "config:\n  greeting: Ahoy\n"]
        ) { api in
            let alice = try await api.register()
            let bob = try await api.register()

            let tools = try await api.send(.get, "/api/v1/tools", auth: alice.auth)
            let greet = try #require(
                tools["data"]?.arrayValue?.first { $0.objectValue?["name"] == "greet_person" }?.objectValue)
            #expect(greet["source"] == "plugin")
            #expect(greet["origin"] == "greeter")
            #expect(greet["timeout_seconds"] == 7)

            let invoked = try await api.send(
                .post,
                "/api/v1/tools/greet_person/invoke",
                json: ["arguments": ["name": "Alice"]],
                auth: alice.auth
            )
            #expect(invoked.status == .ok, "\(invoked.text)")
            #expect(invoked["content"] == "Ahoy, Alice!")
            let invalid = try await api.send(
                .post,
                "/api/v1/tools/greet_person/invoke",
                json: ["arguments": ["name": 3]],
                auth: alice.auth
            )
            #expect(invalid.status == .badRequest)

            // The agent loop calls the plugin's tool for the caller.
            let chat = try await api.send(.post, "/api/v1/chats", json: ["title": "hi"], auth: bob.auth)
            let chatID = try #require(chat["id"]?.stringValue)
            let sent = try await api.send(
                .post,
                "/api/v1/chats/\(chatID)/messages",
                json: ["content": "Please greet the person named \"Bob\"", "tools": ["greet_person"]],
                auth: bob.auth
            )
            #expect(sent.status == .ok, "\(sent.text)")
            let roles = sent["messages"]?.arrayValue?.compactMap { $0.objectValue?["role"]?.stringValue }
            #expect(roles == ["assistant", "tool", "assistant"])

            let aliceGreetings = try await api.send(.get, "/api/v1/greetings", auth: alice.auth)
            #expect(aliceGreetings["greetings"] == ["Ahoy, Alice!"])
            let bobGreetings = try await api.send(.get, "/api/v1/greetings", auth: bob.auth)
            #expect(bobGreetings["greetings"] == ["Ahoy, Bob!"])
            #expect(try await api.send(.get, "/api/v1/greetings").status == .unauthorized)
            let wrongMethod = try await api.send(.delete, "/api/v1/greetings", auth: alice.auth)
            #expect(wrongMethod.status == .methodNotAllowed)

            let document = try await api.send(.get, "/openapi.json")
            let operation = document["paths"]?.objectValue?["/api/v1/greetings"]?.objectValue?["get"]?.objectValue
            #expect(operation?["operationId"] == "listGreetings")
            #expect(operation?["tags"] == ["Greetings"])
            #expect(document["components"]?.objectValue?["schemas"]?.objectValue?["GreetingList"] != nil)
        }
    }
}
