import Foundation
import Logging
import MCP
import ServiceLifecycle

/// Keeps one MCP server running while Anvil runs: starts it, publishes the session to its tools, and when the
/// process exits or the HTTP endpoint stops answering, marks the tools unavailable and starts it again after a
/// growing delay (0.5 s doubling to 30 s, reset once a session has lasted a minute).
struct MCPServerSupervisor: Service {
    let declaration: MCPServerDeclaration
    let connection: MCPServerConnection
    let logger: Logger
    /// How often an HTTP session is checked with a ping.
    var pingInterval: Duration = .seconds(15)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await supervise()
        }
        await retire(reason: "Anvil is shutting down")
    }

    /// Closes the current session's client, if any, so its message loop ends with the server, and tells callers
    /// why there is none.
    private func retire(reason: String) async {
        if case .ready(let client) = await connection.state { await client.disconnect() }
        await connection.update(.unavailable(reason))
    }

    private func supervise() async {
        var failures = 0
        let clock = ContinuousClock()
        while !Task.isCancelled {
            let started = clock.now
            var ending: String
            do {
                ending = try await MCPSession.run(declaration, logger: logger) { [connection, pingInterval] client in
                    await connection.update(.ready(client))
                    guard case .http = declaration.endpoint else { return }
                    while true {
                        try await Task.sleep(for: pingInterval)
                        try await client.ping()
                    }
                }
            } catch is CancellationError {
                return
            } catch {
                ending = "\(error)"
            }
            await retire(reason: "\(ending); restarting it")
            if Task.isCancelled { return }
            failures = clock.now - started > .seconds(60) ? 1 : failures + 1
            let delay = Duration.milliseconds(min(30_000, 500 << min(failures - 1, 6)))
            logger.warning(
                "MCP server stopped; restarting",
                metadata: ["server": "\(declaration.name)", "reason": "\(ending)", "delay": "\(delay)"]
            )
            try? await Task.sleep(for: delay)
        }
    }
}
