import OpenAPIKit

// Scoped imports, so that names AnvilCore gains later (a JSON Schema type of its own, say) cannot clash with
// OpenAPIKit's.
import enum AnvilCore.AccountRules
import enum AnvilCore.ChatRules
import enum AnvilCore.MessageRole
import enum AnvilCore.MessageStatus

extension APIDocument {
    /// The named shapes of request and response bodies, stored under `components.schemas`.
    ///
    /// Field names, optionality and nullability follow the controllers' request structs and the encoders in
    /// `Representations.swift`: a field that is always sent but may be `null` is required and nullable, a field that
    /// is left out when it has no value is optional. Limits come from the same constants the handlers check, so the
    /// documented bounds move when the code's do.
    enum Schema: String, CaseIterable {
        case error = "Error"
        case healthStatus = "HealthStatus"
        case metadata = "Metadata"
        case user = "User"
        case authTokens = "AuthTokens"
        case registerRequest = "RegisterRequest"
        case loginRequest = "LoginRequest"
        case refreshTokenRequest = "RefreshTokenRequest"
        case updateUserRequest = "UpdateUserRequest"
        case changePasswordRequest = "ChangePasswordRequest"
        case deleteAccountRequest = "DeleteAccountRequest"
        case apiKey = "APIKey"
        case newAPIKey = "NewAPIKey"
        case apiKeyPage = "APIKeyPage"
        case createAPIKeyRequest = "CreateAPIKeyRequest"
        case providerKey = "ProviderKey"
        case providerKeyPage = "ProviderKeyPage"
        case setProviderKeyRequest = "SetProviderKeyRequest"
        case chat = "Chat"
        case chatPage = "ChatPage"
        case createChatRequest = "CreateChatRequest"
        case updateChatRequest = "UpdateChatRequest"
        case message = "Message"
        case messagePage = "MessagePage"
        case tokenUsage = "TokenUsage"
        case agentLimit = "AgentLimit"
        case chatUsage = "ChatUsage"
        case sendMessageRequest = "SendMessageRequest"
        case sendMessageResponse = "SendMessageResponse"
        case completionRequest = "CompletionRequest"
        case completionResponse = "CompletionResponse"
        case runSummary = "RunSummary"
        case model = "Model"
        case modelList = "ModelList"
        case tool = "Tool"
        case toolPage = "ToolPage"
        case invokeToolRequest = "InvokeToolRequest"
        case toolResult = "ToolResult"
        case promptParameter = "PromptParameter"
        case promptFormField = "PromptFormField"
        case compilePromptRequest = "CompilePromptRequest"
        case compiledPrompt = "CompiledPrompt"
        case promptForm = "PromptForm"
        case extractPromptRequest = "ExtractPromptRequest"
        case promptExtraction = "PromptExtraction"
        case renderPromptRequest = "RenderPromptRequest"
        case renderedPrompt = "RenderedPrompt"
        case optimizePromptRequest = "OptimizePromptRequest"
        case optimizedPrompt = "OptimizedPrompt"
        case promptTemplate = "PromptTemplate"
        case promptTemplatePage = "PromptTemplatePage"
        case createPromptTemplateRequest = "CreatePromptTemplateRequest"
        case updatePromptTemplateRequest = "UpdatePromptTemplateRequest"
        case startPromptChatRequest = "StartPromptChatRequest"
        case openAIMessage = "OpenAIMessage"
        case openAIContentPart = "OpenAIContentPart"
        case openAIToolCall = "OpenAIToolCall"
        case openAITool = "OpenAITool"
        case openAIChatCompletionRequest = "OpenAIChatCompletionRequest"
        case openAIChatCompletion = "OpenAIChatCompletion"
        case openAIChatCompletionChunk = "OpenAIChatCompletionChunk"
        case openAIModelList = "OpenAIModelList"
        case openAIEmbeddingRequest = "OpenAIEmbeddingRequest"
        case openAIEmbeddingList = "OpenAIEmbeddingList"

        /// A `$ref` to this schema, for use as a body or as a property of another schema.
        func reference(required: Bool = true, description: String? = nil) -> JSONSchema {
            .reference(.component(named: rawValue), required: required, description: description)
        }

        var definition: JSONSchema {
            switch self {
            case .error: Self.errorSchema
            case .healthStatus: Self.healthStatusSchema
            case .metadata: Self.metadataSchema
            case .user: Self.userSchema
            case .authTokens: Self.authTokensSchema
            case .registerRequest: Self.registerRequestSchema
            case .loginRequest: Self.loginRequestSchema
            case .refreshTokenRequest: Self.refreshTokenRequestSchema
            case .updateUserRequest: Self.updateUserRequestSchema
            case .changePasswordRequest: Self.changePasswordRequestSchema
            case .deleteAccountRequest: Self.deleteAccountRequestSchema
            case .apiKey: Self.apiKeySchema
            case .newAPIKey: Self.newAPIKeySchema
            case .apiKeyPage: Self.page(of: .apiKey, order: "newest first")
            case .createAPIKeyRequest: Self.createAPIKeyRequestSchema
            case .providerKey: Self.providerKeySchema
            case .providerKeyPage: Self.page(of: .providerKey, order: "by provider name; always the whole list")
            case .setProviderKeyRequest: Self.setProviderKeyRequestSchema
            case .chat: Self.chatSchema
            case .chatPage: Self.page(of: .chat, order: "newest first")
            case .createChatRequest: Self.createChatRequestSchema
            case .updateChatRequest: Self.updateChatRequestSchema
            case .message: Self.messageSchema
            case .messagePage: Self.page(of: .message, order: "oldest first, in the order they were committed")
            case .tokenUsage: Self.tokenUsageSchema
            case .agentLimit: Self.agentLimitSchema
            case .chatUsage: Self.chatUsageSchema
            case .sendMessageRequest: Self.sendMessageRequestSchema
            case .sendMessageResponse: Self.sendMessageResponseSchema
            case .completionRequest: Self.completionRequestSchema
            case .completionResponse: Self.completionResponseSchema
            case .runSummary: Self.runSummarySchema
            case .model: Self.modelSchema
            case .modelList: Self.modelListSchema
            case .tool: Self.toolSchema
            case .toolPage: Self.page(of: .tool, order: "in registration order; always the whole list")
            case .invokeToolRequest: Self.invokeToolRequestSchema
            case .toolResult: Self.toolResultSchema
            case .promptParameter: Self.promptParameterSchema
            case .promptFormField: Self.promptFormFieldSchema
            case .compilePromptRequest: Self.compilePromptRequestSchema
            case .compiledPrompt: Self.compiledPromptSchema
            case .promptForm: Self.promptFormSchema
            case .extractPromptRequest: Self.extractPromptRequestSchema
            case .promptExtraction: Self.promptExtractionSchema
            case .renderPromptRequest: Self.renderPromptRequestSchema
            case .renderedPrompt: Self.renderedPromptSchema
            case .optimizePromptRequest: Self.optimizePromptRequestSchema
            case .optimizedPrompt: Self.optimizedPromptSchema
            case .promptTemplate: Self.promptTemplateSchema
            case .promptTemplatePage: Self.page(of: .promptTemplate, order: "newest first")
            case .createPromptTemplateRequest: Self.createPromptTemplateRequestSchema
            case .updatePromptTemplateRequest: Self.updatePromptTemplateRequestSchema
            case .startPromptChatRequest: Self.startPromptChatRequestSchema
            case .openAIMessage: Self.openAIMessageSchema
            case .openAIContentPart: Self.openAIContentPartSchema
            case .openAIToolCall: Self.openAIToolCallSchema
            case .openAITool: Self.openAIToolSchema
            case .openAIChatCompletionRequest: Self.openAIChatCompletionRequestSchema
            case .openAIChatCompletion: Self.openAIChatCompletionSchema
            case .openAIChatCompletionChunk: Self.openAIChatCompletionChunkSchema
            case .openAIModelList: Self.openAIModelListSchema
            case .openAIEmbeddingRequest: Self.openAIEmbeddingRequestSchema
            case .openAIEmbeddingList: Self.openAIEmbeddingListSchema
            }
        }
    }
}

// MARK: - Shared

extension APIDocument.Schema {
    private static var errorSchema: JSONSchema {
        .object(
            description: "The one error shape every endpoint answers with.",
            properties: [
                "error": .string(
                    description: """
                        A stable machine-readable code to branch on, such as `invalid_request`, \
                        `invalid_query_parameter`, `unauthorized`, `invalid_password`, `not_found`, `conflict`, \
                        `payload_too_large`, `service_unavailable` or `internal_error`; for runs, also \
                        `unknown_model`, `missing_provider_key`, `unsupported`, `token_limit_reached`, \
                        `provider_error`, `provider_unavailable`, `provider_rate_limited` or `provider_timeout`; for \
                        prompts, also `invalid_template`, `invalid_values`, `invalid_schema` or `model_required`.
                        """,
                    examples: ["invalid_request"]
                ),
                "message": .string(description: "A human-readable explanation, safe to show to the user."),
                "details": .object(
                    required: false,
                    description: """
                        Where the problem is, when the server knows: `field` names an invalid body field, \
                        `parameter` an invalid query parameter, `limit_bytes` the body size limit, \
                        `provider_status` the status a model provider answered with.
                        """,
                    additionalProperties: .a(true)
                ),
            ]
        )
    }

    private static var healthStatusSchema: JSONSchema {
        .object(
            description: "The state of the server and, for readiness, of each dependency it checked.",
            properties: [
                "status": .string(
                    description: "`ok` from /health; `ready` or `unavailable` from /ready.",
                    allowedValues: "ok", "ready", "unavailable"
                ),
                "checks": .object(
                    required: false,
                    description:
                        "The outcome of each dependency check, e.g. `{\"database\": \"ok\"}`; only /ready sends it.",
                    additionalProperties: .b(.string)
                ),
            ]
        )
    }

    private static var metadataSchema: JSONSchema {
        .object(
            description: """
                Free-form JSON the client keeps with a chat or message. The server stores it as given; it must encode \
                to at most \(ChatRules.maximumMetadataBytes) bytes of JSON.
                """,
            additionalProperties: .a(true)
        )
    }

    /// Every list endpoint answers with the same envelope; OpenAPI has no generics, so each item type gets its own.
    private static func page(of item: Self, order: String) -> JSONSchema {
        .object(
            description: "One page of `\(item.rawValue)` items (\(order)) and the total they were taken from.",
            properties: [
                "data": .array(items: item.reference()),
                "total": .integer(description: "How many items there are in all.", minimum: (0, exclusive: false)),
                "limit": .integer(description: "The page size that was applied.", minimum: (1, exclusive: false)),
                "offset": .integer(description: "How many items were skipped.", minimum: (0, exclusive: false)),
            ]
        )
    }

    /// An ISO 8601 date-time; the server writes milliseconds and `Z`, and reads timestamps with or without them.
    ///
    /// The example is far in the future so that it is also valid where a timestamp must lie ahead, like an expiry.
    private static func timestamp(
        required: Bool = true,
        nullable: Bool = false,
        _ description: String
    ) -> JSONSchema {
        .string(
            format: .dateTime,
            required: required,
            nullable: nullable,
            description: description,
            examples: ["2099-01-31T12:00:00.000Z"]
        )
    }

    /// A string the handler trims before checking its length, so it must contain something besides whitespace.
    private static func trimmedText(
        required: Bool = true,
        nullable: Bool = false,
        minLength: Int = 1,
        maxLength: Int,
        _ description: String
    ) -> JSONSchema {
        .string(
            required: required,
            nullable: nullable,
            description: description,
            minLength: minLength,
            maxLength: maxLength,
            pattern: minLength > 0 ? "\\S" : nil
        )
    }
}

// MARK: - Accounts and sessions

extension APIDocument.Schema {
    private static var userSchema: JSONSchema {
        .object(
            description: "An account as its owner sees it.",
            properties: [
                "id": .string(description: "The account's id."),
                "email": .string(description: "The email address, as it was given at registration."),
                "display_name": .string(nullable: true, description: "The name to show; `null` when none is set."),
                "is_admin": .boolean(description: "Whether the account may administer the server."),
                "created_at": timestamp("When the account was created."),
                "updated_at": timestamp("When the account last changed."),
            ]
        )
    }

    private static var authTokensSchema: JSONSchema {
        .object(
            description: "A new session: the account, a short-lived access token and a single-use refresh token.",
            properties: [
                "user": APIDocument.Schema.user.reference(),
                "access_token": .string(description: "A JWT to send as `Authorization: Bearer <token>`."),
                "refresh_token": .string(
                    description: """
                        Exchange it at `/api/v1/auth/refresh` for a new pair before the access token expires. It works \
                        once; presenting it again revokes the whole session.
                        """
                ),
                "token_type": .string(description: "Always `bearer`.", allowedValues: "bearer"),
                "expires_in": .integer(
                    description: "Seconds until the access token expires.",
                    minimum: (0, exclusive: false)
                ),
            ]
        )
    }

    private static func password(_ description: String) -> JSONSchema {
        .string(
            format: .password,
            description: """
                \(description) \(AccountRules.minimumPasswordLength) to \(AccountRules.maximumPasswordLength) \
                characters; every character counts, however long.
                """,
            minLength: AccountRules.minimumPasswordLength,
            maxLength: AccountRules.maximumPasswordLength
        )
    }

    private static var displayNameRule: String {
        """
        At most \(AccountRules.maximumDisplayNameLength) characters; surrounding whitespace is trimmed and an empty \
        name means none.
        """
    }

    private static var registerRequestSchema: JSONSchema {
        .object(
            properties: [
                "email": .string(
                    format: .email,
                    description: "A valid address not used by another account (compared case-insensitively).",
                    minLength: 3,
                    maxLength: AccountRules.maximumEmailLength
                ),
                "password": password("The new account's password."),
                "display_name": .string(
                    required: false,
                    nullable: true,
                    description: displayNameRule,
                    maxLength: AccountRules.maximumDisplayNameLength
                ),
            ]
        )
    }

    private static var loginRequestSchema: JSONSchema {
        .object(
            properties: [
                "email": .string(description: "The account's email address."),
                "password": .string(format: .password, description: "The account's password."),
            ]
        )
    }

    private static var refreshTokenRequestSchema: JSONSchema {
        .object(
            properties: [
                "refresh_token": .string(description: "The refresh token from the last login or refresh.")
            ]
        )
    }

    private static var updateUserRequestSchema: JSONSchema {
        .object(
            description: "Fields to change. Leave a field out to keep its value; send `null` to clear it.",
            properties: [
                "display_name": .string(
                    required: false,
                    nullable: true,
                    description: displayNameRule,
                    maxLength: AccountRules.maximumDisplayNameLength
                )
            ]
        )
    }

    private static var changePasswordRequestSchema: JSONSchema {
        .object(
            properties: [
                "current_password": .string(format: .password, description: "The password in use now."),
                "new_password": password("The password to use from now on."),
            ]
        )
    }

    private static var deleteAccountRequestSchema: JSONSchema {
        .object(
            properties: [
                "password": .string(format: .password, description: "The account's password, to confirm.")
            ]
        )
    }
}

// MARK: - Keys

extension APIDocument.Schema {
    private static var apiKeySchema: JSONSchema {
        .object(
            description: "An API key as it is listed: never the secret itself.",
            properties: [
                "id": .string(description: "The key's id, for revoking it."),
                "name": .string(description: "The name given at creation."),
                "prefix": .string(description: "The first characters of the key, enough to recognise it."),
                "created_at": timestamp("When the key was created."),
                "expires_at": timestamp(nullable: true, "When the key stops working; `null` if it never expires."),
                "last_used_at": timestamp(nullable: true, "When the key last authenticated a request; `null` if none."),
            ]
        )
    }

    private static var newAPIKeySchema: JSONSchema {
        .all(
            of: APIDocument.Schema.apiKey.reference(),
            .object(
                properties: [
                    "key": .string(
                        description: """
                            The secret, shown only in this response. Send it as `X-API-Key: <key>` or \
                            `Authorization: Bearer <key>`.
                            """,
                        pattern: "^\(TokenService.apiKeyPrefix)"
                    )
                ]
            ),
            description: "A key just created, with its secret."
        )
    }

    private static var createAPIKeyRequestSchema: JSONSchema {
        .object(
            properties: [
                "name": trimmedText(
                    maxLength: APIKeyController.maximumNameLength,
                    """
                    A name to recognise the key by: 1 to \(APIKeyController.maximumNameLength) characters after \
                    surrounding whitespace is trimmed.
                    """
                ),
                "expires_at": timestamp(
                    required: false,
                    nullable: true,
                    "When the key should stop working; must be in the future. Leave out or `null` for no expiry."
                ),
            ]
        )
    }

    private static var providerKeySchema: JSONSchema {
        .object(
            description: "That a key is stored for a provider, and when; the key itself is never returned.",
            properties: [
                "provider": .string(description: "The provider's name, e.g. `openai`."),
                "is_set": .boolean(description: "Always `true`: only providers with a key are listed."),
                "created_at": timestamp("When a key was first stored for this provider."),
                "updated_at": timestamp("When the key was last replaced."),
            ]
        )
    }

    private static var setProviderKeyRequestSchema: JSONSchema {
        .object(
            properties: [
                "key": trimmedText(
                    maxLength: ProviderKeyController.maximumKeyLength,
                    """
                    The provider's API key: 1 to \(ProviderKeyController.maximumKeyLength) bytes after surrounding \
                    whitespace is trimmed. Stored encrypted; it replaces any key already set.
                    """
                )
            ]
        )
    }
}

// MARK: - Chats

extension APIDocument.Schema {
    private static var titleRule: String {
        "1 to \(ChatRules.maximumTitleLength) characters after surrounding whitespace is trimmed."
    }

    private static func model(required: Bool, nullable: Bool, _ description: String) -> JSONSchema {
        .string(
            required: required,
            nullable: nullable,
            description: """
                \(description) 1 to \(ChatRules.maximumModelLength) characters, e.g. `local:anvil`; a model that \
                is not configured is refused when a message is sent (400 `unknown_model`).
                """,
            minLength: 1,
            maxLength: ChatRules.maximumModelLength
        )
    }

    private static func systemPrompt(required: Bool, _ description: String) -> JSONSchema {
        .string(
            required: required,
            nullable: true,
            description: "\(description) At most \(ChatRules.maximumSystemPromptLength) characters.",
            maxLength: ChatRules.maximumSystemPromptLength
        )
    }

    private static func tokenLimit(_ description: String) -> JSONSchema {
        .integer(
            required: false,
            nullable: true,
            description: "\(description) 1 to \(ChatRules.maximumTokenLimit).",
            maximum: (ChatRules.maximumTokenLimit, exclusive: false),
            minimum: (1, exclusive: false)
        )
    }

    private static func tools(required: Bool, _ description: String) -> JSONSchema {
        .array(
            required: required,
            nullable: true,
            description: """
                \(description) At most \(ChatRules.maximumTools) names of 1 to 64 letters, digits, `_` or `-`; \
                duplicates are dropped.
                """,
            maxItems: ChatRules.maximumTools,
            items: .string(minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9_-]{1,64}$")
        )
    }

    private static var chatSchema: JSONSchema {
        .object(
            description: "A conversation and the model settings its messages run with.",
            properties: [
                "id": .string(description: "The chat's id."),
                "title": .string(description: "The chat's title."),
                "model": .string(nullable: true, description: "The model its messages use; `null` for the default."),
                "system_prompt": .string(nullable: true, description: "The system prompt; `null` when none is set."),
                "tools": .array(
                    nullable: true,
                    description: "Names of the tools the agent may offer; `null` means the server's default set.",
                    items: .string
                ),
                "token_limit": .integer(
                    nullable: true,
                    description: """
                        The most tokens the chat's runs may use in all; `null` for the server's default \
                        (\(ChatRules.defaultTokenLimit) unless configured otherwise).
                        """,
                    maximum: (ChatRules.maximumTokenLimit, exclusive: false),
                    minimum: (1, exclusive: false)
                ),
                "metadata": APIDocument.Schema.metadata.reference(),
                "is_archived": .boolean(description: "Archived chats are left out of lists unless asked for."),
                "created_at": timestamp("When the chat was created."),
                "updated_at": timestamp("When the chat last changed."),
            ]
        )
    }

    private static var createChatRequestSchema: JSONSchema {
        .object(
            description: "Every field is optional; `{}` creates an empty chat with the server's defaults.",
            properties: [
                "title": trimmedText(
                    required: false,
                    nullable: true,
                    maxLength: ChatRules.maximumTitleLength,
                    "\(titleRule) Defaults to “\(ChatRules.defaultTitle)”."
                ),
                "model": model(required: false, nullable: true, "The model to use; `null` for the default."),
                "system_prompt": systemPrompt(required: false, "The system prompt."),
                "tools": tools(required: false, "Tools the agent may offer; `null` for the server's default set."),
                "token_limit": tokenLimit("The most tokens the chat's runs may use in all; `null` for the default."),
                "metadata": .object(
                    required: false,
                    nullable: true,
                    description: """
                        Free-form JSON kept with the chat, at most \(ChatRules.maximumMetadataBytes) bytes when \
                        encoded. Defaults to `{}`.
                        """,
                    additionalProperties: .a(true)
                ),
            ]
        )
    }

    private static var updateChatRequestSchema: JSONSchema {
        .object(
            description: "Fields to change. Leave a field out to keep its value; `null` clears the nullable ones.",
            properties: [
                "title": trimmedText(required: false, maxLength: ChatRules.maximumTitleLength, titleRule),
                "is_archived": .boolean(required: false, description: "Archive or restore the chat."),
                "model": model(required: false, nullable: true, "The model to use; `null` resets it to the default."),
                "system_prompt": systemPrompt(required: false, "The system prompt; `null` removes it."),
                "tools": tools(required: false, "Tools the agent may offer; `null` resets to the default set."),
                "token_limit": tokenLimit("The most tokens the chat's runs may use in all; `null` resets it."),
                "metadata": APIDocument.Schema.metadata.reference(
                    required: false,
                    description: "Replaces the whole metadata object."
                ),
            ]
        )
    }

    private static var messageSchema: JSONSchema {
        .object(
            description: "One stored message of a chat.",
            properties: [
                "id": .string(description: "The message's id."),
                "chat_id": .string(description: "The chat it belongs to; empty in a stateless completion."),
                "role": .string(
                    description: "Who wrote the message.",
                    allowedValues: MessageRole.allCases.map { AnyCodable($0.rawValue) }
                ),
                "content": .string(
                    nullable: true,
                    description: "The text; empty or `null` for an assistant message with only tool calls."
                ),
                "tool_calls": .array(
                    required: false,
                    description: "Tool calls an assistant message requested; left out when none.",
                    items: APIDocument.Schema.openAIToolCall.reference()
                ),
                "tool_call_id": .string(required: false, description: "For a tool message: the call it answers."),
                "name": .string(
                    required: false,
                    description: "For a tool message, the tool's name; otherwise an optional participant name."
                ),
                "model": .string(nullable: true, description: "The model that wrote it; `null` for user messages."),
                "status": .string(
                    description: "`incomplete` when a stream was cut short, `failed` when the model call failed.",
                    allowedValues: MessageStatus.allCases.map { AnyCodable($0.rawValue) }
                ),
                "usage": APIDocument.Schema.tokenUsage.reference(
                    description: "Tokens the model call that wrote it used; zero for user and tool messages."
                ),
                "metadata": APIDocument.Schema.metadata.reference(),
                "created_at": timestamp("When the message was committed."),
            ]
        )
    }
}
