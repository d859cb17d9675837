/// Turns texts into embedding vectors, one per text, in order. Search indexes take one when an embedding model is
/// configured, to store embeddings with their entries and embed queries.
public protocol TextEmbedder: Sendable {
    func embed(_ texts: [String]) async throws -> [[Float]]
}

/// A ``TextEmbedder`` backed by one embedding model, called in batches through `embedBatch`: a
/// ``ModelProvider``'s `embed`, or anything that answers an ``EmbeddingRequest`` (the server's model router).
public struct ProviderTextEmbedder: TextEmbedder {
    /// The model name as `embedBatch` expects it.
    public let model: String
    /// Texts per request; large uploads are embedded in several calls.
    public let batchSize: Int
    private let embedBatch: @Sendable (EmbeddingRequest) async throws -> EmbeddingResponse

    /// Embeds with `model` (without the `provider:` prefix) of `provider`.
    public init(provider: any ModelProvider, model: String, batchSize: Int = 64) {
        self.init(model: model, batchSize: batchSize) { try await provider.embed($0) }
    }

    public init(
        model: String,
        batchSize: Int = 64,
        embedBatch: @escaping @Sendable (EmbeddingRequest) async throws -> EmbeddingResponse
    ) {
        self.model = model
        self.batchSize = max(1, batchSize)
        self.embedBatch = embedBatch
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        var start = texts.startIndex
        while start < texts.endIndex {
            let batch = Array(texts[start..<min(start + batchSize, texts.endIndex)])
            start += batch.count
            let response = try await embedBatch(EmbeddingRequest(model: model, inputs: batch))
            guard response.vectors.count == batch.count else {
                throw ProviderError.invalidResponse(
                    "asked for \(batch.count) embeddings, got \(response.vectors.count)")
            }
            vectors += response.vectors
        }
        return vectors
    }
}
