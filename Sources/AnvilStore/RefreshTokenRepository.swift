import Foundation
import SQLKit

/// What happened when a refresh token was presented for rotation.
public enum RefreshTokenRotation: Sendable, Hashable {
    /// The token was live; it is now spent and its successor has been stored.
    case rotated(userID: String)
    /// The token had already been rotated or revoked: a copy is in someone else's hands, so its whole family
    /// has been revoked.
    case reused(userID: String)
    case expired
    case unknown
}

/// Stores refresh tokens, only as digests. Tokens issued from one login form a family; rotation spends one token
/// and issues the next of the same family.
public protocol RefreshTokenRepository: Sendable {
    /// Stores a new token (a new family when `familyID` is new).
    func store(tokenHash: String, userID: String, familyID: String, expiresAt: Date) async throws
    /// Spends the token with `tokenHash` and stores `nextHash` in its place, detecting reuse.
    func rotate(tokenHash: String, nextHash: String, nextExpiresAt: Date, now: Date) async throws
        -> RefreshTokenRotation
    /// Revokes the family (the session) of the token with `tokenHash`; returns whether such a token existed.
    func revokeFamily(tokenHash: String) async throws -> Bool
}

public struct SQLRefreshTokenRepository: RefreshTokenRepository {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func store(tokenHash: String, userID: String, familyID: String, expiresAt: Date) async throws {
        try await database.withConnection { db in
            try await insert(on: db, tokenHash: tokenHash, userID: userID, familyID: familyID, expiresAt: expiresAt)
        }
    }

    public func rotate(tokenHash: String, nextHash: String, nextExpiresAt: Date, now: Date) async throws
        -> RefreshTokenRotation
    {
        try await database.transaction { db in
            guard
                let row = try await db.select().column("*").from("refresh_tokens")
                    .where("token_hash", .equal, tokenHash)
                    .first(decoding: RefreshTokenRow.self)
            else {
                return .unknown
            }
            if row.rotatedAt != nil || row.revokedAt != nil {
                try await revokeFamily(on: db, familyID: row.familyID, now: now)
                return .reused(userID: row.userID)
            }
            if row.expiresAt <= now {
                return .expired
            }
            // The conditional update is the arbiter when two requests race with the same token: only one of
            // them sees the row still unspent.
            let spent = try await db.update("refresh_tokens")
                .set("rotated_at", to: now)
                .where("id", .equal, row.id)
                .where("rotated_at", .is, SQLLiteral.null)
                .where("revoked_at", .is, SQLLiteral.null)
                .returning("id")
                .all()
            guard !spent.isEmpty else {
                try await revokeFamily(on: db, familyID: row.familyID, now: now)
                return .reused(userID: row.userID)
            }
            try await insert(
                on: db,
                tokenHash: nextHash,
                userID: row.userID,
                familyID: row.familyID,
                expiresAt: nextExpiresAt
            )
            return .rotated(userID: row.userID)
        }
    }

    public func revokeFamily(tokenHash: String) async throws -> Bool {
        try await database.transaction { db in
            guard
                let row = try await db.select().column("*").from("refresh_tokens")
                    .where("token_hash", .equal, tokenHash)
                    .first(decoding: RefreshTokenRow.self)
            else {
                return false
            }
            try await revokeFamily(on: db, familyID: row.familyID, now: Date())
            return true
        }
    }

    private func insert(
        on db: any SQLDatabase,
        tokenHash: String,
        userID: String,
        familyID: String,
        expiresAt: Date
    ) async throws {
        let row = RefreshTokenRow(
            id: UUID().uuidString.lowercased(),
            userID: userID,
            familyID: familyID,
            tokenHash: tokenHash,
            createdAt: Date(),
            expiresAt: expiresAt,
            rotatedAt: nil,
            revokedAt: nil
        )
        try await db.insert(into: "refresh_tokens").model(row).run()
    }

    private func revokeFamily(on db: any SQLDatabase, familyID: String, now: Date) async throws {
        try await db.update("refresh_tokens")
            .set("revoked_at", to: now)
            .where("family_id", .equal, familyID)
            .where("revoked_at", .is, SQLLiteral.null)
            .run()
    }
}

struct RefreshTokenRow: Codable, Sendable {
    var id: String
    var userID: String
    var familyID: String
    var tokenHash: String
    var createdAt: Date
    var expiresAt: Date
    var rotatedAt: Date?
    var revokedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id
        case userID = "user_id"
        case familyID = "family_id"
        case tokenHash = "token_hash"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case rotatedAt = "rotated_at"
        case revokedAt = "revoked_at"
    }
}
