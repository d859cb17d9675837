import AnvilCore
import AnvilStore
import AnvilTestSupport
import Foundation
import RAGSearch
import Testing

@Suite("Documents: ingestion, search, re-indexing and deletion on SQLite and PostgreSQL")
struct DocumentLibraryTests {
    static let manual = """
        # Espresso machine manual

        Fill the water tank with fresh cold water. Never run the pump without water.

        ## Descaling

        Descale the boiler every two months with citric acid. Hard water needs descaling more often.

        ## Grinding

        Grind the beans just before brewing. A fine grind slows the shot; a coarse grind speeds it up.
        """

    /// Runs `body` with a migrated store (core and plugin migrations) and a user.
    func withLibrary(
        _ engine: TestDatabase,
        embedder: (any TextEmbedder)? = nil,
        _ body: (DocumentLibrary, Store, String) async throws -> Void
    ) async throws {
        try await withTestStore(engine) { store in
            try await store.migrate(additional: RAGSearchMigrations.all)
            let user = try await store.users.create(
                email: "ada@example.com", passwordHash: "h", displayName: nil, isAdmin: false)
            let library = DocumentLibrary(
                database: store.database, embedder: embedder,
                chunker: TextChunker(options: ChunkingOptions(maxCharacters: 120, overlapCharacters: 40)))
            try await body(library, store, user.id)
        }
    }

    @Test(
        "an ingested document is chunked, stored and found with offsets into its text",
        arguments: TestDatabase.available)
    func ingestAndSearch(engine: TestDatabase) async throws {
        try await withLibrary(engine) { library, store, owner in
            let document = try await library.ingest(
                DocumentUpload(
                    title: "Espresso manual", text: Self.manual, mimeType: "text/markdown",
                    metadata: .object(["source": .string("vendor")])),
                ownerID: owner)
            #expect(document.chunkCount == 3, "one chunk per section")
            #expect(document.mimeType == "text/markdown")
            let stored = try #require(try await library.document(id: document.id, ownerID: owner))
            #expect(stored.title == document.title)
            #expect(stored.metadata == document.metadata)
            #expect(stored.chunkCount == document.chunkCount)
            #expect(stored.textLength == Self.manual.unicodeScalars.count)
            #expect(stored.byteSize == Self.manual.utf8.count)
            #expect(try await library.list(ownerID: owner).map(\.id) == [document.id])
            let original = try #require(try await library.content(id: document.id, ownerID: owner))
            #expect(original.data == Data(Self.manual.utf8))

            let results = try await library.search(
                DocumentSearchRequest(query: "how often to descale?", k: 3), ownerID: owner)
            let best = try #require(results.first)
            #expect(best.documentID == document.id)
            #expect(best.documentTitle == "Espresso manual")
            #expect(best.text.contains("Descale the boiler"))
            #expect(best.section == "Espresso machine manual > Descaling")
            let text = try #require(try await library.extractedText(id: document.id, ownerID: owner))
            let scalars = Array(text.unicodeScalars)
            #expect(String(String.UnicodeScalarView(scalars[best.startOffset..<best.endOffset])) == best.text)
            #expect(zip(results, results.dropFirst()).allSatisfy { $0.score >= $1.score })

            let chunks = try await library.chunks(documentID: document.id, ownerID: owner)
            #expect(chunks.map(\.index) == Array(0..<document.chunkCount))
            #expect(
                try await store.search.count(collection: DocumentLibrary.collection, ownerID: owner) == chunks.count)
        }
    }

    @Test("search is scoped to the user and to the documents asked for", arguments: TestDatabase.available)
    func scoping(engine: TestDatabase) async throws {
        try await withLibrary(engine) { library, store, owner in
            let other = try await store.users.create(
                email: "bob@example.com", passwordHash: "h", displayName: nil, isAdmin: false
            ).id
            let mine = try await library.ingest(DocumentUpload(title: "Mine", text: Self.manual), ownerID: owner)
            let notes = try await library.ingest(
                DocumentUpload(title: "Tea notes", text: "Green tea wants water below boiling."), ownerID: owner)
            let theirs = try await library.ingest(DocumentUpload(title: "Theirs", text: Self.manual), ownerID: other)

            let all = try await library.search(DocumentSearchRequest(query: "water", k: 20), ownerID: owner)
            #expect(Set(all.map(\.documentID)) == [mine.id, notes.id])
            let onlyNotes = try await library.search(
                DocumentSearchRequest(query: "water", k: 20, documentIDs: [notes.id]), ownerID: owner)
            #expect(onlyNotes.map(\.documentID) == [notes.id])
            // Naming another user's document finds nothing and reveals nothing.
            let foreign = try await library.search(
                DocumentSearchRequest(query: "water", k: 20, documentIDs: [theirs.id]), ownerID: owner)
            #expect(foreign.isEmpty)
            #expect(try await library.document(id: theirs.id, ownerID: owner) == nil)
            #expect(try await library.delete(documentID: theirs.id, ownerID: owner) == false)
            #expect(try await library.document(id: theirs.id, ownerID: other) != nil)
        }
    }

    @Test("re-indexing rebuilds chunks and entries; deleting removes them", arguments: TestDatabase.available)
    func reindexAndDelete(engine: TestDatabase) async throws {
        try await withLibrary(engine) { library, store, owner in
            let document = try await library.ingest(DocumentUpload(title: "Manual", text: Self.manual), ownerID: owner)
            let before = try await library.chunks(documentID: document.id, ownerID: owner)
            let reindexed = try await library.reindex(documentID: document.id, ownerID: owner)
            #expect(reindexed.chunkCount == document.chunkCount)
            #expect(try await library.chunks(documentID: document.id, ownerID: owner) == before)
            #expect(
                try await store.search.count(collection: DocumentLibrary.collection, ownerID: owner) == before.count)
            #expect(!(try await library.search(DocumentSearchRequest(query: "citric acid"), ownerID: owner)).isEmpty)

            #expect(try await library.delete(documentID: document.id, ownerID: owner))
            #expect(try await library.document(id: document.id, ownerID: owner) == nil)
            #expect(try await library.chunks(documentID: document.id, ownerID: owner).isEmpty)
            #expect(try await store.search.count(collection: DocumentLibrary.collection, ownerID: owner) == 0)
            #expect(try await library.search(DocumentSearchRequest(query: "citric acid"), ownerID: owner).isEmpty)
            await #expect(throws: RAGSearchError.documentNotFound(document.id)) {
                try await library.reindex(documentID: document.id, ownerID: owner)
            }
        }
    }

    @Test("with an embedder, chunks get embeddings and search is hybrid", arguments: TestDatabase.available)
    func hybrid(engine: TestDatabase) async throws {
        let embedder = WordEmbedder()
        try await withLibrary(engine, embedder: embedder) { library, _, owner in
            let document = try await library.ingest(DocumentUpload(title: "Manual", text: Self.manual), ownerID: owner)
            // Both rankings put the descaling chunk first, so the fused ranking does too.
            let hybrid = try await library.search(DocumentSearchRequest(query: "boiler descale", k: 2), ownerID: owner)
            #expect(hybrid.first?.text.contains("Descale the boiler") == true)
            #expect(hybrid.first?.documentID == document.id)
            let vector = try await library.search(
                DocumentSearchRequest(query: "citric acid boiler", k: 2, mode: .vector), ownerID: owner)
            #expect(vector.first?.text.contains("citric acid") == true)
        }
    }

    @Test(
        "bad requests and unreadable uploads are refused before anything is stored", arguments: TestDatabase.available)
    func refusals(engine: TestDatabase) async throws {
        try await withLibrary(engine) { library, _, owner in
            await #expect(throws: RAGSearchError.self) {
                try await library.ingest(DocumentUpload(title: "  ", text: "body"), ownerID: owner)
            }
            await #expect(throws: RAGSearchError.unsupportedMediaType("image/png")) {
                try await library.ingest(
                    DocumentUpload(title: "Picture", mimeType: "image/png", content: Data([0x89, 0x50])), ownerID: owner
                )
            }
            await #expect(throws: RAGSearchError.self) {
                try await library.search(DocumentSearchRequest(query: "x", k: 0), ownerID: owner)
            }
            await #expect(throws: RAGSearchError.self) {
                try await library.search(DocumentSearchRequest(query: "x", mode: .hybrid), ownerID: owner)
            }
            #expect(try await library.list(ownerID: owner).isEmpty)
            // An empty document is stored with no chunks, and any query text is fine.
            let empty = try await library.ingest(DocumentUpload(title: "Empty", text: ""), ownerID: owner)
            #expect(empty.chunkCount == 0)
            #expect(try await library.search(DocumentSearchRequest(query: "\"(NEAR*"), ownerID: owner).isEmpty)
        }
    }
}

/// A deterministic bag-of-words embedder: each lower-cased word adds to one of 128 dimensions.
struct WordEmbedder: TextEmbedder {
    func embed(_ texts: [String]) async throws -> [[Float]] {
        texts.map { text in
            var vector = [Float](repeating: 0, count: 128)
            for word in text.lowercased().split(whereSeparator: { !$0.isLetter }) {
                var hash: UInt64 = 1_469_598_103_934_665_603
                for byte in word.utf8 {
                    hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211
                }
                vector[Int(hash % 128)] += 1
            }
            return vector
        }
    }
}
