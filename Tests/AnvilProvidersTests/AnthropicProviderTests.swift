import AnvilCore
import AnvilProviders
import AnvilTestSupport
import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import Testing

@Suite("Anthropic provider")
struct AnthropicProviderTests {
    private func provider(_ baseURL: String, _ client: HTTPClient, apiKey: String? = "sk-ant-test") -> AnthropicProvider
    {
        AnthropicProvider(
            settings: testSettings(.anthropic, baseURL: baseURL, apiKey: apiKey),
            httpClient: client,
            retryPolicy: .quick
        )
    }

    @Test(arguments: [1, 7, 4096])
    func streamsTextAndToolUseWhateverTheChunkBoundaries(chunkSize: Int) async throws {
        let (accumulator, events) = try await FakeUpstream.run { router in
            router.post("v1/messages") { _, _ -> Response in
                FakeUpstream.eventStream(AnthropicWireSamples.textAndToolUseStream, chunkSize: chunkSize)
            }
        } test: { baseURL, client in
            try await accumulate(
                provider(baseURL, client).stream(
                    CompletionRequest(model: "claude-sonnet-4-20250514", messages: [.user("?")])))
        }

        let completion = accumulator.completion(model: "claude-sonnet-4-20250514")
        #expect(completion.message.text == "Okay, let's check the weather for San Francisco, CA — café ☕ first:")
        #expect(
            completion.message.toolCalls == [
                ToolCall(
                    id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
                    name: "get_weather",
                    arguments: #"{"location": "San Francisco, CA", "unit": "fahrenheit"}"#
                )
            ])
        #expect(completion.finishReason == .toolCalls)
        #expect(completion.usage == TokenUsage(promptTokens: 472, completionTokens: 89))
        // The call starts with id and name and empty arguments, like OpenAI's first tool-call delta.
        #expect(
            events.contains(
                .toolCallDelta(
                    ToolCallDelta(
                        index: 0, id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", name: "get_weather", arguments: ""))))
    }

    @Test func requestHoistsSystemAndGroupsToolResults() async throws {
        let recorder = RequestRecorder()
        let request = CompletionRequest(
            model: "claude-sonnet-4-20250514",
            messages: [
                .system("You are Anvil."),
                .user("Weather in Bern and Rome?"),
                ModelMessage(
                    role: .user,
                    content: [
                        .imageURL(url: "data:image/png;base64,iVBORw0KGgo=", detail: nil),
                        .imageURL(url: "https://example.com/map.jpg", detail: "high"),
                    ]
                ),
                .assistant(
                    "Checking.",
                    toolCalls: [
                        ToolCall(id: "toolu_1", name: "get_weather", arguments: #"{"location":"Bern"}"#),
                        ToolCall(id: "toolu_2", name: "get_weather", arguments: "not json"),
                    ]),
                .tool(callID: "toolu_1", name: "get_weather", content: "sunny"),
                .tool(callID: "toolu_2", name: "get_weather", content: "error: no such place"),
                .system("Answer in one line."),
            ],
            tools: [OpenAICompatibleProviderTests.weatherTool],
            toolChoice: .required,
            temperature: 0.25
        )

        try await FakeUpstream.run { router in
            router.post("v1/messages") { request, _ -> Response in
                try await recorder.record(request)
                return FakeUpstream.eventStream(AnthropicWireSamples.textAndToolUseStream, chunkSize: 4096)
            }
        } test: { baseURL, client in
            _ = try await accumulate(provider(baseURL, client).stream(request))
        }

        let received = try #require(await recorder.last)
        #expect(received.headers["x-api-key"] == "sk-ant-test")
        #expect(received.headers["anthropic-version"] == "2023-06-01")
        #expect(received.headers["content-type"] == "application/json")
        let expected: JSONValue = [
            "model": "claude-sonnet-4-20250514",
            "max_tokens": 4096,
            "stream": true,
            "temperature": 0.25,
            "system": "You are Anvil.\n\nAnswer in one line.",
            "messages": [
                [
                    "role": "user",
                    "content": [
                        ["type": "text", "text": "Weather in Bern and Rome?"],
                        [
                            "type": "image",
                            "source": ["type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="],
                        ],
                        ["type": "image", "source": ["type": "url", "url": "https://example.com/map.jpg"]],
                    ],
                ],
                [
                    "role": "assistant",
                    "content": [
                        ["type": "text", "text": "Checking."],
                        ["type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": ["location": "Bern"]],
                        ["type": "tool_use", "id": "toolu_2", "name": "get_weather", "input": [:]],
                    ],
                ],
                [
                    "role": "user",
                    "content": [
                        ["type": "tool_result", "tool_use_id": "toolu_1", "content": "sunny"],
                        ["type": "tool_result", "tool_use_id": "toolu_2", "content": "error: no such place"],
                    ],
                ],
            ],
            "tools": [
                [
                    "name": "get_weather",
                    "description": "Current weather for a place",
                    "input_schema": OpenAICompatibleProviderTests.weatherTool.parameters,
                ]
            ],
            "tool_choice": ["type": "any"],
        ]
        #expect(received.body == expected)
    }

    @Test func completeReadsContentBlocks() async throws {
        let completion = try await FakeUpstream.run { router in
            router.post("v1/messages") { _, _ -> Response in FakeUpstream.json(AnthropicWireSamples.toolUseMessage) }
        } test: { baseURL, client in
            try await provider(baseURL, client).complete(
                CompletionRequest(model: "claude-sonnet-4-20250514", messages: [.user("?")]))
        }
        #expect(completion.message.text == "I'll check the weather.")
        #expect(
            completion.message.toolCalls == [
                ToolCall(
                    id: "toolu_01A09q90qw90lq917835lq9",
                    name: "get_weather",
                    arguments: #"{"location":"San Francisco, CA","unit":"celsius"}"#
                )
            ])
        #expect(completion.finishReason == .toolCalls)
        #expect(completion.usage == TokenUsage(promptTokens: 400, completionTokens: 92))
    }

    @Test func structuredOutputIsAForcedToolWhoseInputIsTheAnswer() async throws {
        let recorder = RequestRecorder()
        let schema: JSONValue = [
            "type": "object", "properties": ["city": ["type": "string"]], "additionalProperties": false,
        ]
        let answer = """
            {"id": "msg_01", "type": "message", "role": "assistant", "model": "claude-sonnet-4-20250514",
             "content": [{"type": "tool_use", "id": "toolu_01", "name": "structured_output",
                          "input": {"city": "Lisbon"}}],
             "stop_reason": "tool_use", "stop_sequence": null, "usage": {"input_tokens": 50, "output_tokens": 12}}
            """
        let completion = try await FakeUpstream.run { router in
            router.post("v1/messages") { request, _ -> Response in
                try await recorder.record(request)
                return FakeUpstream.json(answer)
            }
        } test: { baseURL, client in
            try await provider(baseURL, client).complete(
                CompletionRequest(
                    model: "claude-sonnet-4-20250514", messages: [.user("Lisbon please")], responseSchema: schema))
        }
        let received = try #require(await recorder.last)
        #expect(
            received.body?.objectValue?["tools"] == [
                [
                    "name": "structured_output",
                    "description": "Give the answer as this tool's input, which follows the required JSON Schema.",
                    "input_schema": schema,
                ]
            ])
        #expect(received.body?.objectValue?["tool_choice"] == ["type": "tool", "name": "structured_output"])
        #expect(completion.message.text == #"{"city":"Lisbon"}"#)
        #expect(completion.message.toolCalls.isEmpty)
        #expect(completion.finishReason == .stop)
    }

    @Test func errorEventMidStreamFailsTheStream() async throws {
        try await FakeUpstream.run { router in
            router.post("v1/messages") { _, _ -> Response in
                FakeUpstream.eventStream(AnthropicWireSamples.overloadedMidStream, chunkSize: 11)
            }
        } test: { baseURL, client in
            let stream = try await provider(baseURL, client)
                .stream(CompletionRequest(model: "claude-sonnet-4-20250514", messages: [.user("?")]))
            var texts: [String] = []
            await #expect(throws: ProviderError.http(status: 529, message: "Overloaded", type: "overloaded_error")) {
                for try await event in stream { if case .textDelta(let text) = event { texts.append(text) } }
            }
            #expect(texts == ["Hel"])
        }
    }

    @Test func errorResponseIsNotRetried() async throws {
        let recorder = RequestRecorder()
        await #expect(
            throws: ProviderError.http(
                status: 400, message: "max_tokens: Field required", type: "invalid_request_error"
            )
        ) {
            try await FakeUpstream.run { router in
                router.post("v1/messages") { request, _ -> Response in
                    try await recorder.record(request)
                    return FakeUpstream.json(AnthropicWireSamples.invalidRequestError, status: .badRequest)
                }
            } test: { baseURL, client in
                _ = try await provider(baseURL, client).stream(
                    CompletionRequest(model: "claude", messages: [.user("?")]))
            }
        }
        #expect(await recorder.count == 1)
    }

    @Test func listsModelsAcrossPages() async throws {
        let recorder = RequestRecorder()
        let models = try await FakeUpstream.run { router in
            router.get("v1/models") { request, _ -> Response in
                try await recorder.record(request)
                if request.uri.queryParameters.get("after_id") == "claude-sonnet-4-20250514" {
                    return FakeUpstream.json(
                        #"""
                        {"data":[{"type":"model","id":"claude-3-5-haiku-20241022","display_name":"Claude Haiku 3.5","created_at":"2024-10-22T00:00:00Z"}],"has_more":false,"first_id":"claude-3-5-haiku-20241022","last_id":"claude-3-5-haiku-20241022"}
                        """#)
                }
                return FakeUpstream.json(
                    #"""
                    {"data":[{"type":"model","id":"claude-sonnet-4-20250514","display_name":"Claude Sonnet 4","created_at":"2025-05-22T00:00:00Z"}],"has_more":true,"first_id":"claude-sonnet-4-20250514","last_id":"claude-sonnet-4-20250514"}
                    """#)
            }
        } test: { baseURL, client in
            try await provider(baseURL, client).listModels()
        }
        #expect(models.map(\.id) == ["anthropic:claude-sonnet-4-20250514", "anthropic:claude-3-5-haiku-20241022"])
        #expect(await recorder.requests.map(\.query) == ["limit=1000", "limit=1000&after_id=claude-sonnet-4-20250514"])
        #expect(await recorder.last?.headers["anthropic-version"] == "2023-06-01")
    }

    @Test func embeddingsAreUnsupported() async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let result = await Result {
            try await provider("http://127.0.0.1:9/v1", client).embed(EmbeddingRequest(model: "x", inputs: ["a"]))
        }
        try await client.shutdown()
        #expect(throws: ProviderError.unsupported("embeddings")) { try result.get() }
    }

    @Test func missingKeyFailsBeforeAnyRequest() async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let result = await Result {
            try await provider("http://127.0.0.1:9/v1", client, apiKey: nil)
                .stream(CompletionRequest(model: "claude", messages: [.user("?")]))
        }
        try await client.shutdown()
        #expect(throws: ProviderError.missingCredentials(provider: "anthropic")) { try result.get() }
    }
}
