import Foundation

/// Writes events as an RFC 5545 `VCALENDAR`: CRLF line ends, lines folded at 75 octets, TEXT values escaped,
/// times with a `TZID` parameter naming the event's IANA zone (without `VTIMEZONE` components), UTC times with
/// `Z`, and all-day events as `VALUE=DATE`.
public enum ICalendarWriter {
    public static let productID = "-//Anvil//Calendar//EN"

    /// A whole calendar with `events`, stamped with `now`.
    public static func calendar(_ events: [CalendarEvent], now: Date = Date()) -> String {
        var out = ""
        for line in ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:\(productID)", "CALSCALE:GREGORIAN"] {
            out += ICalendar.fold(line)
        }
        for event in events {
            out += vevent(event, now: now)
        }
        out += ICalendar.fold("END:VCALENDAR")
        return out
    }

    /// One `VEVENT`, folded and CRLF-terminated.
    public static func vevent(_ event: CalendarEvent, now: Date = Date()) -> String {
        let timing = event.timing
        var lines = ["BEGIN:VEVENT", "UID:\(event.uid)", "DTSTAMP:\(utc(now))"]
        lines.append("CREATED:\(utc(event.createdAt))")
        lines.append("LAST-MODIFIED:\(utc(event.updatedAt))")
        if event.allDay {
            // Dates carry no zone; this keeps the one the event's days are counted in when it is read back.
            lines.append("X-ANVIL-TIME-ZONE:\(event.timeZone)")
        }
        lines.append("DTSTART\(dateValue(event.start, timing: timing))")
        lines.append("DTEND\(dateValue(event.end, timing: timing))")
        lines.append("SUMMARY:\(ICalendar.escape(event.title))")
        if let description = event.description, !description.isEmpty {
            lines.append("DESCRIPTION:\(ICalendar.escape(description))")
        }
        if let location = event.location, !location.isEmpty {
            lines.append("LOCATION:\(ICalendar.escape(location))")
        }
        if var rule = timing.rule {
            rule.until = exportedUntil(rule.until, timing: timing)
            lines.append("RRULE:\(rule.text)")
        }
        if !event.exceptions.isEmpty {
            let values = event.exceptions.map { dateText($0, timing: timing) }.joined(separator: ",")
            lines.append("EXDATE\(dateParameters(timing)):\(values)")
        }
        lines.append("END:VEVENT")
        return lines.map(ICalendar.fold).joined()
    }

    /// RFC 5545 wants `UNTIL` as a date for all-day events and in UTC when `DTSTART` has a zone.
    private static func exportedUntil(_ until: RecurrenceRule.Until?, timing: EventTiming) -> RecurrenceRule.Until? {
        guard let until else { return nil }
        let instant: Date
        switch until {
        case .instant(let date): instant = date
        case .local(let local): instant = local.instant(in: timing.timeZone)
        case .date(let date):
            if timing.allDay { return .date(date) }
            instant = LocalDateTime(date: date.adding(days: 1), secondOfDay: 0).instant(in: timing.timeZone)
                .addingTimeInterval(-1)
        }
        return timing.allDay ? .date(LocalDateTime(instant, in: timing.timeZone).date) : .instant(instant)
    }

    static func utc(_ date: Date) -> String { LocalDateTime(date, in: .gmt).basicFormat + "Z" }

    private static func dateParameters(_ timing: EventTiming) -> String {
        if timing.allDay { return ";VALUE=DATE" }
        if timing.timeZone.identifier == "GMT" || timing.timeZone.identifier == "UTC" { return "" }
        return ";TZID=\(timing.timeZone.identifier)"
    }

    private static func dateText(_ date: Date, timing: EventTiming) -> String {
        if timing.allDay { return LocalDateTime(date, in: timing.timeZone).date.basicFormat }
        if dateParameters(timing).isEmpty { return utc(date) }
        return LocalDateTime(date, in: timing.timeZone).basicFormat
    }

    private static func dateValue(_ date: Date, timing: EventTiming) -> String {
        "\(dateParameters(timing)):\(dateText(date, timing: timing))"
    }
}
