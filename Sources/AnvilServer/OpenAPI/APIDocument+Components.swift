import OpenAPIKit

// A scoped import, so names AnvilCore adds later cannot clash with OpenAPIKit's.
import struct AnvilCore.PageRequest

// MARK: - Headers

extension APIDocument {
    static let requestIDHeaderName = "X-Request-Id"

    /// Set on every response by ``RequestIDMiddleware``; documented once and referenced from each response.
    static var requestIDHeader: OpenAPI.Header {
        OpenAPI.Header(
            schema: .string(minLength: 1, maxLength: 128, pattern: "^[A-Za-z0-9._-]+$"),
            description: """
                Identifies the request in the server's logs. A client-sent `X-Request-Id` of up to 128 letters, \
                digits, `-`, `_` or `.` is echoed; otherwise the server makes one up.
                """,
            required: true
        )
    }

    /// The headers every response carries.
    static var standardHeaders: OpenAPI.Header.Map {
        [requestIDHeaderName: .reference(.component(named: requestIDHeaderName))]
    }
}

// MARK: - Responses

extension APIDocument {
    /// A response with a JSON body of the given schema.
    static func jsonResponse(
        _ description: String,
        _ schema: Schema,
        extraHeaders: OpenAPI.Header.Map = [:]
    ) -> OpenAPI.Response {
        var headers = standardHeaders
        for (name, header) in extraHeaders {
            headers[name] = header
        }
        return OpenAPI.Response(
            description: description,
            headers: headers,
            content: [.json: .content(OpenAPI.Content(schema: schema.reference()))]
        )
    }

    /// A response with a body that is not JSON, such as the metrics text or the docs page.
    static func documentResponse(
        _ description: String,
        _ contentType: OpenAPI.ContentType,
        _ schema: JSONSchema
    ) -> OpenAPI.Response {
        OpenAPI.Response(
            description: description,
            headers: standardHeaders,
            content: [contentType: .content(OpenAPI.Content(schema: schema))]
        )
    }

    /// A `200` that is JSON by default and a stream of server-sent events when the client asks for one. The stream
    /// is documented as a string with an example, which is as far as OpenAPI 3.1 goes for `text/event-stream`.
    static func streamingResponse(
        _ description: String,
        _ schema: Schema,
        streamExample: String
    ) -> OpenAPI.Response {
        OpenAPI.Response(
            description: description,
            headers: standardHeaders,
            content: [
                .json: .content(OpenAPI.Content(schema: schema.reference())),
                .eventStream: .content(
                    OpenAPI.Content(
                        schema: serverSentEventSchema,
                        example: AnyCodable(streamExample)
                    )
                ),
            ]
        )
    }

    /// One server-sent event, the unit a `text/event-stream` body is made of: its name (absent on the OpenAI
    /// front's data-only chunks) and its data, a JSON text except for the final `[DONE]`.
    static var serverSentEventSchema: JSONSchema {
        .object(
            description: "One server-sent event of the stream described above.",
            properties: [
                "event": .string(required: false, description: "The event name; absent on data-only events."),
                "data": .string(description: "The event's data: JSON, or `[DONE]` at the end of an OpenAI stream."),
                "id": .string(required: false),
                "retry": .integer(required: false),
            ]
        )
    }

    /// A `204 No Content` response.
    static func emptyResponse(_ description: String) -> OpenAPI.Response {
        OpenAPI.Response(description: description, headers: standardHeaders)
    }

    /// The error responses several operations share, stored under `components.responses`. All carry the `Error`
    /// schema; they differ in status and in when they happen.
    enum SharedResponse: String, CaseIterable {
        case badRequest = "BadRequest"
        case badModelRequest = "BadModelRequest"
        case unauthorized = "Unauthorized"
        case paymentRequired = "PaymentRequired"
        case forbidden = "Forbidden"
        case notFound = "NotFound"
        case conflict = "Conflict"
        case payloadTooLarge = "PayloadTooLarge"
        case internalError = "InternalError"
        case badGateway = "BadGateway"
        case serviceUnavailable = "ServiceUnavailable"
        case providerUnavailable = "ProviderUnavailable"
        case gatewayTimeout = "GatewayTimeout"

        /// What an operation that calls a model can answer besides its own errors. Each replaces the generic
        /// response with its status, since it covers the same cases and more.
        static let modelErrors: [Self] = [.badModelRequest, .badGateway, .providerUnavailable, .gatewayTimeout]

        var statusCode: Int {
            switch self {
            case .badRequest, .badModelRequest: 400
            case .unauthorized: 401
            case .paymentRequired: 402
            case .forbidden: 403
            case .notFound: 404
            case .conflict: 409
            case .payloadTooLarge: 413
            case .internalError: 500
            case .badGateway: 502
            case .serviceUnavailable, .providerUnavailable: 503
            case .gatewayTimeout: 504
            }
        }

        var reference: Either<OpenAPI.Reference<OpenAPI.Response>, OpenAPI.Response> {
            .reference(.component(named: rawValue))
        }

        var definition: OpenAPI.Response {
            switch self {
            case .badRequest:
                jsonResponse(
                    """
                    The body is not valid JSON or breaks a rule of its schema (`invalid_request`, with the field in \
                    `details.field`), or a query or path parameter is malformed (`invalid_query_parameter`).
                    """,
                    .error
                )
            case .unauthorized:
                jsonResponse(
                    """
                    The credential is missing, malformed, expired or revoked; for login and refresh, the email, \
                    password or refresh token is wrong. The message says which without revealing whether an account \
                    exists.
                    """,
                    .error,
                    extraHeaders: [
                        "WWW-Authenticate": .header(
                            OpenAPI.Header(
                                schema: .string(allowedValues: "Bearer"),
                                description: "The scheme to authenticate with.",
                                required: true
                            )
                        )
                    ]
                )
            case .badModelRequest:
                jsonResponse(
                    """
                    The request cannot be run as given: the body is not valid JSON or breaks a rule of its schema \
                    (`invalid_request`, with the field in `details.field`; this includes tool names no tool is \
                    registered under), the model is not configured (`unknown_model`), no API key is set for the \
                    model's provider (`missing_provider_key`, naming it in `details.provider`), or the model cannot \
                    do what was asked, such as read images (`unsupported`).
                    """,
                    .error
                )
            case .paymentRequired:
                jsonResponse(
                    """
                    The chat has used its token limit, or what is left is held by runs in progress \
                    (`token_limit_reached`, with `details.total_tokens_used` and `details.token_limit`). Raise the \
                    chat's `token_limit` or start a new chat. Nothing was stored.
                    """,
                    .error
                )
            case .forbidden:
                jsonResponse(
                    """
                    The credential is valid but the request is refused: for actions confirmed with the password, \
                    the password is wrong (`invalid_password`, naming the field in `details.field`).
                    """,
                    .error
                )
            case .notFound:
                jsonResponse(
                    "No such resource, or it belongs to another user; the two are not told apart.",
                    .error
                )
            case .conflict:
                jsonResponse("The resource already exists, e.g. an account with this email.", .error)
            case .payloadTooLarge:
                jsonResponse(
                    "The body is larger than the server's limit, given in `details.limit_bytes`.",
                    .error
                )
            case .internalError:
                jsonResponse(
                    "The server failed to handle the request. It has been logged; the body reveals nothing internal.",
                    .error
                )
            case .serviceUnavailable:
                jsonResponse("The database is unavailable. Try again shortly.", .error)
            case .badGateway:
                jsonResponse(
                    """
                    The model provider failed: it answered with an error or sent an answer that could not be read \
                    (`provider_error`; `details.provider_status` gives its HTTP status when it sent one).
                    """,
                    .error
                )
            case .providerUnavailable:
                jsonResponse(
                    """
                    The model provider cannot be reached (`provider_unavailable`) or is rate limiting requests \
                    (`provider_rate_limited`, with `details.provider_status` 429), or the database is unavailable \
                    (`service_unavailable`). Try again shortly.
                    """,
                    .error
                )
            case .gatewayTimeout:
                jsonResponse("The model provider did not answer in time (`provider_timeout`).", .error)
            }
        }
    }
}

// MARK: - Parameters

extension APIDocument {
    /// Query and path parameters several operations share, stored under `components.parameters`.
    enum SharedParameter: String, CaseIterable {
        case limit = "Limit"
        case offset = "Offset"
        case includeArchived = "IncludeArchived"
        case chatID = "ChatID"
        case apiKeyID = "APIKeyID"
        case provider = "Provider"
        case toolName = "ToolName"
        case promptTemplateID = "PromptTemplateID"

        var reference: Either<OpenAPI.Reference<OpenAPI.Parameter>, OpenAPI.Parameter> {
            .reference(.component(named: rawValue))
        }

        /// Whether the server checks the value's shape and answers 400 when it is wrong. Ids are only looked up,
        /// so a malformed one is simply not found.
        var isValidated: Bool {
            switch self {
            case .limit, .offset, .includeArchived, .provider: true
            case .chatID, .apiKeyID, .toolName, .promptTemplateID: false
            }
        }

        var definition: OpenAPI.Parameter {
            switch self {
            case .limit:
                .query(
                    name: "limit",
                    schema: .integer(
                        maximum: (PageRequest.maximumLimit, exclusive: false),
                        minimum: (1, exclusive: false),
                        defaultValue: AnyCodable(PageRequest.defaultLimit)
                    ),
                    description: "How many items to return, 1 to \(PageRequest.maximumLimit)."
                )
            case .offset:
                .query(
                    name: "offset",
                    schema: .integer(
                        maximum: (Int(Int32.max), exclusive: false),
                        minimum: (0, exclusive: false),
                        defaultValue: 0
                    ),
                    description: "How many items to skip."
                )
            case .includeArchived:
                .query(
                    name: "include_archived",
                    schema: .boolean(defaultValue: false),
                    description: "Also list archived chats. `1`/`0` and `yes`/`no` are accepted too."
                )
            case .chatID:
                .path(name: "id", schema: .string(minLength: 1), description: "The chat's id.")
            case .apiKeyID:
                .path(name: "id", schema: .string(minLength: 1), description: "The API key's id.")
            case .promptTemplateID:
                .path(name: "id", schema: .string(minLength: 1), description: "The saved prompt template's id.")
            case .toolName:
                .path(name: "name", schema: .string(minLength: 1), description: "The tool's name, e.g. `current_time`.")
            case .provider:
                .path(
                    name: "provider",
                    schema: .string(minLength: 1, maxLength: 32, pattern: "^[a-z][a-z0-9_-]*$"),
                    description: """
                        The provider's name, e.g. `openai` or `anthropic`: up to 32 lowercase letters, digits, `-` or \
                        `_`, starting with a letter.
                        """
                )
            }
        }
    }
}

// MARK: - Security

extension APIDocument {
    /// The two ways to present a credential, stored under `components.securitySchemes`.
    enum SecuritySchemeName: String, CaseIterable {
        case bearerAuth
        case apiKeyAuth

        var definition: OpenAPI.SecurityScheme {
            switch self {
            case .bearerAuth:
                .http(
                    scheme: "bearer",
                    bearerFormat: "JWT or API key",
                    description: "`Authorization: Bearer <token>` with an access token from login or an API key."
                )
            case .apiKeyAuth:
                .apiKey(
                    name: "X-API-Key",
                    location: .header,
                    description: "`X-API-Key: <key>` with an API key. Takes precedence over `Authorization`."
                )
            }
        }
    }

    /// Either scheme is enough: each entry of the list is an alternative.
    static var credentialAlternatives: [OpenAPI.SecurityRequirement] {
        SecuritySchemeName.allCases.map { [.component(named: $0.rawValue): []] }
    }
}
