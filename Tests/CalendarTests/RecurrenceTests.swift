import Calendar
import Foundation
import Testing

/// Builds an instant from a UTC wall time, for readable expectations.
func utc(_ text: String) throws -> Date {
    try Date.ISO8601FormatStyle().parse(text)
}

let berlin = TimeZone(identifier: "Europe/Berlin")!
let newYork = TimeZone(identifier: "America/New_York")!

/// Local starts of `timing`'s occurrences in `range`, as `YYYY-MM-DDTHH:MM:SS` in the event's zone.
func localStarts(_ timing: EventTiming, from: String, to: String, limit: Int = 1000) throws -> [String] {
    timing.occurrences(overlapping: try utc(from)..<utc(to), limit: limit).items.map {
        LocalDateTime($0.start, in: timing.timeZone).description
    }
}

@Suite("Recurrence rules: parsing")
struct RecurrenceRuleParsingTests {
    @Test("a rule with every supported part reads back in canonical form")
    func canonical() throws {
        let rule = try RecurrenceRule(parsing: "RRULE:freq=monthly;byday=2MO,-1fr;interval=2;count=5;wkst=su")
        #expect(rule.frequency == .monthly)
        #expect(rule.interval == 2)
        #expect(rule.count == 5)
        #expect(rule.byDay == [.init(ordinal: 2, .monday), .init(ordinal: -1, .friday)])
        #expect(rule.text == "FREQ=MONTHLY;INTERVAL=2;COUNT=5;BYDAY=2MO,-1FR;WKST=SU")
        let until = try RecurrenceRule(parsing: "FREQ=DAILY;UNTIL=20261231T230000Z")
        #expect(until.until == .instant(try utc("2026-12-31T23:00:00Z")))
        #expect(until.text == "FREQ=DAILY;UNTIL=20261231T230000Z")
        #expect(
            try RecurrenceRule(parsing: "FREQ=YEARLY;UNTIL=20301231").until
                == .date(CivilDate(year: 2030, month: 12, day: 31)))
    }

    @Test(
        "a bad rule says where and why",
        arguments: [
            ("FREQ=HOURLY", 0, "FREQ must be"),
            ("FREQ=DAILY;INTERVAL=0", 11, "INTERVAL must be"),
            ("FREQ=WEEKLY;BYDAY=XX", 12, "BYDAY entries"),
            ("FREQ=WEEKLY;BYDAY=2MO", 0, "only allowed with FREQ=MONTHLY or YEARLY"),
            ("FREQ=MONTHLY;BYDAY=6MO", 0, "from 1 to 5"),
            ("FREQ=DAILY;COUNT=3;UNTIL=20261231", 0, "cannot both"),
            ("INTERVAL=2", 10, "FREQ is required"),
            ("FREQ=DAILY;BYSETPOS=1", 11, "not supported"),
            ("FREQ=DAILY;COLOR=red", 11, "unknown rule part"),
            ("FREQ=DAILY;UNTIL=tomorrow", 11, "UNTIL must be"),
            ("FREQ=DAILY;COUNT", 11, "expected NAME=VALUE"),
            ("RRULE:FREQ=DAILY;BYMONTH=13", 17, "BYMONTH entries"),
            ("", 0, "empty"),
        ]
    )
    func errors(text: String, position: Int, message: String) {
        #expect {
            _ = try RecurrenceRule(parsing: text)
        } throws: { error in
            guard let error = error as? RecurrenceRuleError else { return false }
            return error.position == position && error.message.contains(message)
        }
    }
}

@Suite("Recurrence rules: expansion")
struct RecurrenceExpansionTests {
    @Test("a weekly 09:00 Berlin event stays at 09:00 local across both daylight-saving changes")
    func weeklyAcrossDST() throws {
        let start = LocalDateTime(date: CivilDate(year: 2026, month: 3, day: 16), hour: 9, minute: 0, second: 0)
        let timing = EventTiming(
            start: start.instant(in: berlin), end: start.instant(in: berlin).addingTimeInterval(3600),
            timeZone: berlin, rule: try RecurrenceRule(parsing: "FREQ=WEEKLY"))
        let spring = timing.occurrences(
            overlapping: try utc("2026-03-20T00:00:00Z")..<utc("2026-04-05T00:00:00Z"), limit: 10)
        #expect(spring.items.map(\.start) == [try utc("2026-03-23T08:00:00Z"), try utc("2026-03-30T07:00:00Z")])
        let autumn = try localStarts(timing, from: "2026-10-15T00:00:00Z", to: "2026-11-05T00:00:00Z")
        #expect(autumn == ["2026-10-19T09:00:00", "2026-10-26T09:00:00", "2026-11-02T09:00:00"])
        let autumnUTC = timing.occurrences(
            overlapping: try utc("2026-10-15T00:00:00Z")..<utc("2026-10-30T00:00:00Z"), limit: 10)
        #expect(autumnUTC.items.map(\.start) == [try utc("2026-10-19T07:00:00Z"), try utc("2026-10-26T08:00:00Z")])
        #expect(autumnUTC.items.allSatisfy { $0.end.timeIntervalSince($0.start) == 3600 })
    }

    @Test("weekly on several days with an interval and a count")
    func weeklyByDay() throws {
        let start = LocalDateTime(date: CivilDate(year: 2026, month: 12, day: 1), hour: 10, minute: 0, second: 0)
        let timing = EventTiming(
            start: start.instant(in: newYork), end: start.instant(in: newYork).addingTimeInterval(1800),
            timeZone: newYork, rule: try RecurrenceRule(parsing: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=5"))
        #expect(
            try localStarts(timing, from: "2026-11-01T00:00:00Z", to: "2027-03-01T00:00:00Z") == [
                "2026-12-01T10:00:00", "2026-12-03T10:00:00", "2026-12-15T10:00:00", "2026-12-17T10:00:00",
                "2026-12-29T10:00:00",
            ])
    }

    @Test("monthly on the second Monday and on the last Friday")
    func monthlyOrdinals() throws {
        let start = LocalDateTime(date: CivilDate(year: 2026, month: 1, day: 12), hour: 18, minute: 30, second: 0)
        let second = EventTiming(
            start: start.instant(in: berlin), end: start.instant(in: berlin).addingTimeInterval(3600),
            timeZone: berlin, rule: try RecurrenceRule(parsing: "FREQ=MONTHLY;BYDAY=2MO"))
        #expect(
            try localStarts(second, from: "2026-01-01T00:00:00Z", to: "2026-05-01T00:00:00Z") == [
                "2026-01-12T18:30:00", "2026-02-09T18:30:00", "2026-03-09T18:30:00", "2026-04-13T18:30:00",
            ])
        let fridayStart = LocalDateTime(date: CivilDate(year: 2026, month: 1, day: 30), hour: 16, minute: 0, second: 0)
        let last = EventTiming(
            start: fridayStart.instant(in: berlin), end: fridayStart.instant(in: berlin).addingTimeInterval(3600),
            timeZone: berlin, rule: try RecurrenceRule(parsing: "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20260601"))
        #expect(
            try localStarts(last, from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z") == [
                "2026-01-30T16:00:00", "2026-02-27T16:00:00", "2026-03-27T16:00:00", "2026-04-24T16:00:00",
                "2026-05-29T16:00:00",
            ])
    }

    @Test("monthly on the 31st skips short months; BYMONTHDAY=-1 is the last day")
    func monthlyDays() throws {
        let start = LocalDateTime(date: CivilDate(year: 2026, month: 1, day: 31), hour: 8, minute: 0, second: 0)
        let plain = EventTiming(
            start: start.instant(in: .gmt), end: start.instant(in: .gmt).addingTimeInterval(60), timeZone: .gmt,
            rule: try RecurrenceRule(parsing: "FREQ=MONTHLY;COUNT=4"))
        #expect(
            try localStarts(plain, from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z") == [
                "2026-01-31T08:00:00", "2026-03-31T08:00:00", "2026-05-31T08:00:00", "2026-07-31T08:00:00",
            ])
        let lastDay = EventTiming(
            start: start.instant(in: .gmt), end: start.instant(in: .gmt).addingTimeInterval(60), timeZone: .gmt,
            rule: try RecurrenceRule(parsing: "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3"))
        #expect(
            try localStarts(lastDay, from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z") == [
                "2026-01-31T08:00:00", "2026-02-28T08:00:00", "2026-03-31T08:00:00",
            ])
    }

    @Test("yearly on 29 February happens in leap years only; yearly by month and weekday ordinal")
    func yearly() throws {
        let start = LocalDateTime(date: CivilDate(year: 2024, month: 2, day: 29), hour: 12, minute: 0, second: 0)
        let leap = EventTiming(
            start: start.instant(in: .gmt), end: start.instant(in: .gmt).addingTimeInterval(60), timeZone: .gmt,
            rule: try RecurrenceRule(parsing: "FREQ=YEARLY"))
        #expect(
            try localStarts(leap, from: "2024-01-01T00:00:00Z", to: "2033-01-01T00:00:00Z") == [
                "2024-02-29T12:00:00", "2028-02-29T12:00:00", "2032-02-29T12:00:00",
            ])
        // US Thanksgiving: the fourth Thursday of November.
        let thanksgiving = LocalDateTime(
            date: CivilDate(year: 2026, month: 11, day: 26), hour: 15, minute: 0, second: 0)
        let holiday = EventTiming(
            start: thanksgiving.instant(in: newYork), end: thanksgiving.instant(in: newYork).addingTimeInterval(7200),
            timeZone: newYork, rule: try RecurrenceRule(parsing: "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH"))
        #expect(
            try localStarts(holiday, from: "2026-01-01T00:00:00Z", to: "2029-01-01T00:00:00Z") == [
                "2026-11-26T15:00:00", "2027-11-25T15:00:00", "2028-11-23T15:00:00",
            ])
    }

    @Test(
        "daily with an interval, an exception and UNTIL at an instant; an occurrence started before the range still overlaps it"
    )
    func dailyWithExceptions() throws {
        let start = try utc("2026-06-01T22:00:00Z")
        let timing = EventTiming(
            start: start, end: start.addingTimeInterval(4 * 3600), timeZone: .gmt,
            rule: try RecurrenceRule(parsing: "FREQ=DAILY;INTERVAL=2;UNTIL=20260609T220000Z"),
            exceptions: [try utc("2026-06-05T22:00:00Z")])
        #expect(
            try localStarts(timing, from: "2026-06-04T00:00:00Z", to: "2026-06-30T00:00:00Z") == [
                "2026-06-03T22:00:00", "2026-06-07T22:00:00", "2026-06-09T22:00:00",
            ])
    }

    @Test("all-day events span whole local days and repeat by date")
    func allDay() throws {
        let first = LocalDateTime(date: CivilDate(year: 2026, month: 3, day: 28), secondOfDay: 0).instant(in: berlin)
        let end = LocalDateTime(date: CivilDate(year: 2026, month: 3, day: 30), secondOfDay: 0).instant(in: berlin)
        let timing = EventTiming(
            start: first, end: end, timeZone: berlin, allDay: true,
            rule: try RecurrenceRule(parsing: "FREQ=WEEKLY;COUNT=2"))
        let items = timing.occurrences(
            overlapping: try utc("2026-03-01T00:00:00Z")..<utc("2026-05-01T00:00:00Z"), limit: 10
        ).items
        #expect(items.count == 2)
        // The first occurrence spans the daylight-saving change: 47 hours, still two local days.
        #expect(items[0].end.timeIntervalSince(items[0].start) == 47 * 3600)
        #expect(LocalDateTime(items[1].start, in: berlin).description == "2026-04-04T00:00:00")
        #expect(LocalDateTime(items[1].end, in: berlin).description == "2026-04-06T00:00:00")
    }

    @Test("the limit truncates and says so")
    func limit() throws {
        let start = try utc("2026-01-01T09:00:00Z")
        let timing = EventTiming(
            start: start, end: start.addingTimeInterval(60), timeZone: .gmt,
            rule: try RecurrenceRule(parsing: "FREQ=DAILY"))
        let result = timing.occurrences(overlapping: start..<start.addingTimeInterval(30 * 86400), limit: 7)
        #expect(result.items.count == 7)
        #expect(result.truncated)
        let whole = timing.occurrences(overlapping: start..<start.addingTimeInterval(7 * 86400), limit: 7)
        #expect(whole.items.count == 7)
        #expect(!whole.truncated)
    }

    @Test("a wall time skipped by the spring change moves forward by the jump")
    func gapTime() throws {
        let skipped = LocalDateTime(date: CivilDate(year: 2026, month: 3, day: 29), hour: 2, minute: 30, second: 0)
        #expect(skipped.instant(in: berlin) == (try utc("2026-03-29T01:30:00Z")))
        let repeated = LocalDateTime(date: CivilDate(year: 2026, month: 10, day: 25), hour: 2, minute: 30, second: 0)
        #expect(repeated.instant(in: berlin) == (try utc("2026-10-25T00:30:00Z")))
    }
}

@Suite("Free time")
struct FreeTimeTests {
    @Test("free slots lie within working hours, between merged busy times, in the given zone")
    func slots() throws {
        let finder = FreeTimeFinder(
            timeZone: berlin, workdayStart: 9 * 3600, workdayEnd: 17 * 3600,
            workdays: [.monday, .tuesday, .wednesday, .thursday, .friday])
        // Friday 2026-12-04 and Monday 2026-12-07, Berlin is UTC+1.
        let busy = [
            try utc("2026-12-04T09:00:00Z")..<utc("2026-12-04T10:00:00Z"),
            try utc("2026-12-04T09:30:00Z")..<utc("2026-12-04T11:00:00Z"),
            try utc("2026-12-04T13:00:00Z")..<utc("2026-12-04T15:30:00Z"),
        ]
        let slots = finder.freeSlots(
            in: try utc("2026-12-04T00:00:00Z")..<utc("2026-12-08T00:00:00Z"), busy: busy, minimum: 3600, limit: 10)
        #expect(
            slots == [
                try utc("2026-12-04T08:00:00Z")..<utc("2026-12-04T09:00:00Z"),
                try utc("2026-12-04T11:00:00Z")..<utc("2026-12-04T13:00:00Z"),
                try utc("2026-12-07T08:00:00Z")..<utc("2026-12-07T16:00:00Z"),
            ])
    }
}

@Suite("Recurrence rules: old events")
struct OldRecurrenceTests {
    @Test("a daily event from 1990 and a weekly one from 2005 expand correctly in a range decades later")
    func skipsAhead() throws {
        let daily = LocalDateTime(date: CivilDate(year: 1990, month: 1, day: 1), hour: 7, minute: 0, second: 0)
        let dailyTiming = EventTiming(
            start: daily.instant(in: berlin), end: daily.instant(in: berlin).addingTimeInterval(600), timeZone: berlin,
            rule: try RecurrenceRule(parsing: "FREQ=DAILY;INTERVAL=3"))
        // 2026-11-30 is 13482 days after 1990-01-01, a multiple of three.
        #expect(
            try localStarts(dailyTiming, from: "2026-11-30T00:00:00Z", to: "2026-12-08T00:00:00Z") == [
                "2026-11-30T07:00:00", "2026-12-03T07:00:00", "2026-12-06T07:00:00",
            ])
        let weekly = LocalDateTime(date: CivilDate(year: 2005, month: 3, day: 7), hour: 9, minute: 0, second: 0)
        let weeklyTiming = EventTiming(
            start: weekly.instant(in: berlin), end: weekly.instant(in: berlin).addingTimeInterval(3600),
            timeZone: berlin, rule: try RecurrenceRule(parsing: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR"))
        let starts = try localStarts(weeklyTiming, from: "2026-03-23T00:00:00Z", to: "2026-04-06T00:00:00Z")
        #expect(starts.count == 2)
        #expect(starts.allSatisfy { $0.hasSuffix("T09:00:00") })
        // Counted rules still start from the beginning.
        let counted = EventTiming(
            start: daily.instant(in: berlin), end: daily.instant(in: berlin).addingTimeInterval(600), timeZone: berlin,
            rule: try RecurrenceRule(parsing: "FREQ=DAILY;COUNT=3"))
        #expect(try localStarts(counted, from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z").isEmpty)
    }
}
