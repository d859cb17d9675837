import AnvilCore
import Foundation
import SQLKit

/// Stores chats. Every query is scoped to the owning user, so another user's chat is simply not found.
public protocol ChatRepository: Sendable {
    func create(_ chat: Chat) async throws
    func find(id: String, userID: String) async throws -> Chat?
    /// Newest first; archived chats only when asked for.
    func list(userID: String, includeArchived: Bool, page: PageRequest) async throws -> Page<Chat>
    /// Saves every editable field of `chat`; returns `false` when no such chat belongs to its user.
    func update(_ chat: Chat) async throws -> Bool
    /// Deletes the chat and its messages.
    func delete(id: String, userID: String) async throws -> Bool
}

public struct SQLChatRepository: ChatRepository {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func create(_ chat: Chat) async throws {
        let row = try ChatRow(chat)
        try await database.withConnection { db in
            try await db.insert(into: "chats").model(row).run()
        }
    }

    public func find(id: String, userID: String) async throws -> Chat? {
        try await database.withConnection { db in
            try await db.select().column("*").from("chats")
                .where("id", .equal, id).where("user_id", .equal, userID)
                .first(decoding: ChatRow.self)?.chat()
        }
    }

    public func list(userID: String, includeArchived: Bool, page: PageRequest) async throws -> Page<Chat> {
        try await database.withConnection { db in
            var count = db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
                .from("chats").where("user_id", .equal, userID)
            var select = db.select().column("*").from("chats").where("user_id", .equal, userID)
            if !includeArchived {
                count = count.where("is_archived", .equal, false)
                select = select.where("is_archived", .equal, false)
            }
            let total = try await count.first(decodingColumn: "count", as: Int.self) ?? 0
            let rows =
                try await select
                .orderBy("created_at", .descending).orderBy("id", .descending)
                .limit(page.limit).offset(page.offset)
                .all(decoding: ChatRow.self)
            return Page(items: try rows.map { try $0.chat() }, total: total, limit: page.limit, offset: page.offset)
        }
    }

    public func update(_ chat: Chat) async throws -> Bool {
        let row = try ChatRow(chat)
        return try await database.withConnection { db in
            try await !db.update("chats")
                .set("title", to: row.title)
                .set("model", to: row.model)
                .set("system_prompt", to: row.systemPrompt)
                .set("tools", to: row.tools)
                .set("metadata", to: row.metadata)
                .set("is_archived", to: row.isArchived)
                .set("token_limit", to: row.tokenLimit)
                .set("updated_at", to: row.updatedAt)
                .where("id", .equal, row.id).where("user_id", .equal, row.userID)
                .returning("id").all().isEmpty
        }
    }

    public func delete(id: String, userID: String) async throws -> Bool {
        try await database.withConnection { db in
            try await !db.delete(from: "chats")
                .where("id", .equal, id).where("user_id", .equal, userID)
                .returning("id").all().isEmpty
        }
    }
}

struct ChatRow: Codable, Sendable {
    var id: String
    var userID: String
    var title: String
    var model: String?
    var systemPrompt: String?
    var tools: String?
    var metadata: String
    var isArchived: Bool
    var tokenLimit: Int?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, title, model, tools, metadata
        case userID = "user_id"
        case systemPrompt = "system_prompt"
        case isArchived = "is_archived"
        case tokenLimit = "token_limit"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    init(_ chat: Chat) throws {
        id = chat.id
        userID = chat.userID
        title = chat.title
        model = chat.model
        systemPrompt = chat.systemPrompt
        tools = try chat.tools.map { try JSONColumn.encode($0) }
        metadata = try JSONColumn.encode(chat.metadata)
        isArchived = chat.isArchived
        tokenLimit = chat.tokenLimit
        createdAt = chat.createdAt
        updatedAt = chat.updatedAt
    }

    func chat() throws -> Chat {
        Chat(
            id: id,
            userID: userID,
            title: title,
            model: model,
            systemPrompt: systemPrompt,
            tools: try JSONColumn.decode([String].self, from: tools, column: "chats.tools"),
            metadata: try JSONColumn.decode([String: JSONValue].self, from: metadata, column: "chats.metadata") ?? [:],
            isArchived: isArchived,
            tokenLimit: tokenLimit,
            createdAt: createdAt,
            updatedAt: updatedAt
        )
    }
}
