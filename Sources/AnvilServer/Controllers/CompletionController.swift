import AnvilCore
import AnvilPluginKit
import AnvilStore
import Foundation
import Hummingbird

/// `POST /api/v1/chat/completions`: one agent run over given messages. With `chat_id`, the last message is the
/// user's new turn in that chat and the chat's stored history supplies the rest; without, the run is stateless
/// and only its usage is recorded.
struct CompletionController {
    let chats: any ChatRepository
    let runs: ChatRunService

    func addRoutes(to group: RouterGroup<AnvilRequestContext>) {
        group.post("chat/completions", use: complete)
    }

    struct CompletionRequestBody: Decodable {
        var chatID: String?
        var model: String?
        var messages: [OpenAIWire.Message]
        var temperature: Double?
        var maxTokens: Int?
        /// Offer passages of the user's documents, with numbered citations; a chat can turn it on in its metadata.
        var useRAG: Bool?
        var stream: Bool?
        var tools: [String]?

        enum CodingKeys: String, CodingKey {
            case model, messages, temperature, stream, tools
            case chatID = "chat_id"
            case maxTokens = "max_tokens"
            case useRAG = "use_rag"
        }
    }

    struct CompletionResponse: Encodable, Sendable {
        var chatID: String?
        var model: String
        var message: MessageRepresentation?
        var messages: [MessageRepresentation]
        var usage: UsageRepresentation
        var limitReached: AgentLimit?

        enum CodingKeys: String, CodingKey {
            case model, message, messages, usage
            case chatID = "chat_id"
            case limitReached = "limit_reached"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(chatID, forKey: .chatID)
            try container.encode(model, forKey: .model)
            try container.encode(message, forKey: .message)
            try container.encode(messages, forKey: .messages)
            try container.encode(usage, forKey: .usage)
            try container.encode(limitReached, forKey: .limitReached)
        }
    }

    @Sendable func complete(_ request: Request, context: AnvilRequestContext) async throws -> Response {
        let caller = try context.requireUser()
        let body = try await request.decodeJSON(as: CompletionRequestBody.self, context: context)
        guard !body.messages.isEmpty else {
            throw APIError.invalidField("messages", "At least one message is required.")
        }
        let messages = try body.messages.map { try $0.modelMessage() }
        let options = try RunOptionsValidation.options(
            model: body.model,
            tools: body.tools,
            temperature: body.temperature,
            maxTokens: body.maxTokens,
            useRAG: body.useRAG
        )
        let streaming = body.stream ?? ServerSentEvents.accepted(by: request)
        var chat: Chat?
        let prepared: PreparedRun
        if let chatID = body.chatID {
            guard let found = try await chats.find(id: chatID, userID: caller.id) else {
                throw APIError.notFound("Chat")
            }
            guard let last = messages.last, last.role == .user, !last.text.isEmpty else {
                throw APIError.invalidField("messages", "With chat_id, the last message must be the user's turn.")
            }
            chat = found
            prepared = try await runs.prepareChatTurn(user: caller, chat: found, content: last.text, options: options)
        } else {
            prepared = try await runs.prepareStateless(user: caller, messages: messages, options: options)
        }

        guard streaming else {
            let run = try await runs.execute(prepared)
            let committed = prepared.transcript.messages
            return try JSONResponse(
                CompletionResponse(
                    chatID: chat?.id,
                    model: run.model,
                    message: committed.last.map { MessageRepresentation(message: $0) },
                    messages: committed.map { MessageRepresentation(message: $0) },
                    usage: UsageRepresentation(run.usage),
                    limitReached: run.limit
                )
            ).response(from: request, context: context)
        }
        let runs = self.runs
        let first: [RunStreamEvent] = prepared.userMessage.map { [.messageCreated($0)] } ?? []
        return ServerSentEvents.response { [chat] writer in
            try await RunStreamer.stream(prepared, service: runs, first: first, chat: chat, writer: &writer)
        }
    }
}
