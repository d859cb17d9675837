import AnvilServer
import AnvilStore
import Logging

/// Opens the configured store for a one-off command and closes it afterwards, whatever happens.
enum AdminStore {
    static func with(
        configuration: AnvilConfiguration,
        logger: Logger,
        _ body: (Store) async throws -> Void
    ) async throws {
        try configuration.prepareDataDirectory()
        let secrets = try ServerSecrets.resolve(for: configuration, logger: logger)
        let database = try Database(location: try configuration.databaseLocation(), logger: logger)
        let store = Store(database: database, secretBox: try SecretBox(keyData: secrets.encryptionKey))
        do {
            try await body(store)
            try await database.shutdown()
        } catch {
            try? await database.shutdown()
            throw error
        }
    }
}
