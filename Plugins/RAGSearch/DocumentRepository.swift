import AnvilCore
import AnvilStore
import Foundation
import SQLKit

/// The SQL of the `rag_search` plugin: documents and their chunks, always filtered by owner. Writes take the
/// connection or transaction they run on, so the ingestion can put a document, its chunks and their index entries
/// in one transaction.
public struct DocumentRepository: Sendable {
    public init() {}

    static let documentColumns = [
        "id", "owner_id", "title", "mime_type", "metadata", "byte_size", "text_length", "chunk_count", "created_at",
        "updated_at",
    ]

    struct DocumentRow: Decodable {
        let id: String
        let ownerID: String
        let title: String
        let mimeType: String
        let metadata: String
        let byteSize: Int
        let textLength: Int
        let chunkCount: Int
        let createdAt: Date
        let updatedAt: Date

        enum CodingKeys: String, CodingKey {
            case id, title, metadata
            case ownerID = "owner_id"
            case mimeType = "mime_type"
            case byteSize = "byte_size"
            case textLength = "text_length"
            case chunkCount = "chunk_count"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }

        func document() throws -> Document {
            let value: JSONValue
            do {
                value = try JSONDecoder().decode(JSONValue.self, from: Data(metadata.utf8))
            } catch {
                throw StoreError.corruptData("rag_documents.metadata of \(id) is not valid JSON")
            }
            return Document(
                id: id, ownerID: ownerID, title: title, mimeType: mimeType, metadata: value, byteSize: byteSize,
                textLength: textLength, chunkCount: chunkCount, createdAt: createdAt, updatedAt: updatedAt)
        }
    }

    /// Stores a new document with its original bytes and extracted text.
    func insert(_ document: Document, content: Data, extractedText: String, on db: any SQLDatabase) async throws {
        try await db.insert(into: "rag_documents")
            .columns(Self.documentColumns + ["content", "extracted_text"])
            .values(
                SQLBind(document.id), SQLBind(document.ownerID), SQLBind(document.title), SQLBind(document.mimeType),
                SQLBind(try Self.encode(document.metadata)), SQLBind(document.byteSize), SQLBind(document.textLength),
                SQLBind(document.chunkCount), SQLBind(document.createdAt), SQLBind(document.updatedAt),
                SQLBind(content), SQLBind(extractedText)
            )
            .run()
    }

    /// Records a new extraction of a document (after re-indexing).
    func updateExtraction(
        id: String, ownerID: String, extractedText: String, textLength: Int, chunkCount: Int, at date: Date,
        on db: any SQLDatabase
    ) async throws {
        try await db.update("rag_documents")
            .set("extracted_text", to: extractedText)
            .set("text_length", to: textLength)
            .set("chunk_count", to: chunkCount)
            .set("updated_at", to: date)
            .where("id", .equal, id)
            .where("owner_id", .equal, ownerID)
            .run()
    }

    /// Replaces every chunk of a document.
    func replaceChunks(_ chunks: [DocumentChunk], documentID: String, ownerID: String, on db: any SQLDatabase)
        async throws
    {
        try await db.delete(from: "rag_chunks")
            .where("document_id", .equal, documentID)
            .where("owner_id", .equal, ownerID)
            .run()
        var start = chunks.startIndex
        while start < chunks.endIndex {
            let batch = chunks[start..<min(start + 100, chunks.endIndex)]
            start = batch.endIndex
            var insert = db.insert(into: "rag_chunks")
                .columns(
                    "id", "document_id", "owner_id", "chunk_index", "start_offset", "end_offset", "section", "text")
            for chunk in batch {
                insert = insert.values(
                    SQLBind(chunk.id), SQLBind(chunk.documentID), SQLBind(ownerID), SQLBind(chunk.index),
                    SQLBind(chunk.startOffset), SQLBind(chunk.endOffset), SQLBind(chunk.section), SQLBind(chunk.text))
            }
            try await insert.run()
        }
    }

    /// The owner's document, or `nil`.
    public func find(id: String, ownerID: String, on db: any SQLDatabase) async throws -> Document? {
        try await db.select()
            .columns(Self.documentColumns.map { SQLColumn($0) })
            .from("rag_documents")
            .where("id", .equal, id)
            .where("owner_id", .equal, ownerID)
            .first(decoding: DocumentRow.self)?
            .document()
    }

    /// The owner's documents, newest first.
    public func list(ownerID: String, limit: Int, offset: Int, on db: any SQLDatabase) async throws -> [Document] {
        try await db.select()
            .columns(Self.documentColumns.map { SQLColumn($0) })
            .from("rag_documents")
            .where("owner_id", .equal, ownerID)
            .orderBy("created_at", .descending)
            .orderBy("id", .descending)
            .limit(limit)
            .offset(offset)
            .all(decoding: DocumentRow.self)
            .map { try $0.document() }
    }

    /// The original bytes and extracted text of the owner's document.
    func source(id: String, ownerID: String, on db: any SQLDatabase) async throws
        -> (document: Document, content: Data, extractedText: String)?
    {
        struct Row: Decodable {
            let content: Data
            let extractedText: String

            enum CodingKeys: String, CodingKey {
                case content
                case extractedText = "extracted_text"
            }
        }
        guard let document = try await find(id: id, ownerID: ownerID, on: db),
            let row = try await db.select()
                .columns("content", "extracted_text")
                .from("rag_documents")
                .where("id", .equal, id)
                .where("owner_id", .equal, ownerID)
                .first(decoding: Row.self)
        else { return nil }
        return (document, row.content, row.extractedText)
    }

    /// Deletes the owner's document and (by cascade) its chunks; `false` when there was none.
    func delete(id: String, ownerID: String, on db: any SQLDatabase) async throws -> Bool {
        let existing = try await db.select().column("id").from("rag_documents")
            .where("id", .equal, id).where("owner_id", .equal, ownerID)
            .first()
        guard existing != nil else { return false }
        try await db.delete(from: "rag_documents").where("id", .equal, id).where("owner_id", .equal, ownerID).run()
        return true
    }

    /// The owner's chunks with these ids, each with its document's title, keyed by chunk id.
    func chunks(ids: [String], ownerID: String, on db: any SQLDatabase) async throws
        -> [String: (chunk: DocumentChunk, title: String)]
    {
        guard !ids.isEmpty else { return [:] }
        let rows = try await db.select()
            .column(SQLColumn("id", table: "c"))
            .column(SQLColumn("document_id", table: "c"))
            .column(SQLColumn("chunk_index", table: "c"))
            .column(SQLColumn("start_offset", table: "c"))
            .column(SQLColumn("end_offset", table: "c"))
            .column(SQLColumn("section", table: "c"))
            .column(SQLColumn("text", table: "c"))
            .column(SQLColumn("title", table: "d"))
            .from(SQLAlias(SQLIdentifier("rag_chunks"), as: SQLIdentifier("c")))
            .join(
                SQLAlias(SQLIdentifier("rag_documents"), as: SQLIdentifier("d")),
                on: SQLColumn("document_id", table: "c"), .equal, SQLColumn("id", table: "d")
            )
            .where(SQLColumn("owner_id", table: "c"), .equal, SQLBind(ownerID))
            .where(SQLColumn("owner_id", table: "d"), .equal, SQLBind(ownerID))
            .where(SQLColumn("id", table: "c"), .in, SQLBind.group(ids))
            .all(decoding: ChunkRow.self)
        var result: [String: (chunk: DocumentChunk, title: String)] = [:]
        for row in rows {
            result[row.id] = (row.chunk, row.title ?? "")
        }
        return result
    }

    /// Every chunk of the owner's document, in order.
    public func chunks(documentID: String, ownerID: String, on db: any SQLDatabase) async throws -> [DocumentChunk] {
        try await db.select()
            .columns("id", "document_id", "chunk_index", "start_offset", "end_offset", "section", "text")
            .from("rag_chunks")
            .where("document_id", .equal, documentID)
            .where("owner_id", .equal, ownerID)
            .orderBy("chunk_index")
            .all(decoding: ChunkRow.self)
            .map(\.chunk)
    }

    /// A chunk as stored, with its document's title when the query joins it.
    struct ChunkRow: Decodable {
        let id: String
        let documentID: String
        let index: Int
        let startOffset: Int
        let endOffset: Int
        let section: String?
        let text: String
        let title: String?

        enum CodingKeys: String, CodingKey {
            case id, section, text, title
            case documentID = "document_id"
            case index = "chunk_index"
            case startOffset = "start_offset"
            case endOffset = "end_offset"
        }

        var chunk: DocumentChunk {
            DocumentChunk(
                id: id, documentID: documentID, index: index, startOffset: startOffset, endOffset: endOffset,
                section: section, text: text)
        }
    }

    static func encode(_ metadata: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(metadata), as: UTF8.self)
    }
}
