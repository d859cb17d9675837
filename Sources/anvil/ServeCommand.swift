import AnvilCore
import AnvilServer
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus

/// `anvil serve`: runs the HTTP server until interrupted.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Anvil server."
    )

    @Option(help: "Address to listen on (ANVIL_HOST, default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (ANVIL_PORT, default 8080).")
    var port: Int?

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        var configuration = try storage.configuration()
        if let host { configuration.host = host }
        if let port {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535.") }
            configuration.port = port
        }
        let registry = PrometheusCollectorRegistry()
        // The one process-wide bootstrap, so metrics recorded by libraries land in the registry /metrics exports.
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        var logger = Logger(label: "anvil")
        logger.logLevel = configuration.logLevel
        let application = try await buildApplication(
            configuration: configuration,
            registry: registry,
            logger: logger,
            plugins: CompiledPlugins.all,
            declaredTools: CompiledPlugins.declaredTools
        )
        try await application.runService()
    }

}
