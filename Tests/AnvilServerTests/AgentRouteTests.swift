import AnvilCore
import AnvilTestSupport
import Foundation
import HTTPTypes
import Testing

/// Server-sent events parsed from a response body: (event name, JSON data).
func serverSentEvents(_ text: String) -> [(event: String?, data: JSONValue)] {
    text.components(separatedBy: "\n\n").compactMap { block in
        var event: String?
        var data: [String] = []
        for line in block.split(separator: "\n") {
            if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
            if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
        }
        guard !data.isEmpty else { return nil }
        let joined = data.joined(separator: "\n")
        let json = (try? JSONDecoder().decode(JSONValue.self, from: Data(joined.utf8))) ?? .string(joined)
        return (event, json)
    }
}

@Suite("Agent runs through the chat API with the offline model")
struct AgentRouteTests {
    @Test(
        "a message that asks for a tool runs it and answers; every step is stored in order",
        arguments: TestDatabase.available)
    func toolRoundTrip(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let chat = try await api.send(.post, "/api/v1/chats", json: ["title": "time"], auth: session.auth)
            let chatID = try #require(chat["id"]?.stringValue)
            let sent = try await api.send(
                .post,
                "/api/v1/chats/\(chatID)/messages",
                json: ["content": "What time is it in Europe/Paris?"],
                auth: session.auth
            )
            #expect(sent.status == .ok, "\(sent.text)")
            #expect(sent["user_message"]?.objectValue?["content"] == "What time is it in Europe/Paris?")
            let messages = try #require(sent["messages"]?.arrayValue)
            #expect(messages.compactMap { $0.objectValue?["role"]?.stringValue } == ["assistant", "tool", "assistant"])
            let call = try #require(messages[0].objectValue?["tool_calls"]?.arrayValue?.first?.objectValue)
            #expect(call["function"]?.objectValue?["name"] == "current_time")
            #expect(call["function"]?.objectValue?["arguments"]?.stringValue?.contains("Europe/Paris") == true)
            #expect(messages[1].objectValue?["content"]?.stringValue?.contains("Europe/Paris") == true)
            #expect(messages[2].objectValue?["content"]?.stringValue?.contains("current_time") == true)
            #expect(
                (sent["usage"]?.objectValue?["total_tokens"]).flatMap {
                    if case .integer(let n) = $0 { n } else { nil }
                } ?? 0 > 0)

            let stored = try await api.send(.get, "/api/v1/chats/\(chatID)/messages", auth: session.auth)
            #expect(stored["total"] == 4)
            #expect(
                stored["data"]?.arrayValue?.compactMap { $0.objectValue?["role"]?.stringValue }
                    == ["user", "assistant", "tool", "assistant"]
            )
            let usage = try await api.send(.get, "/api/v1/chats/\(chatID)/usage", auth: session.auth)
            #expect(usage.status == .ok)
            #expect(usage["token_limit"] == 20_000)
            #expect(usage["total_tokens_used"] == sent["usage"]?.objectValue?["total_tokens"])
        }
    }

    @Test(
        "streaming sends typed events ending in done, and stores the same messages", arguments: TestDatabase.available)
    func streaming(engine: TestDatabase) async throws {
        try await withTestApp(engine, setup: .live) { api in
            let session = try await api.register()
            let chat = try await api.send(.post, "/api/v1/chats", json: [:], auth: session.auth)
            let chatID = try #require(chat["id"]?.stringValue)
            let response = try await api.send(
                .post,
                "/api/v1/chats/\(chatID)/messages",
                json: ["content": "what time is it in Asia/Tokyo", "stream": true],
                auth: session.auth
            )
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            let events = serverSentEvents(response.text)
            let names = events.compactMap(\.event)
            #expect(names.first == "message.created")
            #expect(names.contains("delta"))
            #expect(names.contains("tool_call"))
            #expect(names.contains("tool_result"))
            #expect(names.contains("usage"))
            #expect(names.last == "done")
            let toolCall = try #require(events.first { $0.event == "tool_call" }?.data.objectValue)
            #expect(toolCall["name"] == "current_time")
            let text = events.filter { $0.event == "delta" }.compactMap { $0.data.objectValue?["content"]?.stringValue }
                .joined()
            #expect(text.contains("current_time"))
            let done = try #require(events.last?.data.objectValue)
            #expect(done["message_ids"]?.arrayValue?.count == 3)
            let stored = try await api.send(.get, "/api/v1/chats/\(chatID)/messages", auth: session.auth)
            #expect(stored["total"] == 4)
            let last = stored["data"]?.arrayValue?.last?.objectValue
            #expect(last?["content"]?.stringValue == text)
            #expect(last?["status"] == "complete")
        }
    }

    @Test("without a matching tool the offline model says what it is", arguments: TestDatabase.available)
    func honestAnswer(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let chat = try await api.send(.post, "/api/v1/chats", json: ["tools": []], auth: session.auth)
            let chatID = try #require(chat["id"]?.stringValue)
            let sent = try await api.send(
                .post,
                "/api/v1/chats/\(chatID)/messages",
                json: ["content": "Tell me a joke"],
                auth: session.auth
            )
            let answer = sent["messages"]?.arrayValue?.last?.objectValue?["content"]?.stringValue ?? ""
            #expect(answer.contains("not a language model"), "\(answer)")
        }
    }

    @Test("bad sends are refused before anything is stored", arguments: TestDatabase.available)
    func validation(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let chat = try await api.send(.post, "/api/v1/chats", json: [:], auth: session.auth)
            let chatID = try #require(chat["id"]?.stringValue)
            let cases: [(JSONValue, String)] = [
                (["content": ""], "invalid_request"),
                (["content": 5], "invalid_request"),
                (["content": "hi", "model": "nope:model"], "unknown_model"),
                (["content": "hi", "model": "justaname"], "unknown_model"),
                (["content": "hi", "tools": ["no_such_tool"]], "invalid_request"),
                (["content": "hi", "temperature": 3], "invalid_request"),
                (["content": "hi", "max_tokens": 0], "invalid_request"),
            ]
            for (body, code) in cases {
                let response = try await api.send(
                    .post, "/api/v1/chats/\(chatID)/messages", json: body, auth: session.auth)
                #expect(response.status == .badRequest, "\(body) → \(response.text)")
                #expect(response.errorCode == code, "\(body) → \(response.text)")
            }
            let stored = try await api.send(.get, "/api/v1/chats/\(chatID)/messages", auth: session.auth)
            #expect(stored["total"] == 0)

            let other = try await api.register()
            let foreign = try await api.send(
                .post, "/api/v1/chats/\(chatID)/messages", json: ["content": "hi"], auth: other.auth)
            #expect(foreign.status == .notFound)
            #expect(try await api.send(.get, "/api/v1/chats/\(chatID)/usage", auth: other.auth).status == .notFound)
            #expect(
                try await api.send(.post, "/api/v1/chats/\(chatID)/messages", json: ["content": "hi"]).status
                    == .unauthorized)
        }
    }

    @Test(
        "a chat over its token limit refuses new sends with 402 and calls no model", arguments: TestDatabase.available)
    func tokenLimit(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let chat = try await api.send(.post, "/api/v1/chats", json: ["token_limit": 5], auth: session.auth)
            #expect(chat["token_limit"] == 5)
            let chatID = try #require(chat["id"]?.stringValue)
            let first = try await api.send(
                .post, "/api/v1/chats/\(chatID)/messages", json: ["content": "hello there"], auth: session.auth)
            #expect(first.status == .ok)
            let second = try await api.send(
                .post, "/api/v1/chats/\(chatID)/messages", json: ["content": "again"], auth: session.auth)
            #expect(second.status.code == 402)
            #expect(second.errorCode == "token_limit_reached")
            let stored = try await api.send(.get, "/api/v1/chats/\(chatID)/messages", auth: session.auth)
            #expect(stored["total"] == 2)
            let usage = try await api.send(.get, "/api/v1/chats/\(chatID)/usage", auth: session.auth)
            #expect(usage["tokens_remaining"] == 0)
            #expect(usage["percentage_used"] == 100)

            let raised = try await api.send(
                .patch, "/api/v1/chats/\(chatID)", json: ["token_limit": 100_000], auth: session.auth)
            #expect(raised["token_limit"] == 100_000)
            let third = try await api.send(
                .post, "/api/v1/chats/\(chatID)/messages", json: ["content": "again"], auth: session.auth)
            #expect(third.status == .ok)
            #expect(
                try await api.send(.patch, "/api/v1/chats/\(chatID)", json: ["token_limit": 0], auth: session.auth)
                    .status == .badRequest)
        }
    }

    @Test("stateless and chat-bound completions", arguments: TestDatabase.available)
    func completions(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let stateless = try await api.send(
                .post,
                "/api/v1/chat/completions",
                json: ["messages": [["role": "user", "content": "what time is it in UTC?"]]],
                auth: session.auth
            )
            #expect(stateless.status == .ok, "\(stateless.text)")
            #expect(stateless["chat_id"] == .null)
            #expect(stateless["message"]?.objectValue?["role"] == "assistant")
            #expect(stateless["messages"]?.arrayValue?.count == 3)

            let chat = try await api.send(.post, "/api/v1/chats", json: [:], auth: session.auth)
            let chatID = try #require(chat["id"]?.stringValue)
            let bound = try await api.send(
                .post,
                "/api/v1/chat/completions",
                json: ["chat_id": .string(chatID), "messages": [["role": "user", "content": "hello"]], "tools": []],
                auth: session.auth
            )
            #expect(bound.status == .ok)
            #expect(try await api.send(.get, "/api/v1/chats/\(chatID)/messages", auth: session.auth)["total"] == 2)
            let missing = try await api.send(
                .post,
                "/api/v1/chat/completions",
                json: ["chat_id": "no-such-chat", "messages": [["role": "user", "content": "hello"]]],
                auth: session.auth
            )
            #expect(missing.status == .notFound)
            let badRole = try await api.send(
                .post,
                "/api/v1/chat/completions",
                json: ["messages": [["role": "wizard", "content": "hello"]]],
                auth: session.auth
            )
            #expect(badRole.status == .badRequest)
            let empty = try await api.send(
                .post, "/api/v1/chat/completions", json: ["messages": []], auth: session.auth)
            #expect(empty.status == .badRequest)
        }
    }

    @Test("models are listed with their capabilities", arguments: TestDatabase.available)
    func models(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let models = try await api.send(.get, "/api/v1/models", auth: session.auth)
            #expect(models.status == .ok)
            #expect(models["default_model"] == "local:anvil")
            let local = try #require(
                models["data"]?.arrayValue?.first { $0.objectValue?["id"] == "local:anvil" }?.objectValue)
            #expect(local["capabilities"]?.objectValue?["tools"] == true)
        }
    }
}
