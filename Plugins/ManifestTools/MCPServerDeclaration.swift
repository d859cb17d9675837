import Foundation

/// An MCP server from a manifest (`type: mcp`): a command Anvil starts and talks to over stdio, or a streamable
/// HTTP endpoint it connects to.
struct MCPServerDeclaration: Sendable {
    enum Endpoint: Sendable {
        /// A program started with `arguments` and these environment variables added to Anvil's own.
        case command(String, arguments: [String], environment: [String: String], workingDirectory: String?)
        /// A streamable HTTP endpoint (the server's `/mcp` URL), with extra headers such as a bearer token.
        case http(URL, headers: [String: String])
    }

    /// The server's name in the manifest: the `origin` of its tools.
    let name: String
    let endpoint: Endpoint
    /// Put before each of the server's tool names, so two servers with a `search` tool can both be used.
    let toolPrefix: String
    /// How long starting the server and listing its tools may take.
    let startupTimeout: Duration
}
