import AnvilCore
import AnvilTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Testing

@Suite("Prompt routes")
struct PromptRouteTests {
    static let template = """
        Find {{cuisine: enum(italian|thai|any) = any}} food in {{city # The city}} for {{guests: integer(1..20) = 2}} \
        on {{date: date}}.
        """

    /// A non-streaming OpenAI `chat.completion` whose message is `content`.
    static func completion(_ content: String) -> Response {
        let escaped = String(decoding: (try? JSONEncoder().encode(content)) ?? Data(), as: UTF8.self)
        return FakeUpstream.json(
            #"{"id":"chatcmpl-3","object":"chat.completion","created":1700000000,"model":"gpt-test","choices":[{"index":0,"message":{"role":"assistant","content":\#(escaped),"refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":30,"completion_tokens":10,"total_tokens":40}}"#
        )
    }

    @Test(
        "compile answers parameters, schema and form; a bad template is a 400 with positions",
        arguments: TestDatabase.available)
    func compile(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let compiled = try await api.send(
                .post, "/api/v1/prompts/compile", json: ["template": .string(Self.template)], auth: session.auth)
            #expect(compiled.status == .ok)
            #expect(compiled["parameters"]?.arrayValue?.count == 4)
            #expect(compiled["schema"]?.objectValue?["required"] == ["city", "date"])
            let guests = try #require(compiled["parameters"]?.arrayValue?[2].objectValue)
            #expect(guests["type"] == "integer" && guests["default"] == 2 && guests["minimum"] == 1)
            #expect(compiled["form"]?.arrayValue?.first?.objectValue?["widget"] == "radio")

            let form = try await api.send(
                .post, "/api/v1/prompts/compile/form", json: ["template": .string(Self.template)], auth: session.auth)
            #expect(form.status == .ok)
            #expect(
                form["fields"]?.arrayValue?.map { $0.objectValue?["name"] } == ["cuisine", "city", "guests", "date"])
            #expect(form["schema"]?.objectValue?["type"] == "object")

            let broken = try await api.send(
                .post, "/api/v1/prompts/compile", json: ["template": "Hi {{name: integr}}\n{{"], auth: session.auth)
            #expect(broken.status == .badRequest)
            #expect(broken.errorCode == "invalid_template")
            let errors = try #require(broken["details"]?.objectValue?["errors"]?.arrayValue)
            #expect(errors.count == 2)
            #expect(errors[0].objectValue?["line"] == 1 && errors[0].objectValue?["column"] == 12)
            #expect(errors[0].objectValue?["expected"]?.stringValue?.contains("integer") == true)
            #expect(errors[1].objectValue?["line"] == 2)

            let wrongType = try await api.send(
                .post, "/api/v1/prompts/compile", json: ["template": 5], auth: session.auth)
            #expect(wrongType.status == .badRequest && wrongType.errorCode == "invalid_request")
            let tooLong = try await api.send(
                .post, "/api/v1/prompts/compile", json: ["template": .string(String(repeating: "a", count: 20_001))],
                auth: session.auth)
            #expect(tooLong.status == .badRequest)
            #expect(
                try await api.send(.post, "/api/v1/prompts/compile", json: ["template": "x"]).status == .unauthorized)
        }
    }

    @Test(
        "render fills the template; missing and invalid values are a 400 naming them",
        arguments: TestDatabase.available)
    func render(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let rendered = try await api.send(
                .post, "/api/v1/prompts/render",
                json: ["template": .string(Self.template), "values": ["city": "Rome", "date": "2026-03-05"]],
                auth: session.auth)
            #expect(rendered.status == .ok)
            #expect(rendered["text"] == "Find any food in Rome for 2 on 2026-03-05.")
            #expect(rendered["values"]?.objectValue?["guests"] == 2)

            let missing = try await api.send(
                .post, "/api/v1/prompts/render",
                json: ["template": .string(Self.template), "values": ["guests": 40, "date": "soon"]],
                auth: session.auth)
            #expect(missing.status == .badRequest)
            #expect(missing.errorCode == "invalid_values")
            #expect(missing["details"]?.objectValue?["missing"] == ["city"])
            let paths = missing["details"]?.objectValue?["violations"]?.arrayValue?.compactMap {
                $0.objectValue?["path"]?.stringValue
            }
            #expect(paths == ["$.guests", "$.date"])

            let noValues = try await api.send(
                .post, "/api/v1/prompts/render", json: ["template": .string(Self.template)], auth: session.auth)
            #expect(noValues.status == .badRequest && noValues.errorCode == "invalid_request")
        }
    }

    @Test(
        "extract reads values with spans from a template or a schema, in the given time zone",
        arguments: TestDatabase.available)
    func extract(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let extracted = try await api.send(
                .post, "/api/v1/prompts/extract",
                json: [
                    "template": .string(Self.template),
                    "text": "thai for 4 in Bangkok tomorrow",
                    "timezone": "Asia/Tokyo",
                    "now": "2026-01-31T20:00:00Z",
                ],
                auth: session.auth)
            #expect(extracted.status == .ok)
            #expect(
                extracted["values"] == [
                    "cuisine": "thai", "city": "Bangkok", "guests": 4, "date": "2026-02-02",
                ])
            #expect(extracted["missing"] == [])
            #expect(extracted["spans"]?.objectValue?["date"] == ["start": 22, "end": 30, "text": "tomorrow"])
            #expect(extracted["sources"]?.objectValue?["city"] == "text")
            #expect(extracted["model"] == nil)

            let schema: JSONValue = [
                "type": "object",
                "properties": ["url": ["type": "string", "format": "uri"], "count": ["type": "integer"]],
                "required": ["url", "count"],
            ]
            let fromSchema = try await api.send(
                .post, "/api/v1/prompts/extract", json: ["schema": schema, "text": "open example.com/docs"],
                auth: session.auth)
            #expect(fromSchema.status == .ok)
            #expect(fromSchema["values"] == ["url": "https://example.com/docs"])
            #expect(fromSchema["missing"] == ["count"])

            for (body, code) in [
                (["text": "x"], "invalid_request"),
                (["template": "{{a}}", "schema": schema, "text": "x"], "invalid_request"),
                (
                    ["schema": ["type": "object", "properties": ["a": ["type": "nope"]]], "text": "x"], "invalid_schema"
                ),
                (["schema": ["type": "string"], "text": "x"], "invalid_schema"),
                (["template": "{{a", "text": "x"], "invalid_template"),
                (["template": "{{a}}", "text": "x", "timezone": "Mars/Olympus"], "invalid_request"),
                (["template": "{{a}}", "text": "x", "now": "yesterday"], "invalid_request"),
                (["template": "{{a}}", "text": "x", "model": "nowhere:model"], "unknown_model"),
            ] as [(JSONValue, String)] {
                let refused = try await api.send(.post, "/api/v1/prompts/extract", json: body, auth: session.auth)
                #expect(refused.status == .badRequest, "\(body)")
                #expect(refused.errorCode == code, "\(body): \(refused.text)")
            }
        }
    }

    @Test("the offline model cannot optimize: a 422 naming what is needed", arguments: TestDatabase.available)
    func optimizeOffline(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let refused = try await api.send(
                .post, "/api/v1/prompts/optimize", json: ["prompt": "Find good restaurants"], auth: session.auth)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.errorCode == "model_required")
            #expect(refused["message"]?.stringValue?.contains("language model") == true)
            let named = try await api.send(
                .post, "/api/v1/prompts/optimize", json: ["prompt": "x", "model": "local:anvil"], auth: session.auth)
            #expect(named.status == .unprocessableContent)
            let empty = try await api.send(
                .post, "/api/v1/prompts/optimize", json: ["prompt": "   "], auth: session.auth)
            #expect(empty.status == .badRequest && empty.errorCode == "invalid_request")
        }
    }

    @Test(
        "with a real model, optimize returns a compiled template and extract fills the rest",
        arguments: TestDatabase.available)
    func withModel(engine: TestDatabase) async throws {
        try await withScriptedUpstream(
            engine,
            answers: [
                { Self.completion(#"{"template": "Find {{cuisine: enum(thai|any) = any}} food in {{city}}"}"#) },
                { Self.completion(#"{"city": "Chiang Mai"}"#) },
                {
                    FakeUpstream.json(#"{"error":{"message":"overloaded","type":"server_error"}}"#, status: .badRequest)
                },
            ]
        ) { api, recorder in
            let session = try await api.register()
            let optimized = try await api.send(
                .post, "/api/v1/prompts/optimize", json: ["prompt": "Find good food", "model": "openai:gpt-test"],
                auth: session.auth)
            #expect(optimized.status == .ok, "\(optimized.text)")
            #expect(optimized["template"] == "Find {{cuisine: enum(thai|any) = any}} food in {{city: string}}")
            #expect(optimized["parameters"]?.arrayValue?.count == 2)
            #expect(optimized["model"] == "openai:gpt-test")
            let first = try #require(await recorder.requests.first?.body?.objectValue)
            #expect(first["response_format"]?.objectValue?["type"] == "json_schema")

            let extracted = try await api.send(
                .post, "/api/v1/prompts/extract",
                json: [
                    "template": "Food in {{city}} on {{date: date}}", "text": "in chiang mai on 2026-05-01",
                    "model": "openai:gpt-test",
                ],
                auth: session.auth)
            #expect(extracted.status == .ok, "\(extracted.text)")
            #expect(extracted["values"] == ["city": "Chiang Mai", "date": "2026-05-01"])
            #expect(extracted["sources"] == ["city": "model", "date": "text"])
            #expect(extracted["model"] == "openai:gpt-test")
            let second = try #require(await recorder.last?.body?.objectValue)
            let sentSchema = second["response_format"]?.objectValue?["json_schema"]?.objectValue?["schema"]
            #expect(sentSchema?.objectValue?["properties"]?.objectValue?.keys.sorted() == ["city"])

            let failed = try await api.send(
                .post, "/api/v1/prompts/extract",
                json: ["template": "{{city}}", "text": "somewhere", "model": "openai:gpt-test"], auth: session.auth)
            #expect(failed.status == .badGateway && failed.errorCode == "provider_error")
        }
    }

    @Test("saved templates: create, list, get, update, delete, owner-scoped", arguments: TestDatabase.available)
    func savedTemplates(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let owner = try await api.register()
            let empty = try await api.send(.post, "/api/v1/prompts/templates", json: [:], auth: owner.auth)
            #expect(empty.status == .badRequest)

            let created = try await api.send(
                .post, "/api/v1/prompts/templates",
                json: ["name": "  Dinner  ", "description": "Restaurant search", "template": .string(Self.template)],
                auth: owner.auth)
            #expect(created.status == .created)
            let id = try #require(created["id"]?.stringValue)
            #expect(created["name"] == "Dinner")
            #expect(created["parameters"]?.arrayValue?.count == 4)
            #expect(created["template"] == .string(Self.template))

            for name in ["Second", "Third"] {
                let more = try await api.send(
                    .post, "/api/v1/prompts/templates", json: ["name": .string(name), "template": "{{x}}"],
                    auth: owner.auth)
                #expect(more.status == .created)
                #expect(more["description"] == .null)
            }
            let page = try await api.send(.get, "/api/v1/prompts/templates?limit=2&offset=1", auth: owner.auth)
            #expect(page["total"] == 3 && page["limit"] == 2 && page["offset"] == 1)
            #expect(page["data"]?.arrayValue?.map { $0.objectValue?["name"] } == ["Second", "Dinner"])
            #expect(
                try await api.send(.get, "/api/v1/prompts/templates?limit=0", auth: owner.auth).status == .badRequest)

            let invalid = try await api.send(
                .post, "/api/v1/prompts/templates", json: ["name": "Bad", "template": "{{x: nope}}"], auth: owner.auth)
            #expect(invalid.status == .badRequest && invalid.errorCode == "invalid_template")
            let blankName = try await api.send(
                .post, "/api/v1/prompts/templates", json: ["name": "  ", "template": "x"], auth: owner.auth)
            #expect(blankName.status == .badRequest)

            let updated = try await api.send(
                .patch, "/api/v1/prompts/templates/\(id)",
                json: ["description": nil, "template": "Just {{city}}"], auth: owner.auth)
            #expect(updated.status == .ok)
            #expect(updated["description"] == .null && updated["name"] == "Dinner")
            #expect(updated["parameters"]?.arrayValue?.count == 1)
            let badUpdate = try await api.send(
                .patch, "/api/v1/prompts/templates/\(id)", json: ["template": "{{"], auth: owner.auth)
            #expect(badUpdate.status == .badRequest)
            #expect(
                try await api.send(.get, "/api/v1/prompts/templates/\(id)", auth: owner.auth)["template"]
                    == "Just {{city}}")

            let stranger = try await api.register()
            #expect(
                try await api.send(.get, "/api/v1/prompts/templates/\(id)", auth: stranger.auth).status == .notFound)
            #expect(
                try await api.send(
                    .patch, "/api/v1/prompts/templates/\(id)", json: ["name": "Mine"], auth: stranger.auth
                )
                .status == .notFound)
            #expect(
                try await api.send(.delete, "/api/v1/prompts/templates/\(id)", auth: stranger.auth).status == .notFound)
            #expect(
                try await api.send(
                    .post, "/api/v1/prompts/templates/\(id)/chats", json: ["values": ["city": "Rome"]],
                    auth: stranger.auth
                ).status == .notFound)
            #expect(try await api.send(.get, "/api/v1/prompts/templates", auth: stranger.auth)["total"] == 0)

            #expect(
                try await api.send(.delete, "/api/v1/prompts/templates/\(id)", auth: owner.auth).status == .noContent)
            #expect(try await api.send(.get, "/api/v1/prompts/templates/\(id)", auth: owner.auth).status == .notFound)
            #expect(
                try await api.send(.delete, "/api/v1/prompts/templates/\(id)", auth: owner.auth).status == .notFound)
        }
    }

    @Test("a chat starts from a saved template and values", arguments: TestDatabase.available)
    func startChat(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let created = try await api.send(
                .post, "/api/v1/prompts/templates", json: ["name": "Dinner", "template": .string(Self.template)],
                auth: session.auth)
            let id = try #require(created["id"]?.stringValue)

            let chat = try await api.send(
                .post, "/api/v1/prompts/templates/\(id)/chats",
                json: ["values": ["city": "Rome", "date": "2026-03-05", "cuisine": "thai"], "model": "local:anvil"],
                auth: session.auth)
            #expect(chat.status == .created)
            #expect(chat["title"] == "Dinner")
            #expect(chat["model"] == "local:anvil")
            #expect(chat["system_prompt"] == "Find thai food in Rome for 2 on 2026-03-05.")
            #expect(chat["metadata"]?.objectValue?["prompt_template_id"] == .string(id))
            let chatID = try #require(chat["id"]?.stringValue)
            #expect(try await api.send(.get, "/api/v1/chats/\(chatID)", auth: session.auth).status == .ok)

            let missing = try await api.send(
                .post, "/api/v1/prompts/templates/\(id)/chats", json: ["values": ["city": "Rome"]], auth: session.auth)
            #expect(missing.status == .badRequest && missing.errorCode == "invalid_values")
            #expect(missing["details"]?.objectValue?["missing"] == ["date"])
            #expect(
                try await api.send(.post, "/api/v1/prompts/templates/nope/chats", json: [:], auth: session.auth).status
                    == .notFound)
        }
    }
}
