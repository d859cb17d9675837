import AnvilPluginKit
import OpenAPIKit

/// The OpenAPI 3.1 description of the server, built as typed values so a misspelt field or a dangling reference is a
/// compile error or a failing test rather than a silent mistake in a hand-written JSON file.
///
/// The document is assembled from three parts kept in their own files: the shared schemas
/// (`APIDocument+Schemas.swift`), the shared responses, parameters and security schemes
/// (`APIDocument+Components.swift`), and the operations (`APIDocument+Paths.swift`).
enum APIDocument {
    /// OpenAPIKit 6 defaults new documents to 3.2.0; we declare 3.1 because that is what clients, validators and
    /// fuzzers such as schemathesis understand today, and the document uses no 3.2 feature.
    static let openAPIVersion = OpenAPI.Document.Version.v3_1_1

    /// The complete document, built fresh on each call; callers build it once and keep the encoded result.
    ///
    /// - Parameter plugins: the API descriptions of the enabled plugins, whose operations, schemas and tags are
    ///   added after the core's.
    static func make(plugins: [PluginAPI] = []) throws -> OpenAPI.Document {
        OpenAPI.Document(
            openAPIVersion: openAPIVersion,
            info: OpenAPI.Document.Info(
                title: "Anvil API",
                description: """
                    Anvil is a self-hosted chat and agent server. Endpoints under `/api/v1` need a credential \
                    (an access token or an API key) except the four session endpoints of the Auth tag; so do the \
                    OpenAI-compatible endpoints under `/v1`, which take the same credentials. Every response \
                    carries an `X-Request-Id` header; errors share one JSON shape, the `Error` schema, on `/v1` too.
                    """,
                version: "0.1.0"
            ),
            servers: [OpenAPI.Server(urlTemplate: try URLTemplate(templateString: "/"))],
            paths: paths(plugins: plugins),
            components: try components(plugins: plugins),
            tags: Tag.allCases.map { OpenAPI.Tag(name: $0.rawValue, description: $0.description) }
                + plugins.compactMap(\.tag).map { OpenAPI.Tag(name: $0.name, description: $0.description) }
        )
    }

    /// The groups operations are listed under, in the order the docs page shows them.
    enum Tag: String, CaseIterable {
        case ops = "Ops"
        case auth = "Auth"
        case apiKeys = "API keys"
        case providerKeys = "Provider keys"
        case chats = "Chats"
        case completions = "Completions"
        case models = "Models"
        case tools = "Tools"
        case prompts = "Prompts"
        case openAI = "OpenAI-compatible"

        var description: String {
            switch self {
            case .ops: "Liveness, readiness, metrics and this documentation. No credential needed."
            case .auth: "Accounts and sessions: register, log in, rotate tokens, and manage your own account."
            case .apiKeys: "Long-lived keys for programs. The secret is shown once, when the key is created."
            case .providerKeys: "Your own keys for model providers. They can be set and removed, never read back."
            case .chats: "Conversations, their message history and token use. Other users' chats answer 404."
            case .completions:
                """
                Running the model: send a message to a chat, or complete a list of messages. The server runs its \
                tools as the model asks for them, and answers with one JSON object or, on request, a stream of \
                server-sent events.
                """
            case .models: "The models the server can route to, across every configured provider, and the default."
            case .tools:
                "The tools the agent loop can offer a model, with their parameter schemas, and running one directly."
            case .prompts:
                """
                The prompt compiler: templates with typed placeholders compiled into JSON Schemas and forms,                 values read out of free text, rendering, rewriting rough prompts with a model, and saved templates.                 Other users' templates answer 404.
                """
            case .openAI:
                """
                OpenAI's chat completions, models and embeddings APIs under `/v1`, for the official SDKs and tools \
                built on them: point the SDK's base URL at `/v1` and use an Anvil API key as the OpenAI key. \
                Errors keep Anvil's `Error` shape.
                """
            }
        }
    }

    private static func components(plugins: [PluginAPI]) throws -> OpenAPI.Components {
        let core = Schema.allCases.map { ($0.rawValue, $0.definition) }
        let added = plugins.flatMap { $0.schemas.map { ($0.name, $0.schema) } }
        var seen = Set<String>()
        for (name, _) in core + added where !seen.insert(name).inserted {
            throw APIDocumentError.duplicateSchema(name)
        }
        return OpenAPI.Components(
            schemas: componentMap(core + added),
            responses: componentMap(SharedResponse.allCases.map { ($0.rawValue, .b($0.definition)) }),
            parameters: componentMap(SharedParameter.allCases.map { ($0.rawValue, .b($0.definition)) }),
            headers: componentMap([(requestIDHeaderName, .b(requestIDHeader))]),
            securitySchemes: componentMap(SecuritySchemeName.allCases.map { ($0.rawValue, .b($0.definition)) })
        )
    }

    /// Components keyed by name in the order given, which is the order they are declared in.
    private static func componentMap<Value>(
        _ entries: [(String, Value)]
    ) -> OrderedDictionary<OpenAPI.ComponentKey, Value> {
        var map = OrderedDictionary<OpenAPI.ComponentKey, Value>()
        for (name, value) in entries {
            map[OpenAPI.ComponentKey(stringLiteral: name)] = value
        }
        return map
    }
}

/// Why the API description could not be assembled.
enum APIDocumentError: Error, CustomStringConvertible {
    /// Two schemas, the core's or plugins', share a component name.
    case duplicateSchema(String)

    var description: String {
        switch self {
        case .duplicateSchema(let name): "two API schemas are called '\(name)'; rename one of them"
        }
    }
}
