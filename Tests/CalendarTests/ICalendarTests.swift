import Calendar
import Foundation
import Testing

@Suite("iCalendar text")
struct ICalendarTests {
    @Test("long lines fold at 75 octets without splitting a character, and unfold back")
    func folding() {
        let value = String(repeating: "Grüße aus Köln – ", count: 12)
        let folded = ICalendar.fold("DESCRIPTION:" + value)
        let physical = folded.components(separatedBy: "\r\n").dropLast()
        #expect(physical.count > 3)
        #expect(physical.allSatisfy { $0.utf8.count <= 75 })
        #expect(physical.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        #expect(ICalendar.unfold(folded) == ["DESCRIPTION:" + value])
    }

    @Test("text values escape backslashes, semicolons, commas and line breaks")
    func escaping() {
        let text = "a;b,c\\d\nsecond line"
        #expect(ICalendar.escape(text) == "a\\;b\\,c\\\\d\\nsecond line")
        #expect(ICalendar.unescape(ICalendar.escape(text)) == text)
    }

    @Test("content lines keep quoted parameter values with colons")
    func contentLine() throws {
        let line = try #require(ICalendar.contentLine("DTSTART;TZID=\"America/New_York\";X-A=\"a:b\":20261201T090000"))
        #expect(line.name == "DTSTART")
        #expect(line.parameters == ["TZID": "America/New_York", "X-A": "a:b"])
        #expect(line.value == "20261201T090000")
    }

    static let sample = """
        BEGIN:VCALENDAR\r
        VERSION:2.0\r
        PRODID:-//Example//EN\r
        BEGIN:VTIMEZONE\r
        TZID:Europe/Berlin\r
        END:VTIMEZONE\r
        BEGIN:VEVENT\r
        UID:zoned@example.com\r
        DTSTAMP:20261101T000000Z\r
        DTSTART;TZID=Europe/Berlin:20261201T090000\r
        DTEND;TZID=Europe/Berlin:20261201T100000\r
        SUMMARY:Stand-up\\, daily\r
        DESCRIPTION:Line one\\nLine two that is long enough to be folded by the wr\r
         iter of this file\r
        RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR\r
        EXDATE;TZID=Europe/Berlin:20261202T090000\r
        BEGIN:VALARM\r
        ACTION:DISPLAY\r
        TRIGGER:-PT10M\r
        END:VALARM\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:utc@example.com\r
        DTSTART:20261205T140000Z\r
        DURATION:PT90M\r
        SUMMARY:Call\r
        LOCATION:Room 1\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:floating@example.com\r
        DTSTART:20261206T080000\r
        DTEND:20261206T083000\r
        SUMMARY:Run\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:holiday@example.com\r
        DTSTART;VALUE=DATE:20261224\r
        DTEND;VALUE=DATE:20261227\r
        SUMMARY:Holidays\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:windows@example.com\r
        DTSTART;TZID=W. Europe Standard Time:20261201T090000\r
        DTEND;TZID=W. Europe Standard Time:20261201T100000\r
        SUMMARY:Unknown zone\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        DTSTART:20261201T090000Z\r
        DTEND:20261201T100000Z\r
        SUMMARY:No UID\r
        END:VEVENT\r
        END:VCALENDAR\r

        """

    @Test("VEVENTs with zoned, UTC, floating and date times are read; unreadable ones are skipped with a reason")
    func importing() throws {
        let entries = try ICalendarImport.entries(in: Self.sample, floatingZone: newYork)
        #expect(entries.count == 6)
        guard case .event(let zoned) = entries[0], case .event(let utcEvent) = entries[1],
            case .event(let floating) = entries[2], case .event(let holiday) = entries[3]
        else {
            Issue.record("expected four events, got \(entries)")
            return
        }
        #expect(zoned.uid == "zoned@example.com")
        #expect(zoned.title == "Stand-up, daily")
        #expect(zoned.description == "Line one\nLine two that is long enough to be folded by the writer of this file")
        #expect(zoned.timeZone == "Europe/Berlin")
        #expect(zoned.start == (try utc("2026-12-01T08:00:00Z")))
        #expect(zoned.recurrence == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")
        #expect(zoned.exceptions == [try utc("2026-12-02T08:00:00Z")])
        #expect(utcEvent.timeZone == "UTC")
        #expect(utcEvent.end == (try utc("2026-12-05T15:30:00Z")))
        #expect(utcEvent.location == "Room 1")
        #expect(floating.timeZone == "America/New_York")
        #expect(floating.start == (try utc("2026-12-06T13:00:00Z")))
        #expect(holiday.allDay)
        #expect(holiday.end.timeIntervalSince(holiday.start) == 3 * 86400)
        guard case .skipped(let uid, let reason) = entries[4], case .skipped(nil, let missing) = entries[5] else {
            Issue.record("expected two skipped events")
            return
        }
        #expect(uid == "windows@example.com")
        #expect(reason.contains("unknown time zone"))
        #expect(missing.contains("no UID"))
    }

    @Test("an export reads back as the same events")
    func roundTrip() throws {
        let created = Date(timeIntervalSince1970: 1_790_000_000)
        let events = [
            CalendarEvent(
                id: "1", ownerID: "o", uid: "a@anvil", title: "Weekly; review, with commas",
                description: "Notes\nwith lines", location: "Café Ümlaut", start: try utc("2026-12-01T08:00:00Z"),
                end: try utc("2026-12-01T09:00:00Z"), timeZone: "Europe/Berlin", allDay: false,
                recurrence: "FREQ=WEEKLY;UNTIL=20270301T080000Z", exceptions: [try utc("2026-12-08T08:00:00Z")],
                remoteHref: nil, remoteETag: nil, needsPush: true, createdAt: created, updatedAt: created),
            CalendarEvent(
                id: "2", ownerID: "o", uid: "b@anvil", title: "Trip", description: nil, location: nil,
                start: LocalDateTime(date: CivilDate(year: 2026, month: 12, day: 24), secondOfDay: 0).instant(
                    in: berlin),
                end: LocalDateTime(date: CivilDate(year: 2026, month: 12, day: 27), secondOfDay: 0).instant(in: berlin),
                timeZone: "Europe/Berlin", allDay: true, recurrence: "FREQ=YEARLY", exceptions: [], remoteHref: nil,
                remoteETag: nil, needsPush: true, createdAt: created, updatedAt: created),
            CalendarEvent(
                id: "3", ownerID: "o", uid: "c@anvil", title: "UTC call", description: nil, location: nil,
                start: try utc("2026-12-05T14:00:00Z"), end: try utc("2026-12-05T15:00:00Z"), timeZone: "UTC",
                allDay: false, recurrence: nil, exceptions: [], remoteHref: nil, remoteETag: nil, needsPush: true,
                createdAt: created, updatedAt: created),
        ]
        let text = ICalendarWriter.calendar(events, now: created)
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        #expect(text.contains("DTSTART;TZID=Europe/Berlin:20261201T090000\r\n"))
        #expect(text.contains("DTSTART;VALUE=DATE:20261224\r\n"))
        #expect(text.contains("DTSTART:20261205T140000Z\r\n"))
        #expect(text.contains("SUMMARY:Weekly\\; review\\, with commas\r\n"))
        #expect(text.contains("DTSTAMP:"))
        #expect(text.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 75 })
        let read = try ICalendarImport.entries(in: text, floatingZone: .gmt).map { entry -> EventDraft? in
            if case .event(let draft) = entry { return draft }
            return nil
        }
        #expect(read == events.map { EventDraft($0) })
    }
}
