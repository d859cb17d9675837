import AnvilCore
import AnvilTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("API key and provider key routes")
struct KeyRouteTests {
    @Test(
        "an API key is shown once, authenticates both ways, and stops working when deleted",
        arguments: TestDatabase.available)
    func apiKeyLifecycle(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let created = try await api.send(
                .post,
                "/api/v1/auth/api-keys",
                json: ["name": "deploy bot", "expires_at": "2999-01-01T00:00:00Z"],
                auth: session.auth
            )
            #expect(created.status == .created)
            let key = try #require(created["key"]?.stringValue)
            let id = try #require(created["id"]?.stringValue)
            #expect(key.hasPrefix("anv_"))
            #expect(created["prefix"]?.stringValue == String(key.prefix(12)))
            #expect(created["expires_at"] == "2999-01-01T00:00:00.000Z")

            #expect(try await api.send(.get, "/api/v1/auth/me", auth: .bearer(key)).status == .ok)
            #expect(try await api.send(.get, "/api/v1/auth/me", auth: .apiKey(key)).status == .ok)

            let listed = try await api.send(.get, "/api/v1/auth/api-keys", auth: session.auth)
            #expect(listed.status == .ok)
            #expect(listed["total"] == 1)
            let entry = try #require(listed["data"]?.arrayValue?.first?.objectValue)
            #expect(entry["key"] == nil)
            #expect(!listed.text.contains(key))
            #expect(entry["last_used_at"]?.stringValue != nil)

            let other = try await api.register()
            #expect(try await api.send(.delete, "/api/v1/auth/api-keys/\(id)", auth: other.auth).status == .notFound)
            #expect(try await api.send(.delete, "/api/v1/auth/api-keys/\(id)", auth: session.auth).status == .noContent)
            #expect(try await api.send(.delete, "/api/v1/auth/api-keys/\(id)", auth: session.auth).status == .notFound)
            #expect(try await api.send(.get, "/api/v1/auth/me", auth: .apiKey(key)).status == .unauthorized)
        }
    }

    @Test("API key creation validates its input", arguments: TestDatabase.available)
    func apiKeyValidation(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let bad: [JSONValue] = [
                ["name": ""],
                ["name": .string(String(repeating: "k", count: 101))],
                ["name": "k", "expires_at": "2001-01-01T00:00:00Z"],
                ["name": "k", "expires_at": "tomorrow"],
                ["expires_at": "2999-01-01T00:00:00Z"],
            ]
            for body in bad {
                let response = try await api.send(.post, "/api/v1/auth/api-keys", json: body, auth: session.auth)
                #expect(response.status == .badRequest, "\(body) → \(response.text)")
            }
            #expect(try await api.send(.get, "/api/v1/auth/api-keys?limit=0", auth: session.auth).status == .badRequest)
            #expect(try await api.send(.post, "/api/v1/auth/api-keys", json: ["name": "k"]).status == .unauthorized)
        }
    }

    @Test(
        "provider keys are write-only: set, listed by name and date, replaced, deleted",
        arguments: TestDatabase.available)
    func providerKeys(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let set = try await api.send(
                .put,
                "/api/v1/auth/provider-keys/openai",
                json: ["key": "sk-very-secret-value"],
                auth: session.auth
            )
            #expect(set.status == .ok)
            #expect(set["provider"] == "openai")
            #expect(set["is_set"] == true)
            #expect(!set.text.contains("sk-very-secret-value"))
            let replaced = try await api.send(
                .put,
                "/api/v1/auth/provider-keys/openai",
                json: ["key": "sk-rotated-value"],
                auth: session.auth
            )
            #expect(replaced.status == .ok)

            let listed = try await api.send(.get, "/api/v1/auth/provider-keys", auth: session.auth)
            #expect(listed["total"] == 1)
            #expect(listed["data"]?.arrayValue?.first?.objectValue?["provider"] == "openai")
            #expect(!listed.text.contains("sk-"))

            let other = try await api.register()
            #expect(try await api.send(.get, "/api/v1/auth/provider-keys", auth: other.auth)["total"] == 0)
            #expect(
                try await api.send(.delete, "/api/v1/auth/provider-keys/openai", auth: other.auth).status == .notFound)

            #expect(
                try await api.send(.delete, "/api/v1/auth/provider-keys/openai", auth: session.auth).status
                    == .noContent)
            #expect(
                try await api.send(.delete, "/api/v1/auth/provider-keys/openai", auth: session.auth).status == .notFound
            )

            let badName = try await api.send(
                .put, "/api/v1/auth/provider-keys/Open%20AI", json: ["key": "x"], auth: session.auth)
            #expect(badName.status == .badRequest)
            let emptyKey = try await api.send(
                .put, "/api/v1/auth/provider-keys/openai", json: ["key": "  "], auth: session.auth)
            #expect(emptyKey.status == .badRequest)
            let missingKey = try await api.send(
                .put, "/api/v1/auth/provider-keys/openai", json: [:], auth: session.auth)
            #expect(missingKey.status == .badRequest)
            #expect(try await api.send(.get, "/api/v1/auth/provider-keys").status == .unauthorized)
        }
    }
}
