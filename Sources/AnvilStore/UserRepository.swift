import AnvilCore
import Foundation
import SQLKit

/// A user together with what only the server may see: the password hash and the credential version that
/// invalidates outstanding access tokens when it changes.
public struct UserAccount: Sendable, Hashable {
    public var user: User
    public var passwordHash: String
    public var credentialVersion: Int

    public init(user: User, passwordHash: String, credentialVersion: Int) {
        self.user = user
        self.passwordHash = passwordHash
        self.credentialVersion = credentialVersion
    }
}

/// Stores user accounts.
public protocol UserRepository: Sendable {
    /// Creates an account; throws ``StoreError/conflict(_:)`` when the email is taken, whatever its case.
    func create(email: String, passwordHash: String, displayName: String?, isAdmin: Bool) async throws -> User
    func find(id: String) async throws -> UserAccount?
    func find(email: String) async throws -> UserAccount?
    func updateDisplayName(userID: String, displayName: String?) async throws -> User?
    /// Replaces the password hash, bumps the credential version and revokes every refresh token, in one step.
    func changePassword(userID: String, passwordHash: String) async throws
    /// Deletes the user and, through cascading keys, everything they own.
    func delete(userID: String) async throws -> Bool
    func count() async throws -> Int
}

/// ``UserRepository`` over SQL, the same on SQLite and PostgreSQL.
public struct SQLUserRepository: UserRepository {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func create(email: String, passwordHash: String, displayName: String?, isAdmin: Bool) async throws
        -> User
    {
        let now = Date()
        let row = UserRow(
            id: UUID().uuidString.lowercased(),
            email: email,
            emailNormalized: AccountRules.normalizedEmail(email),
            passwordHash: passwordHash,
            displayName: displayName,
            isAdmin: isAdmin,
            credentialVersion: 0,
            createdAt: now,
            updatedAt: now
        )
        try await database.withConnection { db in
            try await db.insert(into: "users").model(row).run()
        }
        return row.account.user
    }

    public func find(id: String) async throws -> UserAccount? {
        try await database.withConnection { db in
            try await db.select().column("*").from("users").where("id", .equal, id)
                .first(decoding: UserRow.self)?.account
        }
    }

    public func find(email: String) async throws -> UserAccount? {
        try await database.withConnection { db in
            try await db.select().column("*").from("users")
                .where("email_normalized", .equal, AccountRules.normalizedEmail(email))
                .first(decoding: UserRow.self)?.account
        }
    }

    public func updateDisplayName(userID: String, displayName: String?) async throws -> User? {
        try await database.withConnection { db in
            try await db.update("users")
                .set("display_name", to: displayName)
                .set("updated_at", to: Date())
                .where("id", .equal, userID)
                .run()
            return try await db.select().column("*").from("users").where("id", .equal, userID)
                .first(decoding: UserRow.self)?.account.user
        }
    }

    public func changePassword(userID: String, passwordHash: String) async throws {
        let now = Date()
        try await database.transaction { db in
            try await db.update("users")
                .set("password_hash", to: passwordHash)
                .set(SQLColumn("credential_version"), to: SQLRaw("credential_version + 1"))
                .set("updated_at", to: now)
                .where("id", .equal, userID)
                .run()
            try await db.update("refresh_tokens")
                .set("revoked_at", to: now)
                .where("user_id", .equal, userID)
                .where("revoked_at", .is, SQLLiteral.null)
                .run()
        }
    }

    public func delete(userID: String) async throws -> Bool {
        try await database.withConnection { db in
            let deleted = try await db.delete(from: "users").where("id", .equal, userID)
                .returning("id").all()
            return !deleted.isEmpty
        }
    }

    public func count() async throws -> Int {
        try await database.withConnection { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from("users")
                .first(decodingColumn: "count", as: Int.self) ?? 0
        }
    }
}

struct UserRow: Codable, Sendable {
    var id: String
    var email: String
    var emailNormalized: String
    var passwordHash: String
    var displayName: String?
    var isAdmin: Bool
    var credentialVersion: Int
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, email
        case emailNormalized = "email_normalized"
        case passwordHash = "password_hash"
        case displayName = "display_name"
        case isAdmin = "is_admin"
        case credentialVersion = "credential_version"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    var account: UserAccount {
        UserAccount(
            user: User(
                id: id,
                email: email,
                displayName: displayName,
                isAdmin: isAdmin,
                createdAt: createdAt,
                updatedAt: updatedAt
            ),
            passwordHash: passwordHash,
            credentialVersion: credentialVersion
        )
    }
}
