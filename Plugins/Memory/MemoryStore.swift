import AnvilCore
import AnvilStore
import Foundation
import SQLKit

/// Memories in the database, each written with its search index entry in one transaction, every query scoped to
/// the owner.
public struct MemoryStore: Sendable {
    static let collection = "memories"

    let database: Database
    let index: SearchIndex
    /// When set, memories are embedded as they are written and searches fuse vector and full-text rankings.
    let embedder: (any TextEmbedder)?

    public init(database: Database, embedder: (any TextEmbedder)? = nil) {
        self.database = database
        self.index = SearchIndex(database: database)
        self.embedder = embedder
    }

    static let migrations: [Migration] = [
        Migration(id: "memory.0001_memories") { db, types in
            try await db.create(table: "memories")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("owner_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
                .column("content", type: .text, .notNull)
                .column("memory_type", type: .text, .notNull)
                .column("importance", type: .real, .notNull)
                .column("metadata", type: .text, .notNull)
                .column("created_at", type: types.timestamp, .notNull)
                .run()
            try await db.create(index: "memories_owner_created_idx").on("memories").column("owner_id")
                .column("created_at").run()
        }
    ]

    public func create(_ memory: Memory) async throws {
        // Embedded before the transaction opens, so a slow model never holds the database.
        let embedding = try await embedder?.embed([memory.content]).first
        try await database.transaction { db in
            try await db.insert(into: "memories").model(try MemoryRow(memory)).run()
            try await index.upsert(
                [
                    SearchEntry(
                        collection: Self.collection,
                        ownerID: memory.ownerID,
                        itemID: memory.id,
                        text: memory.content,
                        embedding: embedding
                    )
                ],
                on: db
            )
        }
    }

    public func find(id: String, ownerID: String) async throws -> Memory? {
        try await database.withConnection { db in
            try await db.select().column("*").from("memories")
                .where("id", .equal, id).where("owner_id", .equal, ownerID)
                .first(decoding: MemoryRow.self)?.memory()
        }
    }

    /// The owner's memories, newest first, optionally of one type.
    public func list(ownerID: String, type: MemoryType?, page: PageRequest) async throws -> Page<Memory> {
        try await database.withConnection { db in
            var count = db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from("memories")
                .where("owner_id", .equal, ownerID)
            var select = db.select().column("*").from("memories").where("owner_id", .equal, ownerID)
            if let type {
                count = count.where("memory_type", .equal, type.rawValue)
                select = select.where("memory_type", .equal, type.rawValue)
            }
            let total = try await count.first(decodingColumn: "count", as: Int.self) ?? 0
            let rows = try await select.orderBy("created_at", .descending).orderBy("id", .descending)
                .limit(page.limit).offset(page.offset).all(decoding: MemoryRow.self)
            return Page(items: try rows.map { try $0.memory() }, total: total, limit: page.limit, offset: page.offset)
        }
    }

    public func delete(id: String, ownerID: String) async throws -> Bool {
        try await database.transaction { db in
            let deleted = try await db.delete(from: "memories")
                .where("id", .equal, id).where("owner_id", .equal, ownerID)
                .returning("id").first()
            guard deleted != nil else { return false }
            try await index.remove(collection: Self.collection, ownerID: ownerID, itemIDs: [id], on: db)
            return true
        }
    }

    /// The owner's memories that match `query`, best first, each with its search score.
    public func search(ownerID: String, query: String, type: MemoryType?, limit: Int) async throws
        -> [(memory: Memory, score: Double)]
    {
        // Ask for more when filtering by type, since the index does not know types.
        let hits = try await index.search(
            SearchQuery(
                collection: Self.collection,
                ownerID: ownerID,
                text: query,
                embedding: try await embedder?.embed([query]).first,
                limit: type == nil ? limit : min(limit * 4, 200)
            )
        )
        guard !hits.isEmpty else { return [] }
        let rows = try await database.withConnection { db in
            try await db.select().column("*").from("memories")
                .where("owner_id", .equal, ownerID).where("id", .in, hits.map(\.itemID))
                .all(decoding: MemoryRow.self)
        }
        let byID = Dictionary(uniqueKeysWithValues: try rows.map { ($0.id, try $0.memory()) })
        let matched = hits.compactMap { hit in byID[hit.itemID].map { (memory: $0, score: hit.score) } }
        return Array(matched.filter { type == nil || $0.memory.type == type }.prefix(limit))
    }
}

struct MemoryRow: Codable, Sendable {
    var id: String
    var ownerID: String
    var content: String
    var memoryType: String
    var importance: Double
    var metadata: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, content, importance, metadata
        case ownerID = "owner_id"
        case memoryType = "memory_type"
        case createdAt = "created_at"
    }

    init(_ memory: Memory) throws {
        id = memory.id
        ownerID = memory.ownerID
        content = memory.content
        memoryType = memory.type.rawValue
        importance = memory.importance
        metadata = String(decoding: try JSONEncoder().encode(memory.metadata), as: UTF8.self)
        createdAt = memory.createdAt
    }

    func memory() throws -> Memory {
        Memory(
            id: id,
            ownerID: ownerID,
            content: content,
            type: MemoryType(rawValue: memoryType) ?? .other,
            importance: importance,
            metadata: (try? JSONDecoder().decode([String: JSONValue].self, from: Data(metadata.utf8))) ?? [:],
            createdAt: createdAt
        )
    }
}
