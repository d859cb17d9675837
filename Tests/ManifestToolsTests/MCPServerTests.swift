import AnvilCore
import AnvilPluginKit
import Foundation
import ManifestTools
import Subprocess
import Testing

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// A Python with the `mcp` package, for the real MCP server these tests start: `ANVIL_TEST_PYTHON`, else the venv
/// the end-to-end tests install. CI sets the variable and must not skip these tests.
enum MCPTestServer {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/mcp_server.py").path

    static let python: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let configured = environment["ANVIL_TEST_PYTHON"], !configured.isEmpty { return configured }
        let venv = URL(fileURLWithPath: "/tmp/anvil-e2e-venv")
        let libraries =
            (try? FileManager.default.contentsOfDirectory(atPath: venv.appendingPathComponent("lib").path)) ?? []
        let hasMCP = libraries.contains { version in
            FileManager.default.fileExists(atPath: venv.path + "/lib/\(version)/site-packages/mcp/server/mcpserver")
        }
        return hasMCP ? venv.path + "/bin/python" : nil
    }()

    static var isAvailable: Bool {
        python != nil || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    static func stdioManifest(name: String = "calc", prefix: String = "calc_", extra: String = "") throws -> String {
        let python = try #require(python, "set ANVIL_TEST_PYTHON to a python with the mcp package")
        return """
            type: mcp
            name: \(name)
            command: \(python)
            args: ["\(script)"]
            env:
              TEST_GREETING: "hello ${GREETING_SOURCE}"
            tool_prefix: \(prefix)
            timeout_seconds: 20
            \(extra)
            """
    }
}

@Suite("MCP servers declared in manifests", .enabled(if: MCPTestServer.isAvailable), .serialized)
struct MCPServerTests {
    @Test("a stdio server's tools are listed with their schemas and called through MCP")
    func stdioRoundTrip() async throws {
        let manifest = try MCPTestServer.stdioManifest()
        try await withManifests(tools: ["calc.yaml": manifest]) { fixture in
            let declared = try await fixture.load(environment: ["GREETING_SOURCE": "env"])
            let names = declared.tools.map(\.tool.spec.name)
            #expect(names == ["calc_add", "calc_shout", "calc_slow", "calc_whoami", "calc_crash"])
            let add = try #require(declared.tools.first)
            #expect(add.source == .mcpServer("calc"))
            #expect(add.tool.spec.description == "Add two integers and return the sum.")
            #expect(add.tool.spec.parameters.objectValue?["required"] == ["a", "b"])

            try await withServices(declared) {
                let sum = try await eventually { try await declared.run("calc_add", #"{"a": 2, "b": 40}"#) }
                #expect(sum.content == "42")
                #expect(!sum.isError)
                let shouted = try await declared.run("calc_shout", #"{"text": "quiet"}"#)
                #expect(shouted.content == "QUIET")
                let greeting = try await declared.run("calc_whoami", "{}")
                #expect(greeting.content.hasSuffix("hello env"))
                await #expect(throws: ToolInvocationError.self) {
                    _ = try await declared.run("calc_add", #"{"a": "two"}"#)
                }
            }
        }
    }

    @Test("a server that dies answers with a clear error, then is restarted and works again")
    func restartAfterCrash() async throws {
        let manifest = try MCPTestServer.stdioManifest()
        try await withManifests(tools: ["calc.yaml": manifest]) { fixture in
            let declared = try await fixture.load(environment: ["GREETING_SOURCE": "env"])
            try await withServices(declared) {
                let before = try await eventually { try await declared.run("calc_whoami", "{}") }
                let crash = try await declared.run("calc_crash", "{}")
                #expect(crash.isError)
                // Until the new process is up, calls are refused at once with the reason.
                let after = try await eventually(timeout: .seconds(30)) {
                    let output = try await declared.run("calc_whoami", "{}")
                    if output.isError {
                        #expect(output.content.contains("MCP server 'calc'"))
                    }
                    return output
                }
                #expect(after.content != before.content, "a new process answers")
            }
        }
    }

    @Test("a call that outlives its timeout is cut off with the timeout error")
    func timeout() async throws {
        let manifest = try MCPTestServer.stdioManifest().replacingOccurrences(
            of: "timeout_seconds: 20",
            with: "timeout_seconds: 1"
        )
        try await withManifests(tools: ["calc.yaml": manifest]) { fixture in
            let declared = try await fixture.load(environment: ["GREETING_SOURCE": "env"])
            try await withServices(declared) {
                _ = try await eventually { try await declared.run("calc_add", #"{"a": 1, "b": 1}"#) }
                await #expect(throws: ToolInvocationError.timedOut(.seconds(1))) {
                    _ = try await declared.run("calc_slow", #"{"seconds": 30}"#)
                }
            }
        }
    }

    @Test("a streamable HTTP server is reached by URL")
    func httpRoundTrip() async throws {
        let python = try #require(MCPTestServer.python)
        let port = Int.random(in: 20_000..<40_000)
        let manifest = """
            type: mcp
            name: remote
            url: http://127.0.0.1:\(port)/mcp
            startup_timeout_seconds: 5
            """
        try await withManifests(tools: ["remote.yaml": manifest]) { fixture in
            _ = try await Subprocess.run(
                .path(FilePath(python)),
                arguments: [MCPTestServer.script, "http", String(port)],
                input: .none,
                output: .discarded,
                error: .discarded
            ) { execution in
                defer { try? execution.send(signal: .kill) }
                let declared = try await eventually(timeout: .seconds(30)) { try await fixture.load() }
                #expect(declared.tools.map(\.tool.spec.name).contains("add"))
                try await withServices(declared) {
                    let sum = try await eventually { try await declared.run("add", #"{"a": 5, "b": 6}"#) }
                    #expect(sum.content == "11")
                }
            }
        }
    }
}

/// Runs the declared tools' services (the MCP supervisors) while `body` runs.
func withServices(_ declared: DeclaredTools, _ body: () async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for service in declared.services {
            group.addTask { try await service.run() }
        }
        do {
            try await body()
        } catch {
            group.cancelAll()
            throw error
        }
        group.cancelAll()
    }
}

/// Retries `operation` until it returns a result that is not an error output, or throws no more, within `timeout`.
func eventually<Value>(
    timeout: Duration = .seconds(20),
    _ operation: () async throws -> Value
) async throws -> Value {
    let deadline = ContinuousClock.now + timeout
    while true {
        do {
            let value = try await operation()
            if let output = value as? ToolOutput, output.isError, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
                continue
            }
            return value
        } catch  where ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
