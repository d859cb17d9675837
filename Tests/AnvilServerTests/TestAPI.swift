import AnvilCore
import AnvilPluginKit
import AnvilServer
import AnvilTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// A response as a test sees it: status, headers and the body parsed as JSON when it is JSON.
struct TestResponse {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var text: String
    var json: JSONValue

    subscript(key: String) -> JSONValue? { json.objectValue?[key] }

    /// The `error` code of a JSON error body.
    var errorCode: String? { self["error"]?.stringValue }
}

/// Drives a real application through HummingbirdTesting with JSON in and out.
struct TestAPI {
    let client: any TestClientProtocol

    enum Credential {
        case bearer(String)
        case apiKey(String)
        case header(String)
    }

    @discardableResult
    func send(
        _ method: HTTPRequest.Method,
        _ path: String,
        json: JSONValue? = nil,
        rawBody: String? = nil,
        auth: Credential? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: try JSONEncoder().encode(json))
            headers[.contentType] = "application/json"
        } else if let rawBody {
            body = ByteBuffer(string: rawBody)
            if headers[.contentType] == nil { headers[.contentType] = "application/json" }
        }
        switch auth {
        case .bearer(let token): headers[.authorization] = "Bearer \(token)"
        case .apiKey(let key): headers[HTTPField.Name("X-API-Key")!] = key
        case .header(let value): headers[.authorization] = value
        case nil: break
        }
        return try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
            let text = String(buffer: response.body)
            let json = (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .null
            return TestResponse(status: response.status, headers: response.headers, text: text, json: json)
        }
    }

    /// Registers a new user with a unique email and returns their tokens.
    func register(email: String? = nil, password: String = "correct horse battery") async throws -> Session {
        let email = email ?? "user-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let response = try await send(
            .post, "/api/v1/auth/register", json: ["email": .string(email), "password": .string(password)])
        #expect(response.status == .created, "register failed: \(response.text)")
        return try Session(response: response, email: email, password: password)
    }

    struct Session {
        var userID: String
        var email: String
        var password: String
        var accessToken: String
        var refreshToken: String

        init(response: TestResponse, email: String, password: String) throws {
            userID = try #require(response["user"]?.objectValue?["id"]?.stringValue)
            accessToken = try #require(response["access_token"]?.stringValue)
            refreshToken = try #require(response["refresh_token"]?.stringValue)
            self.email = email
            self.password = password
        }

        var auth: Credential { .bearer(accessToken) }
    }
}

/// A configuration for tests: a private database, fast bcrypt, fixed secrets.
func testConfiguration(sandbox: DatabaseSandbox) -> AnvilConfiguration {
    var configuration = AnvilConfiguration()
    configuration.dataDirectory = sandbox.directory.path
    switch sandbox.location {
    case .sqlite: configuration.databaseURL = nil
    case .postgres(let url, let schema):
        configuration.databaseURL = url
        configuration.databaseSchema = schema
    }
    // Each test's manifests (none unless it writes some), so the repository's own never leak into tests.
    configuration.manifestsDirectory = sandbox.directory.appendingPathComponent("manifests").path
    configuration.bcryptCost = 4
    configuration.jwtSecret = "test-signing-secret-that-is-at-least-32-bytes"
    configuration.encryptionKey = Data(repeating: 9, count: 32).base64EncodedString()
    configuration.logLevel = .warning
    return configuration
}

/// Builds the real application on a fresh database on `engine` and runs `body` against it.
func withTestApp(
    _ engine: TestDatabase,
    setup: TestingSetup = .router,
    _ body: @Sendable (TestAPI) async throws -> Void
) async throws {
    try await withTestApp(engine, setup: setup, setting: \.logLevel, to: .warning, body)
}

/// Like ``withTestApp(_:_:)`` with compiled-in `plugins` and manifest files (path under the manifests directory →
/// YAML text).
func withTestApp(
    _ engine: TestDatabase,
    setup: TestingSetup = .router,
    plugins: [any ToolPlugin.Type],
    manifests: [String: String] = [:],
    configure: (inout AnvilConfiguration) -> Void = { _ in },
    _ body: @Sendable (TestAPI) async throws -> Void
) async throws {
    let sandbox = try await engine.makeSandbox()
    var configuration = testConfiguration(sandbox: sandbox)
    configure(&configuration)
    do {
        for (path, text) in manifests {
            let url = URL(fileURLWithPath: configuration.manifestsDirectory).appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let application = try await buildApplication(configuration: configuration, plugins: plugins)
        try await application.test(setup) { client in
            try await body(TestAPI(client: client))
        }
        await sandbox.destroy()
    } catch {
        await sandbox.destroy()
        throw error
    }
}

/// Like ``withTestApp(_:_:)`` with one configuration value changed.
func withTestApp<Value>(
    _ engine: TestDatabase,
    setup: TestingSetup = .router,
    setting keyPath: WritableKeyPath<AnvilConfiguration, Value>,
    to value: Value,
    _ body: @Sendable (TestAPI) async throws -> Void
) async throws {
    let sandbox = try await engine.makeSandbox()
    var configuration = testConfiguration(sandbox: sandbox)
    configuration[keyPath: keyPath] = value
    do {
        let application = try await buildApplication(configuration: configuration)
        try await application.test(setup) { client in
            try await body(TestAPI(client: client))
        }
        await sandbox.destroy()
    } catch {
        await sandbox.destroy()
        throw error
    }
}
