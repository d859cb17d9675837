import AnvilCore
import AnvilServer
import WebBrowse

/// The plugins compiled into this executable: the one place that lists them.
enum CompiledPlugins {
    /// Their tools. Browsing gets a little more time than libcurl's own 30-second limit, so its clearer timeout
    /// message reaches the model first.
    static func tools(environment: [String: String]) throws -> [ToolRegistration] {
        let browse = WebBrowsePlugin(configuration: try BrowseConfiguration(environment: environment))
        return browse.tools.map { tool in
            ToolRegistration(
                tool: tool,
                source: .plugin(WebBrowsePlugin.identifier),
                limits: ToolLimits(timeout: .seconds(35))
            )
        }
    }

    /// Every tool a server started here would offer: the built-in ones, then the plugins'.
    static func registry(environment: [String: String]) throws -> ToolRegistry {
        var registry = ToolRegistry()
        for registration in builtInTools() + (try tools(environment: environment)) {
            try registry.register(registration)
        }
        return registry
    }
}
