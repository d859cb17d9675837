/// Why a page could not be fetched. The descriptions are what the model reads as the tool's error result, so each
/// says what happened and whether trying again (or another URL) can help.
public enum BrowseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL (or a redirect) is not http or https, or is not a URL at all.
    case unsupportedScheme(url: String)
    /// The SSRF guard refused to connect to `address`, which `host` named or resolved to.
    case blockedAddress(host: String, address: String, reason: AddressRefusal)
    case tooManyRedirects(limit: Int, chain: [String])
    case timeout(limit: Duration)
    /// The content type is not text the tools can read (an image, a PDF, an archive).
    case binaryContent(type: String)
    /// The server answered with an error status.
    case http(status: Int, url: String)
    /// The connection or the protocol failed; `message` is libcurl's explanation.
    case transport(message: String)

    public var description: String {
        switch self {
        case .unsupportedScheme(let url):
            "Cannot fetch '\(url)': it is not an http:// or https:// URL, and only those can be browsed."
        case .blockedAddress(let host, let address, let reason):
            if host == address {
                "Refused to connect to \(address): it is \(reason), which web_browse does not reach for safety. "
                    + "Only public internet addresses can be browsed."
            } else {
                "Refused to connect to \(host) (\(address)): it is \(reason), which web_browse does not reach for "
                    + "safety. Only public internet addresses can be browsed."
            }
        case .tooManyRedirects(let limit, let chain):
            "Gave up after \(limit) redirects (\(chain.joined(separator: " -> "))). The page may redirect in a loop."
        case .timeout(let limit):
            "The site did not answer within \(limit.millisecondsDescription). It may be slow or down; try again later."
        case .binaryContent(let type):
            "The URL points to \(type) content, not text or HTML, so it cannot be read as a page."
        case .http(let status, let url):
            "The server answered \(status) (\(Self.reasonPhrase(status))) for \(url)."
        case .transport(let message):
            "The page could not be fetched: \(message)."
        }
    }

    private static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 400: "bad request"
        case 401: "authentication required"
        case 403: "forbidden"
        case 404: "not found"
        case 405: "method not allowed"
        case 410: "gone"
        case 429: "too many requests; try again later"
        case 500: "server error"
        case 502: "bad gateway"
        case 503: "service unavailable; try again later"
        case 504: "gateway timeout"
        case 400..<500: "client error"
        default: "server error"
        }
    }
}

extension Duration {
    /// "500 ms" or "30 s", without Foundation's formatters.
    var millisecondsDescription: String {
        let milliseconds = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }

    /// Whole milliseconds, at least 1, for libcurl's `_MS` options (where 0 means "no limit").
    var wholeMilliseconds: Int {
        let milliseconds = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
        return max(1, Int(clamping: milliseconds))
    }
}
