import AnvilCore
import AnvilPluginKit
import AnvilStore
import Foundation
import Logging
import ServiceLifecycle

/// Every tool a server offers, gathered once at startup: the built-in ones, the plugins', those declared in
/// `manifests/tools/`, then any extra ones, in that order. The server and the `anvil tools` commands build it the
/// same way, so the command line sees exactly the tools the server would.
public struct ServerTools: Sendable {
    public let registry: ToolRegistry
    public let plugins: LoadedPlugins
    /// What keeps plugins and declared tools working while the server runs.
    public let services: [any Service]

    /// Creates the plugins from their manifests and reads the declared tools.
    ///
    /// - Throws: ``ManifestErrors`` for bad manifests, ``ToolRegistryError`` when two tools share a name.
    public static func load(
        configuration: AnvilConfiguration,
        store: Store,
        logger: Logger,
        plugins pluginTypes: [any ToolPlugin.Type],
        declaredTools: [any DeclaredToolLoader],
        extraTools: [ToolRegistration] = [],
        embedder: (any TextEmbedder)? = nil
    ) async throws -> ServerTools {
        let context = PluginContext(
            database: store.database,
            secretBox: store.secretBox,
            environment: configuration.providerEnvironment,
            dataDirectory: configuration.dataDirectory,
            embedder: embedder,
            logger: logger
        )
        let manifestsDirectory = URL(fileURLWithPath: configuration.manifestsDirectory)
        let plugins = try await PluginHost.load(pluginTypes, manifestsDirectory: manifestsDirectory, context: context)
        var declared = DeclaredTools()
        for loader in declaredTools {
            let found = try await loader.load(manifestsDirectory: manifestsDirectory, context: context)
            declared.tools += found.tools
            declared.services += found.services
        }
        var registry = ToolRegistry()
        for registration in builtInTools() + plugins.tools + declared.tools + extraTools {
            try registry.register(registration)
        }
        return ServerTools(registry: registry, plugins: plugins, services: plugins.services + declared.services)
    }
}
