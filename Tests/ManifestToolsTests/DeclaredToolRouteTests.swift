import AnvilCore
import AnvilPluginKit
import AnvilServer
import AnvilTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import ManifestTools
import Testing

/// HTTP and MCP tools declared in manifests, through the real server: listed, invoked and called by the agent loop.
@Suite("Declared tools through the API", .enabled(if: MCPTestServer.isAvailable), .serialized)
struct DeclaredToolRouteTests {
    @Test(
        "tools from an HTTP manifest and an MCP server are listed, invoked and used in chats",
        arguments: TestDatabase.available)
    func declaredToolsThroughTheAPI(engine: TestDatabase) async throws {
        try await FakeUpstream.run { router in
            router.get("v1/echo") { request, _ in
                FakeUpstream.json(#"{"echo": "\#(request.uri.queryParameters["word"] ?? "")"}"#)
            }
        } test: { baseURL, _ in
            let sandbox = try await engine.makeSandbox()
            do {
                try await Self.exercise(sandbox: sandbox, baseURL: baseURL)
                await sandbox.destroy()
            } catch {
                await sandbox.destroy()
                throw error
            }
        }
    }

    static func exercise(sandbox: DatabaseSandbox, baseURL: String) async throws {
        var configuration = AnvilConfiguration()
        configuration.dataDirectory = sandbox.directory.path
        if case .postgres(let url, let schema) = sandbox.location {
            configuration.databaseURL = url
            configuration.databaseSchema = schema
        }
        configuration.bcryptCost = 4
        configuration.jwtSecret = "test-signing-secret-that-is-at-least-32-bytes"
        configuration.encryptionKey = Data(repeating: 9, count: 32).base64EncodedString()
        configuration.logLevel = .critical
        let manifests = sandbox.directory.appendingPathComponent("manifests/tools")
        try FileManager.default.createDirectory(at: manifests, withIntermediateDirectories: true)
        configuration.manifestsDirectory = manifests.deletingLastPathComponent().path
        try """
        type: http
        name: echo_word
        description: Echo a word back from the echo service.
        url: \(baseURL)/echo
        parameters: {type: object, properties: {word: {type: string}}, required: [word]}
        allow: ["127.0.0.1"]
        """.write(to: manifests.appendingPathComponent("echo.yaml"), atomically: true, encoding: .utf8)
        try MCPTestServer.stdioManifest(extra: "").replacingOccurrences(of: "${GREETING_SOURCE}", with: "tests")
            .write(to: manifests.appendingPathComponent("calc.yaml"), atomically: true, encoding: .utf8)

        let application = try await buildApplication(
            configuration: configuration, declaredTools: [ToolManifestLoader()])
        try await application.test(.live) { client in
            let token = try await Self.register(client)
            let tools = try await Self.json(client, .get, "/api/v1/tools", token: token)
            let entries = tools.objectValue?["data"]?.arrayValue ?? []
            let sources = Dictionary(
                entries.compactMap { entry -> (String, String)? in
                    guard let name = entry.objectValue?["name"]?.stringValue,
                        let source = entry.objectValue?["source"]?.stringValue
                    else { return nil }
                    return (name, source)
                },
                uniquingKeysWith: { first, _ in first }
            )
            #expect(sources["echo_word"] == "http")
            #expect(sources["calc_shout"] == "mcp")
            #expect(sources["current_time"] == "builtin")

            let echoed = try await Self.json(
                client, .post, "/api/v1/tools/echo_word/invoke", token: token,
                body: ["arguments": ["word": "anvil"]])
            #expect(echoed.objectValue?["content"] == #"{"echo": "anvil"}"#)
            // The server's supervisor starts it when the application starts; wait for it to be ready.
            let shouted = try await eventually {
                let answer = try await Self.json(
                    client, .post, "/api/v1/tools/calc_shout/invoke", token: token,
                    body: ["arguments": ["text": "loud"]])
                return ToolOutput(
                    content: answer.objectValue?["content"]?.stringValue ?? "",
                    isError: answer.objectValue?["is_error"] == true
                )
            }
            #expect(shouted.content == "LOUD", "\(shouted)")

            let chat = try await Self.json(client, .post, "/api/v1/chats", token: token, body: ["title": "tools"])
            let chatID = try #require(chat.objectValue?["id"]?.stringValue)
            let sent = try await Self.json(
                client, .post, "/api/v1/chats/\(chatID)/messages", token: token,
                body: ["content": "Please shout the text \"quiet please\"", "tools": ["calc_shout", "echo_word"]])
            let messages = sent.objectValue?["messages"]?.arrayValue ?? []
            #expect(
                messages.compactMap { $0.objectValue?["role"]?.stringValue } == ["assistant", "tool", "assistant"])
            #expect(messages.dropFirst().first?.objectValue?["content"] == "QUIET PLEASE", "\(sent)")
        }
    }

    static func register(_ client: some TestClientProtocol) async throws -> String {
        let response = try await json(
            client, .post, "/api/v1/auth/register", token: nil,
            body: [
                "email": .string("tools-\(UUID().uuidString.prefix(8))@example.com"),
                "password": "correct horse battery",
            ])
        return try #require(response.objectValue?["access_token"]?.stringValue)
    }

    static func json(
        _ client: some TestClientProtocol,
        _ method: HTTPRequest.Method,
        _ path: String,
        token: String?,
        body: JSONValue? = nil
    ) async throws -> JSONValue {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        let buffer = try body.map { ByteBuffer(bytes: try JSONEncoder().encode($0)) }
        return try await client.execute(uri: path, method: method, headers: headers, body: buffer) { response in
            try JSONDecoder().decode(JSONValue.self, from: Data(buffer: response.body))
        }
    }
}
