import AnvilCore
import Foundation
import SQLKit

/// Stores users' own provider keys, sealed with ``SecretBox``: plaintext never reaches the database.
public protocol ProviderKeyRepository: Sendable {
    /// Sets or replaces the key for `provider`.
    func set(userID: String, provider: String, key: String) async throws -> ProviderKeyStatus
    func list(userID: String) async throws -> [ProviderKeyStatus]
    /// The decrypted key, for calling the provider on the user's behalf.
    func key(userID: String, provider: String) async throws -> String?
    func delete(userID: String, provider: String) async throws -> Bool
}

public struct SQLProviderKeyRepository: ProviderKeyRepository {
    let database: Database
    let secretBox: SecretBox

    public init(database: Database, secretBox: SecretBox) {
        self.database = database
        self.secretBox = secretBox
    }

    private static func context(userID: String, provider: String) -> String {
        "provider_key:\(userID):\(provider)"
    }

    public func set(userID: String, provider: String, key: String) async throws -> ProviderKeyStatus {
        let sealed = try secretBox.seal(key, context: Self.context(userID: userID, provider: provider))
        let now = Date()
        return try await database.withConnection { db in
            try await db.insert(into: "provider_keys")
                .columns("user_id", "provider", "sealed_key", "created_at", "updated_at")
                .values(SQLBind(userID), SQLBind(provider), SQLBind(sealed), SQLBind(now), SQLBind(now))
                .onConflict(with: ["user_id", "provider"]) { update in
                    update.set(excludedValueOf: "sealed_key").set(excludedValueOf: "updated_at")
                }
                .run()
            guard
                let row = try await db.select().columns("provider", "created_at", "updated_at").from("provider_keys")
                    .where("user_id", .equal, userID).where("provider", .equal, provider)
                    .first(decoding: ProviderKeyStatusRow.self)
            else {
                throw StoreError.notFound("provider key vanished after being stored")
            }
            return row.status
        }
    }

    public func list(userID: String) async throws -> [ProviderKeyStatus] {
        try await database.withConnection { db in
            try await db.select().columns("provider", "created_at", "updated_at").from("provider_keys")
                .where("user_id", .equal, userID)
                .orderBy("provider")
                .all(decoding: ProviderKeyStatusRow.self)
                .map(\.status)
        }
    }

    public func key(userID: String, provider: String) async throws -> String? {
        let sealed = try await database.withConnection { db in
            try await db.select().column("sealed_key").from("provider_keys")
                .where("user_id", .equal, userID).where("provider", .equal, provider)
                .first(decodingColumn: "sealed_key", as: Data.self)
        }
        return try sealed.map { try secretBox.open($0, context: Self.context(userID: userID, provider: provider)) }
    }

    public func delete(userID: String, provider: String) async throws -> Bool {
        try await database.withConnection { db in
            try await !db.delete(from: "provider_keys")
                .where("user_id", .equal, userID).where("provider", .equal, provider)
                .returning("provider").all().isEmpty
        }
    }
}

struct ProviderKeyStatusRow: Codable, Sendable {
    var provider: String
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case provider
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    var status: ProviderKeyStatus {
        ProviderKeyStatus(provider: provider, createdAt: createdAt, updatedAt: updatedAt)
    }
}
