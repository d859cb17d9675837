#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 address as plain integers, so the SSRF guard compares addresses with masks rather than strings
/// (which have many spellings of the same address).
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
    case v4(UInt32)
    /// The 128 bits as high and low halves, network order.
    case v6(high: UInt64, low: UInt64)

    /// Parses the textual forms `inet_pton` accepts: dotted quad for IPv4, RFC 4291 text for IPv6. Square
    /// brackets around an IPv6 address (as in URLs) are accepted; zone identifiers and shorthand IPv4 forms such as
    /// `127.1` are not, so an entry is never read as something other than it looks.
    public init?(_ text: String) {
        guard !text.contains("\0") else { return nil }
        var text = Substring(text)
        if text.hasPrefix("[") && text.hasSuffix("]") {
            text = text.dropFirst().dropLast()
        }
        var storage = (UInt64(0), UInt64(0))
        let parsed: Int32? = withUnsafeMutableBytes(of: &storage) { buffer in
            String(text).withCString { pointer in
                if inet_pton(AF_INET, pointer, buffer.baseAddress) == 1 { return AF_INET }
                if inet_pton(AF_INET6, pointer, buffer.baseAddress) == 1 { return AF_INET6 }
                return nil
            }
        }
        let bytes = withUnsafeBytes(of: storage) { Array($0) }
        switch parsed {
        case AF_INET: self.init(bytes: bytes[0..<4])
        case AF_INET6: self.init(bytes: bytes[0..<16])
        default: return nil
        }
    }

    /// An address from its network-order bytes: 4 for IPv4, 16 for IPv6.
    public init?(bytes: some Collection<UInt8>) {
        switch bytes.count {
        case 4:
            self = .v4(bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        case 16:
            let high = bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let low = bytes.dropFirst(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            self = .v6(high: high, low: low)
        default:
            return nil
        }
    }

    /// The IPv4 address an IPv6 address stands for when it embeds one in a way packets can reach it: IPv4-mapped
    /// (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), NAT64 (`64:ff9b::/96`) and 6to4 (`2002:AABB:CCDD::/48`).
    /// The guard judges such an address by the IPv4 address inside it, so `::ffff:127.0.0.1` is loopback.
    public var embeddedIPv4: IPAddress? {
        guard case .v6(let high, let low) = self else { return nil }
        let lowBits = UInt32(truncatingIfNeeded: low)
        if high == 0 && low >> 32 == 0xffff { return .v4(lowBits) }
        if high == 0 && low >> 32 == 0 && lowBits > 1 { return .v4(lowBits) }
        if high == 0x0064_ff9b_0000_0000 && low >> 32 == 0 { return .v4(lowBits) }
        if high >> 48 == 0x2002 { return .v4(UInt32(truncatingIfNeeded: high >> 16)) }
        return nil
    }

    public var description: String {
        switch self {
        case .v4(let value):
            return [24, 16, 8, 0].map { String((value >> $0) & 0xff) }.joined(separator: ".")
        case .v6(let high, let low):
            var bytes = [UInt8]()
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: high >> shift)) }
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: low >> shift)) }
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            let formatted = bytes.withUnsafeBytes { source in
                inet_ntop(AF_INET6, source.baseAddress, &text, socklen_t(text.count)) != nil
            }
            guard formatted else { return "::" }
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}

/// A CIDR range such as `10.0.0.0/8` or `fc00::/7`.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    public let address: IPAddress
    public let prefixLength: Int

    /// A range from an address and prefix length; the address is masked, so `10.1.2.3/8` is `10.0.0.0/8`.
    /// Returns `nil` when the prefix is longer than the address.
    public init?(address: IPAddress, prefixLength: Int) {
        switch address {
        case .v4(let value):
            guard (0...32).contains(prefixLength) else { return nil }
            self.address = .v4(value & Self.mask32(prefixLength))
        case .v6(let high, let low):
            guard (0...128).contains(prefixLength) else { return nil }
            let (highMask, lowMask) = Self.mask128(prefixLength)
            self.address = .v6(high: high & highMask, low: low & lowMask)
        }
        self.prefixLength = prefixLength
    }

    /// Parses `address/prefix`, or a bare address as a single-address range.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(String(parts[0])) else { return nil }
        if parts.count == 1 {
            self.init(address: address, prefixLength: address.bitWidth)
            return
        }
        guard parts[1].allSatisfy(\.isASCIIDigit), parts[1].count <= 3, let length = Int(parts[1]) else {
            return nil
        }
        self.init(address: address, prefixLength: length)
    }

    /// Whether `candidate` lies in the range. An IPv4 range never contains an IPv6 address and vice versa; callers
    /// compare embedded IPv4 addresses separately.
    public func contains(_ candidate: IPAddress) -> Bool {
        switch (address, candidate) {
        case (.v4(let base), .v4(let value)):
            return value & Self.mask32(prefixLength) == base
        case (.v6(let baseHigh, let baseLow), .v6(let high, let low)):
            let (highMask, lowMask) = Self.mask128(prefixLength)
            return high & highMask == baseHigh && low & lowMask == baseLow
        default:
            return false
        }
    }

    /// Whether this range is exactly one address.
    public var isSingleAddress: Bool { prefixLength == address.bitWidth }

    public var description: String { "\(address)/\(prefixLength)" }

    private static func mask32(_ length: Int) -> UInt32 {
        length == 0 ? 0 : UInt32.max << (32 - length)
    }

    private static func mask128(_ length: Int) -> (UInt64, UInt64) {
        if length <= 64 {
            return (length == 0 ? 0 : UInt64.max << (64 - length), 0)
        }
        return (UInt64.max, length == 128 ? UInt64.max : UInt64.max << (128 - length))
    }
}

extension IPAddress {
    /// 32 or 128.
    var bitWidth: Int {
        switch self {
        case .v4: 32
        case .v6: 128
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
