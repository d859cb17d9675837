import AnvilCore
import Foundation

/// The JSON shapes the API answers with. Each spells out its keys, so the wire format is visible in one place.
struct UserRepresentation: Encodable, Sendable {
    var id: String
    var email: String
    var displayName: String?
    var isAdmin: Bool
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, email
        case displayName = "display_name"
        case isAdmin = "is_admin"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    init(_ user: User) {
        id = user.id
        email = user.email
        displayName = user.displayName
        isAdmin = user.isAdmin
        createdAt = user.createdAt
        updatedAt = user.updatedAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(email, forKey: .email)
        try container.encode(displayName, forKey: .displayName)
        try container.encode(isAdmin, forKey: .isAdmin)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

struct AuthTokensRepresentation: Encodable, Sendable {
    var user: UserRepresentation
    var accessToken: String
    var refreshToken: String
    var tokenType = "bearer"
    var expiresIn: Int

    enum CodingKeys: String, CodingKey {
        case user
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
    }
}

struct APIKeyRepresentation: Encodable, Sendable {
    var id: String
    var name: String
    var prefix: String
    /// Present only in the response that creates the key.
    var key: String?
    var createdAt: Date
    var expiresAt: Date?
    var lastUsedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, name, prefix, key
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case lastUsedAt = "last_used_at"
    }

    init(_ info: APIKeyInfo, key: String? = nil) {
        id = info.id
        name = info.name
        prefix = info.prefix
        self.key = key
        createdAt = info.createdAt
        expiresAt = info.expiresAt
        lastUsedAt = info.lastUsedAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(prefix, forKey: .prefix)
        try container.encodeIfPresent(key, forKey: .key)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(expiresAt, forKey: .expiresAt)
        try container.encode(lastUsedAt, forKey: .lastUsedAt)
    }
}

struct ProviderKeyRepresentation: Encodable, Sendable {
    var provider: String
    var isSet = true
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case provider
        case isSet = "is_set"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    init(_ status: ProviderKeyStatus) {
        provider = status.provider
        createdAt = status.createdAt
        updatedAt = status.updatedAt
    }
}

struct ChatRepresentation: Encodable, Sendable {
    var chat: Chat

    enum CodingKeys: String, CodingKey {
        case id, title, model, tools, metadata
        case systemPrompt = "system_prompt"
        case isArchived = "is_archived"
        case tokenLimit = "token_limit"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(chat.tokenLimit, forKey: .tokenLimit)
        try container.encode(chat.id, forKey: .id)
        try container.encode(chat.title, forKey: .title)
        try container.encode(chat.model, forKey: .model)
        try container.encode(chat.systemPrompt, forKey: .systemPrompt)
        try container.encode(chat.tools, forKey: .tools)
        try container.encode(chat.metadata, forKey: .metadata)
        try container.encode(chat.isArchived, forKey: .isArchived)
        try container.encode(chat.createdAt, forKey: .createdAt)
        try container.encode(chat.updatedAt, forKey: .updatedAt)
    }
}

struct MessageRepresentation: Encodable, Sendable {
    var message: ChatMessage

    enum CodingKeys: String, CodingKey {
        case id, role, content, name, model, status, metadata
        case chatID = "chat_id"
        case toolCalls = "tool_calls"
        case toolCallID = "tool_call_id"
        case usage
        case createdAt = "created_at"
    }

    enum UsageKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(message.id, forKey: .id)
        try container.encode(message.chatID, forKey: .chatID)
        try container.encode(message.role, forKey: .role)
        try container.encode(message.content, forKey: .content)
        try container.encodeIfPresent(message.toolCalls, forKey: .toolCalls)
        try container.encodeIfPresent(message.toolCallID, forKey: .toolCallID)
        try container.encodeIfPresent(message.name, forKey: .name)
        try container.encode(message.model, forKey: .model)
        try container.encode(message.status, forKey: .status)
        var usage = container.nestedContainer(keyedBy: UsageKeys.self, forKey: .usage)
        try usage.encode(message.promptTokens, forKey: .promptTokens)
        try usage.encode(message.completionTokens, forKey: .completionTokens)
        try usage.encode(message.promptTokens + message.completionTokens, forKey: .totalTokens)
        try container.encode(message.metadata, forKey: .metadata)
        try container.encode(message.createdAt, forKey: .createdAt)
    }
}

/// Tokens of one model call or a run; the same keys OpenAI uses.
struct UsageRepresentation: Encodable, Sendable {
    var promptTokens: Int
    var completionTokens: Int
    var totalTokens: Int

    init(_ usage: TokenUsage) {
        promptTokens = usage.promptTokens
        completionTokens = usage.completionTokens
        totalTokens = usage.totalTokens
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
    }
}
