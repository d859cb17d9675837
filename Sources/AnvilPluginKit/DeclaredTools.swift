import AnvilCore
import Foundation
import ServiceLifecycle

/// Reads tools declared in manifests rather than compiled in, such as HTTP endpoints and MCP servers.
public protocol DeclaredToolLoader: Sendable {
    /// The tools declared under `manifestsDirectory`, and the services that keep them working (an MCP server's
    /// connection, for instance).
    ///
    /// - Throws: ``ManifestErrors`` naming the file, the key and the problem of each bad declaration.
    func load(manifestsDirectory: URL, context: PluginContext) async throws -> DeclaredTools
}

/// What a ``DeclaredToolLoader`` found.
public struct DeclaredTools: Sendable {
    public var tools: [ToolRegistration]
    /// Run while the server runs and stopped with it.
    public var services: [any Service]

    public init(tools: [ToolRegistration] = [], services: [any Service] = []) {
        self.tools = tools
        self.services = services
    }
}
