import AnvilStore
import Foundation
import Logging
import SQLKit

/// The database engines every store and route test runs on.
///
/// SQLite always; PostgreSQL when `ANVIL_TEST_POSTGRES_URL` names a server. In CI the PostgreSQL case is always
/// included, so a missing server fails the run instead of silently skipping half the tests.
public enum TestDatabase: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    public var description: String { rawValue }

    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["ANVIL_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The engines to run on here.
    public static var available: [TestDatabase] {
        let inCI = ProcessInfo.processInfo.environment["CI"] == "true"
        return postgresURL != nil || inCI ? [.sqlite, .postgres] : [.sqlite]
    }

    /// A fresh, empty place for one test: a new SQLite file, or a new PostgreSQL schema.
    public func makeSandbox() async throws -> DatabaseSandbox {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("anvil-test-\(UUID().uuidString.lowercased())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return DatabaseSandbox(
                location: .sqlite(path: directory.appendingPathComponent("anvil.sqlite").path),
                directory: directory,
                postgresURL: nil
            )
        case .postgres:
            guard let url = Self.postgresURL else {
                throw DatabaseSandboxError.postgresNotConfigured
            }
            let schema = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try await Self.withAdminConnection(url: url) { db in
                try await db.raw("CREATE SCHEMA \(ident: schema)").run()
            }
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("anvil-test-\(UUID().uuidString.lowercased())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return DatabaseSandbox(
                location: .postgres(url: url, schema: schema), directory: directory, postgresURL: url)
        }
    }

    static func withAdminConnection(url: String, _ body: (any SQLDatabase) async throws -> Void) async throws {
        let database = try Database(location: .postgres(url: url), maxConnectionsPerEventLoop: 1)
        do {
            try await database.withConnection { try await body($0) }
            try await database.shutdown()
        } catch {
            try? await database.shutdown()
            throw error
        }
    }
}

public enum DatabaseSandboxError: Error, CustomStringConvertible {
    case postgresNotConfigured

    public var description: String {
        "CI=true but ANVIL_TEST_POSTGRES_URL is not set: start PostgreSQL with .ci/postgres.sh and export its URL"
    }
}

/// One test's private database and scratch directory, removed by ``destroy()``.
public struct DatabaseSandbox: Sendable {
    public let location: DatabaseLocation
    /// A scratch directory the test may use as the server's data directory.
    public let directory: URL
    let postgresURL: String?

    /// The PostgreSQL schema name, when the sandbox is one.
    public var schema: String? {
        if case .postgres(_, let schema) = location { return schema }
        return nil
    }

    public func destroy() async {
        if let postgresURL, let schema {
            try? await TestDatabase.withAdminConnection(url: postgresURL) { db in
                try await db.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
            }
        }
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Runs `body` with a migrated ``Store`` in a fresh sandbox on `engine`, and tears everything down afterwards.
public func withTestStore(
    _ engine: TestDatabase,
    _ body: (Store) async throws -> Void
) async throws {
    let sandbox = try await engine.makeSandbox()
    let database = try Database(location: sandbox.location, logger: Logger(label: "anvil.test.store"))
    let store = Store(database: database, secretBox: try SecretBox(keyData: Data(repeating: 7, count: 32)))
    do {
        try await store.migrate()
        try await body(store)
        try await database.shutdown()
        await sandbox.destroy()
    } catch {
        try? await database.shutdown()
        await sandbox.destroy()
        throw error
    }
}
