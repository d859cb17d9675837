import AnvilCore
import AnvilStore
import Hummingbird
import Logging
import ServiceLifecycle

/// A compiled-in extension of the server: a Swift type that is created at startup from its manifest
/// (`manifests/plugins/<id>.yaml`) and contributes tools, and optionally database tables, HTTP routes under
/// `/api/v1`, and background services.
///
/// The smallest plugin names itself, declares no configuration and returns its tools:
///
/// ```swift
/// public struct DicePlugin: ToolPlugin {
///     public static let id = "dice"
///     public static let summary = "Rolls dice."
///     public init(configuration: EmptyPluginConfiguration, context: PluginContext) {}
///     public var tools: [any Tool] { [RollDiceTool()] }
/// }
/// ```
///
/// A plugin with settings declares them twice on purpose: as a `Decodable` type the plugin reads, and as a JSON
/// Schema the host checks the manifest against first. The schema is what turns a typo in a manifest into a startup
/// error naming the file and the key, and its `default`s fill in whatever the manifest leaves out, so the
/// `Configuration` type can use plain non-optional properties.
public protocol ToolPlugin: Sendable {
    /// What the manifest's `config` block decodes into, after the schema's defaults are applied. Keys are
    /// `snake_case` in the manifest and `camelCase` in Swift.
    associatedtype Configuration: Decodable & Sendable

    /// The plugin's unique id: the manifest's file name and the `origin` its tools are listed with.
    static var id: String { get }
    /// One line saying what the plugin adds, shown by `anvil plugins list`.
    static var summary: String { get }
    /// The JSON Schema of the manifest's `config` object, with a `default` for each optional setting.
    static var configurationSchema: JSONValue { get }
    /// The limits its tools run under unless the manifest's `tools` block says otherwise.
    static var defaultToolLimits: ToolLimits { get }
    /// Tables the plugin owns, namespaced by its id (`notes.0001_notes`); applied with the core migrations.
    static var migrations: [Migration] { get }

    /// Creates the plugin from its validated configuration. Throwing stops startup with the error's description.
    init(configuration: Configuration, context: PluginContext) async throws

    /// The tools the plugin offers; names must be unique across the server.
    var tools: [any Tool] { get }

    /// Adds the plugin's REST routes. `routes` is the authenticated `/api/v1` group: every request on it has a
    /// user (``AnvilRequestContext/requireUser()``), and errors thrown as ``APIError`` reach the client as they are.
    func addRoutes(to routes: RouterGroup<AnvilRequestContext>)

    /// The OpenAPI description of the routes ``addRoutes(to:)`` adds, merged into `/openapi.json`.
    var api: PluginAPI { get }

    /// Long-running work the plugin needs while the server runs (a sync loop, a child process), started after the
    /// database is migrated and stopped gracefully with the server.
    var services: [any Service] { get }

    /// Extra system context for a model call, such as memories relevant to the user's message; `nil` adds nothing.
    func conversationContext(for request: ConversationContextRequest) async throws -> ConversationContext?
}

extension ToolPlugin {
    public static var defaultToolLimits: ToolLimits { ToolLimits() }
    public static var migrations: [Migration] { [] }
    public func addRoutes(to routes: RouterGroup<AnvilRequestContext>) {}
    public var api: PluginAPI { PluginAPI() }
    public var services: [any Service] { [] }
    public func conversationContext(for request: ConversationContextRequest) async throws -> ConversationContext? {
        nil
    }
}

extension ToolPlugin where Configuration == EmptyPluginConfiguration {
    public static var configurationSchema: JSONValue {
        ["type": "object", "properties": [:], "additionalProperties": false]
    }
}

/// The configuration of a plugin that has no settings: its manifest's `config` must be empty or absent.
public struct EmptyPluginConfiguration: Decodable, Sendable, Hashable {
    public init() {}
}

/// What a plugin is given when it is created: where the data lives and how to reach it.
public struct PluginContext: Sendable {
    /// The server's database; plugins keep their tables in it, created by their ``ToolPlugin/migrations``.
    public var database: Database
    /// Seals secrets a plugin stores (such as credentials of an external server) with the server's key.
    public var secretBox: SecretBox
    /// The process environment, for settings a plugin documents as `ANVIL_*` variables.
    public var environment: [String: String]
    /// The directory for files the plugin keeps outside the database.
    public var dataDirectory: String
    /// Turns texts into vectors for semantic search, when an embedding model is configured.
    public var embedder: (any TextEmbedder)?
    public var logger: Logger

    public init(
        database: Database,
        secretBox: SecretBox,
        environment: [String: String],
        dataDirectory: String,
        embedder: (any TextEmbedder)? = nil,
        logger: Logger
    ) {
        self.database = database
        self.secretBox = secretBox
        self.environment = environment
        self.dataDirectory = dataDirectory
        self.embedder = embedder
        self.logger = logger
    }
}

/// What a model call is about, for plugins that add context to it.
public struct ConversationContextRequest: Sendable {
    public var userID: String
    public var chatID: String?
    /// The newest user message: what the context should be relevant to.
    public var query: String
    /// Whether the caller asked for context from uploaded documents (`use_rag`).
    public var useDocuments: Bool

    public init(userID: String, chatID: String?, query: String, useDocuments: Bool = false) {
        self.userID = userID
        self.chatID = chatID
        self.query = query
        self.useDocuments = useDocuments
    }
}

/// Context a plugin adds to a model call: text for the system prompt, and structured notes kept with the answer.
public struct ConversationContext: Sendable {
    /// Added to the system context of the call, as data rather than instructions.
    public var text: String
    /// Kept with the assistant's answer, e.g. the citations a numbered reference in the answer points to.
    public var annotations: [String: JSONValue]

    public init(text: String, annotations: [String: JSONValue] = [:]) {
        self.text = text
        self.annotations = annotations
    }
}
