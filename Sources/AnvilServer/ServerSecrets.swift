import Crypto
import Foundation
import Logging

/// The two server secrets: the key that signs access tokens and the key that seals stored secrets.
///
/// Each comes from the configuration when set. Otherwise it is generated on first start and kept in the data
/// directory with 0600 permissions, so a single node works with no setup and keeps its sessions across restarts.
/// Nodes sharing one PostgreSQL database must be given the same values through the environment.
public struct ServerSecrets: Sendable {
    public var jwtSecret: Data
    public var encryptionKey: Data

    public init(jwtSecret: Data, encryptionKey: Data) {
        self.jwtSecret = jwtSecret
        self.encryptionKey = encryptionKey
    }

    /// Resolves both secrets for `configuration`, creating the data directory and secret files when needed.
    public static func resolve(for configuration: AnvilConfiguration, logger: Logger) throws -> ServerSecrets {
        let directory = URL(fileURLWithPath: configuration.dataDirectory)
        let jwtSecret: Data
        if let configured = configuration.jwtSecret {
            guard configured.utf8.count >= 32 else {
                throw ConfigurationError.invalid(name: "ANVIL_JWT_SECRET", reason: "must be at least 32 characters")
            }
            jwtSecret = Data(configured.utf8)
        } else {
            jwtSecret = try loadOrCreate(file: "jwt-secret", in: directory, logger: logger)
        }
        let encryptionKey: Data
        if let configured = configuration.encryptionKey {
            guard let decoded = Data(base64Encoded: configured), decoded.count == 32 else {
                throw ConfigurationError.invalid(
                    name: "ANVIL_ENCRYPTION_KEY",
                    reason: "must be the base64 encoding of exactly 32 bytes (try: openssl rand -base64 32)"
                )
            }
            encryptionKey = decoded
        } else {
            encryptionKey = try loadOrCreate(file: "encryption-key", in: directory, logger: logger)
        }
        return ServerSecrets(jwtSecret: jwtSecret, encryptionKey: encryptionKey)
    }

    /// Reads 32 random bytes kept base64-encoded in `file`, generating them the first time.
    private static func loadOrCreate(file: String, in directory: URL, logger: Logger) throws -> Data {
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ConfigurationError.unusableDataDirectory(path: directory.path, reason: "cannot be created")
        }
        let url = directory.appendingPathComponent(file)
        if let text = try? String(contentsOf: url, encoding: .utf8) {
            guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
                data.count == 32
            else {
                throw ConfigurationError.unusableDataDirectory(
                    path: directory.path,
                    reason: "\(file) is not the base64 encoding of 32 bytes"
                )
            }
            return data
        }
        let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        // Created with restrictive permissions from the start, never widened, so the secret is never readable by
        // others even for a moment.
        guard
            manager.createFile(
                atPath: url.path,
                contents: Data(secret.base64EncodedString().utf8),
                attributes: [.posixPermissions: 0o600]
            )
        else {
            throw ConfigurationError.unusableDataDirectory(path: directory.path, reason: "cannot write \(file)")
        }
        logger.notice("generated a new secret", metadata: ["file": "\(url.path)"])
        return secret
    }
}
