import AnvilCore
import Foundation
import Logging
import MCP
import Subprocess

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// Starts an MCP server (or connects to one over HTTP), performs the handshake and hands the connected client to
/// `body`. For a command, the call returns once the process has exited; for HTTP, once `body` returns.
enum MCPSession {
    static let clientVersion = "0.1.0"

    /// - Parameter body: runs with the connected client; returning ends the session for HTTP servers, while a
    ///   started process keeps the session until it exits. Throwing stops the process.
    /// - Returns: a description of how the session ended.
    static func run(
        _ declaration: MCPServerDeclaration,
        logger: Logger,
        body: @Sendable (Client) async throws -> Void
    ) async throws -> String {
        switch declaration.endpoint {
        case .command(let command, let arguments, let environment, let workingDirectory):
            return try await runProcess(
                command: command,
                arguments: arguments,
                environment: environment,
                workingDirectory: workingDirectory,
                declaration: declaration,
                logger: logger,
                body: body
            )
        case .http(let url, let headers):
            let transport = StreamableHTTPTransport(endpoint: url, headers: headers, logger: logger)
            let client = Client(name: "anvil", version: clientVersion)
            do {
                try await withTimeout(declaration.startupTimeout, name: declaration.name) {
                    _ = try await client.connect(transport: transport)
                }
                try await body(client)
            } catch {
                await client.disconnect()
                throw error
            }
            await client.disconnect()
            return "the session ended"
        }
    }

    private static func runProcess(
        command: String,
        arguments: [String],
        environment: [String: String],
        workingDirectory: String?,
        declaration: MCPServerDeclaration,
        logger: Logger,
        body: @Sendable (Client) async throws -> Void
    ) async throws -> String {
        // Two pipes: the server reads requests from the first and writes responses to the second. The child's ends
        // are closed here once it has started; ours must not leak into other children.
        let toServer = try FileDescriptor.pipe()
        let fromServer = try FileDescriptor.pipe()
        _ = fcntl(toServer.writeEnd.rawValue, F_SETFD, FD_CLOEXEC)
        _ = fcntl(fromServer.readEnd.rawValue, F_SETFD, FD_CLOEXEC)
        // The transport's read loop polls its descriptor until it is disconnected. It must be disconnected before
        // the descriptors are closed: a closed number is soon reused by another socket, which a loop still
        // running would read from.
        let transport = StdioTransport(input: fromServer.readEnd, output: toServer.writeEnd, logger: logger)
        func closeDescriptors() async {
            await transport.disconnect()
            try? toServer.writeEnd.close()
            try? fromServer.readEnd.close()
        }
        let executable: Executable = command.contains("/") ? .path(FilePath(command)) : .name(command)
        var variables: [Environment.Key: String?] = [:]
        for (name, value) in environment { variables[Environment.Key(stringLiteral: name)] = value }
        var options = PlatformOptions()
        options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: .seconds(2))]
        let name = declaration.name
        let result: ExecutionResult<Void, FileDescriptorOutput, DiscardedOutput>
        do {
            result = try await Subprocess.run(
                executable,
                arguments: Arguments(arguments),
                environment: .inherit.updating(variables),
                workingDirectory: workingDirectory.map { FilePath($0) },
                platformOptions: options,
                input: .fileDescriptor(toServer.readEnd, closeAfterSpawningProcess: true),
                output: .fileDescriptor(fromServer.writeEnd, closeAfterSpawningProcess: true),
                error: .discarded
            ) { _ in
                let client = Client(name: "anvil", version: clientVersion)
                do {
                    try await withTimeout(declaration.startupTimeout, name: name) {
                        _ = try await client.connect(transport: transport)
                    }
                    try await body(client)
                } catch {
                    await client.disconnect()
                    throw error
                }
            }
        } catch {
            await closeDescriptors()
            throw error
        }
        await closeDescriptors()
        return "the process exited (\(result.terminationStatus))"
    }

    /// Runs `operation`, failing with ``MCPStartupError/timedOut`` when it takes longer than `limit`.
    static func withTimeout(
        _ limit: Duration,
        name: String,
        _ operation: @escaping @Sendable () async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await operation()
                return true
            }
            group.addTask {
                try await Task.sleep(for: limit)
                return false
            }
            defer { group.cancelAll() }
            guard try await group.next() == true else { throw MCPStartupError.timedOut(name, limit) }
        }
    }
}

/// Why an MCP server could not be used.
enum MCPStartupError: Error, CustomStringConvertible {
    case timedOut(String, Duration)

    var description: String {
        switch self {
        case .timedOut(let name, let limit):
            "the MCP server '\(name)' did not complete its handshake within \(limit.components.seconds) s"
        }
    }
}
