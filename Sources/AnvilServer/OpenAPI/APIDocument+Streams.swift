import OpenAPIKit

/// The server-sent event streams, described in words and shown by example: OpenAPI 3.1 has no way to give each
/// event's data a schema, so the `text/event-stream` content is a string with an `example`, and the response
/// description names each event and the shape of its data.
///
/// The examples are assembled from small JSON pieces rather than written out whole, so every `data:` line is
/// valid JSON by construction and the documentation test can parse them.
extension APIDocument {
    /// The events of `RunStreamer`, shared by both Anvil endpoints that run the agent loop.
    static var runStreamDescription: String {
        """
        As a stream (status 200, `text/event-stream`), each event is an `event:` line naming it and one `data:` line \
        of JSON, sent as it happens:
        - `message.created`: a `Message` just stored. A chat turn's first event is your message; then come the \
        run's assistant and tool messages, each once it is complete.
        - `round.started`: `{"round": 1}`: a model call begins. Rounds after the first follow tool results.
        - `delta`: `{"content": "..."}`: the next piece of the assistant's text.
        - `tool_call`: `{"id", "name", "arguments"}`: a tool call the model made; `arguments` is the JSON text it \
        wrote.
        - `tool_result`: `{"tool_call_id", "name", "content", "is_error"}`: what the tool returned.
        - `usage`: `{"prompt_tokens", "completion_tokens", "total_tokens"}` (a `TokenUsage`) of one model call.
        - `limit_reached`: `{"limit": "max_rounds"}`: an `AgentLimit` was reached; tools are withdrawn and the \
        model is asked to answer with what it has.
        - `done`: a `RunSummary`; the last event of a run that finished.
        - `error`: the `Error` shape, `{"error", "message", "details"}`; the last event of a run that failed after \
        the stream began, such as `provider_error` or `provider_timeout`. What was stored before stays stored; an \
        answer cut short is kept with status `incomplete`.

        A line starting with `:` is a comment: `: keep-alive` is sent about once a second while the run goes on, \
        so proxies keep the connection open through a slow tool; it carries nothing. Errors found before the stream begins (an invalid body, the \
        token limit, a provider that cannot be reached) are answered with their own status and a JSON `Error`, as \
        without a stream.
        """
    }

    /// The chunks of `OpenAIStream`.
    static var openAIStreamDescription: String {
        """
        As a stream (`stream: true`; status 200, `text/event-stream`), a sequence of `data:` lines, each a \
        `chat.completion.chunk` (see `OpenAIChatCompletionChunk`), ending with `data: [DONE]`:
        - the first chunk's delta carries `role: assistant` and empty `content`;
        - text arrives as `content` pieces;
        - a tool call's first chunk carries its `index`, `id`, `type` and `function.name` with empty \
        `function.arguments`, and later chunks for the same `index` add pieces of `function.arguments`;
        - the last chunk with a choice has an empty delta and the `finish_reason`;
        - with `stream_options.include_usage`, one more chunk follows with no choices and the `usage`.

        A failure after the stream began ends it with `event: error` and a `data:` line in Anvil's `Error` shape \
        instead of `[DONE]`, so a cut answer is never mistaken for a whole one. A `: keep-alive` comment line is \
        sent about once a second while the answer is produced.
        """
    }

    /// A chat turn that calls a tool: the user's message, a round with a tool call, a round with the answer.
    static var chatTurnStreamExample: String {
        let chatID = "7d5f3c2e-8a41-4b6f-9c3d-2e1f0a9b8c7d"
        let model = "openai:gpt-4o-mini"
        let (userMessageID, callMessageID, toolMessageID, answerID) = (
            "0b6f4e2a-3c1d-4e5f-8a9b-1c2d3e4f5a6b",
            "5e8d2c1b-7a6f-4e3d-9c8b-0a1f2e3d4c5b",
            "9a1b2c3d-4e5f-4a6b-8c7d-e8f9a0b1c2d3",
            "c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f"
        )
        let callID = "call_215a01999cdb"
        let tool = quoted("current_time")
        let arguments = quoted(#"{"timezone":"Europe/Paris"}"#)
        let toolOutput = "2026-01-31T13:00:00+01:00 (Saturday, Europe/Paris)"
        let answer = ["It is ", "13:00 on Saturday ", "in Paris."]
        let toolCall = jsonObject([
            ("id", quoted(callID)),
            ("type", quoted("function")),
            ("function", jsonObject([("name", tool), ("arguments", arguments)])),
        ])

        var events = [
            event(
                "message.created",
                messageJSON(id: userMessageID, chatID: chatID, role: "user", content: "What time is it in Paris?")
            ),
            event("round.started", #"{"round":1}"#),
            event("usage", usageJSON(65, 10)),
            event(
                "message.created",
                messageJSON(
                    id: callMessageID,
                    chatID: chatID,
                    role: "assistant",
                    content: "",
                    extra: [("tool_calls", jsonArray([toolCall]))],
                    model: model,
                    usage: (65, 10),
                    second: 1
                )
            ),
            event("tool_call", jsonObject([("id", quoted(callID)), ("name", tool), ("arguments", arguments)])),
            keepAlive,
            event(
                "message.created",
                messageJSON(
                    id: toolMessageID,
                    chatID: chatID,
                    role: "tool",
                    content: toolOutput,
                    extra: [("tool_call_id", quoted(callID)), ("name", tool)],
                    second: 1
                )
            ),
            event(
                "tool_result",
                jsonObject([
                    ("tool_call_id", quoted(callID)),
                    ("name", tool),
                    ("content", quoted(toolOutput)),
                    ("is_error", "false"),
                ])
            ),
            event("round.started", #"{"round":2}"#),
        ]
        events += answer.map { event("delta", jsonObject([("content", quoted($0))])) }
        events += [
            event("usage", usageJSON(98, 9)),
            event(
                "message.created",
                messageJSON(
                    id: answerID,
                    chatID: chatID,
                    role: "assistant",
                    content: answer.joined(),
                    model: model,
                    usage: (98, 9),
                    second: 2
                )
            ),
            event(
                "done",
                jsonObject([
                    ("usage", usageJSON(163, 19)),
                    ("model", quoted(model)),
                    ("message_ids", jsonArray([callMessageID, toolMessageID, answerID].map(quoted))),
                    ("chat_id", quoted(chatID)),
                ])
            ),
        ]
        return events.joined()
    }

    /// A stateless completion that answers in one round.
    static var statelessRunStreamExample: String {
        let model = "openai:gpt-4o-mini"
        let messageID = "3f2e1d0c-9b8a-4c7d-8e6f-5a4b3c2d1e0f"
        let answer = ["Bonjour ", "means hello ", "in French."]
        var events = [event("round.started", #"{"round":1}"#)]
        events += answer.map { event("delta", jsonObject([("content", quoted($0))])) }
        events += [
            event("usage", usageJSON(24, 8)),
            event(
                "message.created",
                messageJSON(
                    id: messageID,
                    chatID: "",
                    role: "assistant",
                    content: answer.joined(),
                    model: model,
                    usage: (24, 8),
                    second: 1
                )
            ),
            event(
                "done",
                jsonObject([
                    ("usage", usageJSON(24, 8)),
                    ("model", quoted(model)),
                    ("message_ids", jsonArray([quoted(messageID)])),
                ])
            ),
        ]
        return events.joined()
    }

    /// An OpenAI-style stream with `stream_options.include_usage`.
    static var openAIStreamExample: String {
        func chunk(_ choices: [String], usage: String? = nil) -> String {
            var fields = [
                ("id", quoted("chatcmpl-851dd43bf4254eaaaf309f1e0cd609d3")),
                ("object", quoted("chat.completion.chunk")),
                ("created", "1769860800"),
                ("model", quoted("openai:gpt-4o-mini")),
                ("choices", jsonArray(choices)),
            ]
            if let usage { fields.append(("usage", usage)) }
            return event(nil, jsonObject(fields))
        }
        func choice(_ delta: [(String, String)], finishReason: String? = nil) -> String {
            jsonObject([
                ("index", "0"),
                ("delta", jsonObject(delta)),
                ("logprobs", "null"),
                ("finish_reason", finishReason.map(quoted) ?? "null"),
            ])
        }
        return [
            chunk([choice([("role", quoted("assistant")), ("content", quoted(""))])]),
            chunk([choice([("content", quoted("Hello! "))])]),
            chunk([choice([("content", quoted("How can I help?"))])]),
            chunk([choice([], finishReason: "stop")]),
            chunk([], usage: usageJSON(12, 6)),
            "data: [DONE]\n\n",
        ]
        .joined()
    }

    // MARK: JSON pieces

    /// The comment `StreamPump` sends while a stream is quiet.
    private static let keepAlive = ": keep-alive\n\n"

    private static func event(_ name: String?, _ data: String) -> String {
        (name.map { "event: \($0)\n" } ?? "") + "data: \(data)\n\n"
    }

    private static func messageJSON(
        id: String,
        chatID: String,
        role: String,
        content: String,
        extra: [(String, String)] = [],
        model: String? = nil,
        usage: (prompt: Int, completion: Int) = (0, 0),
        second: Int = 0
    ) -> String {
        jsonObject(
            [("id", quoted(id)), ("chat_id", quoted(chatID)), ("role", quoted(role)), ("content", quoted(content))]
                + extra
                + [
                    ("model", model.map(quoted) ?? "null"),
                    ("status", quoted("complete")),
                    ("usage", usageJSON(usage.prompt, usage.completion)),
                    ("metadata", "{}"),
                    ("created_at", quoted("2026-01-31T12:00:0\(second).412Z")),
                ]
        )
    }

    private static func usageJSON(_ prompt: Int, _ completion: Int) -> String {
        jsonObject([
            ("prompt_tokens", "\(prompt)"),
            ("completion_tokens", "\(completion)"),
            ("total_tokens", "\(prompt + completion)"),
        ])
    }

    private static func jsonObject(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    private static func jsonArray(_ items: [String]) -> String {
        "[" + items.joined(separator: ",") + "]"
    }

    /// A JSON string literal; the examples' texts need only quotes, backslashes and newlines escaped.
    private static func quoted(_ text: String) -> String {
        var literal = "\""
        for character in text {
            switch character {
            case "\"": literal += "\\\""
            case "\\": literal += "\\\\"
            case "\n": literal += "\\n"
            default: literal.append(character)
            }
        }
        return literal + "\""
    }
}
