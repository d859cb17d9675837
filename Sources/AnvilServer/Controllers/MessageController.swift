import AnvilCore
import AnvilPluginKit
import AnvilStore
import Foundation
import Hummingbird

/// Sending a message to a chat (which runs the agent loop, streamed or not) and the chat's token account.
struct MessageController {
    static let maximumContentLength = 200_000
    let chats: any ChatRepository
    let usage: any UsageRepository
    let runs: ChatRunService

    func addRoutes(to group: RouterGroup<AnvilRequestContext>) {
        group.post(":id/messages", use: send)
        group.get(":id/usage", use: chatUsage)
    }

    struct SendRequest: Decodable {
        var content: String
        var model: String?
        var tools: [String]?
        var stream: Bool?
        var temperature: Double?
        var maxTokens: Int?
        /// Offer passages of the user's documents, with numbered citations; a chat can turn it on in its metadata.
        var useRAG: Bool?

        enum CodingKeys: String, CodingKey {
            case content, model, tools, stream, temperature
            case maxTokens = "max_tokens"
            case useRAG = "use_rag"
        }
    }

    struct SendResponse: Encodable, Sendable {
        var userMessage: MessageRepresentation
        var messages: [MessageRepresentation]
        var usage: UsageRepresentation
        var limitReached: AgentLimit?
        var chat: ChatRepresentation

        enum CodingKeys: String, CodingKey {
            case messages, usage, chat
            case userMessage = "user_message"
            case limitReached = "limit_reached"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(userMessage, forKey: .userMessage)
            try container.encode(messages, forKey: .messages)
            try container.encode(usage, forKey: .usage)
            try container.encode(limitReached, forKey: .limitReached)
            try container.encode(chat, forKey: .chat)
        }
    }

    struct ChatUsageResponse: Encodable, Sendable {
        var totalTokensUsed: Int
        var tokenLimit: Int
        var tokensRemaining: Int
        var percentageUsed: Double

        enum CodingKeys: String, CodingKey {
            case totalTokensUsed = "total_tokens_used"
            case tokenLimit = "token_limit"
            case tokensRemaining = "tokens_remaining"
            case percentageUsed = "percentage_used"
        }
    }

    @Sendable func send(_ request: Request, context: AnvilRequestContext) async throws -> Response {
        let caller = try context.requireUser()
        let chat = try await ownedChat(context)
        let body = try await request.decodeJSON(as: SendRequest.self, context: context)
        let content = body.content.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !content.isEmpty, content.count <= Self.maximumContentLength else {
            throw APIError.invalidField("content", "The content must be 1 to \(Self.maximumContentLength) characters.")
        }
        let options = try RunOptionsValidation.options(
            model: body.model,
            tools: body.tools,
            temperature: body.temperature,
            maxTokens: body.maxTokens,
            useRAG: body.useRAG
        )
        let streaming = body.stream ?? ServerSentEvents.accepted(by: request)
        var runOptions = options
        if body.useRAG == nil, chat.metadata["use_rag"] == .bool(true) { runOptions.useRAG = true }
        let prepared = try await runs.prepareChatTurn(user: caller, chat: chat, content: content, options: runOptions)
        guard let userMessage = prepared.userMessage else { throw APIError.unexpected }

        guard streaming else {
            let run = try await runs.execute(prepared)
            let response = SendResponse(
                userMessage: MessageRepresentation(message: userMessage),
                messages: prepared.transcript.messages.map { MessageRepresentation(message: $0) },
                usage: UsageRepresentation(run.usage),
                limitReached: run.limit,
                chat: ChatRepresentation(chat: chat)
            )
            return try JSONResponse(response).response(from: request, context: context)
        }

        let runs = self.runs
        return ServerSentEvents.response { writer in
            try await RunStreamer.stream(
                prepared,
                service: runs,
                first: [.messageCreated(userMessage)],
                chat: chat,
                writer: &writer
            )
        }
    }

    @Sendable func chatUsage(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<ChatUsageResponse>
    {
        let chat = try await ownedChat(context)
        let limit = runs.tokenLimit(of: chat)
        let account = try await usage.chatUsage(chatID: chat.id, limit: limit)
        return JSONResponse(
            ChatUsageResponse(
                totalTokensUsed: account.used,
                tokenLimit: limit,
                tokensRemaining: account.remaining,
                percentageUsed: (account.percentageUsed * 100).rounded() / 100
            )
        )
    }

    private func ownedChat(_ context: AnvilRequestContext) async throws -> Chat {
        let caller = try context.requireUser()
        guard let chat = try await chats.find(id: try context.pathParameter("id"), userID: caller.id) else {
            throw APIError.notFound("Chat")
        }
        return chat
    }
}

/// Checks the per-run options shared by the chat and completion endpoints.
enum RunOptionsValidation {
    static func options(
        model: String?,
        tools: [String]?,
        temperature: Double?,
        maxTokens: Int?,
        useRAG: Bool? = nil
    ) throws
        -> ChatRunService.Options
    {
        if let model, model.isEmpty || model.count > ChatRules.maximumModelLength {
            throw APIError.invalidField("model", "The model must be 1 to \(ChatRules.maximumModelLength) characters.")
        }
        if let tools, let bad = tools.first(where: { !ChatRules.isValidToolName($0) }) {
            throw APIError.invalidField("tools", "'\(bad.prefix(64))' is not a valid tool name.")
        }
        if let temperature, !(0...2).contains(temperature) {
            throw APIError.invalidField("temperature", "The temperature must be from 0 to 2.")
        }
        if let maxTokens, !(1...1_000_000).contains(maxTokens) {
            throw APIError.invalidField("max_tokens", "max_tokens must be from 1 to 1000000.")
        }
        return ChatRunService.Options(
            model: model,
            tools: tools,
            temperature: temperature,
            maxTokens: maxTokens,
            useRAG: useRAG ?? false
        )
    }
}
