import AnvilCore
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// The HTTP side shared by the remote providers: building requests, retrying failures that happened before the
/// answer started, deadlines, turning error bodies into ``ProviderError``, and pumping event streams.
///
/// The `HTTPClient` is injected and never shut down here: its lifetime belongs to the application.
struct ProviderTransport: Sendable {
    /// A response whose status is 2xx and whose body is still unread, with the deadline of the attempt that
    /// produced it (a non-streaming call must finish reading by then).
    struct Answer: Sendable {
        var response: HTTPClientResponse
        var deadline: ContinuousClock.Instant
    }

    static let maximumBodySize = 64 * 1024 * 1024
    static let maximumErrorBodySize = 1024 * 1024
    /// How long the rest of a stream body may take after its end marker before the connection is dropped.
    static let drainGrace = Duration.seconds(1)

    let client: HTTPClient
    let settings: ProviderSettings
    let retryPolicy: RetryPolicy
    let logger: Logger

    /// `{baseURL}/{path}` with exactly one slash between them, whatever the configuration wrote.
    func url(_ path: String) -> String {
        var base = settings.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/" + path
    }

    func request(
        _ method: HTTPMethod,
        path: String,
        headers: [(String, String)],
        body: ByteBuffer? = nil
    ) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url(path))
        request.method = method
        request.headers.add(name: "accept", value: "application/json")
        if let body {
            request.headers.add(name: "content-type", value: "application/json")
            // A byte buffer body can be sent again, which retries need.
            request.body = .bytes(body)
        }
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        for (name, value) in settings.headers { request.headers.replaceOrAdd(name: name, value: value) }
        return request
    }

    /// A JSON request body.
    func jsonBody(_ value: some Encodable) throws -> ByteBuffer {
        do {
            return try JSONEncoder().encodeAsByteBuffer(value, allocator: ByteBufferAllocator())
        } catch {
            // Only non-finite numbers (a NaN temperature, a schema holding infinity) cannot be written as JSON.
            throw ProviderError.unsupported("a request that cannot be written as JSON: \(error)")
        }
    }

    /// Sends `request` until it gets a 2xx head, retrying 429, 5xx and connection failures up to
    /// `settings.maxRetries` times. Nothing of a successful body has been read when this returns, which is what
    /// makes the retries safe.
    ///
    /// - Parameter timeout: the time each attempt has to receive the response head; the returned deadline is
    ///   that much after the successful attempt started.
    func send(_ request: HTTPClientRequest, timeout: Duration) async throws -> Answer {
        var retry = 0
        while true {
            let started = ContinuousClock.now
            let deadline = started + timeout
            let failure: ProviderError
            var retryAfter: Duration?
            do {
                let response = try await client.execute(
                    request,
                    deadline: .now() + TimeAmount(timeout),
                    logger: logger
                )
                if (200..<300).contains(response.status.code) {
                    return Answer(response: response, deadline: deadline)
                }
                retryAfter = RetryPolicy.retryAfter(header: response.headers.first(name: "retry-after"))
                failure = try await error(from: response, deadline: deadline)
            } catch {
                failure = try Self.providerError(from: error)
            }
            guard Self.isRetryable(failure), retry < settings.maxRetries else { throw failure }
            let delay = retryPolicy.delay(forRetry: retry, retryAfter: retryAfter)
            logger.debug(
                "retrying provider request",
                metadata: [
                    "provider": "\(settings.name)", "failure": "\(failure)", "retry": "\(retry + 1)",
                    "delay": "\(delay)",
                ]
            )
            try await Task.sleep(for: delay)
            retry += 1
        }
    }

    /// Reads a whole body, giving up at `deadline`. Giving up cancels the read, which closes the connection.
    func collect(
        _ response: HTTPClientResponse,
        upTo limit: Int = maximumBodySize,
        deadline: ContinuousClock.Instant
    ) async throws -> ByteBuffer {
        let body = response.body
        do {
            return try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
                group.addTask { try await body.collect(upTo: limit) }
                group.addTask {
                    try await Task.sleep(until: deadline, clock: .continuous)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let buffer = first else { throw ProviderError.timeout }
                return buffer
            }
        } catch is NIOTooManyBytesError {
            throw ProviderError.invalidResponse("the answer is larger than \(limit) bytes")
        } catch {
            throw try Self.providerError(from: error)
        }
    }

    /// Decodes a 2xx JSON body, naming the type that did not fit when it fails.
    func decode<Value: Decodable>(_ type: Value.Type, from answer: Answer) async throws -> Value {
        let body = try await collect(answer.response, deadline: answer.deadline)
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch {
            throw ProviderError.invalidResponse("cannot decode \(Value.self): \(error)")
        }
    }

    /// Turns the body of an event stream into completion events.
    ///
    /// The body is read by a producer task owned by the returned stream: the stream's `onTermination` cancels it
    /// when the consumer's task is cancelled or the stream and its iterator are both gone (note: breaking out of
    /// a loop while still holding the stream value keeps it alive), and cancelling the body read makes
    /// AsyncHTTPClient cancel the request and close the connection. Once the end marker arrives the stream is
    /// finished at once; the task then outlives it by at most ``drainGrace``. A push model (rather than reading on the
    /// consumer's `next()`) keeps `readTimeout` about the upstream only: a slow consumer never trips it.
    func events<Decoder: ServerSentEventDecoder>(of answer: Answer, decoder: Decoder) -> CompletionStream {
        let (stream, continuation) = CompletionStream.makeStream()
        let body = answer.response.body
        let readTimeout = settings.readTimeout
        let producer = Task {
            do {
                try await Self.pump(body, decoder: decoder, readTimeout: readTimeout, into: continuation)
                continuation.finish()
            } catch {
                continuation.finish(throwing: Self.streamError(from: error))
            }
        }
        continuation.onTermination = { termination in
            // `.finished` is the pump itself ending the stream at the end marker while it drains the rest.
            if case .cancelled = termination { producer.cancel() }
        }
        return stream
    }

    private static func pump<Decoder: ServerSentEventDecoder>(
        _ body: HTTPClientResponse.Body,
        decoder: Decoder,
        readTimeout: Duration,
        into continuation: CompletionStream.Continuation
    ) async throws {
        let watchdog = ReadWatchdog(timeout: readTimeout)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                var parser = ServerSentEventParser()
                var decoder = decoder
                let json = JSONDecoder()
                var ended = false
                let emit: (CompletionEvent) -> Void = { continuation.yield($0) }
                for try await chunk in body {
                    // After the end marker the consumer already has its whole answer; the rest of the body is
                    // drained for a short grace, not parsed, so the connection can go back to the pool.
                    guard !ended else { continue }
                    watchdog.extend()
                    for event in try parser.feed(chunk) {
                        ended = try decoder.decode(event, json: json, emit: emit)
                        if ended { break }
                    }
                    if ended {
                        continuation.finish()
                        watchdog.expire(after: Self.drainGrace)
                    }
                }
                if !ended, let event = parser.finish() {
                    ended = try decoder.decode(event, json: json, emit: emit)
                }
                try decoder.finish(sawEndMarker: ended)
            }
            group.addTask { try await watchdog.run() }
            // The first child to finish decides: the reader ends normally, or the watchdog throws `.timeout`
            // and leaving the group cancels the reader.
            _ = try await group.next()
            group.cancelAll()
        }
    }

    /// Reads the JSON error object both OpenAI and Anthropic send (`{"error": {"message", "type"}}`), falling
    /// back to the body text or the status phrase.
    private func error(from response: HTTPClientResponse, deadline: ContinuousClock.Instant) async throws
        -> ProviderError
    {
        let status = Int(response.status.code)
        let body: ByteBuffer
        do {
            body = try await collect(response, upTo: Self.maximumErrorBodySize, deadline: deadline)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            return .http(status: status, message: response.status.reasonPhrase, type: nil)
        }
        if let envelope = try? JSONDecoder().decode(ErrorEnvelope.self, from: body) {
            if let message = envelope.error.message, !message.isEmpty {
                return .http(status: status, message: message, type: envelope.error.type)
            }
        }
        let text = String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines)
        let message = text.isEmpty ? response.status.reasonPhrase : String(text.prefix(500))
        return .http(status: status, message: message, type: nil)
    }

    /// Rate limits, server errors and failed connections before the answer started. Timeouts are not retried:
    /// a deadline already spent once is better reported to the caller, who may fall back elsewhere.
    private static func isRetryable(_ error: ProviderError) -> Bool {
        switch error {
        case .http(let status, _, _): status == 429 || status >= 500
        case .connection: true
        default: false
        }
    }

    /// Maps AsyncHTTPClient's errors onto ``ProviderError``; cancellation stays `CancellationError` so callers
    /// can tell "asked to stop" from "failed".
    static func providerError(from error: any Error) throws -> ProviderError {
        switch error {
        case let error as ProviderError:
            return error
        case is CancellationError:
            throw error
        case let error as HTTPClientError:
            switch error {
            case .cancelled where Task.isCancelled:
                throw CancellationError()
            case .deadlineExceeded, .readTimeout, .connectTimeout, .getConnectionFromPoolTimeout,
                .tlsHandshakeTimeout:
                return .timeout
            default:
                return .connection(String(describing: error))
            }
        default:
            return .connection(String(describing: error))
        }
    }

    private static func streamError(from error: any Error) -> any Error {
        do {
            return try providerError(from: error)
        } catch {
            return error
        }
    }
}

/// The error object of OpenAI (`{"error": {"message", "type", "code"}}`) and Anthropic
/// (`{"type": "error", "error": {"type", "message"}}`).
struct ErrorEnvelope: Decodable {
    struct Detail: Decodable {
        var message: String?
        var type: String?
    }

    var error: Detail
}

/// Turns the server-sent events of one provider's stream into completion events.
protocol ServerSentEventDecoder: Sendable {
    /// Handles one event; returns `true` when it marks the end of the answer.
    mutating func decode(
        _ event: ServerSentEvent,
        json: JSONDecoder,
        emit: (CompletionEvent) -> Void
    ) throws -> Bool

    /// Called when the body ended; throws when the answer was cut short.
    func finish(sawEndMarker: Bool) throws
}
