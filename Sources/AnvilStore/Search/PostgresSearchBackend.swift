import SQLKit

/// Full text on PostgreSQL: a `tsvector` column (the `english` configuration: stop words removed, Snowball
/// stemming) with a GIN index, both kept by a trigger on every write, and BM25 ranking computed in the query.
///
/// `ts_rank_cd` ranks by cover density and ignores how rare a word is across documents, which costs a lot of
/// retrieval quality; so candidates are found through the GIN index (any query word), and scored with Lucene's
/// BM25 from the owner's own statistics: document frequencies counted over the same candidates, document lengths
/// stored by the trigger.
struct PostgresSearchBackend: SearchBackend {
    /// BM25 parameters; the same as SQLite FTS5's fixed ones, so both engines rank alike.
    static let k1 = 1.2
    static let b = 0.75

    func createSchema(on db: any SQLDatabase) async throws {
        let statements: [SQLQueryString] = [
            """
            CREATE TABLE search_entries (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                collection TEXT NOT NULL,
                owner_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
                item_id TEXT NOT NULL,
                group_id TEXT,
                title TEXT NOT NULL DEFAULT '',
                body TEXT NOT NULL,
                embedding BYTEA,
                updated_at TIMESTAMPTZ NOT NULL,
                terms TSVECTOR NOT NULL,
                term_count INTEGER NOT NULL,
                UNIQUE (collection, owner_id, item_id)
            )
            """,
            "CREATE INDEX search_entries_group_idx ON search_entries (collection, owner_id, group_id)",
            "CREATE INDEX search_entries_owner_idx ON search_entries (owner_id)",
            "CREATE INDEX search_entries_terms_idx ON search_entries USING GIN (terms)",
            // The document length BM25 needs is the number of indexed words, stop words excluded, which is the
            // number of positions in the tsvector.
            """
            CREATE FUNCTION search_entries_index() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.terms := setweight(to_tsvector('english', NEW.title), 'A') || to_tsvector('english', NEW.body);
                NEW.term_count := (
                    SELECT COALESCE(SUM(COALESCE(array_length(t.positions, 1), 1)), 0) FROM unnest(NEW.terms) AS t
                );
                RETURN NEW;
            END
            $$
            """,
            """
            CREATE TRIGGER search_entries_index BEFORE INSERT OR UPDATE OF title, body ON search_entries
            FOR EACH ROW EXECUTE FUNCTION search_entries_index()
            """,
        ]
        for statement in statements {
            try await db.raw(statement).run()
        }
    }

    func fullTextSearch(_ query: SearchQuery, limit: Int, on db: any SQLDatabase) async throws -> [SearchHit] {
        let terms = QueryTerms(query.text)
        guard !terms.isEmpty, limit > 0 else { return [] }
        if let groups = query.groupIDs, groups.isEmpty { return [] }
        // The query's words through the same configuration as the documents: stemmed, stop words dropped.
        let lexemes = try await db.raw(
            """
            SELECT DISTINCT unnest(tsvector_to_array(to_tsvector('english', \(bind: terms.words.joined(separator: " ")))))
            AS lexeme
            """
        ).all(decodingColumn: "lexeme", as: String.self).sorted()
        guard !lexemes.isEmpty else { return [] }
        let anyLexeme = lexemes.map(Self.tsqueryLexeme).joined(separator: " | ")
        // `matches` holds, for every entry of the owner's collection that contains a query word, the frequency of
        // each query word in it: the tsvector is cut down to the query's lexemes in C (every lexeme weighted D,
        // the query's ones A, then only A kept) before it is unnested. The same rows give the document
        // frequencies, so no term is counted twice. Both are materialised, so each is computed once per query.
        var sql: SQLQueryString = """
            WITH corpus AS MATERIALIZED (
                SELECT COUNT(*)::float8 AS n, COALESCE(AVG(term_count), 0)::float8 AS average_length
                FROM search_entries WHERE collection = \(bind: query.collection) AND owner_id = \(bind: query.ownerID)
            ),
            matches AS MATERIALIZED (
                SELECT e.item_id, e.group_id, e.term_count, t.lexeme,
                    COALESCE(array_length(t.positions, 1), 1)::float8 AS tf
                FROM search_entries AS e,
                    unnest(ts_filter(setweight(setweight(e.terms, 'D'), 'A', \(bind: lexemes)::text[]), '{a}')) AS t
                WHERE e.collection = \(bind: query.collection) AND e.owner_id = \(bind: query.ownerID)
                AND e.terms @@ \(bind: anyLexeme)::tsquery
            ),
            frequencies AS MATERIALIZED (
                SELECT lexeme, COUNT(*)::float8 AS df FROM matches GROUP BY lexeme
            )
            SELECT m.item_id, m.group_id, SUM(
                ln(1 + (c.n - f.df + 0.5) / (f.df + 0.5))
                * m.tf * \(literal: Self.k1 + 1)
                / (m.tf + \(literal: Self.k1) * (1 - \(literal: Self.b) + \(literal: Self.b) * m.term_count / GREATEST(c.average_length, 1)))
            ) AS score
            FROM matches AS m JOIN frequencies AS f ON f.lexeme = m.lexeme CROSS JOIN corpus AS c
            """
        if let groups = query.groupIDs {
            sql += " WHERE m.group_id = ANY(\(bind: groups)::text[])"
        }
        sql += """
             GROUP BY m.item_id, m.group_id
            ORDER BY score DESC, m.item_id
            LIMIT \(bind: limit)
            """
        return try await db.raw(sql).all(decoding: RankedRow.self).map {
            SearchHit(itemID: $0.itemID, groupID: $0.groupID, score: $0.score)
        }
    }

    /// A lexeme as a quoted tsquery operand: quotes and backslashes escaped, so `::tsquery` reads it as one
    /// lexeme whatever it contains, without normalising it again.
    static func tsqueryLexeme(_ lexeme: String) -> String {
        "'" + lexeme.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }
}
