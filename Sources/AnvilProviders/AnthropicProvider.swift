import AnvilCore
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat

/// A provider speaking Anthropic's Messages API.
///
/// Shares retries, deadlines and stream handling with ``OpenAICompatibleProvider``; what differs is the wire
/// format: a top-level `system`, `tool_use` / `tool_result` blocks, and typed stream events.
public struct AnthropicProvider: ModelProvider {
    /// The API version whose formats this type speaks.
    public static let apiVersion = "2023-06-01"

    public let settings: ProviderSettings
    private let transport: ProviderTransport

    public var name: String { settings.name }

    /// - Parameters:
    ///   - settings: `baseURL` is the API root including the version, e.g. `https://api.anthropic.com/v1`.
    ///   - httpClient: shared with the rest of the application, which also shuts it down.
    ///   - retryPolicy: the waits between retries; the number of retries is `settings.maxRetries`.
    public init(
        settings: ProviderSettings,
        httpClient: HTTPClient,
        retryPolicy: RetryPolicy = RetryPolicy(),
        logger: Logger = Logger(label: "anvil.providers.anthropic")
    ) {
        self.settings = settings
        var logger = logger
        logger[metadataKey: "provider"] = "\(settings.name)"
        self.transport = ProviderTransport(
            client: httpClient, settings: settings, retryPolicy: retryPolicy, logger: logger)
    }

    public func complete(_ request: CompletionRequest) async throws -> Completion {
        let body = try transport.jsonBody(AnthropicWire.MessagesRequest(request, stream: false))
        let answer = try await transport.send(
            transport.request(.POST, path: "messages", headers: try headers(apiKey: request.apiKey), body: body),
            timeout: settings.readTimeout
        )
        let response = try await transport.decode(AnthropicWire.MessageResponse.self, from: answer)
        var text = ""
        var calls: [ToolCall] = []
        for block in response.content ?? [] {
            switch block.type {
            case "text":
                text += block.text ?? ""
            case "tool_use"
            where request.responseSchema != nil && request.tools.isEmpty
                && block.name == AnthropicWire.structuredOutputTool:
                // The forced structured-output tool: its input is the answer, as JSON text.
                text += (block.input ?? [:]).jsonText
            case "tool_use":
                calls.append(
                    ToolCall(
                        id: block.id ?? "call_\(calls.count)",
                        name: block.name ?? "",
                        arguments: (block.input ?? [:]).jsonText
                    )
                )
            default:
                break
            }
        }
        var reason = AnthropicWire.finishReason(response.stopReason) ?? (calls.isEmpty ? .stop : .toolCalls)
        if reason == .toolCalls, calls.isEmpty { reason = .stop }
        let usage = response.usage.map {
            TokenUsage(promptTokens: $0.promptTokens ?? 0, completionTokens: $0.outputTokens ?? 0)
        }
        return Completion(
            message: .assistant(text.isEmpty && !calls.isEmpty ? nil : text, toolCalls: calls),
            finishReason: reason,
            usage: usage,
            model: response.model ?? request.model
        )
    }

    public func stream(_ request: CompletionRequest) async throws -> CompletionStream {
        let body = try transport.jsonBody(AnthropicWire.MessagesRequest(request, stream: true))
        var httpRequest = transport.request(
            .POST, path: "messages", headers: try headers(apiKey: request.apiKey), body: body)
        httpRequest.headers.replaceOrAdd(name: "accept", value: "text/event-stream")
        let answer = try await transport.send(httpRequest, timeout: settings.connectTimeout)
        return transport.events(of: answer, decoder: AnthropicStreamDecoder())
    }

    /// All models the account can use, following `has_more` pages.
    public func listModels() async throws -> [ModelInfo] {
        var models: [ModelInfo] = []
        var after: String?
        // Bounded so that a server that always says `has_more` cannot keep us here.
        for _ in 0..<20 {
            var path = "models?limit=1000"
            if let after, let escaped = after.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) {
                path += "&after_id=\(escaped)"
            }
            let answer = try await transport.send(
                transport.request(.GET, path: path, headers: try headers(apiKey: nil)),
                timeout: settings.readTimeout
            )
            let page = try await transport.decode(AnthropicWire.ModelList.self, from: answer)
            models += page.data.map {
                ModelInfo(id: "\(settings.name):\($0.id)", provider: settings.name, supportsVision: true)
            }
            guard page.hasMore == true, let last = page.lastID, !page.data.isEmpty else { break }
            after = last
        }
        return models
    }

    /// Anthropic has no embeddings endpoint.
    public func embed(_ request: EmbeddingRequest) async throws -> EmbeddingResponse {
        throw ProviderError.unsupported("embeddings")
    }

    private func headers(apiKey: String?) throws -> [(String, String)] {
        var headers = [("anthropic-version", Self.apiVersion)]
        if let key = apiKey ?? settings.apiKey, !key.isEmpty {
            headers.append(("x-api-key", key))
        } else if !settings.headers.keys.contains(where: { ["x-api-key", "authorization"].contains($0.lowercased()) }) {
            // A gateway may authenticate through configured headers instead; otherwise the call cannot succeed.
            throw ProviderError.missingCredentials(provider: settings.name)
        }
        return headers
    }
}
