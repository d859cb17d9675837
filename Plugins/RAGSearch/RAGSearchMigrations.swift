import AnvilStore
import SQLKit

/// The tables of the `rag_search` plugin: documents with their original bytes and extracted text, and their
/// chunks. The chunks' searchable text lives in the store's search index (collection `document_chunks`).
public enum RAGSearchMigrations {
    public static let all: [Migration] = [documents]

    static let documents = Migration(id: "rag_search.0001_documents") { db, types in
        try await db.create(table: "rag_documents")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("owner_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
            .column("title", type: .text, .notNull)
            .column("mime_type", type: .text, .notNull)
            .column("metadata", type: .text, .notNull)
            .column("content", type: types.bytes, .notNull)
            .column("byte_size", type: .bigint, .notNull)
            .column("extracted_text", type: .text, .notNull)
            .column("text_length", type: .bigint, .notNull)
            .column("chunk_count", type: .bigint, .notNull)
            .column("created_at", type: types.timestamp, .notNull)
            .column("updated_at", type: types.timestamp, .notNull)
            .run()
        try await db.create(index: "rag_documents_owner_created_idx").on("rag_documents")
            .column("owner_id").column("created_at").run()

        try await db.create(table: "rag_chunks")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("document_id", type: .text, .notNull, .references("rag_documents", "id", onDelete: .cascade))
            .column("owner_id", type: .text, .notNull)
            .column("chunk_index", type: .bigint, .notNull)
            .column("start_offset", type: .bigint, .notNull)
            .column("end_offset", type: .bigint, .notNull)
            .column("section", type: .text)
            .column("text", type: .text, .notNull)
            .run()
        try await db.create(index: "rag_chunks_document_idx").on("rag_chunks")
            .column("document_id").column("chunk_index").run()
    }
}
