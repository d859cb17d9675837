import SQLKit

/// Full text on SQLite: an FTS5 table over `search_entries` (external content, so the text is stored once) kept
/// in step by triggers, ranked by FTS5's built-in `bm25()` (k1 = 1.2, b = 0.75).
///
/// The `porter unicode61` tokenizer lower-cases, folds diacritics and stems English words, so "flows" finds
/// "flow". Term statistics are those of the whole FTS table, across owners and collections; the owner and
/// collection filters apply to the ranked matches inside the same statement.
struct SQLiteSearchBackend: SearchBackend {
    func createSchema(on db: any SQLDatabase) async throws {
        let statements: [SQLQueryString] = [
            """
            CREATE TABLE search_entries (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                collection TEXT NOT NULL,
                owner_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                item_id TEXT NOT NULL,
                group_id TEXT,
                title TEXT NOT NULL DEFAULT '',
                body TEXT NOT NULL,
                embedding BLOB,
                updated_at REAL NOT NULL,
                UNIQUE (collection, owner_id, item_id)
            )
            """,
            "CREATE INDEX search_entries_group_idx ON search_entries (collection, owner_id, group_id)",
            "CREATE INDEX search_entries_owner_idx ON search_entries (owner_id)",
            """
            CREATE VIRTUAL TABLE search_fts USING fts5(
                title, body,
                content = 'search_entries', content_rowid = 'seq',
                tokenize = 'porter unicode61 remove_diacritics 2'
            )
            """,
            """
            CREATE TRIGGER search_entries_fts_insert AFTER INSERT ON search_entries BEGIN
                INSERT INTO search_fts (rowid, title, body) VALUES (new.seq, new.title, new.body);
            END
            """,
            """
            CREATE TRIGGER search_entries_fts_delete AFTER DELETE ON search_entries BEGIN
                INSERT INTO search_fts (search_fts, rowid, title, body) VALUES ('delete', old.seq, old.title, old.body);
            END
            """,
            """
            CREATE TRIGGER search_entries_fts_update AFTER UPDATE OF title, body ON search_entries BEGIN
                INSERT INTO search_fts (search_fts, rowid, title, body) VALUES ('delete', old.seq, old.title, old.body);
                INSERT INTO search_fts (rowid, title, body) VALUES (new.seq, new.title, new.body);
            END
            """,
        ]
        for statement in statements {
            try await db.raw(statement).run()
        }
    }

    func fullTextSearch(_ query: SearchQuery, limit: Int, on db: any SQLDatabase) async throws -> [SearchHit] {
        let terms = QueryTerms(query.text)
        guard !terms.isEmpty, limit > 0 else { return [] }
        var sql: SQLQueryString = """
            SELECT e.item_id AS item_id, e.group_id AS group_id, -bm25(search_fts) AS score
            FROM search_fts JOIN search_entries AS e ON e.seq = search_fts.rowid
            WHERE search_fts MATCH \(bind: terms.fts5Expression)
            AND e.collection = \(bind: query.collection) AND e.owner_id = \(bind: query.ownerID)
            """
        if let groups = query.groupIDs {
            guard !groups.isEmpty else { return [] }
            sql = sql + " AND e.group_id IN (\(binds: groups))"
        }
        sql = sql + " ORDER BY bm25(search_fts), e.item_id LIMIT \(bind: limit)"
        return try await db.raw(sql).all(decoding: RankedRow.self).map {
            SearchHit(itemID: $0.itemID, groupID: $0.groupID, score: $0.score)
        }
    }
}
