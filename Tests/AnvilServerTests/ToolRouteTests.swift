import AnvilCore
import AnvilTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("Tool routes")
struct ToolRouteTests {
    @Test("tools are listed with their source, schema and limits", arguments: TestDatabase.available)
    func list(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let listed = try await api.send(.get, "/api/v1/tools", auth: session.auth)
            #expect(listed.status == .ok)
            let tool = try #require(
                listed["data"]?.arrayValue?.first { $0.objectValue?["name"] == "current_time" }?.objectValue
            )
            #expect(tool["source"] == "builtin")
            #expect(tool["origin"] == .null)
            #expect(tool["parameters"]?.objectValue?["type"] == "object")
            #expect(tool["timeout_seconds"] == 30)
            #expect(tool["max_output_bytes"] == 65_536)
            #expect(try await api.send(.get, "/api/v1/tools").status == .unauthorized)
        }
    }

    @Test("a tool runs directly under the same validation as in the agent loop", arguments: TestDatabase.available)
    func invoke(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let ran = try await api.send(
                .post,
                "/api/v1/tools/current_time/invoke",
                json: ["arguments": ["timezone": "Asia/Tokyo"]],
                auth: session.auth
            )
            #expect(ran.status == .ok)
            #expect(ran["tool"] == "current_time")
            #expect(ran["is_error"] == false)
            #expect(ran["content"]?.stringValue?.contains("Asia/Tokyo") == true)
            #expect(ran["content"]?.stringValue?.contains("+09:00") == true)

            let noArguments = try await api.send(
                .post, "/api/v1/tools/current_time/invoke", json: [:], auth: session.auth)
            #expect(noArguments["content"]?.stringValue?.contains("UTC") == true)

            let failing = try await api.send(
                .post,
                "/api/v1/tools/current_time/invoke",
                json: ["arguments": ["timezone": "Mars/Olympus"]],
                auth: session.auth
            )
            #expect(failing.status == .ok)
            #expect(failing["is_error"] == true)

            let invalid = try await api.send(
                .post,
                "/api/v1/tools/current_time/invoke",
                json: ["arguments": ["timezone": 5, "extra": true]],
                auth: session.auth
            )
            #expect(invalid.status == .badRequest)
            #expect(invalid.errorCode == "invalid_arguments")
            let violations = invalid["details"]?.objectValue?["violations"]?.arrayValue ?? []
            #expect(violations.count == 2)
            #expect(violations.contains { $0.objectValue?["path"] == "$.timezone" })

            let unknown = try await api.send(.post, "/api/v1/tools/no_such_tool/invoke", json: [:], auth: session.auth)
            #expect(unknown.status == .notFound)
            let malformed = try await api.send(
                .post,
                "/api/v1/tools/current_time/invoke",
                rawBody: "{\"arguments\": ",
                auth: session.auth
            )
            #expect(malformed.status == .badRequest)
            let notObject = try await api.send(
                .post,
                "/api/v1/tools/current_time/invoke",
                json: ["arguments": [1, 2]],
                auth: session.auth
            )
            #expect(notObject.status == .badRequest)
            let null = try await api.send(
                .post,
                "/api/v1/tools/current_time/invoke",
                json: ["arguments": .null],
                auth: session.auth
            )
            #expect(null.status == .badRequest)
            #expect(null["details"]?.objectValue?["field"] == "arguments")
            #expect(try await api.send(.post, "/api/v1/tools/current_time/invoke", json: [:]).status == .unauthorized)
        }
    }
}
