import AnvilCore
import AnvilStore
import Foundation
import SQLKit

/// Notes in the database, each write in one transaction with its search index entry, every query scoped to the
/// owner.
public struct NoteStore: Sendable {
    static let collection = "notes"

    let database: Database
    let index: SearchIndex
    /// When set, notes are embedded as they are written and searches fuse vector and full-text rankings.
    let embedder: (any TextEmbedder)?

    public init(database: Database, embedder: (any TextEmbedder)? = nil) {
        self.database = database
        self.index = SearchIndex(database: database)
        self.embedder = embedder
    }

    static let migrations: [Migration] = [
        Migration(id: "notes.0001_notes") { db, types in
            try await db.create(table: "notes")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("owner_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
                .column("title", type: .text, .notNull)
                .column("content", type: .text, .notNull)
                .column("tags", type: .text, .notNull)
                .column("created_at", type: types.timestamp, .notNull)
                .column("updated_at", type: types.timestamp, .notNull)
                .run()
            try await db.create(index: "notes_owner_updated_idx").on("notes").column("owner_id").column("updated_at")
                .run()
            // One row per tag, so a tag filter is an indexed join rather than a scan of every note's JSON.
            try await db.create(table: "note_tags")
                .column("note_id", type: .text, .notNull, .references("notes", "id", onDelete: .cascade))
                .column("owner_id", type: .text, .notNull)
                .column("tag", type: .text, .notNull)
                .primaryKey("note_id", "tag")
                .run()
            try await db.create(index: "note_tags_owner_tag_idx").on("note_tags").column("owner_id").column("tag").run()
        }
    ]

    public func create(_ note: Note) async throws {
        let entry = try await entry(for: note)
        try await database.transaction { db in
            try await db.insert(into: "notes").model(try NoteRow(note)).run()
            try await writeTags(of: note, on: db)
            try await index.upsert([entry], on: db)
        }
    }

    public func find(id: String, ownerID: String) async throws -> Note? {
        try await database.withConnection { db in
            try await db.select().column("*").from("notes")
                .where("id", .equal, id).where("owner_id", .equal, ownerID)
                .first(decoding: NoteRow.self)?.note()
        }
    }

    /// The owner's notes, most recently updated first, optionally only those with `tag`.
    public func list(ownerID: String, tag: String?, page: PageRequest) async throws -> Page<Note> {
        try await database.withConnection { db in
            var count = db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from("notes")
                .where("owner_id", .equal, ownerID)
            var select = db.select().column("*").from("notes").where("owner_id", .equal, ownerID)
            if let tag {
                let tagged = db.select().column("note_id").from("note_tags")
                    .where("owner_id", .equal, ownerID).where("tag", .equal, tag)
                count = count.where("id", .in, SQLGroupExpression(tagged.query))
                select = select.where("id", .in, SQLGroupExpression(tagged.query))
            }
            let total = try await count.first(decodingColumn: "count", as: Int.self) ?? 0
            let rows = try await select.orderBy("updated_at", .descending).orderBy("id", .descending)
                .limit(page.limit).offset(page.offset)
                .all(decoding: NoteRow.self)
            return Page(items: try rows.map { try $0.note() }, total: total, limit: page.limit, offset: page.offset)
        }
    }

    /// Saves `note`'s fields; returns `false` when the owner has no such note.
    public func update(_ note: Note) async throws -> Bool {
        let entry = try await entry(for: note)
        return try await database.transaction { db in
            let row = try NoteRow(note)
            let updated = try await db.update("notes")
                .set("title", to: row.title).set("content", to: row.content).set("tags", to: row.tags)
                .set("updated_at", to: row.updatedAt)
                .where("id", .equal, note.id).where("owner_id", .equal, note.ownerID)
                .returning("id").first()
            guard updated != nil else { return false }
            try await db.delete(from: "note_tags").where("note_id", .equal, note.id).run()
            try await writeTags(of: note, on: db)
            try await index.upsert([entry], on: db)
            return true
        }
    }

    /// Deletes the note and its index entry; returns `false` when the owner has no such note.
    public func delete(id: String, ownerID: String) async throws -> Bool {
        try await database.transaction { db in
            let deleted = try await db.delete(from: "notes")
                .where("id", .equal, id).where("owner_id", .equal, ownerID)
                .returning("id").first()
            guard deleted != nil else { return false }
            try await db.delete(from: "note_tags").where("note_id", .equal, id).run()
            try await index.remove(collection: Self.collection, ownerID: ownerID, itemIDs: [id], on: db)
            return true
        }
    }

    /// The owner's notes that best match `query`, best first, with their scores.
    public func search(ownerID: String, query: String, limit: Int) async throws -> [(note: Note, score: Double)] {
        let embedding = try await embedder?.embed([query]).first
        let hits = try await index.search(
            SearchQuery(collection: Self.collection, ownerID: ownerID, text: query, embedding: embedding, limit: limit))
        guard !hits.isEmpty else { return [] }
        let notes = try await database.withConnection { db in
            try await db.select().column("*").from("notes")
                .where("owner_id", .equal, ownerID).where("id", .in, hits.map(\.itemID))
                .all(decoding: NoteRow.self)
        }
        let byID = Dictionary(uniqueKeysWithValues: try notes.map { ($0.id, try $0.note()) })
        return hits.compactMap { hit in byID[hit.itemID].map { ($0, hit.score) } }
    }

    private func writeTags(of note: Note, on db: any SQLDatabase) async throws {
        guard !note.tags.isEmpty else { return }
        var insert = db.insert(into: "note_tags").columns("note_id", "owner_id", "tag")
        for tag in note.tags { insert = insert.values(SQLBind(note.id), SQLBind(note.ownerID), SQLBind(tag)) }
        try await insert.run()
    }

    /// The index entry of `note`, embedded before any transaction opens so a slow model never holds the database.
    private func entry(for note: Note) async throws -> SearchEntry {
        SearchEntry(
            collection: Self.collection,
            ownerID: note.ownerID,
            itemID: note.id,
            title: note.title,
            text: note.searchText,
            embedding: try await embedder?.embed([note.title + "\n" + note.searchText]).first
        )
    }
}

struct NoteRow: Codable, Sendable {
    var id: String
    var ownerID: String
    var title: String
    var content: String
    var tags: String
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, title, content, tags
        case ownerID = "owner_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    init(_ note: Note) throws {
        id = note.id
        ownerID = note.ownerID
        title = note.title
        content = note.content
        tags = String(decoding: try JSONEncoder().encode(note.tags), as: UTF8.self)
        createdAt = note.createdAt
        updatedAt = note.updatedAt
    }

    func note() throws -> Note {
        let decodedTags = (try? JSONDecoder().decode([String].self, from: Data(tags.utf8))) ?? []
        return Note(
            id: id,
            ownerID: ownerID,
            title: title,
            content: content,
            tags: decodedTags,
            createdAt: createdAt,
            updatedAt: updatedAt
        )
    }
}
