import AnvilCore
import AnvilStore
import AnvilTestSupport
import Foundation
import Testing

@Suite("Store on SQLite and PostgreSQL")
struct StoreTests {
    @Test("migrations are recorded and running them again applies nothing", arguments: TestDatabase.available)
    func migrationsAreIdempotent(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store in
            let again = try await store.migrate()
            #expect(again.isEmpty)
            let extra = Migration(id: "test.0001_extra") { db, types in
                try await db.create(table: "extra_things")
                    .column("id", type: .text, .primaryKey(autoIncrement: false))
                    .column("at", type: types.timestamp)
                    .run()
            }
            #expect(try await store.migrate(additional: [extra]) == ["test.0001_extra"])
            #expect(try await store.migrate(additional: [extra]).isEmpty)
        }
    }

    @Test("emails are unique regardless of case", arguments: TestDatabase.available)
    func uniqueEmails(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store in
            let user = try await store.users.create(
                email: "Ada@Example.com",
                passwordHash: "hash",
                displayName: "Ada",
                isAdmin: false
            )
            #expect(user.email == "Ada@Example.com")
            await #expect(throws: StoreError.self) {
                try await store.users.create(
                    email: "ada@example.COM", passwordHash: "x", displayName: nil, isAdmin: false)
            }
            let found = try #require(try await store.users.find(email: "ADA@example.com"))
            #expect(found.user.id == user.id)
            #expect(found.passwordHash == "hash")
            #expect(try await store.users.count() == 1)
        }
    }

    @Test(
        "changing the password bumps the credential version and revokes refresh tokens",
        arguments: TestDatabase.available)
    func changePassword(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store in
            let user = try await store.users.create(
                email: "a@b.io", passwordHash: "h1", displayName: nil, isAdmin: false)
            try await store.refreshTokens.store(
                tokenHash: "t1",
                userID: user.id,
                familyID: "f1",
                expiresAt: Date().addingTimeInterval(3600)
            )
            try await store.users.changePassword(userID: user.id, passwordHash: "h2")
            let account = try #require(try await store.users.find(id: user.id))
            #expect(account.passwordHash == "h2")
            #expect(account.credentialVersion == 1)
            let outcome = try await store.refreshTokens.rotate(
                tokenHash: "t1",
                nextHash: "t2",
                nextExpiresAt: Date().addingTimeInterval(3600),
                now: Date()
            )
            #expect(outcome == .reused(userID: user.id))
        }
    }

    @Test("refresh tokens rotate once; presenting a spent token revokes the family", arguments: TestDatabase.available)
    func refreshRotation(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store in
            let user = try await store.users.create(
                email: "r@b.io", passwordHash: "h", displayName: nil, isAdmin: false)
            let later = Date().addingTimeInterval(3600)
            try await store.refreshTokens.store(tokenHash: "a", userID: user.id, familyID: "fam", expiresAt: later)
            #expect(
                try await store.refreshTokens.rotate(tokenHash: "a", nextHash: "b", nextExpiresAt: later, now: Date())
                    == .rotated(userID: user.id)
            )
            // Reusing the spent token revokes the family, so the live successor stops working too.
            #expect(
                try await store.refreshTokens.rotate(tokenHash: "a", nextHash: "c", nextExpiresAt: later, now: Date())
                    == .reused(userID: user.id)
            )
            #expect(
                try await store.refreshTokens.rotate(tokenHash: "b", nextHash: "d", nextExpiresAt: later, now: Date())
                    == .reused(userID: user.id)
            )
            #expect(
                try await store.refreshTokens.rotate(tokenHash: "zzz", nextHash: "e", nextExpiresAt: later, now: Date())
                    == .unknown
            )
            try await store.refreshTokens.store(
                tokenHash: "old",
                userID: user.id,
                familyID: "fam2",
                expiresAt: Date().addingTimeInterval(-1)
            )
            #expect(
                try await store.refreshTokens.rotate(tokenHash: "old", nextHash: "f", nextExpiresAt: later, now: Date())
                    == .expired
            )
        }
    }

    @Test("concurrent rotations of one token: exactly one succeeds", arguments: TestDatabase.available)
    func concurrentRotation(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store in
            let user = try await store.users.create(
                email: "c@b.io", passwordHash: "h", displayName: nil, isAdmin: false)
            let later = Date().addingTimeInterval(3600)
            try await store.refreshTokens.store(tokenHash: "x", userID: user.id, familyID: "fam", expiresAt: later)
            let outcomes = try await withThrowingTaskGroup(of: RefreshTokenRotation.self) { group in
                for attempt in 0..<4 {
                    group.addTask {
                        try await store.refreshTokens.rotate(
                            tokenHash: "x",
                            nextHash: "next-\(attempt)",
                            nextExpiresAt: later,
                            now: Date()
                        )
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == .rotated(userID: user.id) }.count == 1)
            #expect(outcomes.filter { $0 == .reused(userID: user.id) }.count == 3)
        }
    }

    @Test(
        "API keys are found by digest only while live, and deleting one is scoped to its owner",
        arguments: TestDatabase.available)
    func apiKeys(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store in
            let owner = try await store.users.create(
                email: "k@b.io", passwordHash: "h", displayName: nil, isAdmin: false)
            let other = try await store.users.create(
                email: "o@b.io", passwordHash: "h", displayName: nil, isAdmin: false)
            let key = try await store.apiKeys.create(
                userID: owner.id,
                name: "ci",
                prefix: "anv_abcdefgh",
                keyHash: "digest",
                expiresAt: nil
            )
            let found = try #require(try await store.apiKeys.authenticate(keyHash: "digest", now: Date()))
            #expect(found.owner.user.id == owner.id)
            #expect(found.key.id == key.id)
            #expect(try await store.apiKeys.authenticate(keyHash: "other", now: Date()) == nil)
            let listed = try await store.apiKeys.list(userID: owner.id, page: PageRequest())
            #expect(listed.items.map(\.id) == [key.id])
            #expect(listed.items.first?.lastUsedAt != nil)
            #expect(try await store.apiKeys.delete(id: key.id, userID: other.id) == false)
            #expect(try await store.apiKeys.delete(id: key.id, userID: owner.id) == true)
            #expect(try await store.apiKeys.authenticate(keyHash: "digest", now: Date()) == nil)

            _ = try await store.apiKeys.create(
                userID: owner.id,
                name: "old",
                prefix: "anv_old",
                keyHash: "expired",
                expiresAt: Date().addingTimeInterval(-60)
            )
            #expect(try await store.apiKeys.authenticate(keyHash: "expired", now: Date()) == nil)
        }
    }

    @Test("provider keys are sealed at rest and replaced by upsert", arguments: TestDatabase.available)
    func providerKeys(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store in
            let user = try await store.users.create(
                email: "p@b.io", passwordHash: "h", displayName: nil, isAdmin: false)
            let first = try await store.providerKeys.set(userID: user.id, provider: "openai", key: "sk-first-secret")
            let second = try await store.providerKeys.set(userID: user.id, provider: "openai", key: "sk-second-secret")
            #expect(second.createdAt == first.createdAt)
            #expect(second.updatedAt >= first.updatedAt)
            #expect(try await store.providerKeys.key(userID: user.id, provider: "openai") == "sk-second-secret")
            #expect(try await store.providerKeys.list(userID: user.id).map(\.provider) == ["openai"])

            let raw = try await store.database.withConnection { db in
                try await db.select().column("sealed_key").from("provider_keys")
                    .where("user_id", .equal, user.id)
                    .first(decodingColumn: "sealed_key", as: Data.self)
            }
            let sealed = try #require(raw)
            #expect(sealed.range(of: Data("sk-second-secret".utf8)) == nil)

            #expect(try await store.providerKeys.delete(userID: user.id, provider: "openai"))
            #expect(try await store.providerKeys.key(userID: user.id, provider: "openai") == nil)
            #expect(try await store.providerKeys.delete(userID: user.id, provider: "openai") == false)
        }
    }

    @Test(
        "chats are scoped to their owner, paginate newest first and keep JSON fields", arguments: TestDatabase.available
    )
    func chats(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store in
            let owner = try await store.users.create(
                email: "c1@b.io", passwordHash: "h", displayName: nil, isAdmin: false)
            let other = try await store.users.create(
                email: "c2@b.io", passwordHash: "h", displayName: nil, isAdmin: false)
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            for index in 0..<5 {
                let at = start.addingTimeInterval(Double(index))
                try await store.chats.create(
                    Chat(
                        id: "chat-\(index)",
                        userID: owner.id,
                        title: "Chat \(index)",
                        model: index == 0 ? "local:anvil" : nil,
                        systemPrompt: nil,
                        tools: index == 0 ? ["web_browse"] : nil,
                        metadata: index == 0 ? ["nested": ["a": [1, 2.5, "x", nil, true]]] : [:],
                        isArchived: index == 4,
                        createdAt: at,
                        updatedAt: at
                    )
                )
            }
            let page = try await store.chats.list(
                userID: owner.id, includeArchived: false, page: .init(limit: 2, offset: 0))
            #expect(page.total == 4)
            #expect(page.items.map(\.id) == ["chat-3", "chat-2"])
            let all = try await store.chats.list(
                userID: owner.id, includeArchived: true, page: .init(limit: 10, offset: 3))
            #expect(all.total == 5)
            #expect(all.items.map(\.id) == ["chat-1", "chat-0"])

            let first = try #require(try await store.chats.find(id: "chat-0", userID: owner.id))
            #expect(first.tools == ["web_browse"])
            #expect(first.metadata == ["nested": ["a": [1, 2.5, "x", nil, true]]])
            #expect(first.createdAt.timeIntervalSince1970 == 1_800_000_000)
            #expect(try await store.chats.find(id: "chat-0", userID: other.id) == nil)

            var renamed = first
            renamed.title = "Renamed"
            renamed.userID = other.id
            #expect(try await store.chats.update(renamed) == false)
            renamed.userID = owner.id
            #expect(try await store.chats.update(renamed) == true)
            #expect(try await store.chats.find(id: "chat-0", userID: owner.id)?.title == "Renamed")

            #expect(try await store.chats.delete(id: "chat-0", userID: other.id) == false)
            #expect(try await store.chats.delete(id: "chat-0", userID: owner.id) == true)
        }
    }

    @Test("messages keep commit order and are deleted with their chat and user", arguments: TestDatabase.available)
    func messages(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store in
            let owner = try await store.users.create(
                email: "m@b.io", passwordHash: "h", displayName: nil, isAdmin: false)
            let now = Date()
            try await store.chats.create(
                Chat(
                    id: "c",
                    userID: owner.id,
                    title: "t",
                    model: nil,
                    systemPrompt: nil,
                    tools: nil,
                    metadata: [:],
                    isArchived: false,
                    createdAt: now,
                    updatedAt: now
                )
            )
            // Same timestamp on purpose: order must come from commit order, not the clock.
            let roles: [MessageRole] = [.user, .assistant, .tool, .assistant]
            for (index, role) in roles.enumerated() {
                try await store.messages.append(
                    ChatMessage(
                        id: "m\(index)",
                        chatID: "c",
                        role: role,
                        content: "message \(index)",
                        toolCalls: role == .assistant && index == 1
                            ? [["id": "call_1", "type": "function"]] : nil,
                        toolCallID: role == .tool ? "call_1" : nil,
                        status: index == 3 ? .incomplete : .complete,
                        promptTokens: index,
                        completionTokens: 2 * index,
                        createdAt: now
                    )
                )
            }
            let page = try await store.messages.list(chatID: "c", page: .init(limit: 3, offset: 1))
            #expect(page.total == 4)
            #expect(page.items.map(\.id) == ["m1", "m2", "m3"])
            #expect(page.items[0].toolCalls == [["id": "call_1", "type": "function"]])
            #expect(page.items[1].toolCallID == "call_1")
            #expect(page.items[2].status == .incomplete)
            #expect(page.items[2].completionTokens == 6)

            #expect(try await store.users.delete(userID: owner.id))
            #expect(try await store.messages.list(chatID: "c", page: .init()).total == 0)
            #expect(try await store.users.find(id: owner.id) == nil)
        }
    }
}

@Suite("SecretBox")
struct SecretBoxTests {
    @Test("a sealed secret opens only with the same key and context")
    func sealing() throws {
        let box = try SecretBox(keyData: Data(repeating: 1, count: 32))
        let sealed = try box.seal("sk-live-123", context: "user-a")
        #expect(try box.open(sealed, context: "user-a") == "sk-live-123")
        #expect(throws: StoreError.self) { try box.open(sealed, context: "user-b") }
        let other = try SecretBox(keyData: Data(repeating: 2, count: 32))
        #expect(throws: StoreError.self) { try other.open(sealed, context: "user-a") }
        #expect(throws: StoreError.self) { try SecretBox(keyData: Data(count: 16)) }
    }
}

@Suite("Token budgets and the usage ledger on SQLite and PostgreSQL")
struct UsageStoreTests {
    private func chat(_ store: Store, owner: String) async throws -> String {
        let now = Date()
        try await store.chats.create(
            Chat(
                id: UUID().uuidString.lowercased(),
                userID: owner,
                title: "budget",
                model: nil,
                systemPrompt: nil,
                tools: nil,
                metadata: [:],
                isArchived: false,
                createdAt: now,
                updatedAt: now
            )
        )
        return try #require(
            try await store.chats.list(userID: owner, includeArchived: true, page: .init()).items.first?.id)
    }

    @Test("concurrent reservations never hand out more than the limit leaves", arguments: TestDatabase.available)
    func concurrentReservations(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store in
            let user = try await store.users.create(
                email: "b@b.io", passwordHash: "h", displayName: nil, isAdmin: false)
            let chatID = try await chat(store, owner: user.id)
            try await store.usage.record(
                userID: user.id,
                chatID: chatID,
                model: "m",
                usage: TokenUsage(promptTokens: 300, completionTokens: 100)
            )
            let granted = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await store.usage.reserve(chatID: chatID, tokens: 250, limit: 1_000, lifetime: 60)?.tokens
                            ?? 0
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            // 600 tokens are left: two full grants and one partial at most, never more in total.
            #expect(granted.reduce(0, +) == 600)
            #expect(granted.filter { $0 > 0 }.count == 3)
            #expect(try await store.usage.reserve(chatID: chatID, tokens: 1, limit: 1_000, lifetime: 60) == nil)
        }
    }

    @Test(
        "a released or expired reservation frees its tokens; a spent chat gets none", arguments: TestDatabase.available)
    func releaseAndExpiry(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store in
            let user = try await store.users.create(
                email: "e@b.io", passwordHash: "h", displayName: nil, isAdmin: false)
            let chatID = try await chat(store, owner: user.id)
            let held = try #require(
                try await store.usage.reserve(chatID: chatID, tokens: 100, limit: 100, lifetime: 60))
            #expect(try await store.usage.reserve(chatID: chatID, tokens: 1, limit: 100, lifetime: 60) == nil)
            try await store.usage.release(held)
            let expiring = try #require(
                try await store.usage.reserve(chatID: chatID, tokens: 100, limit: 100, lifetime: -1))
            #expect(expiring.tokens == 100)
            // The first reservation expired at once, so it no longer holds the tokens.
            #expect(try await store.usage.reserve(chatID: chatID, tokens: 100, limit: 100, lifetime: 60)?.tokens == 100)

            try await store.usage.record(
                userID: user.id,
                chatID: chatID,
                model: "m",
                usage: TokenUsage(promptTokens: 90, completionTokens: 20)
            )
            let account = try await store.usage.chatUsage(chatID: chatID, limit: 100)
            #expect(account.used == 110)
            #expect(account.remaining == 0)
            #expect(try await store.usage.reserve(chatID: chatID, tokens: 1, limit: 1_000_000, lifetime: 60) != nil)
            #expect(try await store.usage.reserve(chatID: chatID, tokens: 1, limit: 110, lifetime: 60) == nil)
        }
    }

    @Test("usage is recorded in batches and counted per chat", arguments: TestDatabase.available)
    func batchedRecords(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store in
            let user = try await store.users.create(
                email: "u@b.io", passwordHash: "h", displayName: nil, isAdmin: false)
            let chatID = try await chat(store, owner: user.id)
            let records = (1...300).map { index in
                UsageRecord(
                    userID: user.id,
                    chatID: index.isMultiple(of: 3) ? chatID : nil,
                    model: "m",
                    usage: TokenUsage(promptTokens: index, completionTokens: 1)
                )
            }
            try await store.usage.record(records)
            let expected = (1...300).filter { $0.isMultiple(of: 3) }.reduce(0) { $0 + $1 + 1 }
            #expect(try await store.usage.chatUsage(chatID: chatID, limit: 1_000_000).used == expected)
        }
    }

    @Test("recent history is the last messages, oldest first", arguments: TestDatabase.available)
    func recentHistory(engine: TestDatabase) async throws {
        try await withTestStore(engine) { store in
            let user = try await store.users.create(
                email: "h@b.io", passwordHash: "h", displayName: nil, isAdmin: false)
            let chatID = try await chat(store, owner: user.id)
            for index in 0..<5 {
                try await store.messages.append(
                    ChatMessage(id: "m\(index)", chatID: chatID, role: .user, content: "\(index)", createdAt: Date())
                )
            }
            #expect(try await store.messages.recent(chatID: chatID, limit: 3).map(\.id) == ["m2", "m3", "m4"])
            #expect(try await store.messages.recent(chatID: chatID, limit: 10).count == 5)
        }
    }
}
