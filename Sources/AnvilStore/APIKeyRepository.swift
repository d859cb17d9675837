import AnvilCore
import Foundation
import SQLKit

/// Stores API keys, only as digests of the secret.
public protocol APIKeyRepository: Sendable {
    func create(userID: String, name: String, prefix: String, keyHash: String, expiresAt: Date?) async throws
        -> APIKeyInfo
    func list(userID: String, page: PageRequest) async throws -> Page<APIKeyInfo>
    /// Deletes the key if it belongs to `userID`; returns whether it did.
    func delete(id: String, userID: String) async throws -> Bool
    /// Finds the live (unexpired) key with this digest and its owner, and records that it was used.
    func authenticate(keyHash: String, now: Date) async throws -> (key: APIKeyInfo, owner: UserAccount)?
}

public struct SQLAPIKeyRepository: APIKeyRepository {
    /// `last_used_at` is refreshed at most this often, so a busy key does not cost a write per request.
    static let lastUsedResolution: TimeInterval = 60
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func create(userID: String, name: String, prefix: String, keyHash: String, expiresAt: Date?) async throws
        -> APIKeyInfo
    {
        let row = APIKeyRow(
            id: UUID().uuidString.lowercased(),
            userID: userID,
            name: name,
            prefix: prefix,
            keyHash: keyHash,
            createdAt: Date(),
            expiresAt: expiresAt,
            lastUsedAt: nil
        )
        try await database.withConnection { db in
            try await db.insert(into: "api_keys").model(row).run()
        }
        return row.info
    }

    public func list(userID: String, page: PageRequest) async throws -> Page<APIKeyInfo> {
        try await database.withConnection { db in
            let total =
                try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
                .from("api_keys").where("user_id", .equal, userID)
                .first(decodingColumn: "count", as: Int.self) ?? 0
            let rows = try await db.select().column("*").from("api_keys")
                .where("user_id", .equal, userID)
                .orderBy("created_at", .descending).orderBy("id", .descending)
                .limit(page.limit).offset(page.offset)
                .all(decoding: APIKeyRow.self)
            return Page(items: rows.map(\.info), total: total, limit: page.limit, offset: page.offset)
        }
    }

    public func delete(id: String, userID: String) async throws -> Bool {
        try await database.withConnection { db in
            try await !db.delete(from: "api_keys")
                .where("id", .equal, id).where("user_id", .equal, userID)
                .returning("id").all().isEmpty
        }
    }

    public func authenticate(keyHash: String, now: Date) async throws -> (key: APIKeyInfo, owner: UserAccount)? {
        try await database.withConnection { db in
            guard
                let key = try await db.select().column("*").from("api_keys")
                    .where("key_hash", .equal, keyHash)
                    .first(decoding: APIKeyRow.self)
            else { return nil }
            if let expiresAt = key.expiresAt, expiresAt <= now { return nil }
            guard
                let owner = try await db.select().column("*").from("users")
                    .where("id", .equal, key.userID)
                    .first(decoding: UserRow.self)?.account
            else { return nil }
            if key.lastUsedAt.map({ now.timeIntervalSince($0) >= Self.lastUsedResolution }) ?? true {
                try await db.update("api_keys").set("last_used_at", to: now).where("id", .equal, key.id).run()
            }
            var info = key.info
            info.lastUsedAt = now
            return (info, owner)
        }
    }
}

struct APIKeyRow: Codable, Sendable {
    var id: String
    var userID: String
    var name: String
    var prefix: String
    var keyHash: String
    var createdAt: Date
    var expiresAt: Date?
    var lastUsedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, name, prefix
        case userID = "user_id"
        case keyHash = "key_hash"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case lastUsedAt = "last_used_at"
    }

    var info: APIKeyInfo {
        APIKeyInfo(
            id: id,
            userID: userID,
            name: name,
            prefix: prefix,
            createdAt: createdAt,
            expiresAt: expiresAt,
            lastUsedAt: lastUsedAt
        )
    }
}
