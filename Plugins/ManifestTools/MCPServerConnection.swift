import AnvilCore
import Foundation
import Logging
import MCP

/// The live session with one MCP server, shared by its tools and replaced by ``MCPServerSupervisor`` whenever the
/// server restarts. While there is none, calls answer at once with an error saying why, rather than waiting.
actor MCPServerConnection {
    enum State {
        case starting
        case ready(Client)
        case unavailable(String)
    }

    let name: String
    private(set) var state: State = .starting

    init(name: String) {
        self.name = name
    }

    func update(_ state: State) {
        self.state = state
    }

    /// Calls `tool` (the server's own name for it) and turns the result into a tool output.
    func call(tool: String, arguments: [String: JSONValue]) async throws -> ToolOutput {
        let client: Client
        switch state {
        case .ready(let ready): client = ready
        case .starting:
            return .error("The MCP server '\(name)' is starting; try again in a moment.")
        case .unavailable(let reason):
            return .error("The MCP server '\(name)' is not available: \(reason)")
        }
        let request: RequestContext<CallTool.Result> = try await client.callTool(
            name: tool,
            arguments: arguments.mapValues(MCP.Value.init)
        )
        let result: CallTool.Result
        do {
            result = try await withTaskCancellationHandler {
                try await request.value
            } onCancel: {
                // The handler is synchronous and the client is an actor, so the notice that frees the server's
                // work is sent from a task that ends as soon as it is written.
                Task { try? await client.cancelRequest(request.requestID, reason: "timed out or cancelled") }
            }
        } catch let error as MCPError {
            return .error("The MCP server '\(name)' answered with an error: \(error.localizedDescription)")
        }
        var text = result.content.text
        if text.isEmpty, let structured = result.structuredContent {
            text = structured.jsonValue.compactJSON
        }
        return ToolOutput(content: text, isError: result.isError ?? false)
    }
}

/// A tool of an MCP server, registered under the server's prefix and called through its connection.
struct MCPTool: AnvilCore.Tool {
    let spec: ToolSpec
    /// The server's own name for the tool, without the prefix.
    let remoteName: String
    let connection: MCPServerConnection

    func call(arguments: [String: JSONValue], context: ToolContext) async throws -> ToolOutput {
        try await connection.call(tool: remoteName, arguments: arguments)
    }
}
