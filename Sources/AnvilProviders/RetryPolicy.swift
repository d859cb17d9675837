/// How long to wait between attempts of a provider call that failed before its answer started.
///
/// Delays grow exponentially from ``baseDelay`` up to ``maximumDelay`` with "equal jitter" (half fixed, half
/// random), so many clients hit by the same outage do not retry in lockstep. A server's `Retry-After` wins over
/// the computed delay, up to ``maximumRetryAfter``. The number of attempts comes from
/// ``ProviderSettings/maxRetries``.
public struct RetryPolicy: Sendable, Hashable {
    public var baseDelay: Duration
    public var maximumDelay: Duration
    /// The longest `Retry-After` honoured; a server asking for more gets this much.
    public var maximumRetryAfter: Duration

    public init(
        baseDelay: Duration = .milliseconds(500),
        maximumDelay: Duration = .seconds(8),
        maximumRetryAfter: Duration = .seconds(30)
    ) {
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
        self.maximumRetryAfter = maximumRetryAfter
    }

    /// The wait before attempt `retry + 1` (the first retry is `retry == 0`).
    func delay(forRetry retry: Int, retryAfter: Duration?) -> Duration {
        if let retryAfter {
            return min(max(retryAfter, .zero), maximumRetryAfter)
        }
        let exponent = min(retry, 30)
        let ceiling = min(baseDelay * (1 << exponent), maximumDelay)
        let half = ceiling / 2
        return half + half * Double.random(in: 0...1)
    }

    /// Reads a `Retry-After` header given in seconds; the HTTP-date form is ignored (providers send seconds).
    static func retryAfter(header: String?) -> Duration? {
        guard let header, let seconds = Double(header.trimmingSpaces), seconds.isFinite, seconds >= 0 else {
            return nil
        }
        // Capped before converting so an absurd value cannot overflow the integer conversion.
        return .milliseconds(Int64(min(seconds, 86_400) * 1000))
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        var text = self[...]
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return text
    }
}
