import PostgresKit
import SQLiteKit

/// What went wrong in the store, in terms a caller can act on. Driver errors are mapped here so that no SQL,
/// host name or credential reaches an API response.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// A unique constraint was violated: the thing already exists.
    case conflict(String)
    /// A row that must exist does not.
    case notFound(String)
    /// The database could not be reached or refused the connection.
    case unavailable(String)
    /// The configuration cannot work (bad URL, unreadable file).
    case invalidConfiguration(String)
    /// Stored data could not be read back (for example a secret encrypted under another key).
    case corruptData(String)
    /// Anything else the driver reported, described without its SQL.
    case database(String)

    public var description: String {
        switch self {
        case .conflict(let message): "conflict: \(message)"
        case .notFound(let message): "not found: \(message)"
        case .unavailable(let message): "database unavailable: \(message)"
        case .invalidConfiguration(let message): "invalid database configuration: \(message)"
        case .corruptData(let message): "corrupt data: \(message)"
        case .database(let message): "database error: \(message)"
        }
    }

    /// Classifies a driver error as a store error; any other error passes through unchanged.
    static func classify(_ error: any Error) -> any Error {
        switch error {
        case let error as SQLiteError: StoreError(sqlite: error)
        case let error as PSQLError: StoreError(postgres: error)
        case let error as ConnectionPoolError: StoreError.unavailable("connection pool: \(error)")
        default: error
        }
    }

    private init(sqlite error: SQLiteError) {
        switch error.reason {
        case .constraint, .constraintUniqueFailed, .constraintPrimaryKeyFailed:
            self = .conflict(error.message)
        case .busy, .busyTimeout, .locked, .cantOpen, .readOnly, .full, .ioError:
            self = .unavailable(error.message)
        default:
            self = .database(error.message)
        }
    }

    private init(postgres error: PSQLError) {
        if let state = error.serverInfo?[.sqlState] {
            if state == "23505" {
                self = .conflict(error.serverInfo?[.message] ?? "unique violation")
            } else if state.hasPrefix("08") || state.hasPrefix("57") || state.hasPrefix("53") {
                self = .unavailable("server reported state \(state)")
            } else {
                self = .database("server reported state \(state): \(error.serverInfo?[.message] ?? "")")
            }
        } else {
            self = .unavailable("connection failed (\(error.code))")
        }
    }
}
