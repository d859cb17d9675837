import Foundation

/// An RFC 5545 recurrence rule (`FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=10`) in the subset Anvil expands:
/// `FREQ` (daily, weekly, monthly, yearly), `INTERVAL`, `COUNT`, `UNTIL`, `BYDAY` (with ordinals such as `2MO` or
/// `-1FR` for monthly and yearly rules), `BYMONTHDAY`, `BYMONTH` and `WKST`.
///
/// Parts outside that subset are rejected rather than ignored, because ignoring one would silently produce
/// occurrences the author did not ask for.
public struct RecurrenceRule: Sendable, Hashable {
    public enum Frequency: String, Sendable, Hashable, CaseIterable {
        case daily = "DAILY"
        case weekly = "WEEKLY"
        case monthly = "MONTHLY"
        case yearly = "YEARLY"
    }

    /// One `BYDAY` entry: a weekday, optionally the nth (`2MO`) or nth-from-last (`-1FR`) of the month or year.
    public struct WeekdayEntry: Sendable, Hashable {
        public var ordinal: Int?
        public var weekday: Weekday

        public init(ordinal: Int? = nil, _ weekday: Weekday) {
            self.ordinal = ordinal
            self.weekday = weekday
        }

        var text: String { (ordinal.map(String.init) ?? "") + weekday.code }
    }

    /// When the recurrence ends: at an instant (`UNTIL=20261231T230000Z`), at the end of a local date
    /// (`UNTIL=20261231`), or at a local time of the event's zone (`UNTIL=20261231T090000`).
    public enum Until: Sendable, Hashable {
        case instant(Date)
        case date(CivilDate)
        case local(LocalDateTime)

        var text: String {
            switch self {
            case .instant(let date): LocalDateTime(date, in: .gmt).basicFormat + "Z"
            case .date(let date): date.basicFormat
            case .local(let local): local.basicFormat
            }
        }
    }

    public var frequency: Frequency
    public var interval: Int = 1
    public var count: Int?
    public var until: Until?
    public var byDay: [WeekdayEntry] = []
    public var byMonthDay: [Int] = []
    public var byMonth: [Int] = []
    public var weekStart: Weekday = .monday

    public init(frequency: Frequency) {
        self.frequency = frequency
    }

    /// The longest rule text accepted.
    public static let maximumLength = 500

    /// Parses a rule, with or without the `RRULE:` prefix; part names are case-insensitive.
    public init(parsing text: String) throws(RecurrenceRuleError) {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        var offset = text.distance(from: text.startIndex, to: text.firstIndex { !$0.isWhitespace } ?? text.startIndex)
        if body.uppercased().hasPrefix("RRULE:") {
            body = body.dropFirst(6)
            offset += 6
        }
        guard !body.isEmpty else { throw RecurrenceRuleError(position: offset, message: "the rule is empty") }
        guard text.count <= Self.maximumLength else {
            throw RecurrenceRuleError(position: Self.maximumLength, message: "the rule is longer than 500 characters")
        }
        var frequency: Frequency?
        var rule = RecurrenceRule(frequency: .daily)
        var seen: Set<String> = []
        for part in body.split(separator: ";", omittingEmptySubsequences: false) {
            let position = offset
            offset += part.count + 1
            func fail(_ message: String) -> RecurrenceRuleError {
                RecurrenceRuleError(position: position, message: "'\(part)': \(message)")
            }
            guard let equals = part.firstIndex(of: "=") else {
                throw fail("expected NAME=VALUE")
            }
            let name = part[..<equals].uppercased()
            let value = part[part.index(after: equals)...].uppercased()
            guard !value.isEmpty else { throw fail("\(name) has no value") }
            guard seen.insert(name).inserted else { throw fail("\(name) appears twice") }
            switch name {
            case "FREQ":
                guard let parsed = Frequency(rawValue: value) else {
                    throw fail("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY")
                }
                frequency = parsed
            case "INTERVAL":
                guard let number = Int(value), (1...1000).contains(number) else {
                    throw fail("INTERVAL must be an integer from 1 to 1000")
                }
                rule.interval = number
            case "COUNT":
                guard let number = Int(value), (1...100_000).contains(number) else {
                    throw fail("COUNT must be an integer from 1 to 100000")
                }
                rule.count = number
            case "UNTIL":
                if value.hasSuffix("Z"), let local = LocalDateTime(basic: value.dropLast()) {
                    rule.until = .instant(local.instant(in: .gmt))
                } else if let local = LocalDateTime(basic: value) {
                    rule.until = .local(local)
                } else if let date = CivilDate(value, basic: true) {
                    rule.until = .date(date)
                } else {
                    throw fail("UNTIL must be a date (20261231) or a date-time (20261231T235959Z)")
                }
            case "BYDAY":
                rule.byDay = try value.split(separator: ",", omittingEmptySubsequences: false).map {
                    (entry) throws(RecurrenceRuleError) -> WeekdayEntry in
                    guard entry.count >= 2, let weekday = Weekday(code: entry.suffix(2)) else {
                        throw fail(
                            "BYDAY entries must be weekdays (MO, TU, WE, TH, FR, SA, SU), optionally with an ordinal such as 2MO or -1FR"
                        )
                    }
                    let prefix = entry.dropLast(2)
                    guard !prefix.isEmpty else { return WeekdayEntry(weekday) }
                    guard let ordinal = Int(prefix.hasPrefix("+") ? prefix.dropFirst() : prefix), ordinal != 0,
                        abs(ordinal) <= 53
                    else {
                        throw fail("the ordinal of '\(entry)' must be from 1 to 53 or -53 to -1")
                    }
                    return WeekdayEntry(ordinal: ordinal, weekday)
                }
            case "BYMONTHDAY":
                rule.byMonthDay = try value.split(separator: ",", omittingEmptySubsequences: false).map {
                    (entry) throws(RecurrenceRuleError) -> Int in
                    guard let day = Int(entry), day != 0, abs(day) <= 31 else {
                        throw fail("BYMONTHDAY entries must be from 1 to 31 or -31 to -1")
                    }
                    return day
                }
            case "BYMONTH":
                rule.byMonth = try value.split(separator: ",", omittingEmptySubsequences: false).map {
                    (entry) throws(RecurrenceRuleError) -> Int in
                    guard let month = Int(entry), (1...12).contains(month) else {
                        throw fail("BYMONTH entries must be from 1 to 12")
                    }
                    return month
                }
            case "WKST":
                guard let weekday = Weekday(code: value) else { throw fail("WKST must be a weekday such as MO") }
                rule.weekStart = weekday
            case "BYSETPOS", "BYYEARDAY", "BYWEEKNO", "BYHOUR", "BYMINUTE", "BYSECOND":
                throw fail("\(name) is not supported")
            default:
                throw fail("unknown rule part \(name)")
            }
        }
        guard let frequency else {
            throw RecurrenceRuleError(position: offset - 1, message: "FREQ is required")
        }
        rule.frequency = frequency
        if rule.count != nil, rule.until != nil {
            throw RecurrenceRuleError(position: 0, message: "COUNT and UNTIL cannot both be given")
        }
        if rule.byDay.contains(where: { $0.ordinal != nil }) {
            switch frequency {
            case .daily, .weekly:
                throw RecurrenceRuleError(
                    position: 0, message: "BYDAY ordinals such as 2MO are only allowed with FREQ=MONTHLY or YEARLY")
            case .monthly:
                if rule.byDay.contains(where: { abs($0.ordinal ?? 0) > 5 }) {
                    throw RecurrenceRuleError(
                        position: 0, message: "BYDAY ordinals of a monthly rule must be from 1 to 5 or -5 to -1")
                }
            case .yearly: break
            }
        }
        if frequency == .weekly, !rule.byMonthDay.isEmpty {
            throw RecurrenceRuleError(position: 0, message: "BYMONTHDAY cannot be used with FREQ=WEEKLY")
        }
        self = rule
    }

    /// The rule in canonical form, without the `RRULE:` prefix.
    public var text: String {
        var parts = ["FREQ=\(frequency.rawValue)"]
        if interval != 1 { parts.append("INTERVAL=\(interval)") }
        if let count { parts.append("COUNT=\(count)") }
        if let until { parts.append("UNTIL=\(until.text)") }
        if !byMonth.isEmpty { parts.append("BYMONTH=" + byMonth.map(String.init).joined(separator: ",")) }
        if !byMonthDay.isEmpty { parts.append("BYMONTHDAY=" + byMonthDay.map(String.init).joined(separator: ",")) }
        if !byDay.isEmpty { parts.append("BYDAY=" + byDay.map(\.text).joined(separator: ",")) }
        if weekStart != .monday { parts.append("WKST=\(weekStart.code)") }
        return parts.joined(separator: ";")
    }
}

/// A recurrence rule that cannot be parsed: where (a character offset in the text as given) and why.
public struct RecurrenceRuleError: Error, Sendable, Hashable, CustomStringConvertible {
    public var position: Int
    public var message: String

    public var description: String { "invalid RRULE at character \(position): \(message)" }
}
