/// One outgoing request for ``CurlFetcher``: a page to read, or a call to an HTTP API declared in a manifest.
public struct FetchRequest: Sendable, Hashable {
    /// One request header. Names and values never contain line breaks (``isValid``), so a header cannot smuggle in
    /// another.
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }

        /// A token name (RFC 9110) and a value free of control characters other than tab.
        public var isValid: Bool {
            let tokenCharacters = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
            return !name.isEmpty && name.allSatisfy(tokenCharacters.contains)
                && value.unicodeScalars.allSatisfy { $0 == "\t" || ($0.value >= 0x20 && $0.value != 0x7F) }
        }
    }

    public var url: String
    /// `GET`, `POST`, `PUT`, `PATCH`, `DELETE` or `HEAD`. Only `GET` and `HEAD` follow redirects; other methods
    /// return the redirect itself, since repeating a write at another address is not the fetcher's call to make.
    public var method: String
    public var headers: [Header]
    public var body: [UInt8]?
    /// Whether a 4xx or 5xx response is returned with its body (an API's error message is worth reading) rather
    /// than thrown as ``BrowseError/http(status:url:)``.
    public var returnsErrorResponses: Bool

    public init(
        url: String,
        method: String = "GET",
        headers: [Header] = [],
        body: [UInt8]? = nil,
        returnsErrorResponses: Bool = false
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.returnsErrorResponses = returnsErrorResponses
    }

    /// Whether redirects are followed for this request.
    var followsRedirects: Bool { method == "GET" || method == "HEAD" }
}
