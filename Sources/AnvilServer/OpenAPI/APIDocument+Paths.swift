import AnvilPluginKit
import OpenAPIKit

extension APIDocument {
    /// One documented route: a method, an OpenAPI-style path (`{id}`, not `:id`) and what it does.
    struct Endpoint {
        var method: OpenAPI.HttpMethod
        var path: OpenAPI.Path
        var operation: OpenAPI.Operation
    }

    /// Who may call an operation.
    enum Access {
        /// No credential is needed.
        case anyone
        /// An access token or an API key is required; without one the answer is 401.
        case signedIn
    }

    static let apiBasePath = "/api/v1"

    /// Every core route, in the order `buildRouter` adds them.
    static var endpoints: [Endpoint] {
        opsEndpoints + authEndpoints + apiKeyEndpoints + providerKeyEndpoints + chatEndpoints + runEndpoints
            + modelEndpoints + toolEndpoints + promptEndpoints + openAIEndpoints
    }

    /// Every route: the core's, then each plugin's.
    static func endpoints(plugins: [PluginAPI]) -> [Endpoint] {
        endpoints + plugins.flatMap { api in api.operations.map { pluginEndpoint($0, tag: api.tag) } }
    }

    static func paths(plugins: [PluginAPI]) -> OpenAPI.PathItem.Map {
        var paths = OpenAPI.PathItem.Map()
        for endpoint in endpoints(plugins: plugins) {
            var item = paths[endpoint.path]?.pathItemValue ?? OpenAPI.PathItem()
            item[endpoint.method] = endpoint.operation
            paths[endpoint.path] = .pathItem(item)
        }
        return paths
    }

    /// Builds an operation and adds the responses its kind always has, so each definition below lists only what is
    /// particular to it: a JSON body brings 400 and 413, a checked parameter 400, a credential 401 and both security
    /// schemes, the database 500 and 503. An error listed in `errors` replaces the implied one with its status, so an
    /// operation can say more about a 400 or a 503 than the generic response does.
    static func endpoint(
        _ method: OpenAPI.HttpMethod,
        _ path: String,
        id: String,
        tag: Tag,
        summary: String,
        description: String,
        access: Access = .signedIn,
        usesDatabase: Bool = true,
        parameters: [SharedParameter] = [],
        body: Schema? = nil,
        responses: [(status: Int, response: OpenAPI.Response)],
        errors: [SharedResponse] = []
    ) -> Endpoint {
        endpoint(
            method,
            path,
            id: id,
            tagName: tag.rawValue,
            summary: summary,
            description: description,
            access: access,
            usesDatabase: usesDatabase,
            parameters: parameters.map(\.reference),
            validatesParameters: parameters.contains(where: \.isValidated),
            requestBody: body.map { schema in
                OpenAPI.Request(
                    description: "A JSON object; see the `\(schema.rawValue)` schema.",
                    content: [.json: .content(OpenAPI.Content(schema: schema.reference()))],
                    required: true
                )
            },
            responses: responses,
            errors: errors
        )
    }

    /// The general form of ``endpoint(_:_:id:tag:summary:description:access:usesDatabase:parameters:body:responses:errors:)``,
    /// for operations whose tag, parameters and body are not the core's own, such as those of plugins.
    static func endpoint(
        _ method: OpenAPI.HttpMethod,
        _ path: String,
        id: String,
        tagName: String,
        summary: String,
        description: String,
        access: Access,
        usesDatabase: Bool,
        parameters: [Either<OpenAPI.Reference<OpenAPI.Parameter>, OpenAPI.Parameter>],
        validatesParameters: Bool,
        requestBody: OpenAPI.Request?,
        responses: [(status: Int, response: OpenAPI.Response)],
        errors: [SharedResponse]
    ) -> Endpoint {
        var implied = Set<SharedResponse>()
        if requestBody != nil { implied.formUnion([.badRequest, .payloadTooLarge]) }
        if validatesParameters { implied.insert(.badRequest) }
        if access == .signedIn { implied.insert(.unauthorized) }
        if usesDatabase { implied.formUnion([.internalError, .serviceUnavailable]) }
        let explicitStatuses = Set(errors.map(\.statusCode))
        let shared = Set(errors).union(implied.filter { !explicitStatuses.contains($0.statusCode) })

        var responseMap = OpenAPI.Response.Map()
        for (status, response) in responses {
            responseMap[.status(code: status)] = .response(response)
        }
        for error in shared.sorted(by: { $0.statusCode < $1.statusCode }) {
            responseMap[.status(code: error.statusCode)] = error.reference
        }

        let operation = OpenAPI.Operation(
            tags: [tagName],
            summary: summary,
            description: description,
            operationId: id,
            parameters: parameters,
            requestBody: requestBody,
            responses: responseMap,
            security: access == .signedIn ? credentialAlternatives : []
        )
        return Endpoint(method: method, path: OpenAPI.Path(rawValue: path), operation: operation)
    }
}

// MARK: - Ops

extension APIDocument {
    private static var opsEndpoints: [Endpoint] {
        [
            endpoint(
                .get,
                "/health",
                id: "getHealth",
                tag: .ops,
                summary: "Liveness check",
                description: """
                    Answers 200 while the process is up. It checks no dependency, so use it for liveness probes and \
                    `/ready` for readiness.
                    """,
                access: .anyone,
                usesDatabase: false,
                responses: [(200, jsonResponse("The process is up: `{\"status\": \"ok\"}`.", .healthStatus))]
            ),
            endpoint(
                .get,
                "/ready",
                id: "getReadiness",
                tag: .ops,
                summary: "Readiness check",
                description: """
                    Pings the database. Answers 200 when it responds and 503 when it does not, so a load balancer \
                    stops sending traffic to an instance that cannot serve it.
                    """,
                access: .anyone,
                usesDatabase: false,
                responses: [
                    (200, jsonResponse("Ready to serve; every check is `ok`.", .healthStatus)),
                    (503, jsonResponse("Not ready: a dependency is unreachable, named in `checks`.", .healthStatus)),
                ]
            ),
            endpoint(
                .get,
                "/metrics",
                id: "getMetrics",
                tag: .ops,
                summary: "Prometheus metrics",
                description: """
                    Request counts and latencies by route pattern, method and status, plus the process's own \
                    metrics, in the Prometheus text exposition format 0.0.4.
                    """,
                access: .anyone,
                usesDatabase: false,
                responses: [(200, documentResponse("The metrics.", .txt, .string))]
            ),
            endpoint(
                .get,
                "/openapi.json",
                id: "getOpenAPIDocument",
                tag: .ops,
                summary: "OpenAPI document",
                description: "This document: an OpenAPI 3.1 description of every endpoint, built once at startup.",
                access: .anyone,
                usesDatabase: false,
                responses: [(200, documentResponse("The OpenAPI document.", .json, .object))]
            ),
            endpoint(
                .get,
                "/docs",
                id: "getDocsPage",
                tag: .ops,
                summary: "API documentation page",
                description: """
                    A human-readable page rendered from the same document as `/openapi.json`. It is self-contained \
                    and loads nothing from the network.
                    """,
                access: .anyone,
                usesDatabase: false,
                responses: [(200, documentResponse("The documentation page.", .html, .string))]
            ),
        ]
    }
}

// MARK: - Auth

extension APIDocument {
    private static var authEndpoints: [Endpoint] {
        [
            endpoint(
                .post,
                "\(apiBasePath)/auth/register",
                id: "register",
                tag: .auth,
                summary: "Create an account",
                description: """
                    Creates an account and starts a session, answering with the same tokens as a login. The email \
                    must not belong to another account.
                    """,
                access: .anyone,
                body: .registerRequest,
                responses: [(201, jsonResponse("The account was created and a session started.", .authTokens))],
                errors: [.conflict]
            ),
            endpoint(
                .post,
                "\(apiBasePath)/auth/login",
                id: "login",
                tag: .auth,
                summary: "Log in",
                description: """
                    Exchanges an email and password for an access token and a refresh token. A wrong email and a \
                    wrong password both answer 401, so the response does not reveal which accounts exist.
                    """,
                access: .anyone,
                body: .loginRequest,
                responses: [(200, jsonResponse("A new session.", .authTokens))],
                errors: [.unauthorized]
            ),
            endpoint(
                .post,
                "\(apiBasePath)/auth/refresh",
                id: "refreshSession",
                tag: .auth,
                summary: "Rotate the refresh token",
                description: """
                    Exchanges a refresh token for a new access token and a new refresh token. Each refresh token \
                    works once: presenting a used one revokes the whole session, since it means the token leaked.
                    """,
                access: .anyone,
                body: .refreshTokenRequest,
                responses: [(200, jsonResponse("The session continues with new tokens.", .authTokens))],
                errors: [.unauthorized]
            ),
            endpoint(
                .post,
                "\(apiBasePath)/auth/logout",
                id: "logout",
                tag: .auth,
                summary: "Log out",
                description: """
                    Revokes the session the refresh token belongs to. Answers 204 whether or not the token was \
                    known, so it cannot be used to test tokens. Access tokens already issued run until they expire.
                    """,
                access: .anyone,
                body: .refreshTokenRequest,
                responses: [(204, emptyResponse("The session is over."))]
            ),
            endpoint(
                .get,
                "\(apiBasePath)/auth/me",
                id: "getCurrentUser",
                tag: .auth,
                summary: "Your account",
                description: "The account the credential belongs to.",
                responses: [(200, jsonResponse("The caller's account.", .user))]
            ),
            endpoint(
                .patch,
                "\(apiBasePath)/auth/me",
                id: "updateCurrentUser",
                tag: .auth,
                summary: "Update your account",
                description: "Changes the display name. Leave a field out to keep it; send `null` to clear it.",
                body: .updateUserRequest,
                responses: [(200, jsonResponse("The account as it is now.", .user))]
            ),
            endpoint(
                .post,
                "\(apiBasePath)/auth/change-password",
                id: "changePassword",
                tag: .auth,
                summary: "Change your password",
                description: """
                    Replaces the password after checking the current one (a wrong one is a 403 \
                    `invalid_password` naming `current_password`). Every session ends: access tokens and refresh \
                    tokens stop working at once. API keys keep working.
                    """,
                body: .changePasswordRequest,
                responses: [(204, emptyResponse("The password was changed; log in again."))],
                errors: [.forbidden]
            ),
            endpoint(
                .post,
                "\(apiBasePath)/auth/delete-account",
                id: "deleteAccount",
                tag: .auth,
                summary: "Delete your account",
                description: """
                    Deletes the account and everything it owns (chats, messages and keys) after checking the \
                    password (a wrong one is a 403 `invalid_password` naming `password`). This cannot be undone.
                    """,
                body: .deleteAccountRequest,
                responses: [(204, emptyResponse("The account and its data are gone."))],
                errors: [.forbidden]
            ),
        ]
    }
}

// MARK: - API keys

extension APIDocument {
    private static var apiKeyEndpoints: [Endpoint] {
        [
            endpoint(
                .post,
                "\(apiBasePath)/auth/api-keys",
                id: "createAPIKey",
                tag: .apiKeys,
                summary: "Create an API key",
                description: """
                    Creates a key for programs to authenticate with. The secret is in this response only; the server \
                    keeps just its hash.
                    """,
                body: .createAPIKeyRequest,
                responses: [(201, jsonResponse("The key, with its secret.", .newAPIKey))]
            ),
            endpoint(
                .get,
                "\(apiBasePath)/auth/api-keys",
                id: "listAPIKeys",
                tag: .apiKeys,
                summary: "List your API keys",
                description: "Your keys, newest first, without their secrets.",
                parameters: [.limit, .offset],
                responses: [(200, jsonResponse("A page of keys.", .apiKeyPage))]
            ),
            endpoint(
                .delete,
                "\(apiBasePath)/auth/api-keys/{id}",
                id: "deleteAPIKey",
                tag: .apiKeys,
                summary: "Revoke an API key",
                description: "Deletes the key; requests that present it are refused from now on.",
                parameters: [.apiKeyID],
                responses: [(204, emptyResponse("The key is revoked."))],
                errors: [.notFound]
            ),
        ]
    }
}

// MARK: - Provider keys

extension APIDocument {
    private static var providerKeyEndpoints: [Endpoint] {
        [
            endpoint(
                .get,
                "\(apiBasePath)/auth/provider-keys",
                id: "listProviderKeys",
                tag: .providerKeys,
                summary: "List your provider keys",
                description: """
                    Which providers you have stored a key for, and when, in one page ordered by provider. The keys \
                    themselves are never returned.
                    """,
                responses: [(200, jsonResponse("Every provider with a key.", .providerKeyPage))]
            ),
            endpoint(
                .put,
                "\(apiBasePath)/auth/provider-keys/{provider}",
                id: "setProviderKey",
                tag: .providerKeys,
                summary: "Set a provider key",
                description: "Stores your key for the provider, encrypted, replacing any key already set.",
                parameters: [.provider],
                body: .setProviderKeyRequest,
                responses: [(200, jsonResponse("The key is stored.", .providerKey))]
            ),
            endpoint(
                .delete,
                "\(apiBasePath)/auth/provider-keys/{provider}",
                id: "deleteProviderKey",
                tag: .providerKeys,
                summary: "Remove a provider key",
                description: "Deletes your key for the provider.",
                parameters: [.provider],
                responses: [(204, emptyResponse("The key is gone."))],
                errors: [.notFound]
            ),
        ]
    }
}

// MARK: - Chats

extension APIDocument {
    private static var chatEndpoints: [Endpoint] {
        [
            endpoint(
                .post,
                "\(apiBasePath)/chats",
                id: "createChat",
                tag: .chats,
                summary: "Create a chat",
                description: "Starts a conversation. Every field is optional; `{}` uses the server's defaults.",
                body: .createChatRequest,
                responses: [(201, jsonResponse("The new chat.", .chat))]
            ),
            endpoint(
                .get,
                "\(apiBasePath)/chats",
                id: "listChats",
                tag: .chats,
                summary: "List your chats",
                description: "Your chats, newest first. Archived chats are left out unless `include_archived` is true.",
                parameters: [.limit, .offset, .includeArchived],
                responses: [(200, jsonResponse("A page of chats.", .chatPage))]
            ),
            endpoint(
                .get,
                "\(apiBasePath)/chats/{id}",
                id: "getChat",
                tag: .chats,
                summary: "Get a chat",
                description: "One of your chats.",
                parameters: [.chatID],
                responses: [(200, jsonResponse("The chat.", .chat))],
                errors: [.notFound]
            ),
            endpoint(
                .patch,
                "\(apiBasePath)/chats/{id}",
                id: "updateChat",
                tag: .chats,
                summary: "Update a chat",
                description: """
                    Changes the title, archive state, model, system prompt, tools, token limit or metadata. Leave a \
                    field out to keep it; `null` resets `model`, `system_prompt`, `tools` and `token_limit`.
                    """,
                parameters: [.chatID],
                body: .updateChatRequest,
                responses: [(200, jsonResponse("The chat as it is now.", .chat))],
                errors: [.notFound]
            ),
            endpoint(
                .delete,
                "\(apiBasePath)/chats/{id}",
                id: "deleteChat",
                tag: .chats,
                summary: "Delete a chat",
                description: "Deletes the chat and all its messages. This cannot be undone.",
                parameters: [.chatID],
                responses: [(204, emptyResponse("The chat is gone."))],
                errors: [.notFound]
            ),
            endpoint(
                .get,
                "\(apiBasePath)/chats/{id}/messages",
                id: "listChatMessages",
                tag: .chats,
                summary: "List a chat's messages",
                description: "The chat's messages in the order they were committed, oldest first.",
                parameters: [.chatID, .limit, .offset],
                responses: [(200, jsonResponse("A page of messages.", .messagePage))],
                errors: [.notFound]
            ),
        ]
    }
}
