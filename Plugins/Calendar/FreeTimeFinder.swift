import Foundation

/// Finds free stretches within working hours, between busy intervals.
public struct FreeTimeFinder: Sendable {
    public var timeZone: TimeZone
    /// Seconds after local midnight that the working day starts and ends.
    public var workdayStart: Int
    public var workdayEnd: Int
    public var workdays: Set<Weekday>

    public init(timeZone: TimeZone, workdayStart: Int, workdayEnd: Int, workdays: Set<Weekday>) {
        self.timeZone = timeZone
        self.workdayStart = workdayStart
        self.workdayEnd = workdayEnd
        self.workdays = workdays
    }

    /// Free stretches of at least `minimum` seconds in `range`, in order, at most `limit`.
    public func freeSlots(
        in range: Range<Date>, busy: [Range<Date>], minimum: TimeInterval, limit: Int
    ) -> [Range<Date>] {
        let merged = Self.merge(busy)
        var slots: [Range<Date>] = []
        let firstDay = LocalDateTime(range.lowerBound, in: timeZone).date
        let lastDay = LocalDateTime(range.upperBound, in: timeZone).date
        guard firstDay <= lastDay else { return [] }
        for dayNumber in firstDay.dayNumber...lastDay.dayNumber {
            let day = CivilDate(dayNumber: dayNumber)
            guard workdays.contains(day.weekday) else { continue }
            let open = max(LocalDateTime(date: day, secondOfDay: workdayStart).instant(in: timeZone), range.lowerBound)
            let close = min(LocalDateTime(date: day, secondOfDay: workdayEnd).instant(in: timeZone), range.upperBound)
            guard open < close else { continue }
            var cursor = open
            for interval in merged where interval.upperBound > cursor && interval.lowerBound < close {
                if interval.lowerBound.timeIntervalSince(cursor) >= minimum {
                    slots.append(cursor..<interval.lowerBound)
                    if slots.count == limit { return slots }
                }
                cursor = max(cursor, interval.upperBound)
            }
            if close.timeIntervalSince(cursor) >= minimum {
                slots.append(cursor..<close)
                if slots.count == limit { return slots }
            }
        }
        return slots
    }

    /// Sorted, overlapping and touching intervals joined.
    static func merge(_ intervals: [Range<Date>]) -> [Range<Date>] {
        var merged: [Range<Date>] = []
        for interval in intervals.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, interval.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, interval.upperBound)
            } else {
                merged.append(interval)
            }
        }
        return merged
    }
}
