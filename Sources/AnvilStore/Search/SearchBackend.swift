import SQLKit

/// The engine-specific half of the search index: its schema and its full-text ranking. Everything else (writes,
/// vector scoring, fusion) is the same SQL or Swift on both engines.
protocol SearchBackend: Sendable {
    /// Creates the tables, indexes and triggers of the index.
    func createSchema(on db: any SQLDatabase) async throws
    /// Ranks the owner's entries matching any of the query's words, best first.
    func fullTextSearch(_ query: SearchQuery, limit: Int, on db: any SQLDatabase) async throws -> [SearchHit]
}

extension DatabaseDialect {
    var searchBackend: any SearchBackend {
        switch self {
        case .sqlite: SQLiteSearchBackend()
        case .postgres: PostgresSearchBackend()
        }
    }
}

/// One row of a full-text ranking as both engines return it.
struct RankedRow: Decodable {
    let itemID: String
    let groupID: String?
    let score: Double

    enum CodingKeys: String, CodingKey {
        case score
        case itemID = "item_id"
        case groupID = "group_id"
    }
}
