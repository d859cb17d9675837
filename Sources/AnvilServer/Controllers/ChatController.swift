import AnvilCore
import AnvilPluginKit
import AnvilStore
import Foundation
import Hummingbird

/// Chats and their message history. Every lookup is scoped to the caller: another user's chat is a 404.
struct ChatController {
    let chats: any ChatRepository
    let messages: any MessageRepository

    func addRoutes(to group: RouterGroup<AnvilRequestContext>) {
        group.post(use: create)
        group.get(use: list)
        group.get(":id", use: get)
        group.patch(":id", use: update)
        group.delete(":id", use: delete)
        group.get(":id/messages", use: listMessages)
    }

    struct CreateRequest: Decodable {
        var title: String?
        var model: String?
        var systemPrompt: String?
        var tools: [String]?
        var metadata: [String: JSONValue]?
        var tokenLimit: Int?

        enum CodingKeys: String, CodingKey {
            case title, model, tools, metadata
            case systemPrompt = "system_prompt"
            case tokenLimit = "token_limit"
        }
    }

    struct UpdateRequest: Decodable {
        var title: String?
        var isArchived: Bool?
        var model: FieldUpdate<String>
        var systemPrompt: FieldUpdate<String>
        var tools: FieldUpdate<[String]>
        var metadata: [String: JSONValue]?
        var tokenLimit: FieldUpdate<Int>

        enum CodingKeys: String, CodingKey {
            case title, model, tools, metadata
            case isArchived = "is_archived"
            case systemPrompt = "system_prompt"
            case tokenLimit = "token_limit"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            title = try container.decodeNonNullUpdate(String.self, forKey: .title)
            isArchived = try container.decodeNonNullUpdate(Bool.self, forKey: .isArchived)
            model = try container.decodeUpdate(String.self, forKey: .model)
            systemPrompt = try container.decodeUpdate(String.self, forKey: .systemPrompt)
            tools = try container.decodeUpdate([String].self, forKey: .tools)
            metadata = try container.decodeNonNullUpdate([String: JSONValue].self, forKey: .metadata)
            tokenLimit = try container.decodeUpdate(Int.self, forKey: .tokenLimit)
        }
    }

    @Sendable func create(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<ChatRepresentation>
    {
        let caller = try context.requireUser()
        let body = try await request.decodeJSON(as: CreateRequest.self, context: context)
        let now = Date()
        let chat = Chat(
            id: UUID().uuidString.lowercased(),
            userID: caller.id,
            title: try Self.validatedTitle(body.title) ?? ChatRules.defaultTitle,
            model: try Self.validatedModel(body.model),
            systemPrompt: try Self.validatedSystemPrompt(body.systemPrompt),
            tools: try Self.validatedTools(body.tools),
            metadata: try Self.validatedMetadata(body.metadata) ?? [:],
            isArchived: false,
            tokenLimit: try Self.validatedTokenLimit(body.tokenLimit),
            createdAt: now,
            updatedAt: now
        )
        try await chats.create(chat)
        return JSONResponse(status: .created, ChatRepresentation(chat: chat))
    }

    @Sendable func list(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<PageRepresentation<ChatRepresentation>>
    {
        let caller = try context.requireUser()
        let includeArchived = try request.booleanParameter("include_archived") ?? false
        let page = try await chats.list(
            userID: caller.id,
            includeArchived: includeArchived,
            page: try request.pageRequest()
        )
        return JSONResponse(PageRepresentation(page) { ChatRepresentation(chat: $0) })
    }

    @Sendable func get(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<ChatRepresentation>
    {
        JSONResponse(ChatRepresentation(chat: try await ownedChat(context)))
    }

    @Sendable func update(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<ChatRepresentation>
    {
        var chat = try await ownedChat(context)
        let body = try await request.decodeJSON(as: UpdateRequest.self, context: context)
        if let title = try Self.validatedTitle(body.title) { chat.title = title }
        if let isArchived = body.isArchived { chat.isArchived = isArchived }
        chat.model = try Self.validatedModel(body.model.applied(to: chat.model))
        chat.systemPrompt = try Self.validatedSystemPrompt(body.systemPrompt.applied(to: chat.systemPrompt))
        chat.tools = try Self.validatedTools(body.tools.applied(to: chat.tools))
        if let metadata = try Self.validatedMetadata(body.metadata) { chat.metadata = metadata }
        chat.tokenLimit = try Self.validatedTokenLimit(body.tokenLimit.applied(to: chat.tokenLimit))
        chat.updatedAt = Date()
        guard try await chats.update(chat) else { throw APIError.notFound("Chat") }
        return JSONResponse(ChatRepresentation(chat: chat))
    }

    @Sendable func delete(_ request: Request, context: AnvilRequestContext) async throws -> HTTPResponse.Status {
        let caller = try context.requireUser()
        guard try await chats.delete(id: try context.pathParameter("id"), userID: caller.id) else {
            throw APIError.notFound("Chat")
        }
        return .noContent
    }

    @Sendable func listMessages(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<PageRepresentation<MessageRepresentation>>
    {
        let chat = try await ownedChat(context)
        let page = try await messages.list(chatID: chat.id, page: try request.pageRequest())
        return JSONResponse(PageRepresentation(page) { MessageRepresentation(message: $0) })
    }

    // MARK: Validation

    private func ownedChat(_ context: AnvilRequestContext) async throws -> Chat {
        let caller = try context.requireUser()
        guard let chat = try await chats.find(id: try context.pathParameter("id"), userID: caller.id) else {
            throw APIError.notFound("Chat")
        }
        return chat
    }

    private static func validatedTitle(_ title: String?) throws -> String? {
        guard let title else { return nil }
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...ChatRules.maximumTitleLength).contains(trimmed.count) else {
            throw APIError.invalidField("title", "The title must be 1 to \(ChatRules.maximumTitleLength) characters.")
        }
        return trimmed
    }

    private static func validatedModel(_ model: String?) throws -> String? {
        guard let model else { return nil }
        guard (1...ChatRules.maximumModelLength).contains(model.count) else {
            throw APIError.invalidField(
                "model",
                "The model must be 1 to \(ChatRules.maximumModelLength) characters, e.g. local:anvil."
            )
        }
        return model
    }

    private static func validatedSystemPrompt(_ prompt: String?) throws -> String? {
        guard let prompt else { return nil }
        guard prompt.count <= ChatRules.maximumSystemPromptLength else {
            throw APIError.invalidField(
                "system_prompt",
                "The system prompt must be at most \(ChatRules.maximumSystemPromptLength) characters."
            )
        }
        return prompt
    }

    private static func validatedTools(_ tools: [String]?) throws -> [String]? {
        guard let tools else { return nil }
        guard tools.count <= ChatRules.maximumTools else {
            throw APIError.invalidField("tools", "At most \(ChatRules.maximumTools) tools can be enabled.")
        }
        if let bad = tools.first(where: { !ChatRules.isValidToolName($0) }) {
            throw APIError.invalidField(
                "tools",
                "'\(bad.prefix(64))' is not a valid tool name (1-64 letters, digits, '_' or '-')."
            )
        }
        var seen = Set<String>()
        return tools.filter { seen.insert($0).inserted }
    }

    private static func validatedTokenLimit(_ limit: Int?) throws -> Int? {
        guard let limit else { return nil }
        guard (1...ChatRules.maximumTokenLimit).contains(limit) else {
            throw APIError.invalidField(
                "token_limit",
                "The token limit must be from 1 to \(ChatRules.maximumTokenLimit); null means the server default."
            )
        }
        return limit
    }

    private static func validatedMetadata(_ metadata: [String: JSONValue]?) throws -> [String: JSONValue]? {
        guard let metadata else { return nil }
        let size = try APIJSON.encoder.encode(metadata).count
        guard size <= ChatRules.maximumMetadataBytes else {
            throw APIError.invalidField(
                "metadata",
                "The metadata must encode to at most \(ChatRules.maximumMetadataBytes) bytes of JSON."
            )
        }
        return metadata
    }
}
