import Foundation
import Logging
import SQLKit

/// One versioned change to the schema. Identifiers are namespaced (`core.0001_accounts`) so that plugins can add
/// their own migrations next to the core ones; once applied, a migration is never run again.
public struct Migration: Sendable {
    public let id: String
    let apply: @Sendable (any SQLDatabase, ColumnTypes) async throws -> Void

    /// - Parameters:
    ///   - id: A stable, unique identifier. Changing it makes the migration run again.
    ///   - apply: The schema change, run inside a transaction with the dialect's column types.
    public init(id: String, apply: @escaping @Sendable (any SQLDatabase, ColumnTypes) async throws -> Void) {
        self.id = id
        self.apply = apply
    }
}

/// Column types whose spelling differs between SQLite and PostgreSQL. Everything else in a migration is written
/// once with SQLKit's schema builders.
public struct ColumnTypes: Sendable {
    public let dialect: DatabaseDialect

    /// A point in time: `TIMESTAMPTZ` on PostgreSQL, seconds since 1970 as `REAL` on SQLite.
    public var timestamp: SQLDataType {
        dialect == .postgres ? .custom(SQLRaw("TIMESTAMPTZ")) : .real
    }
    /// `BOOLEAN` is understood by both engines (SQLite stores 0 or 1).
    public var boolean: SQLDataType { .custom(SQLRaw("BOOLEAN")) }
    /// Raw bytes: `BYTEA` on PostgreSQL, `BLOB` on SQLite.
    public var bytes: SQLDataType { dialect == .postgres ? .custom(SQLRaw("BYTEA")) : .blob }
}

/// Applies pending migrations in order, each in its own transaction, and records what ran.
///
/// On PostgreSQL an advisory lock serialises migrators, so several nodes starting at once apply each migration
/// exactly once; on SQLite the write lock of `BEGIN IMMEDIATE` does the same.
public struct Migrator: Sendable {
    /// A constant key for `pg_advisory_lock`, shared by every Anvil node.
    private static let advisoryLockKey: Int64 = 0x616E_7669_6C00
    let database: Database
    let migrations: [Migration]
    let logger: Logger

    public init(database: Database, migrations: [Migration], logger: Logger = Logger(label: "anvil.migrations")) {
        self.database = database
        self.migrations = migrations
        self.logger = logger
    }

    /// Applies every migration not yet recorded and returns the identifiers it applied.
    @discardableResult
    public func migrate() async throws -> [String] {
        let duplicates = Dictionary(grouping: migrations, by: \.id).filter { $0.value.count > 1 }.keys
        guard duplicates.isEmpty else {
            throw StoreError.invalidConfiguration("duplicate migration ids: \(duplicates.sorted())")
        }
        let types = ColumnTypes(dialect: database.dialect)
        return try await database.withConnection { connection in
            try await connection.create(table: "anvil_migrations")
                .ifNotExists()
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("applied_at", type: types.timestamp, .notNull)
                .run()
            if database.dialect == .postgres {
                try await connection.raw("SELECT pg_advisory_lock(\(bind: Self.advisoryLockKey))").run()
            }
            do {
                let applied = try await self.applyPending(on: connection, types: types)
                if database.dialect == .postgres {
                    try await connection.raw("SELECT pg_advisory_unlock(\(bind: Self.advisoryLockKey))").run()
                }
                return applied
            } catch {
                if database.dialect == .postgres {
                    try? await connection.raw("SELECT pg_advisory_unlock(\(bind: Self.advisoryLockKey))").run()
                }
                throw error
            }
        }
    }

    private func applyPending(on connection: any SQLDatabase, types: ColumnTypes) async throws -> [String] {
        var applied: [String] = []
        let begin = database.dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        for migration in migrations {
            try await connection.raw(SQLQueryString(begin)).run()
            do {
                let done = try await connection.select()
                    .column("id")
                    .from("anvil_migrations")
                    .where("id", .equal, migration.id)
                    .first()
                if done == nil {
                    try await migration.apply(connection, types)
                    try await connection.insert(into: "anvil_migrations")
                        .columns("id", "applied_at")
                        .values(SQLBind(migration.id), SQLBind(Date()))
                        .run()
                    applied.append(migration.id)
                    logger.info("applied migration", metadata: ["migration": "\(migration.id)"])
                }
                try await connection.raw("COMMIT").run()
            } catch {
                try? await connection.raw("ROLLBACK").run()
                throw StoreError.classify(error)
            }
        }
        return applied
    }
}
