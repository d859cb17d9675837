import AnvilServer
import AnvilStore
import ArgumentParser
import Logging

/// `anvil migrate`: applies pending database migrations and exits.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending database migrations."
    )

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let configuration = try storage.configuration()
        let logger = Logger(label: "anvil.migrate")
        try await AdminStore.with(configuration: configuration, logger: logger) { store in
            let applied = try await store.migrate(logger: logger)
            print(applied.isEmpty ? "Database is up to date." : "Applied: \(applied.joined(separator: ", "))")
        }
    }
}
