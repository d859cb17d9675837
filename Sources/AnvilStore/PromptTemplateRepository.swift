import AnvilCore
import Foundation
import SQLKit

/// Stores users' saved prompt templates. Every query is scoped to the owner, so another user's template is simply
/// not found.
public protocol PromptTemplateRepository: Sendable {
    func create(_ template: SavedPromptTemplate) async throws
    func find(id: String, userID: String) async throws -> SavedPromptTemplate?
    /// Newest first.
    func list(userID: String, page: PageRequest) async throws -> Page<SavedPromptTemplate>
    /// Saves the name, description and source; returns `false` when no such template belongs to its user.
    func update(_ template: SavedPromptTemplate) async throws -> Bool
    func delete(id: String, userID: String) async throws -> Bool
}

/// ``PromptTemplateRepository`` over SQLKit, the same SQL on SQLite and PostgreSQL.
public struct SQLPromptTemplateRepository: PromptTemplateRepository {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func create(_ template: SavedPromptTemplate) async throws {
        let row = PromptTemplateRow(template)
        try await database.withConnection { db in
            try await db.insert(into: "prompt_templates").model(row).run()
        }
    }

    public func find(id: String, userID: String) async throws -> SavedPromptTemplate? {
        try await database.withConnection { db in
            try await db.select().column("*").from("prompt_templates")
                .where("id", .equal, id).where("user_id", .equal, userID)
                .first(decoding: PromptTemplateRow.self)?.template
        }
    }

    public func list(userID: String, page: PageRequest) async throws -> Page<SavedPromptTemplate> {
        try await database.withConnection { db in
            let total =
                try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
                .from("prompt_templates").where("user_id", .equal, userID)
                .first(decodingColumn: "count", as: Int.self) ?? 0
            let rows =
                try await db.select().column("*").from("prompt_templates").where("user_id", .equal, userID)
                .orderBy("created_at", .descending).orderBy("id", .descending)
                .limit(page.limit).offset(page.offset)
                .all(decoding: PromptTemplateRow.self)
            return Page(items: rows.map(\.template), total: total, limit: page.limit, offset: page.offset)
        }
    }

    public func update(_ template: SavedPromptTemplate) async throws -> Bool {
        let row = PromptTemplateRow(template)
        return try await database.withConnection { db in
            try await !db.update("prompt_templates")
                .set("name", to: row.name)
                .set("description", to: row.description)
                .set("source", to: row.source)
                .set("updated_at", to: row.updatedAt)
                .where("id", .equal, row.id).where("user_id", .equal, row.userID)
                .returning("id").all().isEmpty
        }
    }

    public func delete(id: String, userID: String) async throws -> Bool {
        try await database.withConnection { db in
            try await !db.delete(from: "prompt_templates")
                .where("id", .equal, id).where("user_id", .equal, userID)
                .returning("id").all().isEmpty
        }
    }
}

struct PromptTemplateRow: Codable, Sendable {
    var id: String
    var userID: String
    var name: String
    var description: String?
    var source: String
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, description, source
        case userID = "user_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    init(_ template: SavedPromptTemplate) {
        id = template.id
        userID = template.userID
        name = template.name
        description = template.description
        source = template.source
        createdAt = template.createdAt
        updatedAt = template.updatedAt
    }

    var template: SavedPromptTemplate {
        SavedPromptTemplate(
            id: id,
            userID: userID,
            name: name,
            description: description,
            source: source,
            createdAt: createdAt,
            updatedAt: updatedAt
        )
    }
}
