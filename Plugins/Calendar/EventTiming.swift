import Foundation

/// When an event happens: its first start and end, the zone its wall-clock times belong to, and how it repeats.
///
/// Occurrences are computed on local dates and times of `timeZone` and only then turned into instants, so a
/// weekly 09:00 Europe/Berlin event stays at 09:00 in Berlin when daylight-saving time begins or ends.
public struct EventTiming: Sendable, Hashable {
    public var start: Date
    public var end: Date
    public var timeZone: TimeZone
    /// All-day events run from local midnight to local midnight; their length is counted in days.
    public var allDay: Bool
    public var rule: RecurrenceRule?
    /// Starts of occurrences that are left out.
    public var exceptions: [Date]

    public init(
        start: Date, end: Date, timeZone: TimeZone, allDay: Bool = false, rule: RecurrenceRule? = nil,
        exceptions: [Date] = []
    ) {
        self.start = start
        self.end = end
        self.timeZone = timeZone
        self.allDay = allDay
        self.rule = rule
        self.exceptions = exceptions
    }

    /// The most recurrence periods examined for one event, whatever the range: a bound on the work one rule can
    /// cause (a daily rule over 270 years).
    static let maximumPeriods = 100_000

    /// One happening of an event.
    public struct Occurrence: Sendable, Hashable {
        public var start: Date
        public var end: Date
    }

    /// The occurrences that overlap `range`, in order, at most `limit` of them; `truncated` says more were left.
    public func occurrences(overlapping range: Range<Date>, limit: Int) -> (items: [Occurrence], truncated: Bool) {
        var items: [Occurrence] = []
        var truncated = false
        let firstLocal = LocalDateTime(start, in: timeZone)
        let lengthInDays =
            allDay ? max(1, LocalDateTime(end, in: timeZone).date.dayNumber - firstLocal.date.dayNumber) : 0
        let duration = end.timeIntervalSince(start)
        let excluded = Set(exceptions.map { Int($0.timeIntervalSince1970.rounded()) })

        // Occurrences starting this early cannot reach the range.
        let earliest = range.lowerBound.addingTimeInterval(-max(duration, Double(lengthInDays) * 86400) - 2 * 86400)
        forEachStart(firstLocal: firstLocal, from: earliest, before: range.upperBound) { local, instant in
            let occurrenceEnd =
                allDay
                ? LocalDateTime(date: local.date.adding(days: lengthInDays), secondOfDay: 0).instant(in: timeZone)
                : instant.addingTimeInterval(duration)
            guard occurrenceEnd > range.lowerBound || (duration == 0 && instant >= range.lowerBound) else {
                return true
            }
            guard !excluded.contains(Int(instant.timeIntervalSince1970.rounded())) else { return true }
            if items.count == limit {
                truncated = true
                return false
            }
            items.append(Occurrence(start: instant, end: occurrenceEnd))
            return true
        }
        return (items, truncated)
    }

    /// Calls `body` with each start before `limit` in order until it returns false. `COUNT` counts every start,
    /// including those an exception later removes, as RFC 5545 says.
    private func forEachStart(
        firstLocal: LocalDateTime,
        from earliest: Date,
        before limit: Date,
        _ body: (LocalDateTime, Date) -> Bool
    ) {
        guard start < limit else { return }
        guard body(firstLocal, start), let rule else { return }
        let untilInstant: Date? =
            switch rule.until {
            case .instant(let date): date
            case .local(let local): local.instant(in: timeZone)
            case .date(let date):
                LocalDateTime(date: date.adding(days: 1), secondOfDay: 0).instant(in: timeZone)
                    .addingTimeInterval(-1)
            case nil: nil
            }
        var emitted = 1
        let expander = RecurrenceExpander(rule: rule, first: firstLocal.date)
        // Without COUNT nothing depends on the periods before the range, so expansion starts just before it:
        // listing next week of a daily event that began years ago costs the same as one that began yesterday.
        var firstPeriod = 0
        if rule.count == nil, earliest > start {
            let day = LocalDateTime(earliest, in: timeZone).date
            let first = firstLocal.date
            let elapsed =
                switch rule.frequency {
                case .daily: (day.dayNumber - first.dayNumber) / rule.interval
                case .weekly: (day.dayNumber - first.dayNumber) / (7 * rule.interval)
                case .monthly: (day.year * 12 + day.month - first.year * 12 - first.month) / rule.interval
                case .yearly: (day.year - first.year) / rule.interval
                }
            firstPeriod = max(0, elapsed - 1)
        }
        for period in firstPeriod..<(firstPeriod + Self.maximumPeriods) {
            guard let days = expander.candidates(period: period) else { return }
            for day in days where day > firstLocal.date {
                let local = LocalDateTime(date: day, secondOfDay: firstLocal.secondOfDay)
                let instant = local.instant(in: timeZone)
                if let untilInstant, instant > untilInstant { return }
                if let count = rule.count, emitted >= count { return }
                if instant >= limit { return }
                emitted += 1
                guard body(local, instant) else { return }
            }
        }
    }
}

/// The dates a rule produces in each of its periods (the nth day, week, month or year counted in intervals).
struct RecurrenceExpander {
    let rule: RecurrenceRule
    let first: CivilDate

    /// The candidate dates of period `period`, ascending; `nil` once the dates leave the supported years.
    func candidates(period: Int) -> [CivilDate]? {
        let step = period * rule.interval
        var dates: [CivilDate]
        switch rule.frequency {
        case .daily:
            let day = first.adding(days: step)
            guard day.year <= 9999 else { return nil }
            dates = matchesDayFilters(day) ? [day] : []
        case .weekly:
            let offset = (first.weekday.rawValue - rule.weekStart.rawValue + 7) % 7
            let weekStart = first.adding(days: -offset + 7 * step)
            guard weekStart.year <= 9999 else { return nil }
            let weekdays = rule.byDay.isEmpty ? [first.weekday] : rule.byDay.map(\.weekday)
            dates = (0..<7).map { weekStart.adding(days: $0) }.filter { day in
                weekdays.contains(day.weekday) && (rule.byMonth.isEmpty || rule.byMonth.contains(day.month))
            }
        case .monthly:
            let monthIndex = first.year * 12 + (first.month - 1) + step
            let year = monthIndex / 12
            let month = monthIndex % 12 + 1
            guard year <= 9999 else { return nil }
            guard rule.byMonth.isEmpty || rule.byMonth.contains(month) else { return [] }
            dates = daysInMonth(year: year, month: month)
        case .yearly:
            let year = first.year + step
            guard year <= 9999 else { return nil }
            if !rule.byMonth.isEmpty {
                dates = rule.byMonth.sorted().flatMap { daysInMonth(year: year, month: $0) }
            } else if !rule.byMonthDay.isEmpty {
                dates = (1...12).flatMap { daysInMonth(year: year, month: $0) }
            } else if !rule.byDay.isEmpty {
                dates = weekdays(
                    in: CivilDate(year: year, month: 1, day: 1)...CivilDate(year: year, month: 12, day: 31))
            } else {
                dates = daysInMonth(year: year, month: first.month)
            }
        }
        return Array(Set(dates)).sorted()
    }

    /// The days of one month the rule selects; without `BYMONTHDAY` or `BYDAY`, the first date's day of month
    /// (months too short for it are skipped, as RFC 5545 says).
    private func daysInMonth(year: Int, month: Int) -> [CivilDate] {
        let length = CivilDate.daysIn(year: year, month: month)
        var days: [CivilDate]
        if !rule.byMonthDay.isEmpty {
            days = rule.byMonthDay.compactMap { value in
                let day = value > 0 ? value : length + 1 + value
                return (1...length).contains(day) ? CivilDate(year: year, month: month, day: day) : nil
            }
            if !rule.byDay.isEmpty {
                days = days.filter { day in rule.byDay.contains { $0.weekday == day.weekday } }
            }
        } else if !rule.byDay.isEmpty {
            days = weekdays(
                in: CivilDate(year: year, month: month, day: 1)...CivilDate(year: year, month: month, day: length))
        } else {
            days = first.day <= length ? [CivilDate(year: year, month: month, day: first.day)] : []
        }
        return days
    }

    /// The days in `span` that `BYDAY` selects, ordinals counted within the span.
    private func weekdays(in span: ClosedRange<CivilDate>) -> [CivilDate] {
        let all = (span.lowerBound.dayNumber...span.upperBound.dayNumber).map(CivilDate.init(dayNumber:))
        return rule.byDay.flatMap { entry -> [CivilDate] in
            let matching = all.filter { $0.weekday == entry.weekday }
            guard let ordinal = entry.ordinal else { return matching }
            let index = ordinal > 0 ? ordinal - 1 : matching.count + ordinal
            return matching.indices.contains(index) ? [matching[index]] : []
        }
    }

    /// Daily rules use `BYDAY`, `BYMONTHDAY` and `BYMONTH` as filters.
    private func matchesDayFilters(_ day: CivilDate) -> Bool {
        if !rule.byMonth.isEmpty, !rule.byMonth.contains(day.month) { return false }
        if !rule.byDay.isEmpty, !rule.byDay.contains(where: { $0.weekday == day.weekday }) { return false }
        if !rule.byMonthDay.isEmpty {
            let length = CivilDate.daysIn(year: day.year, month: day.month)
            if !rule.byMonthDay.contains(where: { ($0 > 0 ? $0 : length + 1 + $0) == day.day }) { return false }
        }
        return true
    }
}
