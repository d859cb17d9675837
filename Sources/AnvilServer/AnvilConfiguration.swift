import AnvilCore
import AnvilStore
import Foundation
import Logging

/// Everything a server needs to start, with defaults that run on one machine with no setup at all.
///
/// Values come from defaults, then `ANVIL_*` environment variables (``init(environment:)``), then command-line
/// flags, each overriding the one before.
public struct AnvilConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// Holds the SQLite file and generated secrets.
    public var dataDirectory: String = "./.anvil"
    /// `postgres://...` selects PostgreSQL; `nil` (the default) an SQLite file in the data directory.
    public var databaseURL: String?
    /// PostgreSQL schema to use instead of the default search path; tests use one schema each.
    public var databaseSchema: String?
    /// HMAC secret for access tokens. When unset, one is generated once and kept in the data directory.
    public var jwtSecret: String?
    /// Base64 of the 32-byte key that seals stored secrets. When unset, one is generated and kept like the JWT
    /// secret.
    public var encryptionKey: String?
    public var accessTokenLifetime: TimeInterval = 15 * 60
    public var refreshTokenLifetime: TimeInterval = 30 * 24 * 3600
    /// Largest request body accepted; larger ones are refused with 413.
    public var maxBodyBytes: Int = 10 * 1024 * 1024
    /// bcrypt work factor (4...31). Tests lower it; production keeps the default.
    public var bcryptCost: UInt8 = 12
    public var logLevel: Logger.Level = .info
    /// Holds `models.yaml`, `plugins/` and `tools/`; a missing directory means built-in defaults.
    public var manifestsDirectory: String = "./manifests"
    /// A chat's token limit when it sets none.
    public var chatTokenLimit: Int = ChatRules.defaultTokenLimit
    /// Tokens set aside for one run of the agent loop.
    public var runTokenReservation: Int = 8_192
    public var agentLimits = AgentLimits()
    /// How long an authenticated API key or account is remembered; other nodes see revocations within this time.
    public var credentialCacheTTL: Duration = .seconds(10)
    /// The model that embeds notes, memories and document chunks for vector and hybrid search, such as
    /// `openai:text-embedding-3-small`; `nil` means full-text search only.
    public var embeddingModel: String?
    /// The environment the official SDKs' variables (`OPENAI_API_KEY`, `ANTHROPIC_BASE_URL`, ...) are read from.
    public var providerEnvironment: [String: String] = [:]

    public init() {}

    /// Reads `ANVIL_*` variables over the defaults. Invalid values are errors that name the variable.
    public init(environment: [String: String]) throws {
        self.init()
        providerEnvironment = environment
        if let value = environment["ANVIL_HOST"], !value.isEmpty { host = value }
        if let value = environment["ANVIL_PORT"] { port = try Self.integer(value, name: "ANVIL_PORT", in: 0...65535) }
        if let value = environment["ANVIL_DATA_DIR"], !value.isEmpty { dataDirectory = value }
        if let value = environment["ANVIL_DATABASE_URL"], !value.isEmpty { databaseURL = value }
        if let value = environment["ANVIL_JWT_SECRET"], !value.isEmpty { jwtSecret = value }
        if let value = environment["ANVIL_ENCRYPTION_KEY"], !value.isEmpty { encryptionKey = value }
        if let value = environment["ANVIL_ACCESS_TOKEN_TTL"] {
            accessTokenLifetime = TimeInterval(
                try Self.integer(value, name: "ANVIL_ACCESS_TOKEN_TTL", in: 30...86_400)
            )
        }
        if let value = environment["ANVIL_REFRESH_TOKEN_TTL"] {
            refreshTokenLifetime = TimeInterval(
                try Self.integer(value, name: "ANVIL_REFRESH_TOKEN_TTL", in: 300...31_536_000)
            )
        }
        if let value = environment["ANVIL_MAX_BODY_BYTES"] {
            maxBodyBytes = try Self.integer(value, name: "ANVIL_MAX_BODY_BYTES", in: 1024...1_073_741_824)
        }
        if let value = environment["ANVIL_BCRYPT_COST"] {
            bcryptCost = UInt8(try Self.integer(value, name: "ANVIL_BCRYPT_COST", in: 4...31))
        }
        if let value = environment["ANVIL_MANIFESTS_DIR"], !value.isEmpty { manifestsDirectory = value }
        if let value = environment["ANVIL_EMBEDDING_MODEL"], !value.isEmpty { embeddingModel = value }
        if let value = environment["ANVIL_CHAT_TOKEN_LIMIT"] {
            chatTokenLimit = try Self.integer(
                value, name: "ANVIL_CHAT_TOKEN_LIMIT", in: 1...ChatRules.maximumTokenLimit)
        }
        if let value = environment["ANVIL_AGENT_MAX_ROUNDS"] {
            agentLimits.maxRounds = try Self.integer(value, name: "ANVIL_AGENT_MAX_ROUNDS", in: 1...100)
        }
        if let value = environment["ANVIL_AGENT_MAX_TOOL_CALLS"] {
            agentLimits.maxToolCalls = try Self.integer(value, name: "ANVIL_AGENT_MAX_TOOL_CALLS", in: 1...1000)
        }
        if let value = environment["ANVIL_AGENT_WALL_TIME"] {
            agentLimits.wallTime = .seconds(try Self.integer(value, name: "ANVIL_AGENT_WALL_TIME", in: 1...3600))
        }
        if let value = environment["ANVIL_CREDENTIAL_CACHE_TTL"] {
            credentialCacheTTL = .seconds(try Self.integer(value, name: "ANVIL_CREDENTIAL_CACHE_TTL", in: 0...300))
        }
        if let value = environment["ANVIL_LOG_LEVEL"] {
            guard let level = Logger.Level(rawValue: value.lowercased()) else {
                throw ConfigurationError.invalid(
                    name: "ANVIL_LOG_LEVEL",
                    reason: "expected one of trace, debug, info, notice, warning, error, critical"
                )
            }
            logLevel = level
        }
    }

    /// Where the database is, derived from ``databaseURL`` and ``dataDirectory``.
    public func databaseLocation() throws -> DatabaseLocation {
        guard let databaseURL else {
            return .sqlite(path: URL(fileURLWithPath: dataDirectory).appendingPathComponent("anvil.sqlite").path)
        }
        guard databaseURL.hasPrefix("postgres://") || databaseURL.hasPrefix("postgresql://") else {
            throw ConfigurationError.invalid(
                name: "ANVIL_DATABASE_URL",
                reason: "expected a postgres:// URL (leave it unset for the embedded SQLite database)"
            )
        }
        return .postgres(url: databaseURL, schema: databaseSchema)
    }

    /// Creates the data directory when the SQLite database will live there.
    public func prepareDataDirectory() throws {
        guard databaseURL == nil else { return }
        do {
            try FileManager.default.createDirectory(
                atPath: dataDirectory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw ConfigurationError.unusableDataDirectory(path: dataDirectory, reason: "cannot be created")
        }
    }

    private static func integer(_ text: String, name: String, in range: ClosedRange<Int>) throws -> Int {
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw ConfigurationError.invalid(
                name: name,
                reason: "expected an integer from \(range.lowerBound) to \(range.upperBound), got \"\(text)\""
            )
        }
        return value
    }
}

/// A configuration value that cannot work, named so the operator can fix it.
public enum ConfigurationError: Error, CustomStringConvertible {
    case invalid(name: String, reason: String)
    case unusableDataDirectory(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalid(let name, let reason): "\(name): \(reason)"
        case .unusableDataDirectory(let path, let reason): "data directory \(path): \(reason)"
        }
    }
}
