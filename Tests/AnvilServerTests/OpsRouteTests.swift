import AnvilCore
import AnvilServer
import AnvilTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Operational routes and cross-cutting behaviour")
struct OpsRouteTests {
    @Test(
        "health, readiness, metrics and the API description answer without credentials",
        arguments: TestDatabase.available)
    func opsEndpoints(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let health = try await api.send(.get, "/health")
            #expect(health.status == .ok)
            #expect(health["status"] == "ok")
            let ready = try await api.send(.get, "/ready")
            #expect(ready.status == .ok)
            #expect(ready["checks"] == ["database": "ok"])

            _ = try await api.send(.get, "/api/v1/chats/some-id")
            let metrics = try await api.send(.get, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(metrics.text.contains("anvil_http_requests_total"))
            #expect(metrics.text.contains(#"route="/api/v1/chats/{id}""#))
            #expect(metrics.text.contains(#"route="/health",method="GET",status="200""#))
            #expect(metrics.text.contains("anvil_http_request_duration_seconds_bucket"))

            let document = try await api.send(.get, "/openapi.json")
            #expect(document.status == .ok)
            #expect(document["openapi"]?.stringValue?.hasPrefix("3.1") == true)
            let docs = try await api.send(.get, "/docs")
            #expect(docs.status == .ok)
            #expect(docs.headers[.contentType]?.hasPrefix("text/html") == true)
        }
    }

    @Test(
        "every response carries a request id; a sane client id is echoed, anything else replaced",
        arguments: TestDatabase.available)
    func requestIDs(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let plain = try await api.send(.get, "/health")
            #expect(plain.headers[.init("X-Request-Id")!]?.isEmpty == false)
            let echoed = try await api.send(.get, "/health", headers: [.init("X-Request-Id")!: "trace-123.abc"])
            #expect(echoed.headers[.init("X-Request-Id")!] == "trace-123.abc")
            let replaced = try await api.send(.get, "/health", headers: [.init("X-Request-Id")!: "bad id\u{7}"])
            #expect(replaced.headers[.init("X-Request-Id")!] != "bad id\u{7}")
            let failed = try await api.send(.get, "/api/v1/auth/me")
            #expect(failed.status == .unauthorized)
            #expect(failed.headers[.init("X-Request-Id")!]?.isEmpty == false)
        }
    }

    @Test("unknown routes and methods answer with the JSON error shape", arguments: TestDatabase.available)
    func unknownRoutes(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let missing = try await api.send(.get, "/api/v1/nothing-here")
            #expect(missing.status == .notFound)
            #expect(missing.errorCode == "not_found")
            #expect(missing["message"]?.stringValue?.contains("/api/v1/nothing-here") == true)
            let wrongMethod = try await api.send(.put, "/health")
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.errorCode == "method_not_allowed")
            #expect(wrongMethod.headers[.allow] == "GET")
            let trace = try await api.send(HTTPRequest.Method("TRACE")!, "/api/v1/chats/some-id")
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers[.allow] == "DELETE, GET, PATCH")
        }
    }

    @Test("bodies over the configured limit are refused with 413", arguments: TestDatabase.available)
    func bodyLimit(engine: TestDatabase) async throws {
        try await withTestApp(engine, setting: \.maxBodyBytes, to: 2048) { api in
            let big = JSONValue.object(["email": "a@b.co", "password": .string(String(repeating: "p", count: 4096))])
            let response = try await api.send(.post, "/api/v1/auth/register", json: big)
            #expect(response.status == .contentTooLarge)
            #expect(response.errorCode == "payload_too_large")
            #expect(response["details"]?.objectValue?["limit_bytes"] == 2048)
            let small = try await api.send(
                .post, "/api/v1/auth/register", json: ["email": "a@b.co", "password": "long-enough"])
            #expect(small.status == .created)
        }
    }

    @Test("data survives a restart of the server", arguments: TestDatabase.available)
    func restart(engine: TestDatabase) async throws {
        let sandbox = try await engine.makeSandbox()
        do {
            try await restartScenario(sandbox: sandbox)
            await sandbox.destroy()
        } catch {
            await sandbox.destroy()
            throw error
        }
    }

    private func restartScenario(sandbox: DatabaseSandbox) async throws {
        var configuration = testConfiguration(sandbox: sandbox)
        // No configured secrets: the first start generates them in the data directory, the second reuses them.
        configuration.jwtSecret = nil
        configuration.encryptionKey = nil
        let first = try await buildApplication(configuration: configuration)
        let (token, chatID) = try await first.test(.router) { client in
            let api = TestAPI(client: client)
            let session = try await api.register(email: "persist@example.com", password: "persistent-pass")
            let chat = try await api.send(.post, "/api/v1/chats", json: ["title": "kept"], auth: session.auth)
            _ = try await api.send(
                .put, "/api/v1/auth/provider-keys/openai", json: ["key": "sk-kept"], auth: session.auth)
            return (session.accessToken, try #require(chat["id"]?.stringValue))
        }
        let secretFile = sandbox.directory.appendingPathComponent("jwt-secret").path
        let attributes = try FileManager.default.attributesOfItem(atPath: secretFile)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let second = try await buildApplication(configuration: configuration)
        try await second.test(.router) { client in
            let api = TestAPI(client: client)
            // The access token from before the restart is still valid: the signing secret was kept.
            #expect(try await api.send(.get, "/api/v1/chats/\(chatID)", auth: .bearer(token))["title"] == "kept")
            let login = try await api.send(
                .post,
                "/api/v1/auth/login",
                json: ["email": "persist@example.com", "password": "persistent-pass"]
            )
            #expect(login.status == .ok)
            let keys = try await api.send(.get, "/api/v1/auth/provider-keys", auth: .bearer(token))
            #expect(keys["total"] == 1)
        }
    }
}

@Suite("Configuration")
struct ConfigurationTests {
    @Test("environment variables override defaults and bad values name the variable")
    func environment() throws {
        let configuration = try AnvilConfiguration(environment: [
            "ANVIL_PORT": "9000",
            "ANVIL_HOST": "0.0.0.0",
            "ANVIL_DATA_DIR": "/tmp/anvil-x",
            "ANVIL_MAX_BODY_BYTES": "4096",
            "ANVIL_LOG_LEVEL": "DEBUG",
        ])
        #expect(configuration.port == 9000)
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.maxBodyBytes == 4096)
        #expect(configuration.logLevel == .debug)
        #expect(try configuration.databaseLocation() == .sqlite(path: "/tmp/anvil-x/anvil.sqlite"))

        #expect(throws: ConfigurationError.self) { try AnvilConfiguration(environment: ["ANVIL_PORT": "http"]) }
        #expect(throws: ConfigurationError.self) { try AnvilConfiguration(environment: ["ANVIL_LOG_LEVEL": "loud"]) }
        var postgres = AnvilConfiguration()
        postgres.databaseURL = "mysql://nope"
        #expect(throws: ConfigurationError.self) { try postgres.databaseLocation() }
        postgres.databaseURL = "postgres://u@localhost:5432/db"
        #expect(try postgres.databaseLocation() == .postgres(url: "postgres://u@localhost:5432/db", schema: nil))
        let defaults = AnvilConfiguration()
        #expect(defaults.host == "127.0.0.1")
        #expect(defaults.port == 8080)
        #expect(defaults.dataDirectory == "./.anvil")
        #expect(defaults.maxBodyBytes == 10 * 1024 * 1024)
    }
}
