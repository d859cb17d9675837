import AnvilCore
import AnvilStore
import AnvilTestSupport
import Foundation
import Testing

@Suite("Search index on SQLite and PostgreSQL")
struct SearchIndexTests {
    static let corpus: [(id: String, title: String, text: String)] = [
        ("bread", "Sourdough bread", "Feed the starter, mix flour and water, let the dough rise overnight, then bake."),
        ("boat", "Sailing basics", "Trim the sails, watch the wind and keep the boat balanced when it heels."),
        ("dough", "Pizza dough", "Pizza dough needs flour, water, salt and yeast; the dough rests for a day."),
        ("garden", "Spring garden", "Sow peas and lettuce early; water the beds when the soil is dry."),
    ]

    func makeUser(_ store: Store, _ name: String) async throws -> String {
        try await store.users.create(
            email: "\(name)@example.com", passwordHash: "h", displayName: nil, isAdmin: false
        ).id
    }

    func index(_ store: Store, owner: String, embed: Bool = false) async throws {
        try await store.search.upsert(
            Self.corpus.map {
                SearchEntry(
                    collection: "notes", ownerID: owner, itemID: $0.id, title: $0.title, text: $0.text,
                    embedding: embed ? TestEmbedding.vector(for: "\($0.title) \($0.text)") : nil)
            })
    }

    func ids(_ hits: [SearchHit]) -> [String] { hits.map(\.itemID) }

    @Test("full text ranks the entry that matches more and rarer words first", arguments: TestDatabase.available)
    func ranking(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store in
            let owner = try await makeUser(store, "ada")
            try await index(store, owner: owner)
            let hits = try await store.search.search(
                SearchQuery(collection: "notes", ownerID: owner, text: "pizza dough"))
            // "dough" appears in two entries, "pizza" only in one: the pizza note wins, the bread note follows.
            #expect(ids(hits) == ["dough", "bread"])
            #expect(hits[0].score > hits[1].score)
            // Stemming: "rising breads" finds "rise" and "bread".
            let stemmed = try await store.search.search(
                SearchQuery(collection: "notes", ownerID: owner, text: "rising breads"))
            #expect(ids(stemmed).first == "bread")
            // Titles are searched too.
            let byTitle = try await store.search.search(
                SearchQuery(collection: "notes", ownerID: owner, text: "sailing"))
            #expect(ids(byTitle) == ["boat"])
            let limited = try await store.search.search(
                SearchQuery(collection: "notes", ownerID: owner, text: "water", limit: 2))
            #expect(limited.count == 2)
        }
    }

    @Test("updates and deletes are visible to the next search", arguments: TestDatabase.available)
    func updatesAndDeletes(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store in
            let owner = try await makeUser(store, "ada")
            try await index(store, owner: owner)
            let query = SearchQuery(collection: "notes", ownerID: owner, text: "kayak")
            #expect(try await store.search.search(query).isEmpty)

            try await store.search.upsert([
                SearchEntry(
                    collection: "notes", ownerID: owner, itemID: "boat", title: "Kayaking",
                    text: "Paddle the kayak along the coast.")
            ])
            #expect(ids(try await store.search.search(query)) == ["boat"])
            // The old text is gone from the index.
            #expect(
                try await store.search.search(SearchQuery(collection: "notes", ownerID: owner, text: "sails")).isEmpty)

            try await store.search.remove(collection: "notes", ownerID: owner, itemIDs: ["boat"])
            #expect(try await store.search.search(query).isEmpty)
            #expect(try await store.search.count(collection: "notes", ownerID: owner) == 3)
        }
    }

    @Test("entries written in a transaction that rolls back are not indexed", arguments: TestDatabase.available)
    func transactional(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store in
            let owner = try await makeUser(store, "ada")
            struct Abort: Error {}
            await #expect(throws: Abort.self) {
                try await store.database.transaction { db in
                    try await store.search.upsert(
                        [SearchEntry(collection: "notes", ownerID: owner, itemID: "x", text: "ephemeral words")],
                        on: db)
                    throw Abort()
                }
            }
            #expect(
                try await store.search.search(SearchQuery(collection: "notes", ownerID: owner, text: "ephemeral"))
                    .isEmpty)
            #expect(try await store.search.count(collection: "notes", ownerID: owner) == 0)
        }
    }

    @Test("a search never returns another owner's or another collection's entries", arguments: TestDatabase.available)
    func ownerScoping(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store in
            let ada = try await makeUser(store, "ada")
            let bob = try await makeUser(store, "bob")
            try await index(store, owner: ada, embed: true)
            try await store.search.upsert([
                SearchEntry(
                    collection: "notes", ownerID: bob, itemID: "bob-dough", title: "Bob's dough",
                    text: "dough dough dough pizza", embedding: TestEmbedding.vector(for: "dough pizza")),
                SearchEntry(collection: "memories", ownerID: ada, itemID: "memory-dough", text: "pizza dough memory"),
            ])
            for mode in SearchMode.allCases {
                let hits = try await store.search.search(
                    SearchQuery(
                        collection: "notes", ownerID: ada, text: "pizza dough",
                        embedding: TestEmbedding.vector(for: "pizza dough"), limit: 50, mode: mode))
                #expect(!hits.isEmpty)
                #expect(!ids(hits).contains("bob-dough"), "mode \(mode)")
                #expect(!ids(hits).contains("memory-dough"), "mode \(mode)")
            }
            let bobs = try await store.search.search(SearchQuery(collection: "notes", ownerID: bob, text: "water"))
            #expect(bobs.isEmpty)
            // Removing uses the owner too: Bob cannot remove Ada's entry by naming it.
            try await store.search.remove(collection: "notes", ownerID: bob, itemIDs: ["dough"])
            #expect(try await store.search.count(collection: "notes", ownerID: ada) == 4)
        }
    }

    static let hostileQueries = [
        "", "   ", "\"", "\"\"\"", "'", "''", "(", ")", "((dough", "dough)", "NEAR", "NEAR(dough pizza, 2)",
        "dough NEAR/2 pizza", "*", "dough*", "-", "-dough", "title:dough", "body : dough", ":", "^dough", "AND",
        "OR", "NOT dough", "dough AND OR NOT", "{title body}: dough", "+dough", "a & b | !c", "dough:*", "\\",
        "\\'", "'; DROP TABLE search_entries; --", "%", "_", "ﬁ ligature", "Ünïcödé crème brûlée", "日本語の検索",
        "🍕 dough", "\u{0}", "the of and", String(repeating: "dough ", count: 500), "x\u{301}", "<b>dough</b>",
    ]

    @Test("any query text is a valid query", arguments: TestDatabase.available)
    func hostileQueries(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store in
            let owner = try await makeUser(store, "ada")
            try await index(store, owner: owner, embed: true)
            for text in Self.hostileQueries {
                for mode in SearchMode.allCases {
                    _ = try await store.search.search(
                        SearchQuery(
                            collection: "notes", ownerID: owner, text: text,
                            embedding: TestEmbedding.vector(for: text), mode: mode))
                }
            }
            // Operator words are plain words: a note containing them is found by them.
            try await store.search.upsert([
                SearchEntry(collection: "notes", ownerID: owner, itemID: "ops", text: "near or not, title: (star)*")
            ])
            for text in ["NEAR", "title:", "(star)*", "\"star\""] {
                let hits = try await store.search.search(SearchQuery(collection: "notes", ownerID: owner, text: text))
                #expect(ids(hits).contains("ops"), "query \(text)")
            }
            let dough = try await store.search.search(
                SearchQuery(collection: "notes", ownerID: owner, text: "NEAR(dough pizza, 2)"))
            #expect(ids(dough).first == "dough")
        }
    }

    @Test("vector search ranks by cosine similarity and hybrid fuses both rankings", arguments: TestDatabase.available)
    func vectorAndHybrid(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store in
            let owner = try await makeUser(store, "ada")
            try await index(store, owner: owner, embed: true)
            // An entry without an embedding is invisible to vector search but still found by full text.
            try await store.search.upsert([
                SearchEntry(collection: "notes", ownerID: owner, itemID: "plain", text: "yeast and flour")
            ])
            let target = TestEmbedding.vector(for: "sails wind boat")
            let vector = try await store.search.search(
                SearchQuery(collection: "notes", ownerID: owner, text: "", embedding: target, mode: .vector))
            #expect(vector.first?.itemID == "boat")
            #expect(!ids(vector).contains("plain"))
            #expect(vector.count == 4)
            #expect(zip(vector, vector.dropFirst()).allSatisfy { $0.score >= $1.score })

            // Full text and vectors disagree; fusion keeps what both rank high on top.
            let hybrid = try await store.search.search(
                SearchQuery(
                    collection: "notes", ownerID: owner, text: "flour yeast",
                    embedding: TestEmbedding.vector(for: "pizza dough flour"), limit: 3))
            #expect(hybrid.first?.itemID == "dough")
            #expect(hybrid.first?.fullTextRank != nil)
            #expect(hybrid.first?.vectorRank != nil)
            #expect(ids(hybrid).contains("plain"))
            #expect(hybrid.count == 3)

            await #expect(throws: StoreError.self) {
                try await store.search.search(
                    SearchQuery(collection: "notes", ownerID: owner, text: "x", mode: .vector))
            }
        }
    }

    @Test("searches can be limited to groups and a group removed at once", arguments: TestDatabase.available)
    func groups(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store in
            let owner = try await makeUser(store, "ada")
            try await store.search.upsert(
                (0..<3).flatMap { document in
                    (0..<2).map { chunk in
                        SearchEntry(
                            collection: "document_chunks", ownerID: owner, itemID: "d\(document)-\(chunk)",
                            groupID: "d\(document)", text: "shared words chunk\(chunk)",
                            embedding: TestEmbedding.vector(for: "shared words"))
                    }
                })
            for mode in SearchMode.allCases {
                let hits = try await store.search.search(
                    SearchQuery(
                        collection: "document_chunks", ownerID: owner, text: "shared",
                        embedding: TestEmbedding.vector(for: "shared"), limit: 10, groupIDs: ["d1", "d2"], mode: mode))
                #expect(Set(hits.compactMap(\.groupID)) == ["d1", "d2"], "mode \(mode)")
                #expect(hits.count == 4)
            }
            let none = try await store.search.search(
                SearchQuery(collection: "document_chunks", ownerID: owner, text: "shared", groupIDs: []))
            #expect(none.isEmpty)
            try await store.database.transaction { db in
                try await store.search.removeGroup(
                    collection: "document_chunks", ownerID: owner, groupID: "d1", on: db)
            }
            let left = try await store.search.search(
                SearchQuery(collection: "document_chunks", ownerID: owner, text: "shared", limit: 10))
            #expect(Set(left.compactMap(\.groupID)) == ["d0", "d2"])
        }
    }

    @Test("deleting a user removes their entries", arguments: TestDatabase.available)
    func userDeletion(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store in
            let owner = try await makeUser(store, "ada")
            try await index(store, owner: owner)
            #expect(try await store.users.delete(userID: owner))
            #expect(try await store.search.count(collection: "notes", ownerID: owner) == 0)
        }
    }
}

/// A deterministic bag-of-words embedding for tests: each word adds to one of 64 dimensions.
enum TestEmbedding {
    static func vector(for text: String) -> [Float] {
        var vector = [Float](repeating: 0, count: 64)
        for word in text.lowercased().split(whereSeparator: { !$0.isLetter }) {
            var hash: UInt64 = 1_469_598_103_934_665_603
            for byte in word.utf8 {
                hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211
            }
            vector[Int(hash % 64)] += 1
        }
        return vector
    }
}
