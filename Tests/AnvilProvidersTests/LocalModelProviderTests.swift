import AnvilCore
import AnvilProviders
import Foundation
import Testing

@Suite("Local model provider")
struct LocalModelProviderTests {
    static let currentTime = ToolSpec(
        name: "current_time",
        description: "The current date and time in a time zone.",
        parameters: ["type": "object", "properties": ["timezone": ["type": "string", "description": "IANA name"]]]
    )
    static let webBrowse = ToolSpec(
        name: "web_browse",
        description: "Fetch a web page and return its readable text.",
        parameters: [
            "type": "object", "properties": ["url": ["type": "string", "format": "uri"]], "required": ["url"],
        ]
    )
    static let webSearch = ToolSpec(
        name: "web_search",
        description: "Search the internet and return the top results.",
        parameters: [
            "type": "object",
            "properties": ["query": ["type": "string"], "max_results": ["type": "integer", "minimum": 1]],
            "required": ["query"],
        ]
    )
    static let tools = [webBrowse, currentTime, webSearch]

    let provider = LocalModelProvider(
        timeZone: TimeZone(identifier: "UTC") ?? .gmt,
        now: { Date(timeIntervalSince1970: 1_769_853_600) }
    )

    func request(_ text: String, tools: [ToolSpec] = tools, toolChoice: ToolChoice = .auto) -> CompletionRequest {
        CompletionRequest(
            model: "anvil",
            messages: [.system("You are helpful."), .user(text)],
            tools: tools,
            toolChoice: toolChoice
        )
    }

    func onlyCall(_ completion: Completion) throws -> ToolCall {
        #expect(completion.finishReason == .toolCalls)
        #expect(completion.message.text.isEmpty)
        #expect(completion.message.toolCalls.count == 1)
        let call = try #require(completion.message.toolCalls.first)
        #expect(call.id.hasPrefix("call_"))
        #expect(call.id.count == "call_".count + 12)
        return call
    }

    @Test(
        "calls the tool a message clearly asks for, with its arguments",
        arguments: [
            ("what time is it in Europe/Paris", "current_time", #"{"timezone":"Europe/Paris"}"#),
            ("What's the time?", "current_time", "{}"),
            ("fetch https://example.com", "web_browse", #"{"url":"https://example.com"}"#),
            ("https://swift.org/blog", "web_browse", #"{"url":"https://swift.org/blog"}"#),
            ("search the web for swift concurrency", "web_search", #"{"query":"swift concurrency"}"#),
            ("find 3 articles about actors", "web_search", #"{"max_results":3,"query":"3 articles about actors"}"#),
        ]
    )
    func callsMatchingTool(_ text: String, _ tool: String, _ arguments: String) async throws {
        let call = try onlyCall(try await provider.complete(request(text)))
        #expect(call.name == tool)
        #expect(call.arguments == arguments)
    }

    @Test("fills tool arguments with the typed extractors: counts, dates, times, money and emails")
    func typedArguments() async throws {
        let bookTable = ToolSpec(
            name: "book_table",
            description: "Book a restaurant table.",
            parameters: [
                "type": "object",
                "properties": [
                    "guests": ["type": "integer", "minimum": 1],
                    "date": ["type": "string", "format": "date"],
                    "time": ["type": "string", "format": "time"],
                    "budget": ["type": "number"],
                    "email": ["type": "string", "format": "email"],
                ],
                "required": ["guests", "date", "time"],
            ]
        )
        let text = "book a table for two next Friday at 7pm, under $80, confirm to ana@example.pt"
        let call = try onlyCall(try await provider.complete(request(text, tools: [bookTable], toolChoice: .required)))
        #expect(call.name == "book_table")
        #expect(
            call.arguments
                == #"{"budget":80,"date":"2026-02-06","email":"ana@example.pt","guests":2,"time":"19:00:00Z"}"#)
    }

    @Test("answers a structured-output request with what the extractors read, as JSON")
    func structuredOutput() async throws {
        let schema: JSONValue = [
            "type": "object",
            "properties": [
                "city": ["type": "string"], "date": ["type": "string", "format": "date"],
                "guests": ["type": "integer"],
            ],
            "required": ["city", "date", "guests"],
        ]
        let completion = try await provider.complete(
            CompletionRequest(model: "anvil", messages: [.user("dinner in Lisbon tomorrow")], responseSchema: schema))
        #expect(completion.finishReason == .stop)
        #expect(completion.message.text == #"{"city":"Lisbon","date":"2026-02-01"}"#)
    }

    @Test("answers honestly when no tool is asked for")
    func honestAnswer() async throws {
        let completion = try await provider.complete(request("tell me a joke"))
        let text = completion.message.text
        #expect(completion.finishReason == .stop)
        #expect(completion.message.toolCalls.isEmpty)
        #expect(text.contains("built-in offline model, not a language model"))
        #expect(text.contains("web_browse, current_time, web_search"))
        #expect(text.contains("OPENAI_API_KEY") && text.contains("OPENAI_BASE_URL"))
        #expect(text.contains("ANTHROPIC_API_KEY") && text.contains("manifests/models.yaml"))
        #expect(completion.model == "anvil")
    }

    @Test("says which argument was missing when a tool matches without it")
    func missingArgument() async throws {
        let completion = try await provider.complete(request("please open the pod bay doors"))
        #expect(completion.message.toolCalls.isEmpty)
        #expect(completion.message.text.contains("looks like a job for web_browse, but I couldn't find its url"))
    }

    @Test("never calls a tool when tool choice is none")
    func toolChoiceNone() async throws {
        for text in ["fetch https://example.com", "what time is it in Europe/Paris"] {
            let completion = try await provider.complete(request(text, toolChoice: .none))
            #expect(completion.message.toolCalls.isEmpty)
            #expect(completion.finishReason == .stop)
            #expect(completion.message.text.contains("Tools are turned off"))
        }
    }

    @Test("a named tool is called even without a match; required picks the best available")
    func forcedTools() async throws {
        let named = try onlyCall(try await provider.complete(request("swift actors", toolChoice: .named("web_search"))))
        #expect(named.name == "web_search")
        #expect(named.arguments == #"{"query":"swift actors"}"#)

        let required = try onlyCall(try await provider.complete(request("hello", toolChoice: .required)))
        #expect(required.name == "current_time")

        await #expect(throws: ProviderError.self) {
            try await provider.complete(request("hello", toolChoice: .named("missing_tool")))
        }
    }

    @Test("without tools it explains that there is nothing to run")
    func noTools() async throws {
        let completion = try await provider.complete(request("fetch https://example.com", tools: []))
        #expect(completion.message.toolCalls.isEmpty)
        #expect(completion.message.text.contains("No tools are enabled"))
    }

    @Test("answers from tool results")
    func answersFromToolResults() async throws {
        let calls = [
            ToolCall(id: "call_a", name: "web_browse", arguments: #"{"url":"https://example.com"}"#),
            ToolCall(id: "call_b", name: "current_time", arguments: "{}"),
        ]
        let messages: [ModelMessage] = [
            .user("fetch https://example.com and tell me the time"),
            .assistant(nil, toolCalls: calls),
            .tool(callID: "call_a", name: "web_browse", content: "  Example Domain\nThis domain is for examples.\n"),
            ModelMessage(role: .tool, content: [.text("2026-01-31T10:00:00Z")], toolCallID: "call_b"),
        ]
        let completion = try await provider.complete(
            CompletionRequest(model: "anvil", messages: messages, tools: Self.tools, toolChoice: .required)
        )
        #expect(completion.finishReason == .stop)
        #expect(completion.message.toolCalls.isEmpty)
        #expect(
            completion.message.text
                == "Here is what web_browse returned:\n\nExample Domain\nThis domain is for examples.\n\n"
                + "Here is what current_time returned:\n\n2026-01-31T10:00:00Z"
        )
    }

    @Test("long tool results are shortened")
    func longToolResults() async throws {
        let long = String(repeating: "lorem ipsum ", count: 1_000)
        let messages: [ModelMessage] = [
            .user("fetch https://example.com"),
            .assistant(nil, toolCalls: [ToolCall(id: "call_a", name: "web_browse", arguments: "{}")]),
            .tool(callID: "call_a", name: "web_browse", content: long),
        ]
        let text = try await provider.complete(CompletionRequest(model: "anvil", messages: messages)).message.text
        #expect(text.count < 2_100)
        #expect(text.hasPrefix("Here is what web_browse returned:\n\nlorem ipsum"))
        #expect(text.hasSuffix("more characters)"))
    }

    @Test(
        "streamed events add up to the same completion",
        arguments: ["tell me a joke", "fetch https://example.com", "what time is it in Europe/Paris"]
    )
    func streamingMatchesCompletion(_ text: String) async throws {
        let expected = try await provider.complete(request(text))
        var events: [CompletionEvent] = []
        for try await event in try await provider.stream(request(text)) { events.append(event) }

        var accumulator = CompletionAccumulator()
        for event in events { accumulator.add(event) }
        var streamed = accumulator.completion(model: "anvil")
        // Call ids are random per answer; everything else must match.
        streamed.message.toolCalls = zip(streamed.message.toolCalls, expected.message.toolCalls).map { call, other in
            #expect(call.id.hasPrefix("call_"))
            return ToolCall(id: other.id, name: call.name, arguments: call.arguments)
        }
        #expect(streamed == expected)

        #expect(events.last == .finished(expected.finishReason))
        #expect(events.dropLast().last == expected.usage.map(CompletionEvent.usage))
        let deltas = events.dropLast(2)
        if expected.message.toolCalls.isEmpty {
            #expect(deltas.count == expected.message.text.split(whereSeparator: \.isWhitespace).count)
            for case .textDelta(let word) in deltas {
                #expect(
                    word.trimmingCharacters(in: .whitespacesAndNewlines).split(whereSeparator: \.isWhitespace).count
                        == 1)
            }
        } else {
            guard case .toolCallDelta(let first) = deltas.first else {
                Issue.record("a tool call starts with its id and name")
                return
            }
            #expect(first.index == 0 && first.id != nil && first.name != nil && first.arguments.isEmpty)
            #expect((2...3).contains(deltas.count))
        }
    }

    @Test("usage counts prompt and answer approximately")
    func usage() async throws {
        let completion = try await provider.complete(request("tell me a joke"))
        let usage = try #require(completion.usage)
        // "You are helpful.\ntell me a joke": 7 words make 10 tokens, 31 characters only 8; the larger counts.
        #expect(usage.promptTokens == 10)
        #expect(usage.completionTokens > 50)
    }

    @Test("lists one model and rejects others")
    func models() async throws {
        #expect(
            try await provider.listModels() == [
                ModelInfo(
                    id: "local:anvil",
                    provider: "local",
                    supportsTools: true,
                    supportsStreaming: true,
                    contextWindow: 32_768
                )
            ]
        )
        #expect(provider.name == "local")
        await #expect(throws: ProviderError.unknownModel("local:gpt-4o")) {
            try await provider.complete(CompletionRequest(model: "gpt-4o", messages: [.user("hi")]))
        }
    }

    @Test("embeddings are stable, unit length, and closer for texts that share words")
    func embeddings() async throws {
        let texts = [
            "swift structured concurrency with task groups",
            "task groups in swift structured concurrency",
            "a recipe for lemon cake",
            "",
        ]
        let response = try await provider.embed(EmbeddingRequest(model: "anvil-embed", inputs: texts))
        let again = try await provider.embed(EmbeddingRequest(model: "anvil-embed", inputs: texts))
        #expect(response.vectors == again.vectors)
        #expect(response.model == "local:anvil-embed")
        #expect(response.vectors.allSatisfy { $0.count == 256 })
        #expect(response.usage.promptTokens > 0)

        func dot(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        let vectors = response.vectors
        #expect(abs(dot(vectors[0], vectors[0]) - 1) < 0.0001)
        #expect(dot(vectors[0], vectors[1]) > 0.6)
        #expect(dot(vectors[0], vectors[1]) > dot(vectors[0], vectors[2]) + 0.4)
        #expect(vectors[3].allSatisfy { $0 == 0 })
    }
}
