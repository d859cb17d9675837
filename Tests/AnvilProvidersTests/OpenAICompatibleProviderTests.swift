import AnvilCore
import AnvilProviders
import AnvilTestSupport
import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import Testing

@Suite("OpenAI-compatible provider")
struct OpenAICompatibleProviderTests {
    static let weatherTool = ToolSpec(
        name: "get_weather",
        description: "Current weather for a place",
        parameters: ["type": "object", "properties": ["location": ["type": "string"]], "required": ["location"]]
    )

    private func provider(
        _ baseURL: String,
        _ client: HTTPClient,
        readTimeout: Duration = .seconds(10),
        maxRetries: Int = 2,
        retryPolicy: RetryPolicy = .quick
    ) -> OpenAICompatibleProvider {
        var settings = testSettings(.openAI, baseURL: baseURL, readTimeout: readTimeout, maxRetries: maxRetries)
        settings.headers = ["HTTP-Referer": "https://anvil.example"]
        return OpenAICompatibleProvider(settings: settings, httpClient: client, retryPolicy: retryPolicy)
    }

    @Test func completeSendsTheDocumentedRequestAndReadsToolCalls() async throws {
        let recorder = RequestRecorder()
        let request = CompletionRequest(
            model: "gpt-4o-mini",
            messages: [
                .system("Be brief."),
                ModelMessage(
                    role: .user,
                    content: [.text("Weather here?"), .imageURL(url: "https://example.com/sky.png", detail: "low")]
                ),
                .assistant(
                    nil, toolCalls: [ToolCall(id: "call_1", name: "get_weather", arguments: #"{"location":"Bern"}"#)]),
                .tool(callID: "call_1", name: "get_weather", content: "sunny"),
            ],
            tools: [Self.weatherTool],
            toolChoice: .named("get_weather"),
            temperature: 0.5,
            maxTokens: 100,
            responseSchema: ["type": "object"],
            apiKey: "sk-user"
        )

        let completion = try await FakeUpstream.run { router in
            router.post("v1/chat/completions") { request, _ -> Response in
                try await recorder.record(request)
                return FakeUpstream.json(OpenAIWireSamples.toolCallCompletion)
            }
        } test: { baseURL, client in
            try await provider(baseURL, client).complete(request)
        }

        #expect(completion.finishReason == .toolCalls)
        #expect(
            completion.message.toolCalls == [
                ToolCall(
                    id: "call_abc123", name: "get_current_weather", arguments: "{\n\"location\": \"Boston, MA\"\n}")
            ])
        #expect(completion.message.content.isEmpty)
        #expect(completion.usage == TokenUsage(promptTokens: 82, completionTokens: 17))
        #expect(completion.model == "gpt-4o-mini-2024-07-18")

        let received = try #require(await recorder.last)
        #expect(received.headers["authorization"] == "Bearer sk-user")
        #expect(received.headers["http-referer"] == "https://anvil.example")
        let expected: JSONValue = [
            "model": "gpt-4o-mini",
            "messages": [
                ["role": "system", "content": "Be brief."],
                [
                    "role": "user",
                    "content": [
                        ["type": "text", "text": "Weather here?"],
                        ["type": "image_url", "image_url": ["url": "https://example.com/sky.png", "detail": "low"]],
                    ],
                ],
                [
                    "role": "assistant",
                    "content": nil,
                    "tool_calls": [
                        [
                            "id": "call_1", "type": "function",
                            "function": ["name": "get_weather", "arguments": #"{"location":"Bern"}"#],
                        ]
                    ],
                ],
                ["role": "tool", "tool_call_id": "call_1", "content": "sunny"],
            ],
            "tools": [
                [
                    "type": "function",
                    "function": [
                        "name": "get_weather",
                        "description": "Current weather for a place",
                        "parameters": Self.weatherTool.parameters,
                    ],
                ]
            ],
            "tool_choice": ["type": "function", "function": ["name": "get_weather"]],
            "temperature": 0.5,
            "max_tokens": 100,
            "response_format": [
                "type": "json_schema",
                "json_schema": ["name": "response", "schema": ["type": "object"], "strict": false],
            ],
        ]
        #expect(received.body == expected)
    }

    @Test(arguments: [1, 5, 4096])
    func streamsTextAndUsageWhateverTheChunkBoundaries(chunkSize: Int) async throws {
        let recorder = RequestRecorder()
        let (accumulator, events) = try await FakeUpstream.run { router in
            router.post("v1/chat/completions") { request, _ -> Response in
                try await recorder.record(request)
                return FakeUpstream.eventStream(OpenAIWireSamples.textStream, chunkSize: chunkSize)
            }
        } test: { baseURL, client in
            try await accumulate(
                provider(baseURL, client).stream(CompletionRequest(model: "gpt-4o", messages: [.user("Hi")])))
        }

        #expect(
            events == [
                .textDelta("Héllo"), .textDelta(" wörld 👋"), .finished(.stop),
                .usage(TokenUsage(promptTokens: 19, completionTokens: 10)),
            ])
        #expect(accumulator.completion(model: "gpt-4o").message.text == "Héllo wörld 👋")
        let body = try #require(await recorder.last?.body?.objectValue)
        #expect(body["stream"] == true)
        #expect(body["stream_options"] == ["include_usage": true])
        #expect(await recorder.last?.headers["authorization"] == "Bearer sk-test")
    }

    @Test func accumulatesParallelToolCalls() async throws {
        let (accumulator, _) = try await FakeUpstream.run { router in
            router.post("v1/chat/completions") { _, _ -> Response in
                FakeUpstream.eventStream(OpenAIWireSamples.parallelToolCallStream, chunkSize: 3)
            }
        } test: { baseURL, client in
            try await accumulate(
                provider(baseURL, client).stream(CompletionRequest(model: "gpt-4o", messages: [.user("?")])))
        }

        let completion = accumulator.completion(model: "gpt-4o")
        #expect(completion.finishReason == .toolCalls)
        #expect(completion.usage == TokenUsage(promptTokens: 88, completionTokens: 41))
        #expect(
            completion.message.toolCalls == [
                ToolCall(id: "call_weather", name: "get_weather", arguments: #"{"location": "Zürich"}"#),
                ToolCall(id: "call_time", name: "get_time", arguments: #"{"zone": "CET"}"#),
            ])
    }

    @Test func separatesCallsOfAServerThatReusesIndexZero() async throws {
        let (accumulator, events) = try await FakeUpstream.run { router in
            router.post("v1/chat/completions") { _, _ -> Response in
                FakeUpstream.eventStream(OpenAIWireSamples.reusedIndexStream, chunkSize: 64)
            }
        } test: { baseURL, client in
            try await accumulate(
                provider(baseURL, client).stream(CompletionRequest(model: "llama3.1", messages: [.user("?")])))
        }

        #expect(!events.contains { if case .usage = $0 { true } else { false } })
        #expect(
            accumulator.toolCalls == [
                ToolCall(id: "call_a", name: "get_weather", arguments: #"{"location":"Paris"}"#),
                ToolCall(id: "call_b", name: "get_weather", arguments: #"{"location":"Rome"}"#),
            ])
    }

    @Test func errorBodyBecomesProviderErrorWithoutRetry() async throws {
        let recorder = RequestRecorder()
        await #expect(
            throws: ProviderError.http(
                status: 400,
                message: "Invalid value for 'tool_choice': 'required' is only allowed when 'tools' are specified.",
                type: "invalid_request_error"
            )
        ) {
            try await FakeUpstream.run { router in
                router.post("v1/chat/completions") { request, _ -> Response in
                    try await recorder.record(request)
                    return FakeUpstream.json(OpenAIWireSamples.invalidRequestError, status: .badRequest)
                }
            } test: { baseURL, client in
                _ = try await provider(baseURL, client).stream(
                    CompletionRequest(model: "gpt-4o", messages: [.user("?")]))
            }
        }
        #expect(await recorder.count == 1)
    }

    @Test func serviceUnavailableIsRetriedHonouringRetryAfter() async throws {
        let recorder = RequestRecorder()
        // A backoff far longer than the test allows: only honouring `Retry-After: 0` keeps the test fast.
        let slowBackoff = RetryPolicy(baseDelay: .seconds(30), maximumDelay: .seconds(30))
        let started = ContinuousClock.now
        let (accumulator, _) = try await FakeUpstream.run { router in
            router.post("v1/chat/completions") { request, _ -> Response in
                if try await recorder.record(request) == 1 {
                    return FakeUpstream.json(
                        OpenAIWireSamples.overloadedError, status: .serviceUnavailable, headers: [.retryAfter: "0"])
                }
                return FakeUpstream.eventStream(OpenAIWireSamples.textStream, chunkSize: 4096)
            }
        } test: { baseURL, client in
            try await accumulate(
                provider(baseURL, client, retryPolicy: slowBackoff)
                    .stream(CompletionRequest(model: "gpt-4o", messages: [.user("Hi")])))
        }
        #expect(accumulator.partialText == "Héllo wörld 👋")
        #expect(await recorder.count == 2)
        #expect(ContinuousClock.now - started < .seconds(15))
    }

    @Test func rateLimitThatNeverLiftsFailsAfterTheConfiguredRetries() async throws {
        let recorder = RequestRecorder()
        await #expect {
            try await FakeUpstream.run { router in
                router.post("v1/chat/completions") { request, _ -> Response in
                    try await recorder.record(request)
                    return FakeUpstream.json(OpenAIWireSamples.rateLimitError, status: .tooManyRequests)
                }
            } test: { baseURL, client in
                _ = try await provider(baseURL, client, maxRetries: 2)
                    .complete(CompletionRequest(model: "gpt-4o", messages: [.user("?")]))
            }
        } throws: { error in
            guard case .http(429, let message, "requests") = error as? ProviderError else { return false }
            return message.hasPrefix("Rate limit reached")
        }
        #expect(await recorder.count == 3)
    }

    @Test func embeddingsComeBackInInputOrderFromFloatsOrBase64() async throws {
        let floats: [Float] = [0.125, -2.5, 1e-3]
        var littleEndian = Data()
        for value in floats {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { littleEndian.append(contentsOf: $0) }
        }
        let base64 = littleEndian.base64EncodedString()
        let recorder = RequestRecorder()

        let (fromFloats, fromBase64) = try await FakeUpstream.run { router in
            router.post("v1/embeddings") { request, _ -> Response in
                if try await recorder.record(request) == 1 {
                    return FakeUpstream.json(
                        #"""
                        {"object":"list","data":[{"object":"embedding","index":1,"embedding":[0.5,-0.25]},{"object":"embedding","index":0,"embedding":[0.125,1.0]}],"model":"text-embedding-3-small","usage":{"prompt_tokens":5,"total_tokens":5}}
                        """#)
                }
                return FakeUpstream.json(
                    #"""
                    {"object":"list","data":[{"object":"embedding","index":0,"embedding":"\#(base64)"}],"model":"text-embedding-3-small","usage":{"prompt_tokens":2,"total_tokens":2}}
                    """#)
            }
        } test: { baseURL, client in
            let provider = provider(baseURL, client)
            let first = try await provider.embed(EmbeddingRequest(model: "text-embedding-3-small", inputs: ["a", "b"]))
            let second = try await provider.embed(EmbeddingRequest(model: "text-embedding-3-small", inputs: ["c"]))
            return (first, second)
        }

        #expect(fromFloats.vectors == [[0.125, 1.0], [0.5, -0.25]])
        #expect(fromFloats.usage == TokenUsage(promptTokens: 5))
        #expect(fromBase64.vectors == [floats])
        let body = try #require(await recorder.requests.first?.body)
        #expect(body == ["model": "text-embedding-3-small", "input": ["a", "b"], "encoding_format": "float"])
    }

    @Test func listsModelsWithTheProviderPrefix() async throws {
        let models = try await FakeUpstream.run { router in
            router.get("v1/models") { _, _ -> Response in FakeUpstream.json(OpenAIWireSamples.models) }
        } test: { baseURL, client in
            try await provider(baseURL, client).listModels()
        }
        #expect(models.map(\.id) == ["openai:gpt-4o", "openai:text-embedding-3-small"])
        #expect(models.allSatisfy { $0.provider == "openai" })
    }

    @Test func upstreamThatStallsMidStreamTimesOut() async throws {
        let firstChunk = OpenAIWireSamples.textStream.components(separatedBy: "\n\n")[0...1].joined(separator: "\n\n")
        let started = ContinuousClock.now
        await #expect(throws: ProviderError.timeout) {
            try await FakeUpstream.run { router in
                router.post("v1/chat/completions") { _, _ -> Response in
                    Response(
                        status: .ok,
                        headers: [.contentType: "text/event-stream"],
                        body: ResponseBody { writer in
                            try await writer.write(ByteBuffer(string: firstChunk + "\n\n"))
                            try await Task.sleep(for: .seconds(30))
                            try await writer.finish(nil)
                        }
                    )
                }
            } test: { baseURL, client in
                let stream = try await provider(baseURL, client, readTimeout: .milliseconds(300))
                    .stream(CompletionRequest(model: "gpt-4o", messages: [.user("Hi")]))
                var texts: [String] = []
                do {
                    for try await event in stream { if case .textDelta(let text) = event { texts.append(text) } }
                } catch {
                    #expect(texts == ["Héllo"])
                    throw error
                }
            }
        }
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    @Test func streamEndsAtTheEndMarkerEvenWhenTheBodyStaysOpen() async throws {
        let started = ContinuousClock.now
        let (accumulator, events) = try await FakeUpstream.run { router in
            router.post("v1/chat/completions") { _, _ -> Response in
                Response(
                    status: .ok,
                    headers: [.contentType: "text/event-stream"],
                    body: ResponseBody { writer in
                        try await writer.write(ByteBuffer(string: OpenAIWireSamples.textStream))
                        // A misbehaving proxy: the body never ends after `data: [DONE]`.
                        try await Task.sleep(for: .seconds(30))
                        try await writer.finish(nil)
                    }
                )
            }
        } test: { baseURL, client in
            try await accumulate(
                provider(baseURL, client).stream(CompletionRequest(model: "gpt-4o", messages: [.user("Hi")])))
        }
        #expect(accumulator.partialText == "Héllo wörld 👋")
        #expect(events.last == .usage(TokenUsage(promptTokens: 19, completionTokens: 10)))
        // Well under the ten-second read timeout: the end marker, not the end of the body, ends the stream.
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    // The bounds below are far under what a hang would take (the ten-second read timeout, thirty-second backoff)
    // yet wide enough for a loaded two-core CI machine; they check "promptly", not a performance figure.
    @Test func consumerThatStopsIteratingClosesTheUpstreamConnection() async throws {
        let (closed, closedContinuation) = AsyncStream<ContinuousClock.Instant>.makeStream()
        let firstChunk = OpenAIWireSamples.textStream.components(separatedBy: "\n\n")[0...1].joined(separator: "\n\n")
        let closedAfterBreak = try await FakeUpstream.run { router in
            router.post("v1/chat/completions") { _, _ -> Response in
                Response(
                    status: .ok,
                    headers: [.contentType: "text/event-stream"],
                    body: ResponseBody { writer in
                        try await writer.write(ByteBuffer(string: firstChunk + "\n\n"))
                        // Keep-alive comments until the client hangs up; a failed write is the hang-up seen.
                        do {
                            while true {
                                try await Task.sleep(for: .milliseconds(20))
                                try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                            }
                        } catch {
                            closedContinuation.yield(.now)
                            throw error
                        }
                    }
                )
            }
        } test: { baseURL, client in
            let provider = provider(baseURL, client)
            var texts: [String] = []
            for try await event in try await provider.stream(
                CompletionRequest(model: "gpt-4o", messages: [.user("Hi")]))
            {
                if case .textDelta(let text) = event {
                    texts.append(text)
                    break
                }
            }
            let brokeAt = ContinuousClock.now
            #expect(texts == ["Héllo"])
            return await firstValue(of: closed, within: .seconds(3)).map { $0 - brokeAt }
        }
        let delay = try #require(closedAfterBreak, "the fake never saw the connection close")
        #expect(delay < .seconds(2))
    }

    @Test func cancellingTheConsumingTaskClosesTheUpstreamConnection() async throws {
        let (closed, closedContinuation) = AsyncStream<ContinuousClock.Instant>.makeStream()
        let (firstDelta, firstDeltaContinuation) = AsyncStream<Void>.makeStream()
        let firstChunk = OpenAIWireSamples.textStream.components(separatedBy: "\n\n")[0...1].joined(separator: "\n\n")
        let closedAfterCancel = try await FakeUpstream.run { router in
            router.post("v1/chat/completions") { _, _ -> Response in
                Response(
                    status: .ok,
                    headers: [.contentType: "text/event-stream"],
                    body: ResponseBody { writer in
                        try await writer.write(ByteBuffer(string: firstChunk + "\n\n"))
                        do {
                            while true {
                                try await Task.sleep(for: .milliseconds(20))
                                try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                            }
                        } catch {
                            closedContinuation.yield(.now)
                            throw error
                        }
                    }
                )
            }
        } test: { baseURL, client in
            let provider = provider(baseURL, client)
            return await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    let stream = try await provider.stream(CompletionRequest(model: "gpt-4o", messages: [.user("Hi")]))
                    for try await event in stream {
                        if case .textDelta = event { firstDeltaContinuation.yield() }
                    }
                }
                _ = await firstValue(of: firstDelta, within: .seconds(5))
                let cancelledAt = ContinuousClock.now
                group.cancelAll()
                let closedAt = await firstValue(of: closed, within: .seconds(3))
                return closedAt.map { $0 - cancelledAt }
            }
        }
        let delay = try #require(closedAfterCancel, "the fake never saw the connection close")
        #expect(delay < .seconds(2))
    }

    @Test func unreachableServerIsAConnectionError() async throws {
        // Port 9 (discard) on loopback is closed in test environments, so the connection is refused. By default
        // AsyncHTTPClient keeps retrying a refused connection until the request's deadline; a client configured
        // not to (as an application should for providers) fails at once, and the provider's own retries apply.
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let started = ContinuousClock.now
        let provider = OpenAICompatibleProvider(
            settings: testSettings(.openAI, baseURL: "http://127.0.0.1:9/v1", maxRetries: 1),
            httpClient: client,
            retryPolicy: .quick
        )
        let result = await Result { try await provider.listModels() }
        try await client.shutdown()
        #expect(ContinuousClock.now - started < .seconds(20))
        #expect {
            try result.get()
        } throws: { error in
            if case .connection = error as? ProviderError { return true }
            return false
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
