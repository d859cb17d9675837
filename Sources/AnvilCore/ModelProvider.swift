import Foundation

/// A tool as offered to a model: its name, what it does, and a JSON Schema for its arguments.
public struct ToolSpec: Sendable, Hashable {
    public var name: String
    public var description: String
    /// A JSON Schema object describing the arguments.
    public var parameters: JSONValue

    public init(name: String, description: String, parameters: JSONValue) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }
}

/// Whether and how the model may call tools.
public enum ToolChoice: Sendable, Hashable {
    case auto
    case none
    case required
    case named(String)
}

/// One call to a model, in provider-neutral form.
public struct CompletionRequest: Sendable {
    /// The model name as the provider knows it (without the `provider:` prefix).
    public var model: String
    public var messages: [ModelMessage]
    public var tools: [ToolSpec]
    public var toolChoice: ToolChoice
    public var temperature: Double?
    public var maxTokens: Int?
    /// A JSON Schema the answer must follow (structured output), when the provider supports it.
    public var responseSchema: JSONValue?
    /// The API key to use instead of the provider's configured one (a user's stored key).
    public var apiKey: String?

    public init(
        model: String,
        messages: [ModelMessage],
        tools: [ToolSpec] = [],
        toolChoice: ToolChoice = .auto,
        temperature: Double? = nil,
        maxTokens: Int? = nil,
        responseSchema: JSONValue? = nil,
        apiKey: String? = nil
    ) {
        self.model = model
        self.messages = messages
        self.tools = tools
        self.toolChoice = toolChoice
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.responseSchema = responseSchema
        self.apiKey = apiKey
    }
}

/// A finished model answer.
public struct Completion: Sendable, Hashable {
    public var message: ModelMessage
    public var finishReason: FinishReason
    public var usage: TokenUsage?
    /// The model that answered, as the provider reported it.
    public var model: String

    public init(message: ModelMessage, finishReason: FinishReason, usage: TokenUsage?, model: String) {
        self.message = message
        self.finishReason = finishReason
        self.usage = usage
        self.model = model
    }
}

/// A fragment of a tool call as it streams in. The first fragment of a call carries its id and name; later ones
/// carry pieces of the arguments.
public struct ToolCallDelta: Sendable, Hashable {
    public var index: Int
    public var id: String?
    public var name: String?
    public var arguments: String

    public init(index: Int, id: String? = nil, name: String? = nil, arguments: String = "") {
        self.index = index
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// What a streaming model call yields, in order.
public enum CompletionEvent: Sendable, Hashable {
    case textDelta(String)
    case toolCallDelta(ToolCallDelta)
    case usage(TokenUsage)
    case finished(FinishReason)
}

/// A stream of completion events; it throws ``ProviderError`` when the provider fails mid-stream.
public typealias CompletionStream = AsyncThrowingStream<CompletionEvent, any Error>

/// What a model can do, as far as Anvil knows.
public struct ModelInfo: Sendable, Hashable {
    /// `provider:model`.
    public var id: String
    public var provider: String
    public var supportsTools: Bool
    public var supportsStreaming: Bool
    public var supportsVision: Bool
    public var supportsEmbeddings: Bool
    public var contextWindow: Int?

    public init(
        id: String,
        provider: String,
        supportsTools: Bool = true,
        supportsStreaming: Bool = true,
        supportsVision: Bool = false,
        supportsEmbeddings: Bool = false,
        contextWindow: Int? = nil
    ) {
        self.id = id
        self.provider = provider
        self.supportsTools = supportsTools
        self.supportsStreaming = supportsStreaming
        self.supportsVision = supportsVision
        self.supportsEmbeddings = supportsEmbeddings
        self.contextWindow = contextWindow
    }
}

/// A request for embeddings of one or more inputs.
public struct EmbeddingRequest: Sendable {
    public var model: String
    public var inputs: [String]
    public var apiKey: String?

    public init(model: String, inputs: [String], apiKey: String? = nil) {
        self.model = model
        self.inputs = inputs
        self.apiKey = apiKey
    }
}

public struct EmbeddingResponse: Sendable {
    public var vectors: [[Float]]
    public var usage: TokenUsage
    public var model: String

    public init(vectors: [[Float]], usage: TokenUsage, model: String) {
        self.vectors = vectors
        self.usage = usage
        self.model = model
    }
}

/// A source of model completions: an OpenAI-compatible server, Anthropic, or the built-in offline model.
///
/// `stream` throws before returning when the call fails before the first byte of the answer (so a router may
/// retry or fall back); failures after that arrive through the stream.
public protocol ModelProvider: Sendable {
    /// The provider's name, the part before `:` in model ids.
    var name: String { get }
    func complete(_ request: CompletionRequest) async throws -> Completion
    func stream(_ request: CompletionRequest) async throws -> CompletionStream
    func listModels() async throws -> [ModelInfo]
    func embed(_ request: EmbeddingRequest) async throws -> EmbeddingResponse
}

/// How a provider call failed. `beforeFirstByte` failures are safe to retry or send elsewhere.
public enum ProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The provider answered with an error status.
    case http(status: Int, message: String, type: String?)
    /// The connection failed or was refused.
    case connection(String)
    case timeout
    /// The provider's answer could not be understood.
    case invalidResponse(String)
    /// The provider does not do this (for example embeddings).
    case unsupported(String)
    /// No provider or model by this name is configured.
    case unknownModel(String)
    /// No API key is available for a provider that needs one.
    case missingCredentials(provider: String)

    public var description: String {
        switch self {
        case .http(let status, let message, _): "provider answered \(status): \(message)"
        case .connection(let reason): "cannot reach the provider: \(reason)"
        case .timeout: "the provider did not answer in time"
        case .invalidResponse(let reason): "the provider's answer is invalid: \(reason)"
        case .unsupported(let what): "not supported by this provider: \(what)"
        case .unknownModel(let model): "unknown model '\(model)'"
        case .missingCredentials(let provider): "no API key is configured for provider '\(provider)'"
        }
    }

    /// Rate limits, server errors, timeouts and connection failures may succeed on another try.
    public var isRetryable: Bool {
        switch self {
        case .http(let status, _, _): status == 429 || status >= 500
        case .connection, .timeout: true
        case .invalidResponse, .unsupported, .unknownModel, .missingCredentials: false
        }
    }
}
