import AnvilCore
import AnvilProviders
import AnvilTestSupport
import AsyncHTTPClient
import Foundation

/// Folds a stream the way the agent loop does.
func accumulate(_ stream: CompletionStream) async throws -> (CompletionAccumulator, [CompletionEvent]) {
    var accumulator = CompletionAccumulator()
    var events: [CompletionEvent] = []
    for try await event in stream {
        accumulator.add(event)
        events.append(event)
    }
    return (accumulator, events)
}

/// Settings pointing at the fake, with short timeouts so failures show quickly.
func testSettings(
    _ kind: ProviderKind,
    baseURL: String,
    apiKey: String? = "sk-test",
    readTimeout: Duration = .seconds(10),
    maxRetries: Int = 2
) -> ProviderSettings {
    ProviderSettings(
        name: kind == .anthropic ? "anthropic" : "openai",
        kind: kind,
        baseURL: baseURL,
        apiKey: apiKey,
        connectTimeout: .seconds(5),
        readTimeout: readTimeout,
        maxRetries: maxRetries
    )
}

extension RetryPolicy {
    /// Retries without real waiting, so retry tests stay fast.
    static let quick = RetryPolicy(baseDelay: .milliseconds(5), maximumDelay: .milliseconds(20))
}
