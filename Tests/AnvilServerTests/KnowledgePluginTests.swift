import AnvilCore
import AnvilPluginKit
import AnvilServer
import AnvilTestSupport
import Foundation
import Memory
import Notes
import RAGSearch
import Testing

@Suite("Notes and memories through the API and the agent loop")
struct KnowledgePluginTests {
    static func localEmbeddings(_ configuration: inout AnvilConfiguration) {
        configuration.embeddingModel = "local:anvil-embed"
    }

    static func unknownEmbeddings(_ configuration: inout AnvilConfiguration) {
        configuration.embeddingModel = "nowhere:model"
    }

    @Test(
        "notes: create, list by tag, search, update, delete; scoped to their owner", arguments: TestDatabase.available)
    func notes(engine: TestDatabase) async throws {
        try await withTestApp(engine, plugins: [NotesPlugin.self]) { api in
            let alice = try await api.register()
            let bob = try await api.register()
            let first = try await api.send(
                .post, "/api/v1/notes",
                json: [
                    "title": "Kayak trip", "content": "Pack the dry bags and the spare paddle.",
                    "tags": ["Trips", "gear"],
                ],
                auth: alice.auth)
            #expect(first.status == .created, "\(first.text)")
            #expect(first["tags"] == ["trips", "gear"])
            let firstID = try #require(first["id"]?.stringValue)
            let second = try await api.send(
                .post, "/api/v1/notes", json: ["content": "# Groceries\nOat milk, lentils, saffron"], auth: alice.auth)
            #expect(second["title"] == "Groceries")
            _ = try await api.send(
                .post, "/api/v1/notes", json: ["content": "Bob's paddle notes", "tags": ["gear"]], auth: bob.auth)

            let tagged = try await api.send(.get, "/api/v1/notes?tag=gear", auth: alice.auth)
            #expect(tagged["total"] == 1)
            #expect(tagged["data"]?.arrayValue?.first?.objectValue?["id"]?.stringValue == firstID)
            let all = try await api.send(.get, "/api/v1/notes?limit=1", auth: alice.auth)
            #expect(all["total"] == 2)
            #expect(all["data"]?.arrayValue?.count == 1)

            let found = try await api.send(.get, "/api/v1/notes/search?q=paddle", auth: alice.auth)
            let hits = try #require(found["data"]?.arrayValue)
            #expect(hits.count == 1, "only Alice's note, never Bob's")
            #expect(hits.first?.objectValue?["note"]?.objectValue?["id"]?.stringValue == firstID)

            let updated = try await api.send(
                .patch, "/api/v1/notes/\(firstID)", json: ["content": "Bring the tide table."], auth: alice.auth)
            #expect(updated["content"] == "Bring the tide table.")
            #expect(updated["title"] == "Kayak trip")
            let afterUpdate = try await api.send(.get, "/api/v1/notes/search?q=paddle", auth: alice.auth)
            #expect(afterUpdate["data"]?.arrayValue?.isEmpty == true, "the index follows the update at once")
            let tide = try await api.send(.get, "/api/v1/notes/search?q=tide", auth: alice.auth)
            #expect(tide["data"]?.arrayValue?.count == 1)

            #expect(try await api.send(.get, "/api/v1/notes/\(firstID)", auth: bob.auth).status == .notFound)
            #expect(try await api.send(.delete, "/api/v1/notes/\(firstID)", auth: bob.auth).status == .notFound)
            #expect(try await api.send(.delete, "/api/v1/notes/\(firstID)", auth: alice.auth).status == .noContent)
            #expect(try await api.send(.get, "/api/v1/notes/\(firstID)", auth: alice.auth).status == .notFound)
            let gone = try await api.send(.get, "/api/v1/notes/search?q=tide", auth: alice.auth)
            #expect(gone["data"]?.arrayValue?.isEmpty == true)

            let badTag = try await api.send(
                .post, "/api/v1/notes", json: ["content": "x", "tags": ["no spaces"]], auth: alice.auth)
            #expect(badTag.status == .badRequest)
            #expect(badTag["details"]?.objectValue?["field"] == "tags")
            #expect(
                try await api.send(.post, "/api/v1/notes", json: ["content": "  "], auth: alice.auth).status
                    == .badRequest)
            #expect(try await api.send(.get, "/api/v1/notes/search", auth: alice.auth).status == .badRequest)
            let hostile = try await api.send(.get, "/api/v1/notes/search?q=%22(NEAR*%20-%3A", auth: alice.auth)
            #expect(hostile.status == .ok)
        }
    }

    @Test(
        "with an embedding model, notes, memories and documents are embedded and searched by both rankings",
        arguments: TestDatabase.available)
    func hybridSearch(engine: TestDatabase) async throws {
        let plugins: [any ToolPlugin.Type] = [NotesPlugin.self, MemoryPlugin.self, RAGSearchPlugin.self]
        try await withTestApp(engine, plugins: plugins, configure: Self.localEmbeddings) { api in
            let session = try await api.register()
            _ = try await api.send(
                .post, "/api/v1/notes", json: ["content": "Sourdough starter needs feeding daily"], auth: session.auth)
            _ = try await api.send(
                .post, "/api/v1/memories", json: ["content": "Bakes sourdough on weekends"], auth: session.auth)
            _ = try await api.send(
                .post, "/api/v1/documents", json: ["title": "Bread", "content": "Sourdough rises slowly overnight."],
                auth: session.auth)
            let notes = try await api.send(.get, "/api/v1/notes/search?q=sourdough", auth: session.auth)
            #expect(notes["data"]?.arrayValue?.count == 1, "\(notes.text)")
            let memories = try await api.send(
                .post, "/api/v1/memories/search", json: ["query": "sourdough"], auth: session.auth)
            #expect(memories["data"]?.arrayValue?.count == 1)
            let vectorOnly = try await api.send(
                .post, "/api/v1/documents/search", json: ["query": "sourdough overnight"], auth: session.auth)
            #expect(vectorOnly["data"]?.arrayValue?.first?.objectValue?["document_title"] == "Bread")
        }
    }

    @Test("an embedding model that is not configured stops startup", arguments: TestDatabase.available)
    func unknownEmbeddingModel(engine: TestDatabase) async throws {
        await #expect(throws: (any Error).self) {
            try await withTestApp(engine, plugins: [NotesPlugin.self], configure: Self.unknownEmbeddings) { _ in }
        }
    }

    @Test("the model creates and finds notes through its tools", arguments: TestDatabase.available)
    func notesThroughTools(engine: TestDatabase) async throws {
        try await withTestApp(engine, plugins: [NotesPlugin.self]) { api in
            let session = try await api.register()
            let chat = try await api.send(.post, "/api/v1/chats", json: ["title": "notes"], auth: session.auth)
            let chatID = try #require(chat["id"]?.stringValue)
            let created = try await api.send(
                .post, "/api/v1/chats/\(chatID)/messages",
                json: ["content": "Create a note: \"Call the plumber about the boiler\"", "tools": ["create_note"]],
                auth: session.auth)
            let toolMessage = created["messages"]?.arrayValue?.first { $0.objectValue?["role"] == "tool" }
            #expect(
                toolMessage?.objectValue?["content"]?.stringValue?.hasPrefix("Saved note") == true, "\(created.text)")
            let search = try await api.send(.get, "/api/v1/notes/search?q=boiler", auth: session.auth)
            #expect(search["data"]?.arrayValue?.count == 1)

            let found = try await api.send(
                .post, "/api/v1/chats/\(chatID)/messages",
                json: ["content": "Search my notes for \"plumber\"", "tools": ["search_notes"]],
                auth: session.auth)
            let result = found["messages"]?.arrayValue?.first { $0.objectValue?["role"] == "tool" }
            #expect(result?.objectValue?["content"]?.stringValue?.contains("boiler") == true, "\(found.text)")
        }
    }

    @Test(
        "memories: create, list by type, search, delete; remembered facts reach the model's context",
        arguments: TestDatabase.available)
    func memories(engine: TestDatabase) async throws {
        try await withTestApp(engine, plugins: [MemoryPlugin.self]) { api in
            let alice = try await api.register()
            let bob = try await api.register()
            let created = try await api.send(
                .post, "/api/v1/memories",
                json: [
                    "content": "Prefers window seats on flights", "memory_type": "preference", "importance_score": 0.9,
                    "metadata": ["source": "test"],
                ],
                auth: alice.auth)
            #expect(created.status == .created, "\(created.text)")
            let memoryID = try #require(created["id"]?.stringValue)
            _ = try await api.send(
                .post, "/api/v1/memories", json: ["content": "Has a dog called Biscuit"], auth: alice.auth)
            _ = try await api.send(
                .post, "/api/v1/memories", json: ["content": "Prefers aisle seats on flights"], auth: bob.auth)

            let preferences = try await api.send(.get, "/api/v1/memories?memory_type=preference", auth: alice.auth)
            #expect(preferences["total"] == 1)
            let search = try await api.send(
                .post, "/api/v1/memories/search", json: ["query": "flights seats"], auth: alice.auth)
            let hits = try #require(search["data"]?.arrayValue)
            #expect(hits.count == 1)
            #expect(hits.first?.objectValue?["memory"]?.objectValue?["content"] == "Prefers window seats on flights")

            #expect(
                try await api.send(
                    .post, "/api/v1/memories", json: ["content": "x", "importance_score": 2], auth: alice.auth
                )
                .status == .badRequest)
            #expect(
                try await api.send(.get, "/api/v1/memories?memory_type=dream", auth: alice.auth).status == .badRequest)
            #expect(try await api.send(.get, "/api/v1/memories/\(memoryID)", auth: bob.auth).status == .notFound)

            // The relevant memory is offered to the model before the call and noted on the answer.
            let chat = try await api.send(.post, "/api/v1/chats", json: ["title": "trip"], auth: alice.auth)
            let chatID = try #require(chat["id"]?.stringValue)
            let sent = try await api.send(
                .post, "/api/v1/chats/\(chatID)/messages",
                json: ["content": "Book me seats on the flights to Oslo", "tools": []], auth: alice.auth)
            let answer = try #require(sent["messages"]?.arrayValue?.last?.objectValue)
            #expect(answer["metadata"]?.objectValue?["memories_offered"] == [.string(memoryID)], "\(sent.text)")

            #expect(try await api.send(.delete, "/api/v1/memories/\(memoryID)", auth: alice.auth).status == .noContent)
            let after = try await api.send(
                .post, "/api/v1/memories/search", json: ["query": "window"], auth: alice.auth)
            #expect(after["data"]?.arrayValue?.isEmpty == true)
        }
    }

    @Test("the model remembers and recalls facts through its tools", arguments: TestDatabase.available)
    func memoryTools(engine: TestDatabase) async throws {
        try await withTestApp(engine, plugins: [MemoryPlugin.self]) { api in
            let session = try await api.register()
            let other = try await api.register()
            let invoked = try await api.send(
                .post, "/api/v1/tools/remember/invoke",
                json: ["arguments": ["content": "Allergic to peanuts", "importance": 1]], auth: session.auth)
            #expect(invoked["content"] == "Remembered (fact): Allergic to peanuts")
            let recalled = try await api.send(
                .post, "/api/v1/tools/recall/invoke", json: ["arguments": ["query": "peanuts"]], auth: session.auth)
            #expect(recalled["content"] == "- (fact) Allergic to peanuts")
            let otherRecall = try await api.send(
                .post, "/api/v1/tools/recall/invoke", json: ["arguments": ["query": "peanuts"]], auth: other.auth)
            #expect(otherRecall["content"] == "Nothing remembered about that.")

            // The agent loop keeps a fact for its user and finds it again.
            let chat = try await api.send(.post, "/api/v1/chats", json: ["title": "me"], auth: session.auth)
            let chatID = try #require(chat["id"]?.stringValue)
            let kept = try await api.send(
                .post, "/api/v1/chats/\(chatID)/messages",
                json: ["content": "Remember this: \"I take my coffee black\"", "tools": ["remember"]],
                auth: session.auth)
            let keptResult = kept["messages"]?.arrayValue?.first { $0.objectValue?["role"] == "tool" }
            #expect(
                keptResult?.objectValue?["content"] == "Remembered (fact): I take my coffee black", "\(kept.text)")
            let found = try await api.send(
                .post, "/api/v1/chats/\(chatID)/messages",
                json: ["content": "Recall what you know about \"coffee\"", "tools": ["recall"]], auth: session.auth)
            let foundResult = found["messages"]?.arrayValue?.first { $0.objectValue?["role"] == "tool" }
            #expect(foundResult?.objectValue?["content"] == "- (fact) I take my coffee black", "\(found.text)")
        }
    }
}

@Suite("Documents through the API, the search tool and use_rag")
struct DocumentPluginTests {
    static let guide = """
        # Boiler manual

        ## Resetting the boiler
        Hold the reset button for five seconds until the green light blinks twice.

        ## Bleeding radiators
        Turn the radiator key a quarter turn and close it when water appears.
        """

    @Test(
        "upload (JSON and multipart), search with offsets, cite in use_rag answers, scoped to the owner",
        arguments: TestDatabase.available)
    func documents(engine: TestDatabase) async throws {
        try await withTestApp(engine, plugins: [RAGSearchPlugin.self]) { api in
            let alice = try await api.register()
            let bob = try await api.register()
            let uploaded = try await api.send(
                .post, "/api/v1/documents",
                json: ["title": "Boiler manual", "content": .string(Self.guide), "mime_type": "text/markdown"],
                auth: alice.auth)
            #expect(uploaded.status == .created, "\(uploaded.text)")
            let documentID = try #require(uploaded["id"]?.stringValue)

            let boundary = "anvil-test-boundary"
            let multipart = [
                "--\(boundary)",
                "Content-Disposition: form-data; name=\"file\"; filename=\"garden.txt\"",
                "Content-Type: text/plain",
                "",
                "Water the tomatoes every evening in July.",
                "--\(boundary)--",
                "",
            ].joined(separator: "\r\n")
            let file = try await api.send(
                .post, "/api/v1/documents", rawBody: multipart, auth: alice.auth,
                headers: [.contentType: "multipart/form-data; boundary=\(boundary)"])
            #expect(file.status == .created, "\(file.text)")
            #expect(file["title"] == "garden.txt")

            let listed = try await api.send(.get, "/api/v1/documents", auth: alice.auth)
            #expect(listed["total"] == 2)
            #expect(try await api.send(.get, "/api/v1/documents", auth: bob.auth)["total"] == 0)

            let search = try await api.send(
                .post, "/api/v1/documents/search", json: ["query": "reset button", "k": 3], auth: alice.auth)
            let first = try #require(search["data"]?.arrayValue?.first?.objectValue)
            #expect(first["document_id"]?.stringValue == documentID)
            let start = try #require(
                first["start_offset"].flatMap { if case .integer(let n) = $0 { Int(n) } else { nil } })
            let end = try #require(first["end_offset"].flatMap { if case .integer(let n) = $0 { Int(n) } else { nil } })
            let scalars = Array(Self.guide.unicodeScalars)
            #expect(String(String.UnicodeScalarView(scalars[start..<end])) == first["text"]?.stringValue)
            let bobSearch = try await api.send(
                .post, "/api/v1/documents/search", json: ["query": "reset button"], auth: bob.auth)
            #expect(bobSearch["data"]?.arrayValue?.isEmpty == true)

            let tool = try await api.send(
                .post, "/api/v1/tools/search_documents/invoke", json: ["arguments": ["query": "radiator key"]],
                auth: alice.auth)
            #expect(tool["content"]?.stringValue?.hasPrefix("[1] Boiler manual") == true, "\(tool.text)")

            let chat = try await api.send(.post, "/api/v1/chats", json: ["title": "boiler"], auth: alice.auth)
            let chatID = try #require(chat["id"]?.stringValue)
            let sent = try await api.send(
                .post, "/api/v1/chats/\(chatID)/messages",
                json: ["content": "How do I reset the boiler?", "use_rag": true, "tools": []], auth: alice.auth)
            #expect(sent.status == .ok, "\(sent.text)")
            let answer = try #require(sent["messages"]?.arrayValue?.last?.objectValue)
            let citation = try #require(answer["metadata"]?.objectValue?["citations"]?.arrayValue?.first?.objectValue)
            #expect(citation["number"] == 1)
            #expect(citation["document_id"]?.stringValue == documentID)
            let stored = try await api.send(.get, "/api/v1/chats/\(chatID)/messages", auth: alice.auth)
            let storedAnswer = stored["data"]?.arrayValue?.last?.objectValue
            #expect(
                storedAnswer?["metadata"]?.objectValue?["citations"] != nil, "citations are stored with the message")

            let download = try await api.send(.get, "/api/v1/documents/\(documentID)/content", auth: alice.auth)
            #expect(download.text == Self.guide)
            #expect(try await api.send(.get, "/api/v1/documents/\(documentID)", auth: bob.auth).status == .notFound)
            #expect(
                try await api.send(.post, "/api/v1/documents/\(documentID)/reindex", auth: alice.auth).status == .ok)
            let unsupported = try await api.send(
                .post, "/api/v1/documents", json: ["title": "x", "content": "y", "mime_type": "image/png"],
                auth: alice.auth)
            #expect(unsupported.status == .unsupportedMediaType)
            #expect(
                try await api.send(.delete, "/api/v1/documents/\(documentID)", auth: alice.auth).status == .noContent)
            let after = try await api.send(
                .post, "/api/v1/documents/search", json: ["query": "reset button"], auth: alice.auth)
            #expect(after["data"]?.arrayValue?.isEmpty == true)
        }
    }
}
