import CCurl
import NIOPosix

/// A fetched response, after redirects.
public struct FetchResult: Sendable, Hashable {
    /// The URL the body came from (the last hop).
    public var finalURL: String
    /// The HTTP status of the last hop (2xx, or a 3xx without a `Location`).
    public var status: Int
    /// The `Content-Type` header as sent, if any.
    public var contentType: String?
    /// The decompressed body, at most `BrowseConfiguration.maxBodyBytes` long.
    public var body: [UInt8]
    /// The URLs that redirected, in order, ending with the one that led to `finalURL`.
    public var redirectChain: [String]
    /// Whether the body was longer than the cap and has been cut there.
    public var isTruncated: Bool
}

/// Fetches web pages with libcurl under the SSRF guard, the redirect cap, the timeouts and the body cap of a
/// `BrowseConfiguration`.
///
/// Each call uses fresh easy handles (one per hop) and shares no connection, cookie or DNS cache with other calls,
/// so a connection vetted for one host can never be reused for another. libcurl blocks, so transfers run on a
/// `NIOThreadPool` rather than on Swift's cooperative pool, whose few threads must never wait on a socket.
///
/// A body longer than the cap is cut, not refused: the tools cap their output far below the body cap anyway, so the
/// head of a long page is what the model would see, and an error would leave it with nothing. `FetchResult` says
/// when it happened.
public struct CurlFetcher: Sendable {
    public let configuration: BrowseConfiguration
    private let policy: AddressPolicy
    private let threadPool: NIOThreadPool

    /// - Parameter threadPool: where the blocking transfers run; its size bounds the number of concurrent fetches.
    public init(configuration: BrowseConfiguration, threadPool: NIOThreadPool = .singleton) {
        self.configuration = configuration
        self.policy = AddressPolicy(allowList: configuration.allowList)
        self.threadPool = threadPool
    }

    /// Fetches `url` (http or https), following up to `maxRedirects` redirects, each checked like the first URL.
    ///
    /// - Throws: `BrowseError` when the URL, an address, the response or the transport fails a rule;
    ///   `CancellationError` when the calling task is cancelled, which stops the transfer within moments.
    public func fetch(_ url: String) async throws -> FetchResult {
        try await fetch(FetchRequest(url: url))
    }

    /// Sends `request` under the same rules as ``fetch(_:)``: every address checked, the body capped, the timeouts
    /// applied. Redirects are followed only for `GET` and `HEAD`.
    public func fetch(_ request: FetchRequest) async throws -> FetchResult {
        try Task.checkCancellation()
        let cancellation = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await threadPool.runIfActive { [self] in
                try fetchBlocking(request, cancellation: cancellation)
            }
        } onCancel: {
            cancellation.cancel()
        }
    }

    private func fetchBlocking(_ request: FetchRequest, cancellation: CancellationFlag) throws -> FetchResult {
        guard CurlLibrary.initialization.isReady else {
            throw BrowseError.transport(message: "libcurl could not be initialised")
        }
        let deadline = ContinuousClock.now + configuration.totalTimeout
        var current = request.url
        var chain: [String] = []
        while true {
            if cancellation.isCancelled { throw CancellationError() }
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { throw BrowseError.timeout(limit: configuration.totalTimeout) }
            let outcome = try performHop(current, request: request, timeout: remaining, cancellation: cancellation)
            if request.followsRedirects, (300..<400).contains(outcome.status), let location = outcome.redirectURL {
                chain.append(outcome.effectiveURL.isEmpty ? current : outcome.effectiveURL)
                guard chain.count <= configuration.maxRedirects else {
                    throw BrowseError.tooManyRedirects(limit: configuration.maxRedirects, chain: chain + [location])
                }
                current = location
                continue
            }
            if outcome.status >= 400, !request.returnsErrorResponses {
                throw BrowseError.http(status: outcome.status, url: outcome.effectiveURL)
            }
            if let type = outcome.refusedContentType {
                throw BrowseError.binaryContent(type: type)
            }
            return FetchResult(
                finalURL: outcome.effectiveURL,
                status: outcome.status,
                contentType: outcome.contentType,
                body: outcome.body,
                redirectChain: chain,
                isTruncated: outcome.isTruncated
            )
        }
    }

    /// One request: checks the URL's scheme and (when it is an address) its host, then transfers.
    private func performHop(
        _ url: String,
        request: FetchRequest,
        timeout: Duration,
        cancellation: CancellationFlag
    ) throws -> CurlTransfer.Outcome {
        guard let parsed = ParsedURL(url) else { throw BrowseError.unsupportedScheme(url: url) }
        guard parsed.scheme == "http" || parsed.scheme == "https" else {
            throw BrowseError.unsupportedScheme(url: url)
        }
        // Refusing an address written into the URL here saves a transfer; names are judged when they resolve.
        if let address = IPAddress(parsed.host), let reason = policy.refusal(for: address, host: parsed.host) {
            throw BrowseError.blockedAddress(host: "\(address)", address: "\(address)", reason: reason)
        }
        guard
            let transfer = CurlTransfer(
                url: parsed.handle,
                host: parsed.host,
                request: request,
                policy: policy,
                configuration: configuration,
                timeout: timeout,
                cancellation: cancellation
            )
        else {
            throw BrowseError.transport(message: "libcurl could not create a transfer")
        }
        let outcome = withExtendedLifetime(parsed) { transfer.perform() }
        try check(outcome, host: parsed.host, cancellation: cancellation)
        return outcome
    }

    /// Turns libcurl's result code into the error the model reads; returns when the hop produced a response.
    private func check(_ outcome: CurlTransfer.Outcome, host: String, cancellation: CancellationFlag) throws {
        switch outcome.code {
        case CURLE_OK:
            return
        case CURLE_WRITE_ERROR where outcome.isTruncated || outcome.refusedContentType != nil:
            // The write callback stopped the transfer on purpose.
            return
        case CURLE_WRITE_ERROR where !(200..<300).contains(outcome.status) && outcome.status != 0:
            // The callback stops a non-2xx body at its first bytes; the status is all the fetcher needs.
            return
        case CURLE_ABORTED_BY_CALLBACK where cancellation.isCancelled:
            throw CancellationError()
        case CURLE_OPERATION_TIMEDOUT:
            let limit = outcome.didConnect ? configuration.totalTimeout : configuration.connectTimeout
            throw BrowseError.timeout(limit: min(limit, configuration.totalTimeout))
        case CURLE_UNSUPPORTED_PROTOCOL:
            throw BrowseError.unsupportedScheme(url: outcome.effectiveURL)
        default:
            if let refused = outcome.refusedAddress, !outcome.didConnect {
                throw BrowseError.blockedAddress(host: host, address: "\(refused.address)", reason: refused.reason)
            }
            throw BrowseError.transport(message: outcome.errorMessage)
        }
    }
}

/// libcurl's process-wide initialisation (`curl_global_init`), which must run once before any other call and is
/// not safe to race. A `static let` is initialised exactly once, thread-safely, on first use; it holds no mutable
/// state and nothing reaches it except the fetcher, so it is library set-up rather than a singleton service.
/// It is never undone: `curl_global_cleanup` at exit would race transfers still running on the pool.
struct CurlLibrary: Sendable {
    static let initialization = CurlLibrary()

    let isReady: Bool

    private init() {
        isReady = anvil_curl_global_init() == CURLE_OK
    }
}

/// A URL parsed by libcurl's own parser, so the scheme and host the guard checks are exactly what libcurl will use
/// (two parsers disagreeing about a URL's host is a classic SSRF bypass).
final class ParsedURL {
    let handle: OpaquePointer
    let scheme: String
    /// The host as written, lowercased by libcurl for names; IPv6 addresses keep their brackets.
    let host: String

    init?(_ url: String) {
        guard let handle = curl_url() else { return nil }
        // Unknown schemes parse too, so "gopher://…" is reported as a refused scheme rather than as a bad URL.
        guard curl_url_set(handle, CURLUPART_URL, url, UInt32(CURLU_NON_SUPPORT_SCHEME)) == CURLUE_OK,
            let scheme = Self.part(CURLUPART_SCHEME, of: handle)
        else {
            curl_url_cleanup(handle)
            return nil
        }
        self.handle = handle
        self.scheme = scheme.lowercased()
        self.host = Self.part(CURLUPART_HOST, of: handle) ?? ""
    }

    deinit {
        curl_url_cleanup(handle)
    }

    private static func part(_ part: CURLUPart, of handle: OpaquePointer) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard curl_url_get(handle, part, &value, 0) == CURLUE_OK, let value else { return nil }
        defer { curl_free(value) }
        return String(cString: value)
    }
}
