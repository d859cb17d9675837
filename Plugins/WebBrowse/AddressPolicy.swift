/// Why the guard refused an address. Each reason names the kind of network, so a model (and an operator reading
/// the error) knows the refusal is a rule and not a failure of the site.
public enum AddressRefusal: String, Sendable, Hashable, CustomStringConvertible {
    case loopback
    case privateNetwork
    case linkLocal
    case uniqueLocal
    case multicast
    case unspecified
    case sharedAddressSpace
    case broadcast
    case cloudMetadata
    case reserved

    public var description: String {
        switch self {
        case .loopback: "a loopback address (this machine)"
        case .privateNetwork: "a private network address"
        case .linkLocal: "a link-local address"
        case .uniqueLocal: "a unique-local IPv6 address (private network)"
        case .multicast: "a multicast address"
        case .unspecified: "the unspecified address"
        case .sharedAddressSpace: "a carrier-grade NAT address (100.64.0.0/10)"
        case .broadcast: "the broadcast address"
        case .cloudMetadata: "a cloud metadata service address"
        case .reserved: "a reserved address"
        }
    }
}

/// The hosts and networks an operator allows despite the SSRF rules, e.g. an intranet wiki or a test fixture.
public struct AllowList: Sendable, Hashable {
    /// Lowercased host names without a trailing dot. A listed name allows every address it resolves to.
    public private(set) var hosts: Set<String> = []
    public private(set) var networks: [IPNetwork] = []

    public init() {}

    /// Parses entries such as `localhost`, `wiki.internal`, `10.1.0.0/16`, `::1` or `[fd00::1]`.
    ///
    /// - Throws: `BrowseConfigurationError.invalidAllowListEntry` naming the first entry that is neither.
    public init(entries: some Sequence<String>) throws {
        for entry in entries {
            try add(entry)
        }
    }

    /// Adds one entry; blank entries (from `a,,b` or a trailing comma) are ignored.
    public mutating func add(_ entry: String) throws {
        let trimmed = entry.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty else { return }
        if let network = IPNetwork(trimmed) {
            if !networks.contains(network) { networks.append(network) }
        } else if let host = HostName(trimmed) {
            hosts.insert(host.value)
        } else {
            throw BrowseConfigurationError.invalidAllowListEntry(entry)
        }
    }

    /// This list with the entries of `other` added.
    public func merging(_ other: AllowList) -> AllowList {
        var merged = self
        merged.hosts.formUnion(other.hosts)
        for network in other.networks where !merged.networks.contains(network) {
            merged.networks.append(network)
        }
        return merged
    }

    /// Whether `host` (as written in a URL) is listed by name.
    public func allowsHost(_ host: String) -> Bool {
        guard let name = HostName(host) else { return false }
        return hosts.contains(name.value)
    }
}

/// The SSRF guard: decides whether the fetcher may connect to an address. Pure, so every rule is unit-tested
/// without a socket.
///
/// Addresses that reach this machine, its private networks or the cloud provider's metadata service are refused
/// unless the operator allow-listed them, because a model can be talked (by a web page it read) into requesting
/// them. IPv6 forms that embed an IPv4 address are judged by that IPv4 address.
public struct AddressPolicy: Sendable, Hashable {
    public var allowList: AllowList

    public init(allowList: AllowList = AllowList()) {
        self.allowList = allowList
    }

    /// Why connecting to `address` for a URL naming `host` is refused, or `nil` when it is allowed.
    ///
    /// A host listed by name allows whatever it resolves to, except metadata addresses: those need their own exact
    /// entry (`169.254.169.254`), so that allowing a name or a broad range such as `169.254.0.0/16` never exposes
    /// cloud credentials by accident.
    public func refusal(for address: IPAddress, host: String? = nil) -> AddressRefusal? {
        guard let refusal = Self.classify(address) else { return nil }
        if refusal == .cloudMetadata {
            let exact = allowList.networks.contains { $0.isSingleAddress && $0.contains(address) }
            return exact ? nil : refusal
        }
        if let host, allowList.allowsHost(host) { return nil }
        let candidates = [address] + (address.embeddedIPv4.map { [$0] } ?? [])
        if allowList.networks.contains(where: { network in candidates.contains { network.contains($0) } }) {
            return nil
        }
        return refusal
    }

    /// The kind of non-public address this is, or `nil` for a public address; ignores the allow-list.
    public static func classify(_ address: IPAddress) -> AddressRefusal? {
        if metadataAddresses.contains(address) { return .cloudMetadata }
        if let embedded = address.embeddedIPv4 {
            return classify(embedded)
        }
        let ranges = address.bitWidth == 32 ? ipv4Ranges : ipv6Ranges
        return ranges.first { $0.network.contains(address) }?.refusal
    }

    private static let metadataAddresses: Set<IPAddress> = [
        .v4(0xa9fe_a9fe),  // 169.254.169.254: AWS, GCP, Azure, OpenStack
        .v6(high: 0xfd00_0ec2_0000_0000, low: 0x254),  // fd00:ec2::254: AWS over IPv6
        .v4(0x6464_64c8),  // 100.100.100.200: Alibaba Cloud
    ]

    /// Most specific first is not needed: the ranges do not overlap except broadcast inside 240/4, listed first.
    private static let ipv4Ranges: [(network: IPNetwork, refusal: AddressRefusal)] = table([
        ("255.255.255.255/32", .broadcast),
        ("0.0.0.0/8", .unspecified),
        ("10.0.0.0/8", .privateNetwork),
        ("100.64.0.0/10", .sharedAddressSpace),
        ("127.0.0.0/8", .loopback),
        ("169.254.0.0/16", .linkLocal),
        ("172.16.0.0/12", .privateNetwork),
        ("192.0.0.0/24", .reserved),
        ("192.0.2.0/24", .reserved),
        ("192.168.0.0/16", .privateNetwork),
        ("198.18.0.0/15", .reserved),
        ("198.51.100.0/24", .reserved),
        ("203.0.113.0/24", .reserved),
        ("224.0.0.0/4", .multicast),
        ("240.0.0.0/4", .reserved),
    ])

    private static let ipv6Ranges: [(network: IPNetwork, refusal: AddressRefusal)] = table([
        ("::/128", .unspecified),
        ("::1/128", .loopback),
        ("100::/64", .reserved),
        ("2001:db8::/32", .reserved),
        ("fc00::/7", .uniqueLocal),
        ("fe80::/10", .linkLocal),
        ("fec0::/10", .reserved),
        ("ff00::/8", .multicast),
    ])

    private static func table(
        _ rows: [(String, AddressRefusal)]
    ) -> [(network: IPNetwork, refusal: AddressRefusal)] {
        // The literals above are constants checked by the tests; a typo drops the row rather than trapping.
        rows.compactMap { text, refusal in IPNetwork(text).map { (network: $0, refusal: refusal) } }
    }
}

/// A syntactically valid DNS host name, lowercased and without a trailing dot.
struct HostName: Hashable {
    let value: String

    /// Accepts letter-digit-hyphen labels (underscores too, which real DNS names carry), up to 63 characters each
    /// and 253 in all. A name whose last label is all digits is refused: it is a mistyped IPv4 address, not a host.
    init?(_ text: String) {
        var name = text.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        guard !name.isEmpty, name.utf8.count <= 253 else { return nil }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            guard (1...63).contains(label.utf8.count), !label.hasPrefix("-"), !label.hasSuffix("-") else { return nil }
            guard label.utf8.allSatisfy({ $0.isHostNameByte }) else { return nil }
        }
        if let last = labels.last, last.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
            return nil
        }
        value = name
    }
}

extension UInt8 {
    fileprivate var isHostNameByte: Bool {
        switch self {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"),
            UInt8(ascii: "_"):
            true
        default:
            false
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks (no Foundation needed).
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
