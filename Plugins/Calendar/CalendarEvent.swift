import Foundation

/// An event in a user's calendar, as stored.
public struct CalendarEvent: Sendable, Hashable {
    public var id: String
    public var ownerID: String
    /// The iCalendar `UID`: stable across export, import and CalDAV sync.
    public var uid: String
    public var title: String
    public var description: String?
    public var location: String?
    /// The first start; for all-day events, local midnight of the first day in ``timeZone``.
    public var start: Date
    /// The first end; for all-day events, local midnight after the last day (exclusive).
    public var end: Date
    /// An IANA zone name such as `Europe/Berlin`.
    public var timeZone: String
    public var allDay: Bool
    /// The canonical RRULE text, without the `RRULE:` prefix.
    public var recurrence: String?
    /// Starts of occurrences removed from the recurrence (EXDATE).
    public var exceptions: [Date]
    /// Where the event lives on the user's CalDAV server, once synced.
    public var remoteHref: String?
    public var remoteETag: String?
    /// Changed here since it was last written to the CalDAV server.
    public var needsPush: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, ownerID: String, uid: String, title: String, description: String?, location: String?,
        start: Date, end: Date, timeZone: String, allDay: Bool, recurrence: String?, exceptions: [Date],
        remoteHref: String?, remoteETag: String?, needsPush: Bool, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.ownerID = ownerID
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
        self.remoteHref = remoteHref
        self.remoteETag = remoteETag
        self.needsPush = needsPush
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The timing, with the zone and rule parsed; both were validated before the event was stored.
    public var timing: EventTiming {
        EventTiming(
            start: start,
            end: end,
            timeZone: TimeZone(identifier: timeZone) ?? .gmt,
            allDay: allDay,
            rule: recurrence.flatMap { try? RecurrenceRule(parsing: $0) },
            exceptions: exceptions
        )
    }
}

/// The fields of an event that a user or an import sets: what create, update and import share.
public struct EventDraft: Sendable, Hashable {
    public var uid: String?
    public var title: String
    public var description: String?
    public var location: String?
    public var start: Date
    public var end: Date
    public var timeZone: String
    public var allDay: Bool
    public var recurrence: String?
    public var exceptions: [Date]

    public init(
        uid: String? = nil, title: String, description: String? = nil, location: String? = nil, start: Date,
        end: Date, timeZone: String, allDay: Bool = false, recurrence: String? = nil, exceptions: [Date] = []
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

    public init(_ event: CalendarEvent) {
        self.init(
            uid: event.uid, title: event.title, description: event.description, location: event.location,
            start: event.start, end: event.end, timeZone: event.timeZone, allDay: event.allDay,
            recurrence: event.recurrence, exceptions: event.exceptions)
    }

    /// Whether `event` already has exactly these fields.
    func matches(_ event: CalendarEvent) -> Bool {
        var copy = self
        copy.uid = event.uid
        return copy == EventDraft(event)
    }
}

/// Limits on event fields, shared by validation and the API description.
public enum EventRules {
    public static let maximumTitleLength = 500
    public static let maximumDescriptionLength = 20_000
    public static let maximumLocationLength = 1000
    public static let maximumUIDLength = 255
    public static let maximumExceptions = 1000
    /// The longest a single occurrence may last.
    public static let maximumDurationDays = 366
    /// The widest range one list request may cover.
    public static let maximumRangeDays = 366
    /// The most occurrences one list request returns.
    public static let maximumOccurrences = 1000
}
