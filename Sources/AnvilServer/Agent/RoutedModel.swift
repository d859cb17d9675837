import AnvilCore
import AnvilProviders
import AnvilStore

/// One model id as a ``ModelProvider``: the router's targets tried in order, each with the caller's own key for
/// that provider when they stored one.
struct RoutedModel: ModelProvider {
    let router: ModelRouter
    let modelID: String
    let userID: String
    let providerKeys: any ProviderKeyRepository

    var name: String { modelID }

    func complete(_ request: CompletionRequest) async throws -> Completion {
        try await router.complete(request, model: modelID, credentials: credentials).completion
    }

    func stream(_ request: CompletionRequest) async throws -> CompletionStream {
        try await router.stream(request, model: modelID, credentials: credentials).stream
    }

    func listModels() async throws -> [ModelInfo] {
        await router.listModels()
    }

    func embed(_ request: EmbeddingRequest) async throws -> EmbeddingResponse {
        try await router.embed(request, model: modelID, credentials: credentials)
    }

    /// The caller's stored key for `provider`, if any; the provider's configured key is used otherwise.
    private var credentials: @Sendable (String) async throws -> String? {
        { [providerKeys, userID] provider in try await providerKeys.key(userID: userID, provider: provider) }
    }
}
