import AnvilCore
import Foundation
import SQLKit

/// Stores the messages of chats in commit order. Callers check chat ownership before reading or appending.
public protocol MessageRepository: Sendable {
    /// Appends a message; its position is after every message committed before it.
    func append(_ message: ChatMessage) async throws
    /// Oldest first.
    func list(chatID: String, page: PageRequest) async throws -> Page<ChatMessage>
    /// The last `limit` messages, oldest first: the history a run sends to the model.
    func recent(chatID: String, limit: Int) async throws -> [ChatMessage]
}

public struct SQLMessageRepository: MessageRepository {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func append(_ message: ChatMessage) async throws {
        let row = try MessageRow(message)
        try await database.withConnection { db in
            try await db.insert(into: "messages").model(row).run()
        }
    }

    public func list(chatID: String, page: PageRequest) async throws -> Page<ChatMessage> {
        try await database.withConnection { db in
            let total =
                try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
                .from("messages").where("chat_id", .equal, chatID)
                .first(decodingColumn: "count", as: Int.self) ?? 0
            let rows = try await db.select()
                .columns(MessageRow.CodingKeys.allCases.map { SQLColumn($0.rawValue) })
                .from("messages")
                .where("chat_id", .equal, chatID)
                .orderBy("seq", .ascending)
                .limit(page.limit).offset(page.offset)
                .all(decoding: MessageRow.self)
            return Page(
                items: try rows.map { try $0.message() },
                total: total,
                limit: page.limit,
                offset: page.offset
            )
        }
    }
}

extension SQLMessageRepository {
    public func recent(chatID: String, limit: Int) async throws -> [ChatMessage] {
        try await database.withConnection { db in
            try await db.select()
                .columns(MessageRow.CodingKeys.allCases.map { SQLColumn($0.rawValue) })
                .from("messages")
                .where("chat_id", .equal, chatID)
                .orderBy("seq", .descending)
                .limit(limit)
                .all(decoding: MessageRow.self)
                .reversed()
                .map { try $0.message() }
        }
    }
}

struct MessageRow: Codable, Sendable {
    var id: String
    var chatID: String
    var role: String
    var content: String?
    var toolCalls: String?
    var toolCallID: String?
    var name: String?
    var model: String?
    var status: String
    var promptTokens: Int
    var completionTokens: Int
    var metadata: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, role, content, name, model, status, metadata
        case chatID = "chat_id"
        case toolCalls = "tool_calls"
        case toolCallID = "tool_call_id"
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case createdAt = "created_at"
    }

    init(_ message: ChatMessage) throws {
        id = message.id
        chatID = message.chatID
        role = message.role.rawValue
        content = message.content
        toolCalls = try message.toolCalls.map { try JSONColumn.encode($0) }
        toolCallID = message.toolCallID
        name = message.name
        model = message.model
        status = message.status.rawValue
        promptTokens = message.promptTokens
        completionTokens = message.completionTokens
        metadata = try JSONColumn.encode(message.metadata)
        createdAt = message.createdAt
    }

    func message() throws -> ChatMessage {
        guard let role = MessageRole(rawValue: role), let status = MessageStatus(rawValue: status) else {
            throw StoreError.corruptData("message \(id) has an unknown role or status")
        }
        return ChatMessage(
            id: id,
            chatID: chatID,
            role: role,
            content: content,
            toolCalls: try JSONColumn.decode(JSONValue.self, from: toolCalls, column: "messages.tool_calls"),
            toolCallID: toolCallID,
            name: name,
            model: model,
            status: status,
            promptTokens: promptTokens,
            completionTokens: completionTokens,
            metadata: try JSONColumn.decode([String: JSONValue].self, from: metadata, column: "messages.metadata")
                ?? [:],
            createdAt: createdAt
        )
    }
}
