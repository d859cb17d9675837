import AnvilCore
import AnvilPluginKit
import AnvilServer
import AnvilStore
import Calendar
import Logging
import ManifestTools
import Memory
import Notes
import RAGSearch
import WebBrowse

/// The plugins compiled into this executable: the one place that lists them. Each is created from
/// `manifests/plugins/<id>.yaml`, or with its defaults when that file does not exist.
enum CompiledPlugins {
    static let all: [any ToolPlugin.Type] = [
        WebBrowsePlugin.self,
        NotesPlugin.self,
        MemoryPlugin.self,
        RAGSearchPlugin.self,
        CalendarPlugin.self,
    ]

    /// Readers of the tools declared in `manifests/tools/`.
    static let declaredTools: [any DeclaredToolLoader] = [ToolManifestLoader()]

    /// Every tool a server with `configuration` would offer, for the `anvil tools` commands. Plugin tables are
    /// migrated first, since plugin tools read and write them.
    static func tools(configuration: AnvilConfiguration, store: Store, logger: Logger) async throws -> ServerTools {
        let tools = try await ServerTools.load(
            configuration: configuration,
            store: store,
            logger: logger,
            plugins: all,
            declaredTools: declaredTools
        )
        try await store.migrate(additional: tools.plugins.migrations, logger: logger)
        return tools
    }
}
