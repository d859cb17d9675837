import AnvilCore
import AnvilPluginKit
import AnvilProviders
import AnvilStore
import Foundation
import Hummingbird

/// The OpenAI-compatible front under `/v1`, for the official SDKs and anything built on them.
///
/// Tools the client sends are offered to the model and any calls come back to the client as `tool_calls`, as
/// OpenAI does. Anvil's own tools run server-side when named in the `anvil_tools` extension field or enabled by
/// the model alias; the client then sees only the final answer.
struct OpenAIController {
    let runs: ChatRunService
    let router: ModelRouter
    let providerKeys: any ProviderKeyRepository
    let usageBatcher: UsageBatcher

    func addRoutes(to group: RouterGroup<AnvilRequestContext>) {
        group.post("chat/completions", use: chatCompletions)
        group.get("models", use: models)
        group.post("embeddings", use: embeddings)
    }

    @Sendable func chatCompletions(_ request: Request, context: AnvilRequestContext) async throws -> Response {
        let caller = try context.requireUser()
        let body = try await request.decodeJSON(as: OpenAIWire.ChatRequest.self, context: context)
        guard !body.messages.isEmpty else {
            throw APIError.invalidField("messages", "At least one message is required.")
        }
        if let n = body.n, n != 1 {
            throw APIError.invalidField("n", "Only n = 1 is supported.")
        }
        let messages = try body.messages.map { try $0.modelMessage() }
        let clientTools = try (body.tools ?? []).map { tool -> ToolSpec in
            guard tool.type == "function", ChatRules.isValidToolName(tool.function.name) else {
                throw APIError.invalidField(
                    "tools", "Tools must be functions with names of 1-64 letters, digits, _ or -.")
            }
            return ToolSpec(
                name: tool.function.name,
                description: tool.function.description ?? "",
                parameters: tool.function.parameters ?? ["type": "object", "properties": [:]]
            )
        }
        let options = try RunOptionsValidation.options(
            model: body.model,
            tools: body.anvilTools,
            temperature: body.temperature,
            maxTokens: body.maxCompletionTokens ?? body.maxTokens
        )
        let modelID = try runs.resolveModel(body.model)
        let serverTools = body.anvilTools ?? (clientTools.isEmpty ? router.defaultTools(forAlias: body.model) : [])
        if !serverTools.isEmpty, !clientTools.isEmpty {
            throw APIError.invalidField(
                "anvil_tools", "Use either client tools or anvil_tools in one request, not both.")
        }
        let streaming = body.stream ?? false
        let includeUsage = body.streamOptions?.includeUsage ?? false
        let completionID = "chatcmpl-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let created = Int(Date().timeIntervalSince1970)

        if !serverTools.isEmpty {
            var agentOptions = options
            agentOptions.tools = serverTools
            agentOptions.addsPluginContext = false
            let prepared = try await runs.prepareStateless(user: caller, messages: messages, options: agentOptions)
            let stream = OpenAIStream(id: completionID, created: created, model: body.model, includeUsage: includeUsage)
            guard streaming else {
                let run = try await runs.execute(prepared)
                return try stream.completion(
                    message: run.finalMessage ?? .assistant(""),
                    finishReason: .stop,
                    usage: run.usage
                ).response(from: request, context: context)
            }
            let runs = self.runs
            return ServerSentEvents.response { writer in
                try await stream.streamAgentRun(prepared, service: runs, writer: &writer)
            }
        }

        var completionRequest = CompletionRequest(
            model: modelID,
            messages: messages,
            tools: clientTools,
            toolChoice: body.toolChoice?.choice ?? .auto,
            temperature: options.temperature,
            maxTokens: options.maxTokens,
            responseSchema: Self.responseSchema(body.responseFormat)
        )
        if clientTools.isEmpty { completionRequest.toolChoice = .auto }
        let model = RoutedModel(router: router, modelID: modelID, userID: caller.id, providerKeys: providerKeys)
        let usageRecorder = UsageRecorder(batcher: usageBatcher, userID: caller.id, model: modelID)
        let stream = OpenAIStream(id: completionID, created: created, model: body.model, includeUsage: includeUsage)
        guard streaming else {
            let completion: Completion
            do {
                completion = try await model.complete(completionRequest)
            } catch {
                throw RunFailure.apiError(for: error)
            }
            let usage = completion.usage ?? TokenUsage()
            usageRecorder.record(usage)
            return try stream.completion(
                message: completion.message,
                finishReason: completion.finishReason,
                usage: usage
            ).response(from: request, context: context)
        }
        let upstream: CompletionStream
        do {
            upstream = try await model.stream(completionRequest)
        } catch {
            throw RunFailure.apiError(for: error)
        }
        return ServerSentEvents.response { writer in
            try await stream.relay(upstream, usageRecorder: usageRecorder, writer: &writer)
        }
    }

    @Sendable func models(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<OpenAIWire.ModelList>
    {
        _ = try context.requireUser()
        let models = await router.listModels()
        let created = Int(Date().timeIntervalSince1970)
        return JSONResponse(
            OpenAIWire.ModelList(
                data: models.map { OpenAIWire.ModelEntry(id: $0.id, created: created, ownedBy: $0.provider) }
            )
        )
    }

    @Sendable func embeddings(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<OpenAIWire.EmbeddingList>
    {
        let caller = try context.requireUser()
        let body = try await request.decodeJSON(as: OpenAIWire.EmbeddingRequest.self, context: context)
        guard !body.input.isEmpty, body.input.count <= 2048 else {
            throw APIError.invalidField("input", "Send 1 to 2048 inputs.")
        }
        let base64: Bool
        switch body.encodingFormat {
        case nil, "float": base64 = false
        case "base64": base64 = true
        default: throw APIError.invalidField("encoding_format", "encoding_format must be float or base64.")
        }
        let modelID = try runs.resolveModel(body.model)
        let model = RoutedModel(router: router, modelID: modelID, userID: caller.id, providerKeys: providerKeys)
        let response: EmbeddingResponse
        do {
            response = try await model.embed(EmbeddingRequest(model: modelID, inputs: body.input))
        } catch {
            throw RunFailure.apiError(for: error)
        }
        UsageRecorder(batcher: usageBatcher, userID: caller.id, model: modelID).record(response.usage)
        return JSONResponse(
            OpenAIWire.EmbeddingList(
                data: response.vectors.enumerated().map { index, vector in
                    OpenAIWire.Embedding(
                        index: index,
                        embedding: base64 ? .base64(Self.base64(vector)) : .floats(vector)
                    )
                },
                model: body.model,
                usage: OpenAIWire.EmbeddingUsage(
                    promptTokens: response.usage.promptTokens,
                    totalTokens: response.usage.totalTokens
                )
            )
        )
    }

    /// Little-endian float32s, base64-encoded, as OpenAI returns them.
    static func base64(_ vector: [Float]) -> String {
        var data = Data(capacity: vector.count * 4)
        for value in vector {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
        }
        return data.base64EncodedString()
    }

    /// The JSON Schema of `response_format: {"type": "json_schema", "json_schema": {"schema": ...}}`.
    static func responseSchema(_ format: JSONValue?) -> JSONValue? {
        guard let object = format?.objectValue, object["type"]?.stringValue == "json_schema" else { return nil }
        return object["json_schema"]?.objectValue?["schema"]
    }
}

/// Records usage of calls made outside a chat through the batcher, never failing the request over it.
struct UsageRecorder: Sendable {
    let batcher: UsageBatcher
    let userID: String
    let model: String

    func record(_ usage: TokenUsage) {
        batcher.record(UsageRecord(userID: userID, chatID: nil, model: model, usage: usage))
    }
}
