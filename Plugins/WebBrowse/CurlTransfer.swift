import CCurl
import NIOConcurrencyHelpers

/// Whether the task that asked for a fetch has been cancelled. libcurl's callbacks run on a thread-pool thread
/// where `Task.isCancelled` is always false, so the task's cancellation handler sets this flag and the progress
/// callback reads it.
final class CancellationFlag: Sendable {
    private let cancelled = NIOLockedValueBox(false)

    var isCancelled: Bool { cancelled.withLockedValue { $0 } }

    func cancel() {
        cancelled.withLockedValue { $0 = true }
    }
}

/// One HTTP request on one easy handle: the state libcurl's C callbacks read and write while `curl_easy_perform`
/// runs. Confined to the thread that performs it, and handed to the callbacks as an unretained pointer that cannot
/// outlive `perform()`.
final class CurlTransfer {
    /// What one request produced; a redirect is an outcome like any other, the fetcher decides whether to follow.
    struct Outcome {
        var code: CURLcode
        var status: Int
        var contentType: String?
        var effectiveURL: String
        var redirectURL: String?
        var body: [UInt8]
        var isTruncated: Bool
        var refusedContentType: String?
        var refusedAddress: (address: IPAddress, reason: AddressRefusal)?
        var didConnect: Bool
        var errorMessage: String
    }

    /// Response statuses whose body is worth reading; for any other the headers say all the fetcher needs, unless
    /// the request asks for error bodies too.
    private let readableStatuses: Range<Int>

    private let handle: UnsafeMutableRawPointer
    private let host: String
    private let policy: AddressPolicy
    private let maxBodyBytes: Int
    private let cancellation: CancellationFlag
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var headerList: UnsafeMutablePointer<curl_slist>?

    private var body: [UInt8] = []
    private var isTruncated = false
    private var refusedContentType: String?
    private var refusedAddress: (address: IPAddress, reason: AddressRefusal)?
    private var checkedHeaders = false

    /// - Parameters:
    ///   - url: the parsed URL; libcurl uses this very object, so the host the guard saw is the host it connects to.
    ///   - host: the host as the URL names it, for the allow-list's names and for error messages.
    init?(
        url: OpaquePointer,
        host: String,
        request: FetchRequest,
        policy: AddressPolicy,
        configuration: BrowseConfiguration,
        timeout: Duration,
        cancellation: CancellationFlag
    ) {
        guard let handle = curl_easy_init() else { return nil }
        self.handle = handle
        self.host = host
        self.policy = policy
        self.maxBodyBytes = configuration.maxBodyBytes
        self.cancellation = cancellation
        readableStatuses = request.returnsErrorResponses ? 200..<600 : 200..<300
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        configure(url: url, configuration: configuration, timeout: timeout)
        configure(request: request)
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// Runs the request to completion on the calling thread, which blocks; call it from a thread pool.
    func perform() -> Outcome {
        let code = curl_easy_perform(handle)
        var status = 0
        _ = anvil_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var connectTime: curl_off_t = 0
        _ = anvil_curl_getinfo_off_t(handle, CURLINFO_CONNECT_TIME_T, &connectTime)
        return Outcome(
            code: code,
            status: status,
            contentType: stringInfo(CURLINFO_CONTENT_TYPE),
            effectiveURL: stringInfo(CURLINFO_EFFECTIVE_URL) ?? "",
            redirectURL: stringInfo(CURLINFO_REDIRECT_URL),
            body: body,
            isTruncated: isTruncated,
            refusedContentType: refusedContentType,
            refusedAddress: refusedAddress,
            didConnect: connectTime > 0,
            errorMessage: errorBuffer.pointee == 0
                ? String(cString: curl_easy_strerror(code)) : String(cString: errorBuffer)
        )
    }

    private func configure(url: OpaquePointer, configuration: BrowseConfiguration, timeout: Duration) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = anvil_curl_setopt_pointer(handle, CURLOPT_CURLU, UnsafeMutableRawPointer(url))
        // Only the web: no file://, ftp://, gopher:// or dict:// even if a server redirects there.
        _ = anvil_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = anvil_curl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        // Redirects are followed by the fetcher, one checked hop at a time.
        _ = anvil_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        // A proxy from http_proxy/https_proxy would make the guard see the proxy's address instead of the site's.
        _ = anvil_curl_setopt_string(handle, CURLOPT_PROXY, "")
        // Signals (for DNS timeouts) are process-wide; a server's threads must not receive them.
        _ = anvil_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = anvil_curl_setopt_long(
            handle, CURLOPT_CONNECTTIMEOUT_MS, min(configuration.connectTimeout, timeout).wholeMilliseconds)
        _ = anvil_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, timeout.wholeMilliseconds)
        // An empty string offers every encoding this libcurl was built with (gzip, deflate, br, zstd).
        _ = anvil_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")
        _ = anvil_curl_setopt_string(handle, CURLOPT_USERAGENT, configuration.userAgent)
        _ = anvil_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))

        _ = anvil_curl_setopt_pointer(handle, CURLOPT_OPENSOCKETDATA, context)
        _ = anvil_curl_setopt_opensocket_callback(handle) { context, _, address in
            guard let context, let address else { return CURL_SOCKET_BAD }
            return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().openSocket(address)
        }
        _ = anvil_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        _ = anvil_curl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            guard let context, let data else { return 0 }
            let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
            return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().receive(bytes)
        }
        _ = anvil_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
        _ = anvil_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context)
        _ = anvil_curl_setopt_xferinfo_callback(handle) { context, _, _, _, _ in
            guard let context else { return 1 }
            // Non-zero aborts the transfer with CURLE_ABORTED_BY_CALLBACK.
            return Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue().cancellation.isCancelled ? 1 : 0
        }
    }

    /// The method, extra headers and body of a request that is not a plain page fetch. The body is copied into
    /// libcurl, so it need not outlive this call.
    private func configure(request: FetchRequest) {
        switch request.method {
        case "GET": break
        case "HEAD": _ = anvil_curl_setopt_long(handle, CURLOPT_NOBODY, 1)
        default: _ = anvil_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
        }
        if let body = request.body {
            _ = anvil_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, body.count)
            if body.isEmpty {
                _ = anvil_curl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, "")
            } else {
                body.withUnsafeBytes { bytes in
                    _ = anvil_curl_setopt_pointer(
                        handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                }
            }
            if request.method == "GET" || request.method == "HEAD" {
                _ = anvil_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
            }
        }
        if !request.headers.contains(where: { $0.name.lowercased() == "accept" }) {
            headerList = curl_slist_append(
                headerList, "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5")
        }
        for header in request.headers where header.isValid {
            headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
        }
        _ = anvil_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList))
    }

    /// The guard proper: called with each address libcurl is about to connect to, after DNS resolution, so a name
    /// that resolves (or re-resolves) to a private address is caught here whatever it looked like in the URL.
    private func openSocket(_ address: UnsafeMutablePointer<curl_sockaddr>) -> curl_socket_t {
        var bytes = [UInt8](repeating: 0, count: 16)
        let length = Int(anvil_curl_sockaddr_ip(address, &bytes))
        guard let ip = IPAddress(bytes: bytes.prefix(length)) else { return CURL_SOCKET_BAD }
        if let reason = policy.refusal(for: ip, host: host) {
            // libcurl tries the host's next address, if any; the first refusal explains a total failure.
            if refusedAddress == nil { refusedAddress = (ip, reason) }
            return CURL_SOCKET_BAD
        }
        return anvil_curl_open_socket(address)
    }

    /// Collects body bytes up to the cap. Returning fewer bytes than offered stops the transfer (libcurl reports
    /// CURLE_WRITE_ERROR), which is how a too-long body, a binary type or a non-2xx response ends early.
    private func receive(_ bytes: UnsafeRawBufferPointer) -> Int {
        if !checkedHeaders {
            checkedHeaders = true
            var status = 0
            _ = anvil_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            guard readableStatuses.contains(status) else { return 0 }
            if let type = stringInfo(CURLINFO_CONTENT_TYPE), let mediaType = MediaType(type), !mediaType.isTextual {
                refusedContentType = mediaType.essence
                return 0
            }
        }
        let room = maxBodyBytes - body.count
        if bytes.count > room {
            body.append(contentsOf: bytes.prefix(max(room, 0)))
            isTruncated = true
            return 0
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    private func stringInfo(_ info: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard anvil_curl_getinfo_string(handle, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }
}
