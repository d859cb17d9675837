import Foundation

/// Event fields as a client or a model writes them, before validation: times are text that may be a date-time
/// with an offset (`2026-12-01T09:00:00+01:00`), a local time of the event's zone (`2026-12-01T09:00`), or a date
/// (`2026-12-01`) for all-day events.
public struct EventInput: Sendable, Hashable {
    public var uid: String?
    public var title: String
    public var description: String?
    public var location: String?
    public var start: String
    /// Defaults to one hour after the start, or the day after for an all-day event.
    public var end: String?
    public var timeZone: String
    public var allDay: Bool
    public var recurrence: String?
    public var exceptions: [String]

    public init(
        uid: String? = nil, title: String, description: String? = nil, location: String? = nil, start: String,
        end: String? = nil, timeZone: String = "UTC", allDay: Bool = false, recurrence: String? = nil,
        exceptions: [String] = []
    ) {
        self.uid = uid
        self.title = title
        self.description = description
        self.location = location
        self.start = start
        self.end = end
        self.timeZone = timeZone
        self.allDay = allDay
        self.recurrence = recurrence
        self.exceptions = exceptions
    }

    /// Checks every rule and returns the event to store; the first broken rule is thrown with its field.
    public func validated() throws(CalendarError) -> EventDraft {
        // Lengths count Unicode scalars, as JSON Schema's maxLength does.
        guard title.unicodeScalars.count <= EventRules.maximumTitleLength else {
            throw .invalidField(field: "title", message: "must be at most \(EventRules.maximumTitleLength) characters")
        }
        let title = title.trimmingCharacters(in: Self.blank)
        guard !title.isEmpty else { throw .invalidField(field: "title", message: "must not be blank") }
        if let description, description.unicodeScalars.count > EventRules.maximumDescriptionLength {
            throw .invalidField(
                field: "description", message: "must be at most \(EventRules.maximumDescriptionLength) characters")
        }
        if let location, location.unicodeScalars.count > EventRules.maximumLocationLength {
            throw .invalidField(
                field: "location", message: "must be at most \(EventRules.maximumLocationLength) characters")
        }
        if let uid {
            guard !uid.isEmpty, uid.count <= EventRules.maximumUIDLength,
                uid.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
            else {
                throw .invalidField(
                    field: "uid",
                    message: "must be 1 to \(EventRules.maximumUIDLength) printable ASCII characters without spaces")
            }
        }
        let zone = try Self.zone(named: timeZone)
        let start = try Self.moment(start, field: "start", zone: zone, allDay: allDay)
        var end: Date
        if let endText = self.end {
            end = try Self.moment(endText, field: "end", zone: zone, allDay: allDay)
            if allDay, end == start {
                // An all-day end names the day after the last one; the same day is read as a one-day event.
                end = LocalDateTime(date: LocalDateTime(start, in: zone).date.adding(days: 1), secondOfDay: 0)
                    .instant(in: zone)
            }
        } else if allDay {
            end = LocalDateTime(date: LocalDateTime(start, in: zone).date.adding(days: 1), secondOfDay: 0)
                .instant(in: zone)
        } else {
            end = start.addingTimeInterval(3600)
        }
        guard end > start else { throw .invalidField(field: "end", message: "must be after start") }
        guard end.timeIntervalSince(start) <= Double(EventRules.maximumDurationDays) * 86400 + 3600 else {
            throw .invalidField(
                field: "end", message: "an event may last at most \(EventRules.maximumDurationDays) days")
        }
        var rule: String?
        if let recurrence, !recurrence.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                rule = try RecurrenceRule(parsing: recurrence).text
            } catch {
                throw .invalidField(field: "rrule", message: error.description)
            }
        }
        guard exceptions.count <= EventRules.maximumExceptions else {
            throw .invalidField(
                field: "exdates", message: "at most \(EventRules.maximumExceptions) exception dates are allowed")
        }
        var excluded: [Date] = []
        for (index, text) in exceptions.enumerated() {
            excluded.append(try Self.moment(text, field: "exdates[\(index)]", zone: zone, allDay: allDay))
        }
        return EventDraft(
            uid: uid, title: title, description: description, location: location, start: start, end: end,
            timeZone: Self.zoneName(zone), allDay: allDay, recurrence: rule, exceptions: excluded)
    }

    /// A known IANA zone (`UTC` included); abbreviations such as `CET` and offsets are refused.
    static func zone(named identifier: String) throws(CalendarError) -> TimeZone {
        if identifier == "UTC" || identifier == "Etc/UTC" { return .gmt }
        guard TimeZone.knownTimeZoneIdentifiers.contains(identifier), let zone = TimeZone(identifier: identifier)
        else {
            throw .invalidField(
                field: "time_zone", message: "'\(identifier)' is not an IANA time zone such as Europe/Berlin or UTC")
        }
        return zone
    }

    /// What counts as blank: Unicode whitespace and the byte-order mark, which JSON Schema's `\S` also rejects.
    static let blank = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{FEFF}"))

    /// The name stored for `zone`: `UTC` rather than Foundation's `GMT`.
    static func zoneName(_ zone: TimeZone) -> String {
        zone.identifier == "GMT" ? "UTC" : zone.identifier
    }

    private static let offsetStyles = [
        Date.ISO8601FormatStyle(includingFractionalSeconds: true),
        Date.ISO8601FormatStyle(),
    ]

    /// Reads one time. All-day events keep only the date (the local date of a date-time in `zone`).
    static func moment(_ text: String, field: String, zone: TimeZone, allDay: Bool) throws(CalendarError) -> Date {
        guard (10...40).contains(text.unicodeScalars.count) else {
            throw .invalidField(field: field, message: "must be 10 to 40 characters, such as 2026-12-01T09:00")
        }
        let text = text.trimmingCharacters(in: .whitespaces)
        if let date = CivilDate(text) {
            guard allDay else {
                throw .invalidField(
                    field: field, message: "a date alone is only allowed for all-day events; give a date-time")
            }
            return LocalDateTime(date: date, secondOfDay: 0).instant(in: zone)
        }
        var instant: Date?
        for style in offsetStyles {
            if let parsed = try? style.parse(text) {
                instant = parsed
                break
            }
        }
        if instant == nil, let local = localDateTime(text) {
            instant = local.instant(in: zone)
        }
        guard let instant, instant.timeIntervalSince1970 > -2_208_988_800,
            instant.timeIntervalSince1970 < 253_402_300_799
        else {
            throw .invalidField(
                field: field,
                message: "'\(text)' is not a date-time such as 2026-12-01T09:00:00+01:00, a local time such as "
                    + "2026-12-01T09:00, or a date such as 2026-12-01 (all-day events), between 1900 and 9999")
        }
        guard allDay else { return instant }
        return LocalDateTime(date: LocalDateTime(instant, in: zone).date, secondOfDay: 0).instant(in: zone)
    }

    /// `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS`, without an offset.
    static func localDateTime(_ text: String) -> LocalDateTime? {
        let parts = text.split(separator: "T", maxSplits: 1)
        guard parts.count == 2, let date = CivilDate(parts[0]) else { return nil }
        let time = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard time.count == 2 || time.count == 3,
            time.allSatisfy({ $0.count == 2 && $0.allSatisfy({ $0.isASCII && $0.isNumber }) }),
            let hour = Int(time[0]), let minute = Int(time[1]), hour < 24, minute < 60
        else { return nil }
        let second = time.count == 3 ? Int(time[2]) : 0
        guard let second, second < 60 else { return nil }
        return LocalDateTime(date: date, hour: hour, minute: minute, second: second)
    }
}
