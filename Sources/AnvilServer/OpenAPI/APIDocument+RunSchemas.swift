import OpenAPIKit

// Scoped imports, so that names AnvilCore gains later cannot clash with OpenAPIKit's.
import enum AnvilCore.AgentLimit
import enum AnvilCore.ChatRules

// MARK: - Running the model

extension APIDocument.Schema {
    /// The bounds `RunOptionsValidation` checks `max_tokens` against.
    static let maximumOutputTokens = 1_000_000

    static var tokenUsageSchema: JSONSchema {
        .object(
            description: "Tokens used: those sent to the model, those it wrote, and their sum.",
            properties: [
                "prompt_tokens": .integer(minimum: (0, exclusive: false)),
                "completion_tokens": .integer(minimum: (0, exclusive: false)),
                "total_tokens": .integer(minimum: (0, exclusive: false)),
            ]
        )
    }

    static var agentLimitSchema: JSONSchema {
        .string(
            description: """
                A limit that stopped a run's tools: too many tool rounds (`max_rounds`) or tool calls \
                (`max_tool_calls`), the time allowed (`wall_time`), or the tokens set aside for the run \
                (`token_budget`). The model was then asked to answer without tools.
                """,
            allowedValues: [
                AgentLimit.maxRounds, AgentLimit.maxToolCalls, AgentLimit.wallTime, AgentLimit.tokenBudget,
            ]
            .map { AnyCodable($0.rawValue) }
        )
    }

    static var chatUsageSchema: JSONSchema {
        .object(
            description: "A chat's token account.",
            properties: [
                "total_tokens_used": .integer(
                    description: "Tokens the chat's runs have used.",
                    minimum: (0, exclusive: false)
                ),
                "token_limit": .integer(
                    description: "The chat's `token_limit`, or the server's default when it has none.",
                    minimum: (1, exclusive: false)
                ),
                "tokens_remaining": .integer(
                    description: "What is left of the limit; never below 0.",
                    minimum: (0, exclusive: false)
                ),
                "percentage_used": .number(
                    description: "The share of the limit used, 0 to 100, rounded to two decimals.",
                    maximum: (100, exclusive: false),
                    minimum: (0, exclusive: false)
                ),
            ]
        )
    }

    /// A model to use for one run instead of the chat's or the default; only its length is checked before it is
    /// looked up, and a model that is not configured is a 400 `unknown_model`.
    static func runModel(_ description: String) -> JSONSchema {
        .string(
            required: false,
            nullable: true,
            description: """
                \(description) A `provider:model` id or an alias, as listed by `GET /api/v1/models`; 1 to \
                \(ChatRules.maximumModelLength) characters. One that is not configured is a 400 `unknown_model`.
                """,
            minLength: 1,
            maxLength: ChatRules.maximumModelLength,
            examples: ["local:anvil"]
        )
    }

    /// Names of the server's tools; an unknown name is a 400 naming `tools`.
    static func toolNames(_ description: String) -> JSONSchema {
        .array(
            required: false,
            nullable: true,
            description: """
                \(description) Each a name the server has a tool registered under (1 to 64 letters, digits, `_` or \
                `-`); an unknown name is a 400.
                """,
            items: .string(minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9_-]{1,64}$", examples: ["current_time"])
        )
    }

    static var temperatureSchema: JSONSchema {
        .number(
            required: false,
            nullable: true,
            description: "Sampling temperature, 0 to 2; left out, the provider's default.",
            maximum: (2, exclusive: false),
            minimum: (0, exclusive: false)
        )
    }

    static func maxTokensSchema(_ description: String) -> JSONSchema {
        .integer(
            required: false,
            nullable: true,
            description: "\(description) 1 to \(maximumOutputTokens).",
            maximum: (maximumOutputTokens, exclusive: false),
            minimum: (1, exclusive: false)
        )
    }

    static var streamSchema: JSONSchema {
        .boolean(
            required: false,
            nullable: true,
            description: """
                `true` for server-sent events, `false` for one JSON object. Left out or `null`, the `Accept` header \
                decides: `text/event-stream` asks for a stream.
                """
        )
    }

    static var sendMessageRequestSchema: JSONSchema {
        .object(
            properties: [
                "content": .string(
                    description: """
                        Your message: 1 to \(MessageController.maximumContentLength) characters after surrounding \
                        whitespace is trimmed.
                        """,
                    minLength: 1,
                    maxLength: MessageController.maximumContentLength,
                    pattern: "\\S"
                ),
                "model": runModel("The model for this message; left out or `null`, the chat's model."),
                "tools": toolNames("The tools to offer for this message; left out or `null`, the chat's tools."),
                "stream": streamSchema,
                "temperature": temperatureSchema,
                "max_tokens": maxTokensSchema("The most tokens each model call may write."),
                "use_rag": .boolean(
                    required: false,
                    description: """
                        Offer the model passages of your uploaded documents that match the message, numbered so \
                        the answer can cite them; the citations are kept in the answer's `metadata.citations`. A \
                        chat whose metadata has `use_rag: true` does this by default.
                        """
                ),
            ]
        )
    }

    static var sendMessageResponseSchema: JSONSchema {
        .object(
            description: "A finished chat turn.",
            properties: [
                "user_message": APIDocument.Schema.message.reference(description: "Your message, as stored."),
                "messages": .array(
                    description: "The assistant and tool messages the run stored, in order; the last is the answer.",
                    items: APIDocument.Schema.message.reference()
                ),
                "usage": APIDocument.Schema.tokenUsage.reference(description: "Tokens the whole run used."),
                "limit_reached": limitReached,
                "chat": APIDocument.Schema.chat.reference(description: "The chat, as it was when the run started."),
            ]
        )
    }

    static var completionRequestSchema: JSONSchema {
        .object(
            properties: [
                "chat_id": .string(
                    required: false,
                    nullable: true,
                    description: """
                        One of your chats to run in: the last message is stored there as your turn and the chat's \
                        history replaces the earlier ones. An unknown id is a 404. Left out or `null`, the run is \
                        stateless.
                        """
                ),
                "model": runModel("The model to use; left out or `null`, the chat's model or the default."),
                "messages": .array(
                    description: """
                        The conversation, oldest first. With `chat_id`, the last must be a `user` message with text.
                        """,
                    minItems: 1,
                    items: APIDocument.Schema.openAIMessage.reference()
                ),
                "temperature": temperatureSchema,
                "max_tokens": maxTokensSchema("The most tokens each model call may write."),
                "use_rag": .boolean(
                    required: false,
                    description: """
                        Offer the model passages of your uploaded documents that match the message, numbered so \
                        the answer can cite them; the citations are kept in the answer's `metadata.citations`. A \
                        chat whose metadata has `use_rag: true` does this by default.
                        """
                ),
                "stream": streamSchema,
                "tools": toolNames("The server's tools to offer; left out or `null`, the chat's or the defaults."),
            ]
        )
    }

    static var completionResponseSchema: JSONSchema {
        .object(
            description: "A finished completion run.",
            properties: [
                "chat_id": .string(nullable: true, description: "The chat the run was in; `null` when stateless."),
                "model": .string(description: "The model that answered.", examples: ["local:anvil"]),
                "message": .one(
                    of: APIDocument.Schema.message.reference(),
                    .null(),
                    description: "The answer: the last message the run produced; `null` if it produced none."
                ),
                "messages": .array(
                    description: "Every assistant and tool message the run produced, in order.",
                    items: APIDocument.Schema.message.reference()
                ),
                "usage": APIDocument.Schema.tokenUsage.reference(description: "Tokens the whole run used."),
                "limit_reached": limitReached,
            ]
        )
    }

    /// Always sent in a JSON answer; `null` unless a limit stopped the tools.
    private static var limitReached: JSONSchema {
        .one(
            of: APIDocument.Schema.agentLimit.reference(),
            .null(),
            description: "The limit that stopped the run's tools; `null` when none did."
        )
    }

    static var runSummarySchema: JSONSchema {
        .object(
            description: "The data of a stream's `done` event: how a run that finished went.",
            properties: [
                "usage": APIDocument.Schema.tokenUsage.reference(description: "Tokens the whole run used."),
                "limit_reached": APIDocument.Schema.agentLimit.reference(
                    required: false,
                    description: "The limit that stopped the run's tools; left out when none did."
                ),
                "model": .string(description: "The model that answered."),
                "message_ids": .array(
                    description: "The ids of the messages the run produced, in order; the last is the answer.",
                    items: .string
                ),
                "chat_id": .string(required: false, description: "The chat the run was in; left out when stateless."),
            ]
        )
    }

    static var modelSchema: JSONSchema {
        .object(
            description: "A model the server can route to.",
            properties: [
                "id": .string(
                    description: "What to send as `model`: a `provider:model` id or an alias.",
                    examples: ["local:anvil"]
                ),
                "provider": .string(description: "The provider that serves it.", examples: ["local"]),
                "capabilities": .object(
                    description: "What the model can do, as far as the server knows.",
                    properties: [
                        "tools": .boolean(description: "It can call tools."),
                        "streaming": .boolean(description: "It can stream its answer."),
                        "vision": .boolean(description: "It can read images."),
                        "embeddings": .boolean(description: "It makes embeddings."),
                    ]
                ),
                "context_window": .integer(
                    nullable: true,
                    description: "How many tokens it can take in; `null` when unknown."
                ),
            ]
        )
    }

    static var modelListSchema: JSONSchema {
        .object(
            description: "Every model, then one entry per alias.",
            properties: [
                "data": .array(items: APIDocument.Schema.model.reference()),
                "default_model": .string(
                    description: "The model used when a request names none.",
                    examples: ["local:anvil"]
                ),
            ]
        )
    }
}
