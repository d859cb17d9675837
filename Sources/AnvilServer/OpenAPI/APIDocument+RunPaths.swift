import OpenAPIKit

// MARK: - Running the model

extension APIDocument {
    /// Sending a message, a chat's token account, and completions: the routes of `MessageController` and
    /// `CompletionController`, in the order `buildRouter` adds them.
    static var runEndpoints: [Endpoint] {
        [
            endpoint(
                .post,
                "\(apiBasePath)/chats/{id}/messages",
                id: "sendChatMessage",
                tag: .completions,
                summary: "Send a message",
                description: """
                    Stores your message in the chat and runs the agent loop on the chat's history: the model \
                    answers, calling tools that the server runs and answering again, until it is done or an \
                    `AgentLimit` stops the tools. `model` and `tools` apply to this message only; left out, the \
                    chat's settings are used, then the server's defaults. Each run sets aside part of the chat's \
                    `token_limit` before it starts; when that is not available the answer is 402 and nothing is \
                    stored. Your message is stored before the model is called, so a provider failure does not lose \
                    it. Set `stream` to true, or leave it out and send `Accept: text/event-stream`, to receive the \
                    run as server-sent events.
                    """,
                parameters: [.chatID],
                body: .sendMessageRequest,
                responses: [
                    (
                        200,
                        streamingResponse(
                            """
                            The run finished. As JSON: your stored message, the messages the run stored (assistant \
                            and tool messages in order; the last is the answer), the tokens used, the limit that \
                            stopped the tools if one did, and the chat.

                            \(runStreamDescription)
                            """,
                            .sendMessageResponse,
                            streamExample: chatTurnStreamExample
                        )
                    )
                ],
                errors: [.paymentRequired, .notFound] + SharedResponse.modelErrors
            ),
            endpoint(
                .get,
                "\(apiBasePath)/chats/{id}/usage",
                id: "getChatUsage",
                tag: .chats,
                summary: "A chat's token use",
                description: """
                    How many tokens the chat's runs have used against its token limit: the chat's `token_limit`, or \
                    the server's default when it has none.
                    """,
                parameters: [.chatID],
                responses: [(200, jsonResponse("The chat's token account.", .chatUsage))],
                errors: [.notFound]
            ),
            endpoint(
                .post,
                "\(apiBasePath)/chat/completions",
                id: "createCompletion",
                tag: .completions,
                summary: "Complete a conversation",
                description: """
                    Runs the agent loop over messages in OpenAI's format. With `chat_id`, the last message must be \
                    your turn (role `user`, with text); it is stored in that chat and the chat's stored history \
                    supplies the rest, as when sending a message, including the chat's token limit (402). Without \
                    `chat_id` the run is stateless: the messages are the whole conversation, nothing is stored but \
                    the tokens used, and the returned messages have an empty `chat_id`. `tools` names the server's \
                    tools to offer; left out, the chat's tools (with `chat_id`) or the server's defaults are offered. \
                    Set `stream` to true, or leave it out and send `Accept: text/event-stream`, to receive the run \
                    as server-sent events.
                    """,
                body: .completionRequest,
                responses: [
                    (
                        200,
                        streamingResponse(
                            """
                            The run finished. As JSON: the model that answered, the answer, every message the run \
                            produced, the tokens used and the limit that stopped the tools if one did; `chat_id` \
                            when the run was in a chat.

                            \(runStreamDescription) Without `chat_id` there is no user message and `done` has no \
                            `chat_id`.
                            """,
                            .completionResponse,
                            streamExample: statelessRunStreamExample
                        )
                    )
                ],
                errors: [.paymentRequired, .notFound] + SharedResponse.modelErrors
            ),
        ]
    }

    /// `ModelController`'s route.
    static var modelEndpoints: [Endpoint] {
        [
            endpoint(
                .get,
                "\(apiBasePath)/models",
                id: "listModels",
                tag: .models,
                summary: "List models",
                description: """
                    Every model of every configured provider, then one entry per alias, with what each can do, and \
                    the model used when a request names none. A provider that cannot list its models contributes \
                    those configured for it.
                    """,
                responses: [(200, jsonResponse("The models and the default.", .modelList))]
            )
        ]
    }
}
