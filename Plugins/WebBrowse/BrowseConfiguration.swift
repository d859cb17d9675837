/// How `web_browse` fetches: what it may reach beyond the public internet, and the limits that keep one call from
/// tying up a thread, memory or the model's context. Filled from `manifests/plugins/web_browse.yaml`, then from the
/// environment.
public struct BrowseConfiguration: Sendable, Hashable {
    /// Hosts and networks exempt from the SSRF guard.
    public var allowList: AllowList
    /// Time allowed to establish each connection.
    public var connectTimeout: Duration
    /// Time allowed for the whole fetch, redirects included.
    public var totalTimeout: Duration
    /// Redirects followed before giving up; each hop is checked like the first request.
    public var maxRedirects: Int
    /// Bytes of (decompressed) body read; a longer body is cut at this size and reported as cut.
    public var maxBodyBytes: Int
    /// Characters a tool result holds when the call does not ask for fewer or more.
    public var maxOutputCharacters: Int
    /// Names the client honestly, with a URL, so site operators can tell what is fetching and how to reach us.
    public var userAgent: String

    /// The environment variable holding extra allow-list entries, comma-separated.
    public static let allowListVariable = "ANVIL_BROWSE_ALLOW"

    public init(
        allowList: AllowList = AllowList(),
        connectTimeout: Duration = .seconds(10),
        totalTimeout: Duration = .seconds(30),
        maxRedirects: Int = 5,
        maxBodyBytes: Int = 2 * 1024 * 1024,
        maxOutputCharacters: Int = 20_000,
        userAgent: String = "Anvil/0.1 (+https://github.com/anvil; web_browse)"
    ) {
        self.allowList = allowList
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxRedirects = maxRedirects
        self.maxBodyBytes = maxBodyBytes
        self.maxOutputCharacters = maxOutputCharacters
        self.userAgent = userAgent
    }

    /// `configured` with the entries of `ANVIL_BROWSE_ALLOW` (hosts and CIDR ranges, IPv4 or IPv6, separated by
    /// commas) added to its allow-list.
    ///
    /// - Throws: `BrowseConfigurationError.invalidAllowListEntry` naming the entry that is neither a host name nor
    ///   an address range, so a typo fails at startup instead of silently allowing nothing.
    public init(environment: [String: String], configured: BrowseConfiguration = BrowseConfiguration()) throws {
        self = configured
        if let value = environment[Self.allowListVariable] {
            let entries = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            allowList = configured.allowList.merging(try AllowList(entries: entries))
        }
    }
}

/// Why a `web_browse` configuration could not be used.
public enum BrowseConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidAllowListEntry(String)

    public var description: String {
        switch self {
        case .invalidAllowListEntry(let entry):
            "Invalid web_browse allow-list entry '\(entry)': expected a host name (wiki.internal), an IP address "
                + "(10.0.0.5, ::1) or a CIDR range (10.0.0.0/8, fd00::/8)."
        }
    }
}
