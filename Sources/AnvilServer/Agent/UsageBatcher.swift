import AnvilCore
import AnvilStore
import AsyncAlgorithms
import Logging
import ServiceLifecycle

/// Writes the usage of calls made outside a chat (the `/v1` front, stateless completions) in batches, so a busy
/// gateway costs one insert per batch instead of one per request.
///
/// Records are flushed every half second or every 256 records, and on shutdown before the database closes.
/// Usage that counts against a chat's budget is not batched: the chat's runs record it as they go.
final class UsageBatcher: Service, Sendable {
    static let batchSize = 256
    static let interval: Duration = .milliseconds(500)

    private let usage: any UsageRepository
    private let logger: Logger
    private let records: AsyncStream<UsageRecord>
    private let input: AsyncStream<UsageRecord>.Continuation

    init(usage: any UsageRepository, logger: Logger) {
        self.usage = usage
        self.logger = logger
        (records, input) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1_000_000))
    }

    /// Queues a record; it is written within ``interval``.
    func record(_ record: UsageRecord) {
        guard record.usage.totalTokens > 0 else { return }
        input.yield(record)
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            for await batch in records.chunks(ofCount: Self.batchSize, or: .repeating(every: Self.interval)) {
                do {
                    try await usage.record(batch)
                } catch {
                    logger.error(
                        "could not record usage", metadata: ["records": "\(batch.count)", "error": "\(error)"])
                }
            }
        } onGracefulShutdown: {
            // Ending the input lets the loop write what is queued and return.
            self.input.finish()
        }
    }
}
