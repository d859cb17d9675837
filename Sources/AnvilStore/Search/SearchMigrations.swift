/// The search index's schema, one backend per engine.
enum SearchMigrations {
    static let searchIndex = Migration(id: "core.0004_search_index") { db, types in
        try await types.dialect.searchBackend.createSchema(on: db)
    }
}
