import AnvilCore
import AnvilStore
import Foundation
import Logging

/// A user's documents: ingestion (extract, chunk, index), re-indexing, deletion and search with what citations
/// need. Document rows, chunks and index entries are always written together, in one transaction.
public struct DocumentLibrary: Sendable {
    /// The search-index collection that holds document chunks.
    public static let collection = "document_chunks"
    /// The most chunks one search returns.
    public static let maxResults = 200

    public let database: Database
    public let index: SearchIndex
    public let repository: DocumentRepository
    public let extractor: TextExtractor
    public let chunker: TextChunker
    /// Embeds chunks and queries when an embedding model is configured; without one, search is full text only.
    public let embedder: (any TextEmbedder)?
    let logger: Logger

    public init(
        database: Database,
        embedder: (any TextEmbedder)? = nil,
        extractor: TextExtractor = TextExtractor(),
        chunker: TextChunker = TextChunker(),
        logger: Logger = Logger(label: "anvil.rag_search")
    ) {
        self.database = database
        self.index = SearchIndex(database: database)
        self.repository = DocumentRepository()
        self.extractor = extractor
        self.chunker = chunker
        self.embedder = embedder
        self.logger = logger
    }

    // MARK: Writing

    /// Stores an upload, extracts its text, chunks it and indexes the chunks.
    ///
    /// Extraction and embedding happen before the transaction, so a slow embedding call never holds the database.
    public func ingest(_ upload: DocumentUpload, ownerID: String) async throws -> Document {
        let title = upload.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw RAGSearchError.invalidRequest("a document needs a title") }
        let mimeType = TextExtractor.normalizedMediaType(upload.mimeType)
        let text = try await extractor.extract(upload.content, mimeType: mimeType)
        let id = UUID().uuidString.lowercased()
        let chunks = try await prepareChunks(of: text, documentID: id, title: title, ownerID: ownerID)
        let now = Date()
        let document = Document(
            id: id, ownerID: ownerID, title: title, mimeType: mimeType, metadata: upload.metadata,
            byteSize: upload.content.count, textLength: text.unicodeScalars.count, chunkCount: chunks.stored.count,
            createdAt: now, updatedAt: now)
        try await database.transaction { db in
            try await repository.insert(document, content: upload.content, extractedText: text, on: db)
            try await repository.replaceChunks(chunks.stored, documentID: id, ownerID: ownerID, on: db)
            try await index.upsert(chunks.entries, on: db)
        }
        logger.debug("ingested document", metadata: ["document": "\(id)", "chunks": "\(chunks.stored.count)"])
        return document
    }

    /// Extracts, chunks and indexes a stored document again from its original bytes, for example after the
    /// chunking or the embedding model changed.
    public func reindex(documentID: String, ownerID: String) async throws -> Document {
        guard
            let source = try await database.withConnection({ db in
                try await repository.source(id: documentID, ownerID: ownerID, on: db)
            })
        else { throw RAGSearchError.documentNotFound(documentID) }
        let text = try await extractor.extract(source.content, mimeType: source.document.mimeType)
        let chunks = try await prepareChunks(
            of: text, documentID: documentID, title: source.document.title, ownerID: ownerID)
        let now = Date()
        try await database.transaction { db in
            try await index.removeGroup(collection: Self.collection, ownerID: ownerID, groupID: documentID, on: db)
            try await repository.replaceChunks(chunks.stored, documentID: documentID, ownerID: ownerID, on: db)
            try await index.upsert(chunks.entries, on: db)
            try await repository.updateExtraction(
                id: documentID, ownerID: ownerID, extractedText: text, textLength: text.unicodeScalars.count,
                chunkCount: chunks.stored.count, at: now, on: db)
        }
        var document = source.document
        document.textLength = text.unicodeScalars.count
        document.chunkCount = chunks.stored.count
        document.updatedAt = now
        return document
    }

    /// Deletes a document, its chunks and their index entries; `false` when the user has no such document.
    @discardableResult
    public func delete(documentID: String, ownerID: String) async throws -> Bool {
        try await database.transaction { db in
            try await index.removeGroup(collection: Self.collection, ownerID: ownerID, groupID: documentID, on: db)
            return try await repository.delete(id: documentID, ownerID: ownerID, on: db)
        }
    }

    // MARK: Reading

    /// The user's document, or `nil`.
    public func document(id: String, ownerID: String) async throws -> Document? {
        try await database.withConnection { db in try await repository.find(id: id, ownerID: ownerID, on: db) }
    }

    /// The user's documents, newest first.
    public func list(ownerID: String, limit: Int = 50, offset: Int = 0) async throws -> [Document] {
        try await database.withConnection { db in
            try await repository.list(ownerID: ownerID, limit: max(1, limit), offset: max(0, offset), on: db)
        }
    }

    /// The original upload, for download.
    public func content(id: String, ownerID: String) async throws -> DocumentContent? {
        try await database.withConnection { db in
            try await repository.source(id: id, ownerID: ownerID, on: db).map {
                DocumentContent(title: $0.document.title, mimeType: $0.document.mimeType, data: $0.content)
            }
        }
    }

    /// The text extracted from a document, which chunk offsets point into.
    public func extractedText(id: String, ownerID: String) async throws -> String? {
        try await database.withConnection { db in
            try await repository.source(id: id, ownerID: ownerID, on: db)?.extractedText
        }
    }

    /// The chunks of a document, in order.
    public func chunks(documentID: String, ownerID: String) async throws -> [DocumentChunk] {
        try await database.withConnection { db in
            try await repository.chunks(documentID: documentID, ownerID: ownerID, on: db)
        }
    }

    /// The user's chunks that best answer `request.query`, best first, with their documents and offsets.
    ///
    /// When the embedder fails (a provider outage), the search falls back to full text rather than failing.
    public func search(_ request: DocumentSearchRequest, ownerID: String) async throws -> [DocumentSearchResult] {
        guard (1...Self.maxResults).contains(request.k) else {
            throw RAGSearchError.invalidRequest("k must be between 1 and \(Self.maxResults)")
        }
        if embedder == nil, let mode = request.mode, mode != .fullText {
            throw RAGSearchError.invalidRequest("\(mode.rawValue) search needs an embedding model; none is configured")
        }
        var query = SearchQuery(
            collection: Self.collection, ownerID: ownerID, text: request.query, limit: request.k,
            groupIDs: request.documentIDs, mode: request.mode)
        if let embedder, request.mode != .fullText, !request.query.isEmpty {
            do {
                query.embedding = try await embedder.embed([request.query]).first
            } catch {
                if request.mode != nil { throw error }
                logger.warning("query embedding failed; searching full text only", metadata: ["error": "\(error)"])
            }
        }
        if query.embedding == nil, request.mode == nil { query.mode = .fullText }
        return try await database.withConnection { db in
            let hits = try await index.search(query, on: db)
            let found = try await repository.chunks(ids: hits.map(\.itemID), ownerID: ownerID, on: db)
            return hits.compactMap { hit in
                guard let (chunk, title) = found[hit.itemID] else { return nil }
                return DocumentSearchResult(
                    documentID: chunk.documentID, documentTitle: title, chunkID: chunk.id, chunkIndex: chunk.index,
                    startOffset: chunk.startOffset, endOffset: chunk.endOffset, section: chunk.section,
                    text: chunk.text, score: hit.score)
            }
        }
    }

    // MARK: Chunking

    private func prepareChunks(of text: String, documentID: String, title: String, ownerID: String) async throws
        -> (stored: [DocumentChunk], entries: [SearchEntry])
    {
        let pieces = chunker.chunks(of: text)
        let stored = pieces.enumerated().map { position, piece in
            DocumentChunk(
                id: "\(documentID)-\(position)", documentID: documentID, index: position,
                startOffset: piece.startOffset, endOffset: piece.endOffset, section: piece.section, text: piece.text)
        }
        var embeddings: [[Float]]?
        if let embedder, !stored.isEmpty {
            // The title goes with each chunk, as in the full-text entry: it is often what a question names.
            let vectors = try await embedder.embed(stored.map { "\(title)\n\n\($0.text)" })
            guard vectors.count == stored.count else {
                throw RAGSearchError.invalidRequest(
                    "the embedder returned \(vectors.count) vectors for \(stored.count) chunks")
            }
            embeddings = vectors
        }
        let entries = stored.enumerated().map { position, chunk in
            SearchEntry(
                collection: Self.collection, ownerID: ownerID, itemID: chunk.id, groupID: documentID, title: title,
                text: chunk.text, embedding: embeddings?[position])
        }
        return (stored, entries)
    }
}
