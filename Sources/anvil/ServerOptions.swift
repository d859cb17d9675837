import AnvilServer
import ArgumentParser
import Foundation

/// Flags shared by every command that opens the database. Each overrides its `ANVIL_*` variable.
struct StorageOptions: ParsableArguments {
    @Option(
        name: .customLong("data-dir"),
        help: "Directory for the SQLite database and generated secrets (ANVIL_DATA_DIR, default ./.anvil).")
    var dataDirectory: String?

    @Option(
        name: .customLong("database-url"),
        help: "postgres:// URL to use PostgreSQL instead of SQLite (ANVIL_DATABASE_URL).")
    var databaseURL: String?

    @Option(
        name: .customLong("manifests"),
        help: "Directory of models.yaml, plugins/ and tools/ (ANVIL_MANIFESTS_DIR, default ./manifests).")
    var manifestsDirectory: String?

    /// Defaults, then the environment, then these flags.
    func configuration() throws -> AnvilConfiguration {
        var configuration = try AnvilConfiguration(environment: ProcessInfo.processInfo.environment)
        if let dataDirectory { configuration.dataDirectory = dataDirectory }
        if let databaseURL { configuration.databaseURL = databaseURL }
        if let manifestsDirectory { configuration.manifestsDirectory = manifestsDirectory }
        return configuration
    }
}
