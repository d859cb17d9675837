extension JSONSchema {
    /// The `format` values we check. The specification lets validators treat formats as annotations; we check the
    /// ones tool arguments use, because a model that sends "2023-02-29" as a date should hear about it, and leave
    /// the rest as annotations.
    ///
    /// The checks scan UTF-8 bytes by hand rather than using `DateFormatter` or regular expressions: they are
    /// stricter (no lenient date rollover) and cheap enough for every call.
    enum Format: String, Sendable {
        case date
        case dateTime = "date-time"
        case time
        case email
        case uri
        case uuid
        case ipv4
        case ipv6

        /// What a valid value looks like, for messages.
        var expectation: String {
            switch self {
            case .date: "a valid date in YYYY-MM-DD form"
            case .dateTime: "a valid RFC 3339 date-time such as 2024-05-01T13:45:00Z"
            case .time: "a valid RFC 3339 time with an offset such as 13:45:00Z"
            case .email: "a valid email address"
            case .uri: "a valid absolute URI"
            case .uuid: "a valid UUID"
            case .ipv4: "a valid IPv4 address"
            case .ipv6: "a valid IPv6 address"
            }
        }

        func accepts(_ string: String) -> Bool {
            let bytes = Array(string.utf8)[...]
            switch self {
            case .date: return Self.isDate(bytes)
            case .dateTime: return Self.isDateTime(bytes)
            case .time: return Self.isTime(bytes)
            case .email: return Self.isEmail(bytes)
            case .uri: return Self.isURI(bytes)
            case .uuid: return Self.isUUID(bytes)
            case .ipv4: return Self.isIPv4(bytes)
            case .ipv6: return Self.isIPv6(bytes)
            }
        }

        typealias Bytes = ArraySlice<UInt8>

        // MARK: Dates and times (RFC 3339, section 5.6)

        private static func isDate(_ bytes: Bytes) -> Bool {
            let start = bytes.startIndex
            guard bytes.count == 10, bytes[start + 4] == ascii("-"), bytes[start + 7] == ascii("-"),
                let year = number(bytes, at: start, digits: 4),
                let month = number(bytes, at: start + 5, digits: 2),
                let day = number(bytes, at: start + 8, digits: 2),
                (1...12).contains(month)
            else { return false }
            return day >= 1 && day <= daysIn(month: month, year: year)
        }

        private static func daysIn(month: Int, year: Int) -> Int {
            switch month {
            case 2:
                let isLeapYear = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
                return isLeapYear ? 29 : 28
            case 4, 6, 9, 11: return 30
            default: return 31
            }
        }

        /// `full-time`: `HH:MM:SS`, optional fraction, then `Z` or `±HH:MM`. A leap second is only valid where it can
        /// happen, at 23:59:60 UTC.
        private static func isTime(_ bytes: Bytes) -> Bool {
            let start = bytes.startIndex
            let end = bytes.endIndex
            guard bytes.count >= 9, bytes[start + 2] == ascii(":"), bytes[start + 5] == ascii(":"),
                let hour = number(bytes, at: start, digits: 2), hour <= 23,
                let minute = number(bytes, at: start + 3, digits: 2), minute <= 59,
                let second = number(bytes, at: start + 6, digits: 2), second <= 60
            else { return false }
            var index = start + 8
            if bytes[index] == ascii(".") {
                index += 1
                let fractionStart = index
                while index < end, isDigit(bytes[index]) { index += 1 }
                guard index > fractionStart else { return false }
            }
            guard index < end else { return false }
            var offsetMinutes = 0
            switch bytes[index] {
            case ascii("Z"), ascii("z"):
                guard index + 1 == end else { return false }
            case ascii("+"), ascii("-"):
                guard end - index == 6, bytes[index + 3] == ascii(":"),
                    let offsetHour = number(bytes, at: index + 1, digits: 2), offsetHour <= 23,
                    let offsetMinute = number(bytes, at: index + 4, digits: 2), offsetMinute <= 59
                else { return false }
                offsetMinutes = (offsetHour * 60 + offsetMinute) * (bytes[index] == ascii("+") ? 1 : -1)
            default:
                return false
            }
            if second == 60 {
                let minutesInDay = 24 * 60
                let utcMinute = ((hour * 60 + minute - offsetMinutes) % minutesInDay + minutesInDay) % minutesInDay
                return utcMinute == 23 * 60 + 59
            }
            return true
        }

        private static func isDateTime(_ bytes: Bytes) -> Bool {
            let start = bytes.startIndex
            guard bytes.count > 11, bytes[start + 10] == ascii("T") || bytes[start + 10] == ascii("t") else {
                return false
            }
            return isDate(bytes[start..<start + 10]) && isTime(bytes[(start + 11)...])
        }

        // MARK: Identifiers and addresses

        /// `8-4-4-4-12` hexadecimal digits, any version.
        private static func isUUID(_ bytes: Bytes) -> Bool {
            guard bytes.count == 36 else { return false }
            for (offset, byte) in bytes.enumerated() {
                let isHyphenPosition = offset == 8 || offset == 13 || offset == 18 || offset == 23
                guard isHyphenPosition ? byte == ascii("-") : isHexDigit(byte) else { return false }
            }
            return true
        }

        /// Dotted decimal; leading zeros are rejected because some parsers read them as octal.
        private static func isIPv4(_ bytes: Bytes) -> Bool {
            let parts = bytes.split(separator: ascii("."), omittingEmptySubsequences: false)
            guard parts.count == 4 else { return false }
            for part in parts {
                guard (1...3).contains(part.count), part.allSatisfy(isDigit),
                    part.count == 1 || part.first != ascii("0"),
                    let value = number(part, at: part.startIndex, digits: part.count), value <= 255
                else { return false }
            }
            return true
        }

        /// RFC 4291 text form: eight groups, one `::` for a run of zero groups, optionally an IPv4 tail. Zone ids
        /// (`%eth0`) are not addresses and are rejected.
        private static func isIPv6(_ bytes: Bytes) -> Bool {
            guard !bytes.isEmpty, bytes.count <= 45 else { return false }
            var doubleColon: Int?
            var index = bytes.startIndex
            while index + 1 < bytes.endIndex {
                if bytes[index] == ascii(":") && bytes[index + 1] == ascii(":") {
                    guard doubleColon == nil else { return false }
                    doubleColon = index
                    index += 2
                } else {
                    index += 1
                }
            }
            guard let doubleColon else { return groupCount(bytes, allowsIPv4Tail: true) == 8 }
            guard let head = groupCount(bytes[..<doubleColon], allowsIPv4Tail: false),
                let tail = groupCount(bytes[(doubleColon + 2)...], allowsIPv4Tail: true)
            else { return false }
            return head + tail <= 7
        }

        /// How many 16-bit groups `bytes` spells (an IPv4 tail counts as two), or `nil` if one is malformed.
        private static func groupCount(_ bytes: Bytes, allowsIPv4Tail: Bool) -> Int? {
            if bytes.isEmpty { return 0 }
            let groups = bytes.split(separator: ascii(":"), omittingEmptySubsequences: false)
            var count = 0
            for (position, group) in groups.enumerated() {
                if allowsIPv4Tail, position == groups.count - 1, group.contains(ascii(".")) {
                    guard isIPv4(group) else { return nil }
                    count += 2
                } else {
                    guard (1...4).contains(group.count), group.allSatisfy(isHexDigit) else { return nil }
                    count += 1
                }
            }
            return count
        }

        /// RFC 5321 mailbox: a dot-atom or quoted local part, then a host name or an address literal in brackets.
        /// Internationalized addresses are `idn-email`, not this.
        private static func isEmail(_ bytes: Bytes) -> Bool {
            guard let at = bytes.lastIndex(of: ascii("@")) else { return false }
            let local = bytes[..<at]
            let domain = bytes[(at + 1)...]
            guard (1...64).contains(local.count), !domain.isEmpty else { return false }

            if local.count >= 2, local.first == ascii("\""), local.last == ascii("\"") {
                var escaped = false
                for byte in local.dropFirst().dropLast() {
                    guard (32...126).contains(byte) else { return false }
                    if escaped {
                        escaped = false
                    } else if byte == ascii("\\") {
                        escaped = true
                    } else if byte == ascii("\"") {
                        return false
                    }
                }
                guard !escaped else { return false }
            } else {
                guard local.first != ascii("."), local.last != ascii("."),
                    local.allSatisfy({ isAtomCharacter($0) || $0 == ascii(".") }),
                    !zip(local, local.dropFirst()).contains(where: { $0 == ascii(".") && $1 == ascii(".") })
                else { return false }
            }

            if domain.first == ascii("["), domain.last == ascii("]"), domain.count >= 2 {
                let literal = domain.dropFirst().dropLast()
                let ipv6Prefix = Array("IPv6:".utf8)
                if literal.starts(with: ipv6Prefix) {
                    return isIPv6(literal.dropFirst(ipv6Prefix.count))
                }
                return isIPv4(literal)
            }
            return isHostname(domain)
        }

        private static func isHostname(_ bytes: Bytes) -> Bool {
            guard bytes.count <= 253 else { return false }
            for label in bytes.split(separator: ascii("."), omittingEmptySubsequences: false) {
                guard (1...63).contains(label.count), label.first != ascii("-"), label.last != ascii("-"),
                    label.allSatisfy({ isAlphanumeric($0) || $0 == ascii("-") })
                else { return false }
            }
            return true
        }

        /// RFC 3986 absolute URI: a scheme, a colon, then only characters a URI may contain, with well-formed
        /// percent escapes and at most one fragment.
        private static func isURI(_ bytes: Bytes) -> Bool {
            guard let colon = bytes.firstIndex(of: ascii(":")), colon > bytes.startIndex,
                isLetter(bytes[bytes.startIndex]),
                bytes[bytes.startIndex..<colon].allSatisfy({
                    isAlphanumeric($0) || $0 == ascii("+") || $0 == ascii("-") || $0 == ascii(".")
                })
            else { return false }
            var index = colon + 1
            var sawFragment = false
            while index < bytes.endIndex {
                let byte = bytes[index]
                if byte == ascii("%") {
                    guard index + 2 < bytes.endIndex, isHexDigit(bytes[index + 1]), isHexDigit(bytes[index + 2]) else {
                        return false
                    }
                    index += 3
                    continue
                }
                if byte == ascii("#") {
                    guard !sawFragment else { return false }
                    sawFragment = true
                }
                guard isAlphanumeric(byte) || uriPunctuation.contains(byte) else { return false }
                index += 1
            }
            return true
        }

        /// Unreserved, general and sub-delimiter punctuation from RFC 3986.
        private static let uriPunctuation = Set("-._~:/?#[]@!$&'()*+,;=".utf8)

        // MARK: Bytes

        private static func ascii(_ character: Unicode.Scalar) -> UInt8 {
            UInt8(ascii: character)
        }

        /// The decimal number in `digits` bytes from `index`, or `nil` if one is not a digit.
        private static func number(_ bytes: Bytes, at index: Int, digits: Int) -> Int? {
            guard index >= bytes.startIndex, index + digits <= bytes.endIndex else { return nil }
            var value = 0
            for byte in bytes[index..<index + digits] {
                guard isDigit(byte) else { return nil }
                value = value * 10 + Int(byte - ascii("0"))
            }
            return value
        }

        private static func isDigit(_ byte: UInt8) -> Bool {
            (ascii("0")...ascii("9")).contains(byte)
        }

        private static func isLetter(_ byte: UInt8) -> Bool {
            (ascii("a")...ascii("z")).contains(byte) || (ascii("A")...ascii("Z")).contains(byte)
        }

        private static func isAlphanumeric(_ byte: UInt8) -> Bool {
            isDigit(byte) || isLetter(byte)
        }

        private static func isHexDigit(_ byte: UInt8) -> Bool {
            isDigit(byte) || (ascii("a")...ascii("f")).contains(byte) || (ascii("A")...ascii("F")).contains(byte)
        }

        /// RFC 5322 `atext`.
        private static func isAtomCharacter(_ byte: UInt8) -> Bool {
            isAlphanumeric(byte) || atomPunctuation.contains(byte)
        }

        private static let atomPunctuation = Set("!#$%&'*+-/=?^_`{|}~".utf8)
    }
}
