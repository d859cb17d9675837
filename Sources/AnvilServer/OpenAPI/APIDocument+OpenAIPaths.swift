import OpenAPIKit

// MARK: - OpenAI-compatible

extension APIDocument {
    static let openAIBasePath = "/v1"

    /// `OpenAIController`'s routes under `/v1`, in the order it adds them.
    static var openAIEndpoints: [Endpoint] {
        [
            endpoint(
                .post,
                "\(openAIBasePath)/chat/completions",
                id: "createOpenAIChatCompletion",
                tag: .openAI,
                summary: "Create a chat completion (OpenAI format)",
                description: """
                    OpenAI's chat completions API. Tools in `tools` are offered to the model and its calls come \
                    back to you as `tool_calls`, as with OpenAI. Anvil's own tools run on the server instead when \
                    named in the extension field `anvil_tools` (or enabled by the model alias when `tools` is \
                    empty); you then receive only the final answer. One request cannot use both. Nothing is stored \
                    but the tokens used. `max_completion_tokens` takes precedence over `max_tokens`; `n` must be 1; \
                    `response_format` of type `json_schema` passes its schema to the provider. Fields Anvil does not \
                    use are accepted and ignored.
                    """,
                body: .openAIChatCompletionRequest,
                responses: [
                    (
                        200,
                        streamingResponse(
                            """
                            The completion. As JSON, a `chat.completion` object with one choice.

                            \(openAIStreamDescription)
                            """,
                            .openAIChatCompletion,
                            streamExample: openAIStreamExample
                        )
                    )
                ],
                errors: SharedResponse.modelErrors
            ),
            endpoint(
                .get,
                "\(openAIBasePath)/models",
                id: "listOpenAIModels",
                tag: .openAI,
                summary: "List models (OpenAI format)",
                description: """
                    The models of `GET /api/v1/models` as OpenAI lists them; `owned_by` is the provider and \
                    `created` the time of the request.
                    """,
                responses: [(200, jsonResponse("The models.", .openAIModelList))]
            ),
            endpoint(
                .post,
                "\(openAIBasePath)/embeddings",
                id: "createOpenAIEmbeddings",
                tag: .openAI,
                summary: "Create embeddings (OpenAI format)",
                description: """
                    OpenAI's embeddings API: one vector per input, in input order. With `encoding_format: base64` \
                    each vector is the base64 of its little-endian float32 values, as OpenAI sends it. The offline \
                    model `local:anvil-embed` is always available.
                    """,
                body: .openAIEmbeddingRequest,
                responses: [(200, jsonResponse("The embeddings.", .openAIEmbeddingList))],
                errors: SharedResponse.modelErrors
            ),
        ]
    }
}
