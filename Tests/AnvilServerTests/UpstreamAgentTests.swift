import AnvilCore
import AnvilPluginKit
import AnvilServer
import AnvilTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Memory
import Synchronization
import Testing

/// OpenAI's streaming wire format, byte for byte: `data: <json>\n\n` chunks, the first tool-call delta carrying
/// id, type and name with empty arguments, later ones argument pieces, the usage-only chunk, then `[DONE]`.
enum OpenAIStreamScript {
    static func chunk(_ delta: String, finish: String? = nil) -> String {
        let finishJSON = finish.map { "\"\($0)\"" } ?? "null"
        return
            #"data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-test","system_fingerprint":"fp_1","choices":[{"index":0,"delta":\#(delta),"logprobs":null,"finish_reason":\#(finishJSON)}]}"#
            + "\n\n"
    }

    static func usage(prompt: Int, completion: Int) -> String {
        #"data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-test","choices":[],"usage":{"prompt_tokens":\#(prompt),"completion_tokens":\#(completion),"total_tokens":\#(prompt + completion)}}"#
            + "\n\n"
    }

    static let done = "data: [DONE]\n\n"

    /// The non-streaming `chat.completion` with one tool call.
    static func toolCallCompletion(id: String, name: String, arguments: String) -> String {
        let escaped = arguments.replacingOccurrences(of: "\"", with: "\\\"")
        return
            #"{"id":"chatcmpl-2","object":"chat.completion","created":1700000000,"model":"gpt-test","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"\#(id)","type":"function","function":{"name":"\#(name)","arguments":"\#(escaped)"}}],"refusal":null},"logprobs":null,"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":40,"completion_tokens":12,"total_tokens":52},"system_fingerprint":"fp_1"}"#
    }

    static func toolCalls(_ calls: [(id: String, name: String, arguments: String)]) -> String {
        var text = chunk(#"{"role":"assistant","content":null}"#)
        for (index, call) in calls.enumerated() {
            text += chunk(
                #"{"tool_calls":[{"index":\#(index),"id":"\#(call.id)","type":"function","function":{"name":"\#(call.name)","arguments":""}}]}"#
            )
            // Split the raw arguments, then escape each piece, as a server streaming tokens does.
            let middle = call.arguments.index(call.arguments.startIndex, offsetBy: call.arguments.count / 2)
            for piece in [call.arguments[..<middle], call.arguments[middle...]] {
                let escaped = piece.replacingOccurrences(of: "\"", with: "\\\"")
                text += chunk(#"{"tool_calls":[{"index":\#(index),"function":{"arguments":"\#(escaped)"}}]}"#)
            }
        }
        return text + chunk("{}", finish: "tool_calls") + usage(prompt: 40, completion: 12) + done
    }

    static func text(_ words: [String], prompt: Int = 60, completion: Int = 9) -> String {
        var text = chunk(#"{"role":"assistant","content":""}"#)
        for word in words { text += chunk(#"{"content":"\#(word)"}"#) }
        return text + chunk("{}", finish: "stop") + usage(prompt: prompt, completion: completion) + done
    }
}

/// Runs the app with the `openai` provider pointed at a fake upstream that plays one scripted answer per request.
func withScriptedUpstream(
    _ engine: TestDatabase,
    setup: TestingSetup = .router,
    plugins: [any ToolPlugin.Type] = [],
    answers: [@Sendable () -> Response],
    _ body: @Sendable (TestAPI, RequestRecorder) async throws -> Void
) async throws {
    let recorder = RequestRecorder()
    try await FakeUpstream.run { router in
        router.post("v1/chat/completions") { request, _ in
            let number = try await recorder.record(request)
            guard number <= answers.count else {
                return FakeUpstream.json(
                    #"{"error":{"message":"script ended","type":"server_error"}}"#, status: .badRequest)
            }
            return answers[number - 1]()
        }
    } test: { baseURL, _ in
        let environment = ["OPENAI_BASE_URL": baseURL, "OPENAI_API_KEY": "sk-test"]
        let configure = { (configuration: inout AnvilConfiguration) in configuration.providerEnvironment = environment }
        try await withTestApp(engine, setup: setup, plugins: plugins, configure: configure) { api in
            try await body(api, recorder)
        }
    }
}

@Suite("Agent runs against an OpenAI-compatible upstream")
struct UpstreamAgentTests {
    @Test(
        "plugin context (a relevant memory) reaches Anvil's own endpoints but not the OpenAI front",
        arguments: TestDatabase.available)
    func pluginContextStaysOffTheOpenAIFront(engine: TestDatabase) async throws {
        let answer: @Sendable () -> Response = {
            FakeUpstream.eventStream(OpenAIStreamScript.text(["Noted."]), chunkSize: 64)
        }
        try await withScriptedUpstream(engine, plugins: [MemoryPlugin.self], answers: [answer, answer]) {
            api, recorder in
            let session = try await api.register()
            let memory = try await api.send(
                .post, "/api/v1/memories", json: ["content": "Prefers window seats on flights"], auth: session.auth)
            #expect(memory.status == .created)
            let question: JSONValue = ["role": "user", "content": "Which seats on flights do I like?"]

            let own = try await api.send(
                .post, "/api/v1/chat/completions",
                json: ["model": "openai:gpt-test", "messages": [question], "tools": []], auth: session.auth)
            #expect(own.status == .ok, "\(own.text)")
            let ownRequest = try #require(await recorder.last?.body)
            #expect(ownRequest.compactJSONText.contains("Prefers window seats"), "the memory is offered")

            let front = try await api.send(
                .post, "/v1/chat/completions",
                json: ["model": "openai:gpt-test", "messages": [question], "anvil_tools": ["current_time"]],
                auth: session.auth)
            #expect(front.status == .ok, "\(front.text)")
            #expect(await recorder.count == 2)
            let frontRequest = try #require(await recorder.last?.body)
            #expect(!frontRequest.compactJSONText.contains("Prefers window seats"), "the conversation goes as sent")
        }
    }

    @Test(
        "parallel tool calls streamed in awkward pieces are run, fed back and persisted in order",
        arguments: TestDatabase.available)
    func parallelToolCalls(engine: TestDatabase) async throws {
        let answers: [@Sendable () -> Response] = [
            {
                FakeUpstream.eventStream(
                    OpenAIStreamScript.toolCalls([
                        ("call_paris", "current_time", #"{"timezone":"Europe/Paris"}"#),
                        ("call_tokyo", "current_time", #"{"timezone":"Asia/Tokyo"}"#),
                    ]),
                    chunkSize: 7
                )
            },
            {
                FakeUpstream.eventStream(
                    OpenAIStreamScript.text(["It is ", "evening in ", "Paris — ", "morning in Tōkyō 🌅"]), chunkSize: 3)
            },
        ]
        try await withScriptedUpstream(engine, answers: answers) { api, recorder in
            let session = try await api.register()
            let chat = try await api.send(
                .post,
                "/api/v1/chats",
                json: ["model": "openai:gpt-test", "system_prompt": "Be brief."],
                auth: session.auth
            )
            let chatID = try #require(chat["id"]?.stringValue)
            let sent = try await api.send(
                .post,
                "/api/v1/chats/\(chatID)/messages",
                json: ["content": "What time is it in Paris and Tokyo?"],
                auth: session.auth
            )
            #expect(sent.status == .ok, "\(sent.text)")
            let roles = sent["messages"]?.arrayValue?.compactMap { $0.objectValue?["role"]?.stringValue }
            #expect(roles == ["assistant", "tool", "tool", "assistant"])
            let final = sent["messages"]?.arrayValue?.last?.objectValue
            #expect(final?["content"] == "It is evening in Paris — morning in Tōkyō 🌅")
            #expect(sent["usage"] == ["prompt_tokens": 100, "completion_tokens": 21, "total_tokens": 121])

            let requests = await recorder.requests
            #expect(requests.count == 2)
            let first = try #require(requests.first?.body?.objectValue)
            #expect(first["stream"] == true)
            #expect(first["model"] == "gpt-test")
            #expect(first["messages"]?.arrayValue?.first?.objectValue?["role"] == "system")
            #expect(requests.first?.headers["authorization"] == "Bearer sk-test")
            let second = try #require(requests.last?.body?.objectValue?["messages"]?.arrayValue)
            let toolMessages = second.filter { $0.objectValue?["role"] == "tool" }
            #expect(
                toolMessages.compactMap { $0.objectValue?["tool_call_id"]?.stringValue } == [
                    "call_paris", "call_tokyo",
                ])
            #expect(toolMessages.first?.objectValue?["content"]?.stringValue?.contains("Europe/Paris") == true)

            let stored = try await api.send(.get, "/api/v1/chats/\(chatID)/messages", auth: session.auth)
            #expect(
                stored["data"]?.arrayValue?.compactMap { $0.objectValue?["role"]?.stringValue }
                    == ["user", "assistant", "tool", "tool", "assistant"]
            )
            let usage = try await api.send(.get, "/api/v1/chats/\(chatID)/usage", auth: session.auth)
            #expect(usage["total_tokens_used"] == 121)
        }
    }

    @Test(
        "a provider error before the first byte is a 502 and the user's message is kept",
        arguments: TestDatabase.available)
    func providerErrorBeforeFirstByte(engine: TestDatabase) async throws {
        let answers: [@Sendable () -> Response] = [
            {
                FakeUpstream.json(
                    #"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}"#,
                    status: .unauthorized
                )
            }
        ]
        try await withScriptedUpstream(engine, answers: answers) { api, _ in
            let session = try await api.register()
            let chat = try await api.send(
                .post, "/api/v1/chats", json: ["model": "openai:gpt-test"], auth: session.auth)
            let chatID = try #require(chat["id"]?.stringValue)
            let sent = try await api.send(
                .post, "/api/v1/chats/\(chatID)/messages", json: ["content": "hello"], auth: session.auth)
            #expect(sent.status == .badGateway)
            #expect(sent.errorCode == "provider_error")
            #expect(sent["details"]?.objectValue?["provider_status"] == 401)
            let stored = try await api.send(.get, "/api/v1/chats/\(chatID)/messages", auth: session.auth)
            #expect(stored["total"] == 1)
            #expect(stored["data"]?.arrayValue?.first?.objectValue?["content"] == "hello")
        }
    }

    @Test(
        "a stream cut mid-answer ends with an error event and keeps the partial text as incomplete",
        arguments: TestDatabase.available)
    func midStreamFailure(engine: TestDatabase) async throws {
        let answers: [@Sendable () -> Response] = [
            {
                Response(
                    status: .ok,
                    headers: [.contentType: "text/event-stream"],
                    body: ResponseBody { writer in
                        try await writer.write(
                            ByteBuffer(string: OpenAIStreamScript.chunk(#"{"role":"assistant","content":"Half an "}"#))
                        )
                        try await writer.write(ByteBuffer(string: OpenAIStreamScript.chunk(#"{"content":"answer"}"#)))
                        // Give the bytes time to leave, then drop the connection without an end marker.
                        try await Task.sleep(for: .milliseconds(200))
                        throw CancellationError()
                    }
                )
            }
        ]
        try await withScriptedUpstream(engine, setup: .live, answers: answers) { api, _ in
            let session = try await api.register()
            let chat = try await api.send(
                .post, "/api/v1/chats", json: ["model": "openai:gpt-test"], auth: session.auth)
            let chatID = try #require(chat["id"]?.stringValue)
            let response = try await api.send(
                .post,
                "/api/v1/chats/\(chatID)/messages",
                json: ["content": "hello", "stream": true],
                auth: session.auth
            )
            let events = serverSentEvents(response.text)
            #expect(events.last?.event == "error", "\(response.text)")
            #expect(!events.contains { $0.event == "done" })
            let text = events.filter { $0.event == "delta" }.compactMap { $0.data.objectValue?["content"]?.stringValue }
            #expect(text.joined() == "Half an answer")
            let stored = try await api.send(.get, "/api/v1/chats/\(chatID)/messages", auth: session.auth)
            let last = stored["data"]?.arrayValue?.last?.objectValue
            #expect(last?["content"] == "Half an answer")
            #expect(last?["status"] == "incomplete")
        }
    }

    @Test(
        "the OpenAI front returns client tool calls to the client, streamed and not", arguments: TestDatabase.available)
    func openAIFrontClientTools(engine: TestDatabase) async throws {
        let calls = OpenAIStreamScript.toolCalls([("call_w", "get_weather", #"{"city":"Paris"}"#)])
        let answers: [@Sendable () -> Response] = [
            {
                FakeUpstream.json(
                    OpenAIStreamScript.toolCallCompletion(
                        id: "call_w", name: "get_weather", arguments: #"{"city":"Paris"}"#)
                )
            },
            { FakeUpstream.eventStream(calls, chunkSize: 5) },
        ]
        try await withScriptedUpstream(engine, setup: .live, answers: answers) { api, recorder in
            let session = try await api.register()
            let key = try await api.send(.post, "/api/v1/auth/api-keys", json: ["name": "sdk"], auth: session.auth)
            let secret = try #require(key["key"]?.stringValue)
            let tools: JSONValue = [
                [
                    "type": "function",
                    "function": [
                        "name": "get_weather",
                        "description": "Weather for a city",
                        "parameters": [
                            "type": "object", "properties": ["city": ["type": "string"]], "required": ["city"],
                        ],
                    ],
                ]
            ]
            let plain = try await api.send(
                .post,
                "/v1/chat/completions",
                json: [
                    "model": "openai:gpt-test", "messages": [["role": "user", "content": "Weather in Paris?"]],
                    "tools": tools,
                ],
                auth: .bearer(secret)
            )
            #expect(plain.status == .ok, "\(plain.text)")
            #expect(plain["object"] == "chat.completion")
            let choice = try #require(plain["choices"]?.arrayValue?.first?.objectValue)
            #expect(choice["finish_reason"] == "tool_calls")
            let call = try #require(choice["message"]?.objectValue?["tool_calls"]?.arrayValue?.first?.objectValue)
            #expect(call["id"] == "call_w")
            #expect(call["function"] == ["name": "get_weather", "arguments": #"{"city":"Paris"}"#])
            #expect(plain["usage"]?.objectValue?["total_tokens"] == 52)
            let sentUpstream = await recorder.last?.body?.objectValue
            #expect(
                sentUpstream?["tools"]?.arrayValue?.first?.objectValue?["function"]?.objectValue?["name"]
                    == "get_weather")

            let streamed = try await api.send(
                .post,
                "/v1/chat/completions",
                json: [
                    "model": "openai:gpt-test", "messages": [["role": "user", "content": "Weather in Paris?"]],
                    "tools": tools,
                    "stream": true, "stream_options": ["include_usage": true],
                ],
                auth: .apiKey(secret)
            )
            #expect(streamed.status == .ok)
            #expect(streamed.text.hasSuffix("data: [DONE]\n\n"))
            let chunks = serverSentEvents(streamed.text).map(\.data).filter { $0 != .string("[DONE]") }
            let firstCall = chunks.compactMap {
                $0.objectValue?["choices"]?.arrayValue?.first?.objectValue?["delta"]?.objectValue?["tool_calls"]?
                    .arrayValue?
                    .first?.objectValue
            }.first
            #expect(firstCall?["id"] == "call_w")
            #expect(firstCall?["function"]?.objectValue?["arguments"] == "")
            #expect(chunks.last?.objectValue?["choices"] == [])
            #expect(chunks.last?.objectValue?["usage"]?.objectValue?["total_tokens"] == 52)
        }
    }
}

/// Anthropic's streaming Messages format: named events, a tool_use block whose input arrives in
/// `input_json_delta` pieces, usage in `message_start` and `message_delta`.
enum AnthropicStreamScript {
    static func event(_ name: String, _ data: String) -> String { "event: \(name)\ndata: \(data)\n\n" }

    static func start(inputTokens: Int) -> String {
        event(
            "message_start",
            #"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-test","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":\#(inputTokens),"output_tokens":1}}}"#
        )
    }

    static func toolUse(id: String, name: String, pieces: [String]) -> String {
        var text = start(inputTokens: 50) + event("ping", #"{"type": "ping"}"#)
        text += event(
            "content_block_start",
            #"{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"\#(id)","name":"\#(name)","input":{}}}"#
        )
        for piece in pieces {
            let escaped = piece.replacingOccurrences(of: "\"", with: "\\\"")
            text += event(
                "content_block_delta",
                #"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"\#(escaped)"}}"#
            )
        }
        text += event("content_block_stop", #"{"type":"content_block_stop","index":0}"#)
        text += event(
            "message_delta",
            #"{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":15}}"#
        )
        return text + event("message_stop", #"{"type":"message_stop"}"#)
    }

    static func text(_ words: [String]) -> String {
        var text = start(inputTokens: 80)
        text += event(
            "content_block_start",
            #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#
        )
        for word in words {
            text += event(
                "content_block_delta",
                #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\#(word)"}}"#
            )
        }
        text += event("content_block_stop", #"{"type":"content_block_stop","index":0}"#)
        text += event(
            "message_delta",
            #"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":7}}"#
        )
        return text + event("message_stop", #"{"type":"message_stop"}"#)
    }
}

@Suite("Agent runs against an Anthropic upstream")
struct AnthropicUpstreamAgentTests {
    @Test(
        "a tool call in Anthropic's format runs, and the next turn carries the whole history",
        arguments: TestDatabase.available)
    func toolCallAndNextTurn(engine: TestDatabase) async throws {
        let answers: [@Sendable () -> Response] = [
            {
                FakeUpstream.eventStream(
                    AnthropicStreamScript.toolUse(
                        id: "toolu_1",
                        name: "current_time",
                        pieces: ["", #"{"timez"#, #"one": "Euro"#, #"pe/Paris"}"#]
                    ),
                    chunkSize: 9
                )
            },
            {
                FakeUpstream.eventStream(AnthropicStreamScript.text(["Il est ", "l'heure ", "du thé ☕"]), chunkSize: 4)
            },
            { FakeUpstream.eventStream(AnthropicStreamScript.text(["You asked ", "about Paris."]), chunkSize: 64) },
        ]
        let recorder = RequestRecorder()
        try await FakeUpstream.run { router in
            router.post("v1/messages") { request, _ in
                let number = try await recorder.record(request)
                return number <= answers.count ? answers[number - 1]() : FakeUpstream.json("{}", status: .badRequest)
            }
        } test: { baseURL, _ in
            // Anthropic's SDKs take the base URL without /v1; so does Anvil.
            let root = String(baseURL.dropLast(3))
            try await withTestApp(
                engine,
                setting: \.providerEnvironment,
                to: ["ANTHROPIC_BASE_URL": root, "ANTHROPIC_API_KEY": "sk-ant-test"]
            ) { api in
                let session = try await api.register()
                let chat = try await api.send(
                    .post,
                    "/api/v1/chats",
                    json: ["model": "anthropic:claude-test", "system_prompt": "Answer in French."],
                    auth: session.auth
                )
                let chatID = try #require(chat["id"]?.stringValue)
                let first = try await api.send(
                    .post,
                    "/api/v1/chats/\(chatID)/messages",
                    json: ["content": "What time is it in Paris?"],
                    auth: session.auth
                )
                #expect(first.status == .ok, "\(first.text)")
                let messages = try #require(first["messages"]?.arrayValue)
                #expect(
                    messages.compactMap { $0.objectValue?["role"]?.stringValue } == ["assistant", "tool", "assistant"])
                let call = messages[0].objectValue?["tool_calls"]?.arrayValue?.first?.objectValue?["function"]?
                    .objectValue
                #expect(call?["arguments"] == #"{"timezone": "Europe/Paris"}"#)
                #expect(messages[2].objectValue?["content"] == "Il est l'heure du thé ☕")
                #expect(first["usage"] == ["prompt_tokens": 130, "completion_tokens": 22, "total_tokens": 152])

                let second = try await api.send(
                    .post,
                    "/api/v1/chats/\(chatID)/messages",
                    json: ["content": "And what did I ask?"],
                    auth: session.auth
                )
                #expect(second.status == .ok)
                let requests = await recorder.requests
                #expect(requests.count == 3)
                #expect(requests[0].headers["x-api-key"] == "sk-ant-test")
                let body = try #require(requests[2].body?.objectValue)
                #expect(body["system"]?.stringValue?.contains("Answer in French.") == true)
                let history = try #require(body["messages"]?.arrayValue)
                // user, assistant tool_use, user tool_result, assistant text, user
                #expect(
                    history.compactMap { $0.objectValue?["role"]?.stringValue } == [
                        "user", "assistant", "user", "assistant", "user",
                    ])
                let toolResult = history[2].objectValue?["content"]?.arrayValue?.first?.objectValue
                #expect(toolResult?["type"] == "tool_result")
                #expect(toolResult?["tool_use_id"] == "toolu_1")
            }
        }
    }
}

extension JSONValue {
    /// Compact JSON text, to look for a phrase anywhere in a recorded request.
    var compactJSONText: String {
        (try? String(decoding: JSONEncoder().encode(self), as: UTF8.self)) ?? ""
    }
}
