import AnvilCore
import AnvilServer
import AnvilTestSupport
import Calendar
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A response as a test sees it.
struct CalendarResponse {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var text: String
    var json: JSONValue

    subscript(key: String) -> JSONValue? { json.objectValue?[key] }
}

/// Drives the real application, with the calendar plugin, through HummingbirdTesting.
struct CalendarClient {
    let client: any TestClientProtocol

    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ path: String, json: JSONValue? = nil, body: String? = nil,
        contentType: String = "application/json", token: String? = nil
    ) async throws -> CalendarResponse {
        var headers: HTTPFields = [:]
        var buffer: ByteBuffer?
        if let json {
            buffer = ByteBuffer(bytes: try JSONEncoder().encode(json))
            headers[.contentType] = "application/json"
        } else if let body {
            buffer = ByteBuffer(string: body)
            headers[.contentType] = contentType
        }
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: path, method: method, headers: headers, body: buffer) { response in
            let text = String(buffer: response.body)
            let json = (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .null
            return CalendarResponse(status: response.status, headers: response.headers, text: text, json: json)
        }
    }

    /// Registers a new user and returns its access token.
    func register() async throws -> String {
        let email = "user-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let response = try await send(
            .post, "/api/v1/auth/register",
            json: ["email": .string(email), "password": "correct horse battery"])
        #expect(response.status == .created, "register failed: \(response.text)")
        return try #require(response["access_token"]?.stringValue)
    }
}

/// Builds the application with the calendar plugin on a fresh database on `engine`.
func withCalendarApp(
    _ engine: TestDatabase,
    environment: [String: String] = [:],
    manifest: String? = nil,
    _ body: @Sendable (CalendarClient) async throws -> Void
) async throws {
    let sandbox = try await engine.makeSandbox()
    var configuration = AnvilConfiguration()
    configuration.dataDirectory = sandbox.directory.path
    switch sandbox.location {
    case .sqlite: configuration.databaseURL = nil
    case .postgres(let url, let schema):
        configuration.databaseURL = url
        configuration.databaseSchema = schema
    }
    configuration.manifestsDirectory = sandbox.directory.appendingPathComponent("manifests").path
    configuration.bcryptCost = 4
    configuration.jwtSecret = "test-signing-secret-that-is-at-least-32-bytes"
    configuration.encryptionKey = Data(repeating: 9, count: 32).base64EncodedString()
    configuration.logLevel = .warning
    configuration.providerEnvironment = environment
    do {
        if let manifest {
            let url = URL(fileURLWithPath: configuration.manifestsDirectory)
                .appendingPathComponent("plugins/calendar.yaml")
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try manifest.write(to: url, atomically: true, encoding: .utf8)
        }
        let application = try await buildApplication(configuration: configuration, plugins: [CalendarPlugin.self])
        try await application.test(.router) { client in
            try await body(CalendarClient(client: client))
        }
        await sandbox.destroy()
    } catch {
        await sandbox.destroy()
        throw error
    }
}
