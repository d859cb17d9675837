import OpenAPIKit

// Scoped imports, so that names AnvilCore gains later cannot clash with OpenAPIKit's.
import enum AnvilCore.ChatRules
import enum AnvilCore.FinishReason

// MARK: - OpenAI's formats

/// The shapes of `OpenAIWire`: what OpenAI's SDKs send and expect. Request schemas follow what the decoders accept
/// (optional fields may be `null`; fields Anvil does not use are allowed and ignored), response schemas what the
/// encoders write.
extension APIDocument.Schema {
    private static let nonToolRoles = ["system", "developer", "user", "assistant"]

    static var openAIMessageSchema: JSONSchema {
        .all(
            of: .object(
                properties: [
                    "role": .string(
                        description: "Who wrote it; `developer` is read as `system`. Any other role is a 400.",
                        allowedValues: (nonToolRoles + ["tool"]).map { AnyCodable($0) }
                    ),
                    "content": .one(
                        of: .string,
                        .array(items: APIDocument.Schema.openAIContentPart.reference()),
                        .null(),
                        required: false,
                        description: """
                            Text, or an array of text and image parts. Left out or `null` for an assistant message \
                            with only tool calls.
                            """
                    ),
                    "name": .string(required: false, nullable: true, description: "An optional participant name."),
                    "tool_calls": .array(
                        required: false,
                        nullable: true,
                        description: "For an assistant message: the tool calls it made.",
                        items: APIDocument.Schema.openAIToolCall.reference()
                    ),
                    "tool_call_id": .string(
                        required: false,
                        nullable: true,
                        description: "For a `tool` message, required: the id of the call it answers."
                    ),
                ]
            ),
            .any(
                of: .object(properties: ["role": .string(allowedValues: nonToolRoles.map { AnyCodable($0) })]),
                .object(properties: ["tool_call_id": .string]),
                description: "A `tool` message must name the call it answers; without `tool_call_id` it is a 400."
            ),
            description: "A message in OpenAI's chat format."
        )
    }

    static var openAIContentPartSchema: JSONSchema {
        .one(
            of: .object(
                title: "Text part",
                properties: [
                    "type": .string(allowedValues: "text"),
                    "text": .string,
                ]
            ),
            .object(
                title: "Image part",
                properties: [
                    "type": .string(allowedValues: "image_url"),
                    "image_url": .object(
                        properties: [
                            "url": .string(description: "An `https:` or `data:` URL of the image."),
                            "detail": .string(
                                required: false,
                                nullable: true,
                                description: "`auto`, `low` or `high`, passed to the provider."
                            ),
                        ]
                    ),
                ]
            ),
            description: """
                One part of a message's content. Images need a model that can read them; otherwise the answer is a \
                400 `unsupported`.
                """
        )
    }

    static var openAIToolCallSchema: JSONSchema {
        .object(
            description: "A tool call a model made, in OpenAI's format.",
            properties: [
                "id": .string(description: "The call's id, which the tool message answering it names."),
                "type": .string(
                    required: false,
                    nullable: true,
                    description: "Always `function` in answers; in requests it may be left out, and it is not checked.",
                    examples: ["function"]
                ),
                "function": .object(
                    properties: [
                        "name": .string(description: "The tool's name."),
                        "arguments": .string(
                            description: "The arguments as JSON text, as the model wrote them.",
                            examples: [#"{"timezone":"Europe/Paris"}"#]
                        ),
                    ]
                ),
            ]
        )
    }

    static var openAIToolSchema: JSONSchema {
        .object(
            description: "A function the model may call; the call comes back to you to run.",
            properties: [
                "type": .string(description: "Only functions are supported.", allowedValues: "function"),
                "function": .object(
                    properties: [
                        "name": .string(
                            description: "1 to 64 letters, digits, `_` or `-`.",
                            minLength: 1,
                            maxLength: 64,
                            pattern: "^[A-Za-z0-9_-]{1,64}$"
                        ),
                        "description": .string(
                            required: false,
                            nullable: true,
                            description: "What the function does, for the model."
                        ),
                        "parameters": .fragment(
                            required: false,
                            description: """
                                A JSON Schema of the arguments; left out or `null`, an object with no properties.
                                """
                        ),
                    ]
                ),
            ]
        )
    }

    static var openAIChatCompletionRequestSchema: JSONSchema {
        .all(
            of: .object(
                properties: [
                    "model": .string(
                        description: """
                            A `provider:model` id or an alias, as listed by `GET /v1/models`; 1 to \
                            \(ChatRules.maximumModelLength) characters. One that is not configured is a 400 \
                            `unknown_model`. Answers name the model as it was sent.
                            """,
                        minLength: 1,
                        maxLength: ChatRules.maximumModelLength,
                        examples: ["local:anvil"]
                    ),
                    "messages": .array(
                        description: "The conversation, oldest first.",
                        minItems: 1,
                        items: APIDocument.Schema.openAIMessage.reference()
                    ),
                    "tools": .array(
                        required: false,
                        nullable: true,
                        description: "Functions the model may call; their calls come back to you.",
                        items: APIDocument.Schema.openAITool.reference()
                    ),
                    "tool_choice": .one(
                        of: .string(allowedValues: "auto", "none", "required"),
                        .object(
                            properties: [
                                "type": .fragment(required: false, description: "`function`; not checked."),
                                "function": .object(
                                    properties: ["name": .string(description: "The function to call.")]
                                ),
                            ]
                        ),
                        .null(),
                        required: false,
                        description: """
                            Whether the model may, must not or must call a function, or which one it must call. \
                            Applies only with `tools`.
                            """
                    ),
                    "temperature": temperatureSchema,
                    "max_tokens": maxTokensSchema(
                        "The most tokens the answer may have; ignored when `max_completion_tokens` is set."
                    ),
                    "max_completion_tokens": maxTokensSchema("The most tokens the answer may have."),
                    "stream": .boolean(
                        required: false,
                        nullable: true,
                        description: "`true` for `chat.completion.chunk` server-sent events."
                    ),
                    "stream_options": .object(
                        required: false,
                        nullable: true,
                        properties: [
                            "include_usage": .boolean(
                                required: false,
                                nullable: true,
                                description: "Send a last chunk with the usage and no choices."
                            )
                        ]
                    ),
                    "n": .integer(
                        required: false,
                        nullable: true,
                        description: "How many choices to make; only 1 is supported.",
                        maximum: (1, exclusive: false),
                        minimum: (1, exclusive: false)
                    ),
                    "response_format": .fragment(
                        required: false,
                        description: """
                            `{"type": "json_schema", "json_schema": {"schema": {...}}}` asks the provider for JSON \
                            matching the schema; any other value is ignored.
                            """
                    ),
                    "anvil_tools": toolNames(
                        """
                        Anvil extension: the server's tools to run for this request, server-side. Cannot be combined \
                        with `tools`.
                        """
                    ),
                ]
            ),
            .not(
                .object(
                    properties: [
                        "tools": .array(minItems: 1),
                        "anvil_tools": .array(minItems: 1),
                    ]
                ),
                description: "Client `tools` and `anvil_tools` cannot both be given in one request; that is a 400."
            ),
            description: "OpenAI's chat completion request, with Anvil's `anvil_tools` extension."
        )
    }

    private static var finishReasons: [AnyCodable] {
        [FinishReason.stop, .length, .toolCalls, .contentFilter].map { AnyCodable($0.rawValue) }
    }

    private static func alwaysNull(_ description: String) -> JSONSchema {
        .string(nullable: true, description: "\(description) Always `null`.")
    }

    private static func constant(_ value: String) -> JSONSchema {
        .string(description: "Always `\(value)`.", allowedValues: AnyCodable(value))
    }

    private static var completionID: JSONSchema {
        .string(description: "The completion's id.", examples: ["chatcmpl-851dd43bf4254eaaaf309f1e0cd609d3"])
    }

    private static var createdTime: JSONSchema {
        .integer(description: "When the completion was created, in seconds since 1970.", minimum: (0, exclusive: false))
    }

    static var openAIChatCompletionSchema: JSONSchema {
        .object(
            description: "A `chat.completion`: the answer as one object.",
            properties: [
                "id": completionID,
                "object": constant("chat.completion"),
                "created": createdTime,
                "model": .string(description: "The model as the request named it."),
                "choices": .array(
                    description: "Exactly one choice.",
                    minItems: 1,
                    maxItems: 1,
                    items: .object(
                        properties: [
                            "index": .integer(description: "Always 0.", minimum: (0, exclusive: false)),
                            "message": .object(
                                properties: [
                                    "role": constant("assistant"),
                                    "content": .string(
                                        nullable: true,
                                        description: "The answer's text; `null` when the answer is only tool calls."
                                    ),
                                    "tool_calls": .array(
                                        required: false,
                                        description: "The functions the model wants you to call; left out when none.",
                                        items: APIDocument.Schema.openAIToolCall.reference()
                                    ),
                                    "refusal": alwaysNull("A refusal message."),
                                ]
                            ),
                            "logprobs": alwaysNull("Log probabilities are not supported."),
                            "finish_reason": .string(
                                description: "Why the answer ended; `tool_calls` when it asks for calls.",
                                allowedValues: finishReasons
                            ),
                        ]
                    )
                ),
                "usage": APIDocument.Schema.tokenUsage.reference(),
                "system_fingerprint": alwaysNull("The system fingerprint."),
            ]
        )
    }

    static var openAIChatCompletionChunkSchema: JSONSchema {
        .object(
            description: """
                One `chat.completion.chunk` of a stream: the `data:` of each event before `data: [DONE]`.
                """,
            properties: [
                "id": completionID,
                "object": constant("chat.completion.chunk"),
                "created": createdTime,
                "model": .string(description: "The model as the request named it."),
                "choices": .array(
                    description: "One choice; none in the usage chunk.",
                    maxItems: 1,
                    items: .object(
                        properties: [
                            "index": .integer(description: "Always 0.", minimum: (0, exclusive: false)),
                            "delta": .object(
                                description: "What this chunk adds; empty in the chunk with the `finish_reason`.",
                                properties: [
                                    "role": .string(
                                        required: false,
                                        description: "`assistant`, in the first chunk only.",
                                        allowedValues: "assistant"
                                    ),
                                    "content": .string(required: false, description: "The next piece of text."),
                                    "tool_calls": .array(
                                        required: false,
                                        items: .object(
                                            properties: [
                                                "index": .integer(
                                                    description: "Which call of the answer this piece belongs to.",
                                                    minimum: (0, exclusive: false)
                                                ),
                                                "id": .string(required: false, description: "In a call's first piece."),
                                                "type": .string(
                                                    required: false,
                                                    description: "`function`, in a call's first piece.",
                                                    allowedValues: "function"
                                                ),
                                                "function": .object(
                                                    properties: [
                                                        "name": .string(
                                                            required: false,
                                                            description: "In a call's first piece."
                                                        ),
                                                        "arguments": .string(
                                                            description: "The next piece of the arguments' JSON text."
                                                        ),
                                                    ]
                                                ),
                                            ]
                                        )
                                    ),
                                ]
                            ),
                            "logprobs": alwaysNull("Log probabilities are not supported."),
                            "finish_reason": .string(
                                nullable: true,
                                description: """
                                    `null` until the last chunk with a choice, then `stop`, `length`, `tool_calls` or \
                                    `content_filter`.
                                    """
                            ),
                        ]
                    )
                ),
                "usage": APIDocument.Schema.tokenUsage.reference(
                    required: false,
                    description: "Only in the last chunk, and only with `stream_options.include_usage`."
                ),
            ]
        )
    }

    static var openAIModelListSchema: JSONSchema {
        .object(
            description: "The models, as OpenAI lists them.",
            properties: [
                "object": constant("list"),
                "data": .array(
                    items: .object(
                        properties: [
                            "id": .string(description: "What to send as `model`.", examples: ["local:anvil"]),
                            "object": constant("model"),
                            "created": .integer(
                                description: "The time of the request, in seconds since 1970.",
                                minimum: (0, exclusive: false)
                            ),
                            "owned_by": .string(description: "The provider that serves it.", examples: ["local"]),
                        ]
                    )
                ),
            ]
        )
    }

    static var openAIEmbeddingRequestSchema: JSONSchema {
        .object(
            description: "OpenAI's embeddings request.",
            properties: [
                "model": .string(
                    description: """
                        An embedding model, such as `local:anvil-embed`; one that is not configured is a 400 \
                        `unknown_model`. Answers name the model as it was sent.
                        """,
                    examples: ["local:anvil-embed"]
                ),
                "input": .one(
                    of: .string,
                    .array(minItems: 1, maxItems: 2048, items: .string),
                    description: "A text, or 1 to 2048 texts, to embed."
                ),
                "encoding_format": .one(
                    of: .string(allowedValues: "float", "base64"),
                    .null(),
                    required: false,
                    description: "`float` (the default) for arrays of numbers, `base64` for base64 of float32s."
                ),
            ]
        )
    }

    static var openAIEmbeddingListSchema: JSONSchema {
        .object(
            description: "The embeddings, one per input, in input order.",
            properties: [
                "object": constant("list"),
                "data": .array(
                    items: .object(
                        properties: [
                            "object": constant("embedding"),
                            "index": .integer(
                                description: "The position of its input.",
                                minimum: (0, exclusive: false)
                            ),
                            "embedding": .one(
                                of: .array(items: .number),
                                .string(description: "Base64 of little-endian float32 values."),
                                description: "The vector: numbers, or base64 with `encoding_format: base64`."
                            ),
                        ]
                    )
                ),
                "model": .string(description: "The model as the request named it."),
                "usage": .object(
                    properties: [
                        "prompt_tokens": .integer(minimum: (0, exclusive: false)),
                        "total_tokens": .integer(minimum: (0, exclusive: false)),
                    ]
                ),
            ]
        )
    }
}
