/// Turns texts into embedding vectors, one per text, in order. Search indexes take one when an embedding model is
/// configured, to store embeddings with their entries and embed queries.
public protocol TextEmbedder: Sendable {
    func embed(_ texts: [String]) async throws -> [[Float]]
}

/// A ``TextEmbedder`` backed by one embedding model of a ``ModelProvider``.
public struct ProviderTextEmbedder: TextEmbedder {
    public let provider: any ModelProvider
    /// The model name as the provider knows it (without the `provider:` prefix).
    public let model: String
    /// Texts per request; large uploads are embedded in several calls.
    public let batchSize: Int

    public init(provider: any ModelProvider, model: String, batchSize: Int = 64) {
        self.provider = provider
        self.model = model
        self.batchSize = max(1, batchSize)
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        var start = texts.startIndex
        while start < texts.endIndex {
            let batch = Array(texts[start..<min(start + batchSize, texts.endIndex)])
            start += batch.count
            let response = try await provider.embed(EmbeddingRequest(model: model, inputs: batch))
            guard response.vectors.count == batch.count else {
                throw ProviderError.invalidResponse(
                    "asked for \(batch.count) embeddings, got \(response.vectors.count)")
            }
            vectors += response.vectors
        }
        return vectors
    }
}
