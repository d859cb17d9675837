import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit

/// The SQL engines Anvil stores its data in.
public enum DatabaseDialect: String, Sendable {
    case sqlite
    case postgres
}

/// Where the data lives: an SQLite file (the embedded default) or a PostgreSQL server.
public enum DatabaseLocation: Sendable, Hashable {
    case sqlite(path: String)
    /// A `postgres://user:password@host:port/database` URL, optionally with a schema to use as the search path.
    case postgres(url: String, schema: String? = nil)

    public var dialect: DatabaseDialect {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }
}

/// A pool of connections to one database with the two ways repositories use it: a single statement on any
/// connection, or several statements in one transaction on one connection.
///
/// The pool is created and shut down by its owner; `shutdown()` must be called before the process exits.
public final class Database: Sendable {
    public let dialect: DatabaseDialect
    let logger: Logger
    private let pool: any ConnectionPooling

    /// Opens a pool for `location`. No connection is made until the first query.
    ///
    /// - Parameter maxConnectionsPerEventLoop: PostgreSQL connections per event loop; SQLite always uses one.
    public init(
        location: DatabaseLocation,
        maxConnectionsPerEventLoop: Int = 4,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "anvil.store")
    ) throws {
        self.dialect = location.dialect
        self.logger = logger
        switch location {
        case .sqlite(let path):
            // One connection, on one event loop: SQLite allows a single writer, and a second connection waiting
            // for the write lock blocks a thread of the small pool that runs every SQLite call, which can starve
            // the connection holding the lock. Queueing for the one connection is asynchronous and cheap, and
            // SQLite statements take microseconds.
            self.pool = SQLConnectionPool(
                source: SQLiteFileConnectionSource(path: path),
                maxConnectionsPerEventLoop: 1,
                logger: logger,
                eventLoopGroup: eventLoopGroup.next()
            )
        case .postgres(let url, let schema):
            var configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw StoreError.invalidConfiguration("ANVIL_DATABASE_URL is not a valid postgres:// URL")
            }
            if let schema { configuration.searchPath = [schema] }
            self.pool = SQLConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration),
                maxConnectionsPerEventLoop: maxConnectionsPerEventLoop,
                logger: logger,
                eventLoopGroup: eventLoopGroup
            )
        }
    }

    /// Runs `body` with one pooled connection, released afterwards.
    public func withConnection<Result: Sendable>(
        _ body: (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        do {
            return try await pool.withSQLDatabase(logger: logger, body)
        } catch {
            throw StoreError.classify(error)
        }
    }

    /// Runs `body` inside one transaction: committed when it returns, rolled back when it throws.
    ///
    /// SQLite transactions start with `BEGIN IMMEDIATE` so that two writers queue on the lock instead of failing
    /// with a busy error when the second one tries to upgrade from reading to writing.
    public func transaction<Result: Sendable>(
        _ body: (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        let begin = dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        return try await withConnection { connection in
            try await connection.raw(SQLQueryString(begin)).run()
            do {
                let result = try await body(connection)
                try await connection.raw("COMMIT").run()
                return result
            } catch {
                try? await connection.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Closes every connection. The database cannot be used afterwards.
    public func shutdown() async throws {
        try await pool.shutdownAsync()
    }
}

/// The part of a connection pool `Database` needs, whatever the engine behind it.
protocol ConnectionPooling: Sendable {
    func withSQLDatabase<Result: Sendable>(
        logger: Logger,
        _ body: (any SQLDatabase) async throws -> Result
    ) async throws -> Result
    func shutdownAsync() async throws
}

/// An AsyncKit pool behind the ``ConnectionPooling`` interface.
///
/// `EventLoopGroupConnectionPool` guards its state with a lock but predates `Sendable` annotations, hence the
/// unchecked conformance of this wrapper.
final class SQLConnectionPool<Source: ConnectionPoolSource>: ConnectionPooling, @unchecked Sendable
where Source.Connection: SQLDatabaseConvertible & Sendable {
    private let pool: EventLoopGroupConnectionPool<Source>

    init(source: Source, maxConnectionsPerEventLoop: Int, logger: Logger, eventLoopGroup: any EventLoopGroup) {
        self.pool = EventLoopGroupConnectionPool(
            source: source,
            maxConnectionsPerEventLoop: maxConnectionsPerEventLoop,
            logger: logger,
            on: eventLoopGroup
        )
    }

    func withSQLDatabase<Result: Sendable>(
        logger: Logger,
        _ body: (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        let connection = try await pool.requestConnection(logger: logger).get()
        do {
            let result = try await body(connection.sqlDatabase)
            pool.releaseConnection(connection, logger: logger)
            return result
        } catch {
            pool.releaseConnection(connection, logger: logger)
            throw error
        }
    }

    func shutdownAsync() async throws {
        try await pool.shutdownAsync()
    }
}

/// A driver connection that can be used through SQLKit.
protocol SQLDatabaseConvertible {
    var sqlDatabase: any SQLDatabase { get }
}

extension SQLiteConnection: SQLDatabaseConvertible {
    var sqlDatabase: any SQLDatabase { sql() }
}

extension PostgresConnection: SQLDatabaseConvertible {
    var sqlDatabase: any SQLDatabase { sql() }
}

/// Opens SQLite connections to one file, each set up for concurrent use: WAL journal so readers never wait for
/// the writer, a busy timeout so writers queue instead of failing, and foreign keys enforced.
struct SQLiteFileConnectionSource: ConnectionPoolSource {
    let path: String

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        SQLiteConnection.open(
            storage: .file(path: path),
            threadPool: .singleton,
            logger: logger,
            on: eventLoop
        ).flatMap { connection in
            let pragmas = [
                "PRAGMA journal_mode = WAL",
                "PRAGMA busy_timeout = 10000",
                "PRAGMA foreign_keys = ON",
                "PRAGMA synchronous = NORMAL",
            ]
            return pragmas.reduce(eventLoop.makeSucceededVoidFuture()) { previous, pragma in
                previous.flatMap { connection.query(pragma).map { _ in } }
            }.flatMapError { error in
                connection.close().flatMapThrowing { throw error }
            }.map { connection }
        }
    }
}
