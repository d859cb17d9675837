import AnvilCore
import Foundation

/// The wire protocol a provider speaks.
public enum ProviderKind: String, Sendable, Hashable, Codable {
    /// OpenAI's chat completions API, also served by Ollama, vLLM, llama.cpp, LM Studio, Groq, OpenRouter, ...
    case openAI = "openai"
    /// Anthropic's Messages API.
    case anthropic
    /// The built-in offline model.
    case local
}

/// How to reach one configured provider.
public struct ProviderSettings: Sendable, Hashable {
    /// The name used before `:` in model ids, e.g. `openai`, `ollama`, `anthropic`, `local`.
    public var name: String
    public var kind: ProviderKind
    /// The API root, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`.
    public var baseURL: String
    /// The key sent to the provider; a user's stored key for this provider takes precedence.
    public var apiKey: String?
    /// Extra headers sent with every request (for example OpenRouter's `HTTP-Referer`).
    public var headers: [String: String]
    /// Models to list when the provider cannot list them itself.
    public var models: [String]
    /// Time allowed to connect and to receive the response head.
    public var connectTimeout: Duration
    /// Time allowed for a whole non-streaming call, or between two chunks of a stream.
    public var readTimeout: Duration
    /// Attempts after the first for failures before the first byte (429, 5xx, connection errors).
    public var maxRetries: Int

    public init(
        name: String,
        kind: ProviderKind,
        baseURL: String,
        apiKey: String? = nil,
        headers: [String: String] = [:],
        models: [String] = [],
        connectTimeout: Duration = .seconds(10),
        readTimeout: Duration = .seconds(120),
        maxRetries: Int = 2
    ) {
        self.name = name
        self.kind = kind
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.headers = headers
        self.models = models
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.maxRetries = maxRetries
    }
}
