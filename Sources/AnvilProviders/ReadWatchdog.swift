import AnvilCore
import NIOConcurrencyHelpers

/// Fails a stream that goes quiet: ``run()`` throws ``ProviderError/timeout`` once ``extend()`` has not been called
/// for `timeout`.
///
/// AsyncHTTPClient's own read timeout is a property of the injected client, shared by every provider, so the
/// per-provider timeout is enforced here: a sibling task of the body reader that sleeps until the deadline and
/// re-checks it, instead of racing a timer against every chunk.
struct ReadWatchdog: Sendable {
    let timeout: Duration
    private let deadline: NIOLockedValueBox<ContinuousClock.Instant>

    init(timeout: Duration) {
        self.timeout = timeout
        self.deadline = NIOLockedValueBox(.now + timeout)
    }

    /// Records that the upstream made progress.
    func extend() {
        let next = ContinuousClock.now + timeout
        deadline.withLockedValue { $0 = next }
    }

    /// Brings the deadline forward to `grace` from now, for a reader that no longer expects anything important.
    func expire(after grace: Duration) {
        let next = ContinuousClock.now + grace
        deadline.withLockedValue { $0 = min($0, next) }
    }

    /// Returns only by throwing: ``ProviderError/timeout`` when the deadline passes, `CancellationError` when the
    /// reader finished and the watchdog is no longer needed.
    func run() async throws {
        while true {
            let current = deadline.withLockedValue { $0 }
            if current <= .now { throw ProviderError.timeout }
            try await Task.sleep(until: current, clock: .continuous)
        }
    }
}
