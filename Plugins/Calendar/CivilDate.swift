import Foundation

/// A calendar date without a time or a time zone (`2026-12-24`), with the day arithmetic recurrence expansion
/// needs. Pure integer math on the proleptic Gregorian calendar, so no daylight-saving rule can shift a day.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` (or `YYYYMMDD` when `basic` is true), rejecting dates that do not exist.
    public init?(_ text: some StringProtocol, basic: Bool = false) {
        let digits = Array(text.utf8)
        let parts: (Int, Int, Int)?
        if basic {
            guard digits.count == 8, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            parts = (Self.number(digits[0..<4]), Self.number(digits[4..<6]), Self.number(digits[6..<8]))
        } else {
            guard digits.count == 10, digits[4] == 45, digits[7] == 45 else { return nil }
            let numeric = digits.enumerated().allSatisfy { index, byte in
                index == 4 || index == 7 || (byte >= 48 && byte <= 57)
            }
            guard numeric else { return nil }
            parts = (Self.number(digits[0..<4]), Self.number(digits[5..<7]), Self.number(digits[8..<10]))
        }
        guard let (year, month, day) = parts, (1...12).contains(month),
            (1...Self.daysIn(year: year, month: month)).contains(day)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.reduce(0) { $0 * 10 + Int($1 - 48) }
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `dayNumber` days after 1970-01-01.
    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        Weekday.allCases[((dayNumber + 3) % 7 + 7) % 7]
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool { lhs.dayNumber < rhs.dayNumber }

    /// `YYYY-MM-DD`.
    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    /// `YYYYMMDD`, as iCalendar writes dates.
    public var basicFormat: String {
        String(format: "%04d%02d%02d", year, month, day)
    }
}

/// A day of the week, Monday first as in ISO 8601 and RFC 5545's default week start.
public enum Weekday: Int, Sendable, Hashable, CaseIterable {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday

    /// The two-letter code of RFC 5545 (`MO`).
    public var code: String {
        ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][rawValue]
    }

    public init?(code: some StringProtocol) {
        guard let index = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].firstIndex(of: String(code)) else { return nil }
        self = Weekday.allCases[index]
    }
}

/// A wall-clock date and time without a zone: what a recurring event keeps constant across daylight-saving changes.
public struct LocalDateTime: Sendable, Hashable, Comparable {
    public var date: CivilDate
    /// Seconds since local midnight.
    public var secondOfDay: Int

    public init(date: CivilDate, secondOfDay: Int) {
        self.date = date
        self.secondOfDay = secondOfDay
    }

    public init(date: CivilDate, hour: Int, minute: Int, second: Int) {
        self.init(date: date, secondOfDay: hour * 3600 + minute * 60 + second)
    }

    public var hour: Int { secondOfDay / 3600 }
    public var minute: Int { secondOfDay / 60 % 60 }
    public var second: Int { secondOfDay % 60 }

    /// The local date and time of `instant` in `timeZone`.
    public init(_ instant: Date, in timeZone: TimeZone) {
        let seconds = Int(floor(instant.timeIntervalSince1970)) + timeZone.secondsFromGMT(for: instant)
        let days = Int(floor(Double(seconds) / 86400))
        self.init(date: CivilDate(dayNumber: days), secondOfDay: seconds - days * 86400)
    }

    /// The instant this wall-clock time names in `timeZone`. A time skipped by a daylight-saving jump moves forward
    /// by the jump; a time that happens twice resolves to the first.
    public func instant(in timeZone: TimeZone) -> Date {
        let wall = Double(date.dayNumber * 86400 + secondOfDay)
        // Try the offsets in force around the wall time; take the first that maps back to it.
        let guess = Date(timeIntervalSince1970: wall)
        let offsets = [
            timeZone.secondsFromGMT(for: guess.addingTimeInterval(-86400)),
            timeZone.secondsFromGMT(for: guess),
            timeZone.secondsFromGMT(for: guess.addingTimeInterval(86400)),
        ]
        var candidates: [Date] = []
        for offset in Set(offsets) {
            let candidate = Date(timeIntervalSince1970: wall - Double(offset))
            if timeZone.secondsFromGMT(for: candidate) == offset { candidates.append(candidate) }
        }
        if let earliest = candidates.min() { return earliest }
        // In a gap: use the offset from before the jump, which lands after it.
        return Date(timeIntervalSince1970: wall - Double(offsets[0]))
    }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
        (lhs.date.dayNumber, lhs.secondOfDay) < (rhs.date.dayNumber, rhs.secondOfDay)
    }

    /// `YYYY-MM-DDTHH:MM:SS`.
    public var description: String {
        "\(date)T" + String(format: "%02d:%02d:%02d", hour, minute, second)
    }

    /// `YYYYMMDDTHHMMSS`, as iCalendar writes local times.
    public var basicFormat: String {
        "\(date.basicFormat)T" + String(format: "%02d%02d%02d", hour, minute, second)
    }

    /// Parses `YYYYMMDDTHHMMSS`.
    public init?(basic text: some StringProtocol) {
        let text = String(text)
        guard text.count == 15, let tIndex = text.firstIndex(of: "T"),
            text.distance(from: text.startIndex, to: tIndex) == 8,
            let date = CivilDate(text[..<tIndex], basic: true)
        else { return nil }
        let time = text[text.index(after: tIndex)...]
        guard time.count == 6, time.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(time), value >= 0 else {
            return nil
        }
        let hour = value / 10000
        let minute = value / 100 % 100
        let second = value % 100
        guard hour < 24, minute < 60, second < 61 else { return nil }
        self.init(date: date, hour: hour, minute: minute, second: min(second, 59))
    }
}
