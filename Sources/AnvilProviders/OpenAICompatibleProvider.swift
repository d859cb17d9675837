import AnvilCore
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat

/// A provider speaking OpenAI's chat completions API: OpenAI itself, and Ollama, vLLM, llama.cpp, LM Studio,
/// Groq, OpenRouter, Together, Mistral, DeepSeek, Gemini's OpenAI endpoint.
///
/// Failures before the answer starts (429, 5xx, connection errors) are retried with backoff; `stream` returns
/// only once the response head is a success, so a router can still fall back when it throws.
public struct OpenAICompatibleProvider: ModelProvider {
    public let settings: ProviderSettings
    private let transport: ProviderTransport

    public var name: String { settings.name }

    /// - Parameters:
    ///   - httpClient: shared with the rest of the application, which also shuts it down.
    ///   - retryPolicy: the waits between retries; the number of retries is `settings.maxRetries`.
    public init(
        settings: ProviderSettings,
        httpClient: HTTPClient,
        retryPolicy: RetryPolicy = RetryPolicy(),
        logger: Logger = Logger(label: "anvil.providers.openai")
    ) {
        self.settings = settings
        var logger = logger
        logger[metadataKey: "provider"] = "\(settings.name)"
        self.transport = ProviderTransport(
            client: httpClient, settings: settings, retryPolicy: retryPolicy, logger: logger)
    }

    public func complete(_ request: CompletionRequest) async throws -> Completion {
        let body = try transport.jsonBody(OpenAIWire.ChatRequest(request, stream: false))
        let answer = try await transport.send(
            transport.request(.POST, path: "chat/completions", headers: headers(apiKey: request.apiKey), body: body),
            timeout: settings.readTimeout
        )
        let response = try await transport.decode(OpenAIWire.ChatResponse.self, from: answer)
        guard let choice = response.choices.first(where: { ($0.index ?? 0) == 0 }) ?? response.choices.first else {
            throw ProviderError.invalidResponse("the answer has no choices")
        }
        let text = choice.message?.content?.value ?? ""
        let calls = (choice.message?.toolCalls ?? []).enumerated().map { position, call in
            ToolCall(
                id: call.id.isEmpty ? "call_\(position)" : call.id, name: call.function.name,
                arguments: call.function.arguments)
        }
        let reason = OpenAIWire.finishReason(choice.finishReason) ?? (calls.isEmpty ? .stop : .toolCalls)
        return Completion(
            message: .assistant(text.isEmpty && !calls.isEmpty ? nil : text, toolCalls: calls),
            finishReason: reason,
            usage: response.usage?.tokenUsage,
            model: response.model ?? request.model
        )
    }

    public func stream(_ request: CompletionRequest) async throws -> CompletionStream {
        let body = try transport.jsonBody(OpenAIWire.ChatRequest(request, stream: true))
        var httpRequest = transport.request(
            .POST, path: "chat/completions", headers: headers(apiKey: request.apiKey), body: body)
        httpRequest.headers.replaceOrAdd(name: "accept", value: "text/event-stream")
        let answer = try await transport.send(httpRequest, timeout: settings.connectTimeout)
        return transport.events(of: answer, decoder: OpenAIStreamDecoder())
    }

    /// The models the server lists; on failure this throws and the caller decides whether to use
    /// `settings.models` instead.
    public func listModels() async throws -> [ModelInfo] {
        let answer = try await transport.send(
            transport.request(.GET, path: "models", headers: headers(apiKey: nil)),
            timeout: settings.readTimeout
        )
        let list = try await transport.decode(OpenAIWire.ModelList.self, from: answer)
        return list.data.map { ModelInfo(id: "\(settings.name):\($0.id)", provider: settings.name) }
    }

    /// Asks for float vectors; a server that answers in base64 anyway is understood too.
    public func embed(_ request: EmbeddingRequest) async throws -> EmbeddingResponse {
        guard !request.inputs.isEmpty else {
            return EmbeddingResponse(vectors: [], usage: TokenUsage(), model: request.model)
        }
        let body = try transport.jsonBody(OpenAIWire.EmbeddingRequest(model: request.model, input: request.inputs))
        let answer = try await transport.send(
            transport.request(.POST, path: "embeddings", headers: headers(apiKey: request.apiKey), body: body),
            timeout: settings.readTimeout
        )
        let response = try await transport.decode(OpenAIWire.EmbeddingResponse.self, from: answer)
        guard response.data.count == request.inputs.count else {
            throw ProviderError.invalidResponse(
                "\(response.data.count) embeddings for \(request.inputs.count) inputs")
        }
        let ordered = response.data.enumerated().sorted {
            ($0.element.index ?? $0.offset) < ($1.element.index ?? $1.offset)
        }
        var vectors: [[Float]] = []
        vectors.reserveCapacity(ordered.count)
        for item in ordered { vectors.append(try item.element.embedding.floats()) }
        return EmbeddingResponse(
            vectors: vectors,
            usage: response.usage?.tokenUsage ?? TokenUsage(),
            model: response.model ?? request.model
        )
    }

    private func headers(apiKey: String?) -> [(String, String)] {
        guard let key = apiKey ?? settings.apiKey, !key.isEmpty else { return [] }
        return [("authorization", "Bearer \(key)")]
    }
}
