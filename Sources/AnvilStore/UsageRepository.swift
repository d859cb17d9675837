import AnvilCore
import Foundation
import SQLKit

/// Tokens set aside for one run against a chat's limit.
public struct TokenReservation: Sendable, Hashable {
    public var id: String
    public var chatID: String
    public var tokens: Int
}

/// A chat's token account.
public struct ChatUsage: Sendable, Hashable {
    public var used: Int
    public var limit: Int

    public var remaining: Int { max(0, limit - used) }
    public var percentageUsed: Double { limit > 0 ? min(100, Double(used) * 100 / Double(limit)) : 100 }
}

/// The tokens of one model call, for the ledger.
public struct UsageRecord: Sendable, Hashable {
    public var userID: String
    public var chatID: String?
    public var model: String
    public var usage: TokenUsage
    public var createdAt: Date

    public init(userID: String, chatID: String?, model: String, usage: TokenUsage, createdAt: Date = Date()) {
        self.userID = userID
        self.chatID = chatID
        self.model = model
        self.usage = usage
        self.createdAt = createdAt
    }
}

/// The usage ledger and chat token budgets.
public protocol UsageRepository: Sendable {
    /// Records the tokens of one model call.
    func record(userID: String, chatID: String?, model: String, usage: TokenUsage) async throws
    /// Records many calls in one statement.
    func record(_ records: [UsageRecord]) async throws
    /// Sets aside up to `tokens` for a run, or returns `nil` when the chat has nothing left (counting other runs'
    /// reservations). The grant may be smaller than asked when little is left.
    func reserve(chatID: String, tokens: Int, limit: Int, lifetime: TimeInterval) async throws -> TokenReservation?
    /// Ends a reservation once the run's usage has been recorded.
    func release(_ reservation: TokenReservation) async throws
    func chatUsage(chatID: String, limit: Int) async throws -> ChatUsage
}

public struct SQLUsageRepository: UsageRepository {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func record(userID: String, chatID: String?, model: String, usage: TokenUsage) async throws {
        try await record([UsageRecord(userID: userID, chatID: chatID, model: model, usage: usage)])
    }

    public func record(_ records: [UsageRecord]) async throws {
        guard !records.isEmpty else { return }
        try await database.withConnection { db in
            var insert = db.insert(into: "usage_records")
                .columns("id", "user_id", "chat_id", "model", "prompt_tokens", "completion_tokens", "created_at")
            for record in records {
                insert = insert.values(
                    SQLBind(UUID().uuidString.lowercased()),
                    SQLBind(record.userID),
                    SQLBind(record.chatID),
                    SQLBind(record.model),
                    SQLBind(record.usage.promptTokens),
                    SQLBind(record.usage.completionTokens),
                    SQLBind(record.createdAt)
                )
            }
            try await insert.run()
        }
    }

    public func reserve(chatID: String, tokens: Int, limit: Int, lifetime: TimeInterval) async throws
        -> TokenReservation?
    {
        let now = Date()
        return try await database.transaction { db in
            // Locks the chat row on PostgreSQL so concurrent reservations for one chat queue up; SQLite's
            // `BEGIN IMMEDIATE` already serialises writers.
            _ = try await db.select().column("id").from("chats").where("id", .equal, chatID)
                .for(.update).first()
            try await db.delete(from: "token_reservations").where("expires_at", .lessThanOrEqual, now).run()
            let used = try await Self.used(chatID: chatID, on: db)
            let reserved =
                try await db.select()
                .column(SQLRaw("CAST(COALESCE(SUM(tokens), 0) AS BIGINT)"), as: "total")
                .from("token_reservations").where("chat_id", .equal, chatID)
                .first(decodingColumn: "total", as: Int.self) ?? 0
            let available = limit - used - reserved
            guard used < limit, available > 0 else { return nil }
            let reservation = TokenReservation(
                id: UUID().uuidString.lowercased(),
                chatID: chatID,
                tokens: min(tokens, available)
            )
            try await db.insert(into: "token_reservations")
                .columns("id", "chat_id", "tokens", "expires_at")
                .values(
                    SQLBind(reservation.id),
                    SQLBind(chatID),
                    SQLBind(reservation.tokens),
                    SQLBind(now.addingTimeInterval(lifetime))
                )
                .run()
            return reservation
        }
    }

    public func release(_ reservation: TokenReservation) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "token_reservations").where("id", .equal, reservation.id).run()
        }
    }

    public func chatUsage(chatID: String, limit: Int) async throws -> ChatUsage {
        try await database.withConnection { db in
            ChatUsage(used: try await Self.used(chatID: chatID, on: db), limit: limit)
        }
    }

    private static func used(chatID: String, on db: any SQLDatabase) async throws -> Int {
        // PostgreSQL sums BIGINT into NUMERIC; the cast keeps the result an integer on both engines.
        try await db.select()
            .column(SQLRaw("CAST(COALESCE(SUM(prompt_tokens + completion_tokens), 0) AS BIGINT)"), as: "total")
            .from("usage_records").where("chat_id", .equal, chatID)
            .first(decodingColumn: "total", as: Int.self) ?? 0
    }
}
