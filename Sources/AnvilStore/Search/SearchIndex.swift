import Foundation
import SQLKit

/// The search index shared by every plugin that keeps searchable items (notes, memories, document chunks).
///
/// Entries are written with the owning row, in the caller's transaction when it passes one, so the index is
/// always up to date and never rebuilt per query. Full text is ranked by BM25 on both engines; vector search
/// scores stored embeddings by cosine similarity; hybrid searches fuse the two by reciprocal rank. Every query
/// is limited to one owner's entries of one collection inside its SQL.
public struct SearchIndex: Sendable {
    let database: Database
    let backend: any SearchBackend

    /// Rows per insert statement; keeps the bound parameters well under SQLite's limit.
    static let batchSize = 100

    public init(database: Database) {
        self.database = database
        self.backend = database.dialect.searchBackend
    }

    // MARK: Writing

    /// Adds entries or replaces the ones with the same collection, owner and item, in their own transaction.
    public func upsert(_ entries: [SearchEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await database.transaction { db in try await upsert(entries, on: db) }
    }

    /// Adds or replaces entries on `db`, typically the transaction that writes the owning rows.
    public func upsert(_ entries: [SearchEntry], on db: any SQLDatabase) async throws {
        let now = Date()
        var start = entries.startIndex
        while start < entries.endIndex {
            let batch = entries[start..<min(start + Self.batchSize, entries.endIndex)]
            start = batch.endIndex
            var insert = db.insert(into: "search_entries")
                .columns("collection", "owner_id", "item_id", "group_id", "title", "body", "embedding", "updated_at")
            for entry in batch {
                insert = insert.values(
                    SQLBind(entry.collection),
                    SQLBind(entry.ownerID),
                    SQLBind(entry.itemID),
                    SQLBind(entry.groupID),
                    SQLBind(entry.title),
                    SQLBind(entry.text),
                    SQLBind(entry.embedding.map(EmbeddingCodec.encode)),
                    SQLBind(now)
                )
            }
            try await insert.onConflict(with: ["collection", "owner_id", "item_id"]) { conflict in
                conflict.set(excludedValueOf: "group_id")
                    .set(excludedValueOf: "title")
                    .set(excludedValueOf: "body")
                    .set(excludedValueOf: "embedding")
                    .set(excludedValueOf: "updated_at")
            }.run()
        }
    }

    /// Removes the given items of one owner, in their own transaction.
    public func remove(collection: String, ownerID: String, itemIDs: [String]) async throws {
        guard !itemIDs.isEmpty else { return }
        try await database.transaction { db in
            try await remove(collection: collection, ownerID: ownerID, itemIDs: itemIDs, on: db)
        }
    }

    /// Removes the given items of one owner on `db`.
    public func remove(collection: String, ownerID: String, itemIDs: [String], on db: any SQLDatabase) async throws {
        var start = itemIDs.startIndex
        while start < itemIDs.endIndex {
            let batch = Array(itemIDs[start..<min(start + Self.batchSize, itemIDs.endIndex)])
            start += batch.count
            try await db.delete(from: "search_entries")
                .where("collection", .equal, collection)
                .where("owner_id", .equal, ownerID)
                .where("item_id", .in, batch)
                .run()
        }
    }

    /// Removes every item of one owner's group (for example all chunks of a document) on `db`.
    public func removeGroup(collection: String, ownerID: String, groupID: String, on db: any SQLDatabase)
        async throws
    {
        try await db.delete(from: "search_entries")
            .where("collection", .equal, collection)
            .where("owner_id", .equal, ownerID)
            .where("group_id", .equal, groupID)
            .run()
    }

    /// The number of one owner's entries in a collection.
    public func count(collection: String, ownerID: String) async throws -> Int {
        try await database.withConnection { db in
            try await db.select()
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("search_entries")
                .where("collection", .equal, collection)
                .where("owner_id", .equal, ownerID)
                .first(decodingColumn: "n", as: Int.self) ?? 0
        }
    }

    // MARK: Searching

    /// Ranks one owner's entries for `query`, best first. Any query text is valid; text without a word yields
    /// no full-text hits rather than an error.
    public func search(_ query: SearchQuery) async throws -> [SearchHit] {
        try await database.withConnection { db in try await search(query, on: db) }
    }

    /// Ranks one owner's entries for `query` on `db`.
    public func search(_ query: SearchQuery, on db: any SQLDatabase) async throws -> [SearchHit] {
        guard query.limit > 0 else { return [] }
        let mode = query.effectiveMode
        if mode != .fullText, query.embedding == nil {
            throw StoreError.invalidConfiguration("a \(mode.rawValue) search needs a query embedding")
        }
        switch mode {
        case .fullText:
            return try await backend.fullTextSearch(query, limit: query.limit, on: db)
        case .vector:
            return try await vectorSearch(query, limit: query.limit, on: db)
        case .hybrid:
            // Fusion needs more than the final page from each list: an item ranked 30th by both can belong in the
            // top 10.
            let depth = max(query.limit * 2, 100)
            let fullText = try await backend.fullTextSearch(query, limit: depth, on: db)
            let vector = try await vectorSearch(query, limit: depth, on: db)
            return ReciprocalRankFusion.fuse(fullText: fullText, vector: vector, limit: query.limit)
        }
    }

    /// Exact nearest neighbours by cosine similarity, scored in process over the owner's stored embeddings.
    func vectorSearch(_ query: SearchQuery, limit: Int, on db: any SQLDatabase) async throws -> [SearchHit] {
        guard let target = query.embedding, !target.isEmpty else { return [] }
        var select = db.select()
            .columns("item_id", "group_id", "embedding")
            .from("search_entries")
            .where("collection", .equal, query.collection)
            .where("owner_id", .equal, query.ownerID)
            .where("embedding", .isNot, SQLLiteral.null)
        if let groups = query.groupIDs {
            guard !groups.isEmpty else { return [] }
            select = select.where("group_id", .in, groups)
        }
        struct Row: Decodable {
            let itemID: String
            let groupID: String?
            let embedding: Data

            enum CodingKeys: String, CodingKey {
                case embedding
                case itemID = "item_id"
                case groupID = "group_id"
            }
        }
        var scored: [SearchHit] = []
        for row in try await select.all(decoding: Row.self) {
            let vector = try EmbeddingCodec.decode(row.embedding)
            // An embedding from another model (another length) cannot be compared; it is skipped, not an error.
            guard vector.count == target.count else { continue }
            scored.append(
                SearchHit(itemID: row.itemID, groupID: row.groupID, score: EmbeddingCodec.cosine(target, vector)))
        }
        scored.sort { left, right in left.score != right.score ? left.score > right.score : left.itemID < right.itemID }
        return Array(scored.prefix(limit))
    }
}
