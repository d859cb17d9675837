import AnvilCore
import AnvilTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("Chat routes")
struct ChatRouteTests {
    @Test("a chat is created with defaults and with every field", arguments: TestDatabase.available)
    func create(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let plain = try await api.send(.post, "/api/v1/chats", json: [:], auth: session.auth)
            #expect(plain.status == .created)
            #expect(plain["title"] == "New chat")
            #expect(plain["model"] == .null)
            #expect(plain["tools"] == .null)
            #expect(plain["metadata"] == [:])
            #expect(plain["is_archived"] == false)

            let full = try await api.send(
                .post,
                "/api/v1/chats",
                json: [
                    "title": "Trip planning",
                    "model": "local:anvil",
                    "system_prompt": "Be brief.",
                    "tools": ["web_browse", "notes", "web_browse"],
                    "metadata": ["project": "alps", "camelCaseKey": ["nested": 1]],
                ],
                auth: session.auth
            )
            #expect(full.status == .created)
            #expect(full["tools"] == ["web_browse", "notes"])
            #expect(full["metadata"] == ["project": "alps", "camelCaseKey": ["nested": 1]])
            let id = try #require(full["id"]?.stringValue)
            let fetched = try await api.send(.get, "/api/v1/chats/\(id)", auth: session.auth)
            #expect(fetched.json == full.json)
        }
    }

    @Test("chat input is validated field by field", arguments: TestDatabase.available)
    func validation(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let bad: [(JSONValue, String)] = [
                (["title": ""], "title"),
                (["title": .string(String(repeating: "t", count: 201))], "title"),
                (["title": 3], "title"),
                (["model": ""], "model"),
                (["model": .string(String(repeating: "m", count: 129))], "model"),
                (["tools": ["ok", "not ok!"]], "tools"),
                (["tools": "web_browse"], "tools"),
                (["metadata": ["blob": .string(String(repeating: "m", count: 17_000))]], "metadata"),
                (["metadata": [1, 2]], "metadata"),
            ]
            for (body, field) in bad {
                let response = try await api.send(.post, "/api/v1/chats", json: body, auth: session.auth)
                #expect(response.status == .badRequest, "\(body) → \(response.text)")
                #expect(response["details"]?.objectValue?["field"]?.stringValue == field, "\(response.text)")
            }
        }
    }

    @Test(
        "listing pages newest first, hides archived chats unless asked, and validates its query",
        arguments: TestDatabase.available)
    func list(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            var ids: [String] = []
            for index in 0..<5 {
                let created = try await api.send(
                    .post, "/api/v1/chats", json: ["title": .string("chat \(index)")], auth: session.auth)
                ids.append(try #require(created["id"]?.stringValue))
            }
            let archived = try await api.send(
                .patch, "/api/v1/chats/\(ids[4])", json: ["is_archived": true], auth: session.auth)
            #expect(archived["is_archived"] == true)

            let page = try await api.send(.get, "/api/v1/chats?limit=2&offset=1", auth: session.auth)
            #expect(page.status == .ok)
            #expect(page["total"] == 4)
            #expect(page["limit"] == 2)
            #expect(page["offset"] == 1)
            #expect(page["data"]?.arrayValue?.compactMap { $0.objectValue?["id"]?.stringValue } == [ids[2], ids[1]])

            let all = try await api.send(.get, "/api/v1/chats?include_archived=true", auth: session.auth)
            #expect(all["total"] == 5)
            #expect(all["limit"] == 20)
            #expect(all["data"]?.arrayValue?.first?.objectValue?["id"]?.stringValue == ids[4])

            for query in ["limit=0", "limit=101", "limit=ten", "offset=-1", "include_archived=maybe"] {
                let response = try await api.send(.get, "/api/v1/chats?\(query)", auth: session.auth)
                #expect(response.status == .badRequest, "\(query)")
                #expect(response.errorCode == "invalid_query_parameter")
            }
            let other = try await api.register()
            #expect(try await api.send(.get, "/api/v1/chats", auth: other.auth)["total"] == 0)
        }
    }

    @Test(
        "PATCH changes only what is sent; null clears optional fields and is refused for required ones",
        arguments: TestDatabase.available)
    func update(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let created = try await api.send(
                .post,
                "/api/v1/chats",
                json: [
                    "title": "t", "model": "openai:gpt-4o-mini", "system_prompt": "s", "tools": ["a"],
                    "metadata": ["k": "v"],
                ],
                auth: session.auth
            )
            let id = try #require(created["id"]?.stringValue)
            let renamed = try await api.send(
                .patch, "/api/v1/chats/\(id)", json: ["title": "renamed"], auth: session.auth)
            #expect(renamed.status == .ok)
            #expect(renamed["title"] == "renamed")
            #expect(renamed["model"] == "openai:gpt-4o-mini")
            #expect(renamed["tools"] == ["a"])

            let cleared = try await api.send(
                .patch,
                "/api/v1/chats/\(id)",
                json: ["model": nil, "system_prompt": nil, "tools": nil, "metadata": ["k2": 2]],
                auth: session.auth
            )
            #expect(cleared["model"] == .null)
            #expect(cleared["system_prompt"] == .null)
            #expect(cleared["tools"] == .null)
            #expect(cleared["metadata"] == ["k2": 2])
            #expect(cleared["title"] == "renamed")

            for body: JSONValue in [["title": nil], ["is_archived": nil], ["is_archived": "yes"], ["metadata": nil]] {
                let response = try await api.send(.patch, "/api/v1/chats/\(id)", json: body, auth: session.auth)
                #expect(response.status == .badRequest, "\(body) → \(response.text)")
            }
            let updatedAt = try #require(cleared["updated_at"]?.stringValue)
            let createdAt = try #require(created["created_at"]?.stringValue)
            #expect(updatedAt >= createdAt)
        }
    }

    @Test("another user's chat is a 404 everywhere, exactly like a missing one", arguments: TestDatabase.available)
    func ownership(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let owner = try await api.register()
            let intruder = try await api.send(
                .post, "/api/v1/auth/register", json: ["email": "intruder@example.com", "password": "intruder-pass"])
            let intruderToken = try #require(intruder["access_token"]?.stringValue)
            let created = try await api.send(.post, "/api/v1/chats", json: ["title": "private"], auth: owner.auth)
            let id = try #require(created["id"]?.stringValue)

            let attempts: [(HTTPRequest.Method, String, JSONValue?)] = [
                (.get, "/api/v1/chats/\(id)", nil),
                (.patch, "/api/v1/chats/\(id)", ["title": "mine now"]),
                (.delete, "/api/v1/chats/\(id)", nil),
                (.get, "/api/v1/chats/\(id)/messages", nil),
            ]
            for (method, path, body) in attempts {
                let stolen = try await api.send(method, path, json: body, auth: .bearer(intruderToken))
                let missing = try await api.send(
                    method,
                    path.replacingOccurrences(of: id, with: "00000000-0000-0000-0000-000000000000"),
                    json: body,
                    auth: owner.auth
                )
                #expect(stolen.status == .notFound, "\(method) \(path)")
                #expect(stolen.json == missing.json)
            }
            let still = try await api.send(.get, "/api/v1/chats/\(id)", auth: owner.auth)
            #expect(still["title"] == "private")
        }
    }

    @Test("deleting a chat removes it; its messages list is paginated", arguments: TestDatabase.available)
    func deleteAndMessages(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let created = try await api.send(.post, "/api/v1/chats", json: [:], auth: session.auth)
            let id = try #require(created["id"]?.stringValue)
            let messages = try await api.send(.get, "/api/v1/chats/\(id)/messages?limit=5", auth: session.auth)
            #expect(messages.status == .ok)
            #expect(messages.json == ["data": [], "total": 0, "limit": 5, "offset": 0])
            #expect(
                try await api.send(.get, "/api/v1/chats/\(id)/messages?offset=x", auth: session.auth).status
                    == .badRequest)

            #expect(try await api.send(.delete, "/api/v1/chats/\(id)", auth: session.auth).status == .noContent)
            #expect(try await api.send(.get, "/api/v1/chats/\(id)", auth: session.auth).status == .notFound)
            #expect(try await api.send(.delete, "/api/v1/chats/\(id)", auth: session.auth).status == .notFound)
            #expect(try await api.send(.get, "/api/v1/chats").status == .unauthorized)
        }
    }
}
