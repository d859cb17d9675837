import Foundation

/// Turns the `VEVENT`s of an iCalendar text into event drafts, each with its UID, or the reason it was skipped.
public enum ICalendarImport {
    /// The most events one import reads.
    public static let maximumEvents = 5000

    /// One `VEVENT` read: the draft to store, or why it cannot be.
    public enum Entry: Sendable, Hashable {
        case event(EventDraft)
        case skipped(uid: String?, reason: String)
    }

    /// Reads every `VEVENT` in `text`; floating times (no zone, no `Z`) are read in `floatingZone`.
    public static func entries(in text: String, floatingZone: TimeZone) throws(ICalendarError) -> [Entry] {
        let roots = try ICalendar.parse(text)
        var events: [ICalendarComponent] = []
        func collect(_ component: ICalendarComponent) {
            if component.name == "VEVENT" {
                events.append(component)
            } else {
                component.components.forEach(collect)
            }
        }
        roots.forEach(collect)
        guard events.count <= maximumEvents else {
            throw ICalendarError(line: 0, message: "more than \(maximumEvents) events in one import")
        }
        return events.map { entry(from: $0, floatingZone: floatingZone) }
    }

    /// Reads one `VEVENT`.
    public static func entry(from component: ICalendarComponent, floatingZone: TimeZone) -> Entry {
        // Anvil's own exports name the zone of all-day events, whose dates carry none.
        let floatingZone = component.first("X-ANVIL-TIME-ZONE").flatMap { knownZone($0.value) } ?? floatingZone
        let uid = component.first("UID")?.value.trimmingCharacters(in: .whitespaces)
        func skip(_ reason: String) -> Entry { .skipped(uid: uid, reason: reason) }
        guard let uid, !uid.isEmpty else { return skip("the event has no UID") }
        guard component.first("RECURRENCE-ID") == nil else {
            return skip("changed occurrences of a recurring event (RECURRENCE-ID) are not supported")
        }
        guard let startLine = component.first("DTSTART"), let startValue = ICalendar.dateValues(startLine)?.first
        else { return skip("DTSTART is missing or malformed") }
        let zone: TimeZone
        let allDay: Bool
        switch startValue {
        case .date:
            allDay = true
            zone = floatingZone
        case .utc:
            allDay = false
            zone = .gmt
        case .local(_, let tzid):
            allDay = false
            guard let tzid else {
                zone = floatingZone
                break
            }
            guard let named = knownZone(tzid) else { return skip("unknown time zone '\(tzid)'") }
            zone = named
        }
        guard let start = instant(startValue, zone: zone) else { return skip("DTSTART is malformed") }
        var end: Date
        if let endLine = component.first("DTEND") {
            guard let endValue = ICalendar.dateValues(endLine)?.first,
                let endZone = endValue.zone.map(knownZone) ?? zone,
                let parsed = instant(endValue, zone: endZone)
            else { return skip("DTEND is malformed or has an unknown time zone") }
            end = parsed
        } else if let durationLine = component.first("DURATION") {
            guard let (days, seconds) = ICalendar.duration(durationLine.value) else {
                return skip("DURATION '\(durationLine.value)' is malformed")
            }
            let local = LocalDateTime(start, in: zone)
            end = LocalDateTime(date: local.date.adding(days: days), secondOfDay: local.secondOfDay)
                .instant(in: zone).addingTimeInterval(Double(seconds))
        } else if allDay {
            end = LocalDateTime(date: LocalDateTime(start, in: zone).date.adding(days: 1), secondOfDay: 0)
                .instant(in: zone)
        } else {
            return skip("the event has neither DTEND nor DURATION, so it lasts no time")
        }
        if allDay {
            // A date-time DTEND on an all-day event still ends on a day boundary.
            end = LocalDateTime(date: LocalDateTime(end, in: zone).date, secondOfDay: 0).instant(in: zone)
        }
        guard end > start else { return skip("DTEND is not after DTSTART") }
        guard end.timeIntervalSince(start) <= Double(EventRules.maximumDurationDays) * 86400 + 3600 else {
            return skip("the event lasts more than \(EventRules.maximumDurationDays) days")
        }
        var rule: String?
        let rules = component.all("RRULE")
        if rules.count > 1 { return skip("more than one RRULE is not supported") }
        if let line = rules.first {
            do {
                rule = try RecurrenceRule(parsing: line.value).text
            } catch {
                return skip(error.description)
            }
        }
        var exceptions: [Date] = []
        for line in component.all("EXDATE") {
            guard let values = ICalendar.dateValues(line) else { return skip("EXDATE is malformed") }
            for value in values {
                guard let exceptionZone = value.zone.map(knownZone) ?? zone,
                    let date = instant(value, zone: exceptionZone)
                else { return skip("EXDATE has an unknown time zone") }
                exceptions.append(date)
            }
        }
        let rawTitle = component.first("SUMMARY").map { ICalendar.unescape($0.value) } ?? ""
        let title = rawTitle.trimmingCharacters(in: .whitespacesAndNewlines)
        let description = component.first("DESCRIPTION").map { ICalendar.unescape($0.value) }
        let location = component.first("LOCATION").map { ICalendar.unescape($0.value) }
        guard uid.count <= EventRules.maximumUIDLength else { return skip("the UID is too long") }
        return .event(
            EventDraft(
                uid: uid,
                title: String((title.isEmpty ? "(no title)" : title).prefix(EventRules.maximumTitleLength)),
                description: description.map { String($0.prefix(EventRules.maximumDescriptionLength)) },
                location: location.map { String($0.prefix(EventRules.maximumLocationLength)) },
                start: start,
                end: end,
                timeZone: EventInput.zoneName(zone),
                allDay: allDay,
                recurrence: rule,
                exceptions: exceptions
            ))
    }

    /// An IANA zone; a `TZID` with a vendor prefix (`/mozilla.org/20070129_1/Europe/Berlin`) is matched by its
    /// trailing `Area/City`.
    static func knownZone(_ tzid: String) -> TimeZone? {
        if let zone = try? EventInput.zone(named: tzid) { return zone }
        let parts = tzid.split(separator: "/")
        guard parts.count >= 2 else { return nil }
        for length in stride(from: min(3, parts.count), through: 2, by: -1) {
            if let zone = try? EventInput.zone(named: parts.suffix(length).joined(separator: "/")) { return zone }
        }
        return nil
    }

    private static func instant(_ value: ICalendar.DateValue, zone: TimeZone) -> Date? {
        switch value {
        case .date(let date): LocalDateTime(date: date, secondOfDay: 0).instant(in: zone)
        case .utc(let date): date
        case .local(let local, _): local.instant(in: zone)
        }
    }
}

extension ICalendar.DateValue {
    /// The `TZID` of a local time, if it has one.
    var zone: String? {
        if case .local(_, let zone) = self { return zone }
        return nil
    }
}
