import Foundation

/// An event as the API shows it.
struct EventRepresentation: Encodable, Sendable {
    var id: String
    var uid: String
    var title: String
    var description: String?
    var location: String?
    var start: Date
    var end: Date
    var localStart: String
    var localEnd: String
    var timeZone: String
    var allDay: Bool
    var startDate: String?
    var endDate: String?
    var rrule: String?
    var exdates: [Date]
    var synced: Bool
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, uid, title, description, location, start, end, rrule, exdates, synced
        case localStart = "local_start"
        case localEnd = "local_end"
        case timeZone = "time_zone"
        case allDay = "all_day"
        case startDate = "start_date"
        case endDate = "end_date"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    init(_ event: CalendarEvent) {
        let zone = event.timing.timeZone
        id = event.id
        uid = event.uid
        title = event.title
        description = event.description
        location = event.location
        start = event.start
        end = event.end
        localStart = LocalDateTime(event.start, in: zone).description
        localEnd = LocalDateTime(event.end, in: zone).description
        timeZone = event.timeZone
        allDay = event.allDay
        startDate = event.allDay ? LocalDateTime(event.start, in: zone).date.description : nil
        endDate = event.allDay ? LocalDateTime(event.end, in: zone).date.description : nil
        rrule = event.recurrence
        exdates = event.exceptions
        synced = event.remoteHref != nil
        createdAt = event.createdAt
        updatedAt = event.updatedAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(uid, forKey: .uid)
        try container.encode(title, forKey: .title)
        try container.encode(description, forKey: .description)
        try container.encode(location, forKey: .location)
        try container.encode(start, forKey: .start)
        try container.encode(end, forKey: .end)
        try container.encode(localStart, forKey: .localStart)
        try container.encode(localEnd, forKey: .localEnd)
        try container.encode(timeZone, forKey: .timeZone)
        try container.encode(allDay, forKey: .allDay)
        try container.encode(startDate, forKey: .startDate)
        try container.encode(endDate, forKey: .endDate)
        try container.encode(rrule, forKey: .rrule)
        try container.encode(exdates, forKey: .exdates)
        try container.encode(synced, forKey: .synced)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// One occurrence in a listed range.
struct OccurrenceRepresentation: Encodable, Sendable {
    var eventID: String
    var uid: String
    var title: String
    var description: String?
    var location: String?
    var start: Date
    var end: Date
    var localStart: String
    var localEnd: String
    var timeZone: String
    var allDay: Bool
    var startDate: String?
    var endDate: String?
    var recurring: Bool

    enum CodingKeys: String, CodingKey {
        case uid, title, description, location, start, end, recurring
        case eventID = "event_id"
        case localStart = "local_start"
        case localEnd = "local_end"
        case timeZone = "time_zone"
        case allDay = "all_day"
        case startDate = "start_date"
        case endDate = "end_date"
    }

    init(_ occurrence: CalendarService.Occurrence) {
        let event = occurrence.event
        let zone = event.timing.timeZone
        eventID = event.id
        uid = event.uid
        title = event.title
        description = event.description
        location = event.location
        start = occurrence.start
        end = occurrence.end
        localStart = LocalDateTime(occurrence.start, in: zone).description
        localEnd = LocalDateTime(occurrence.end, in: zone).description
        timeZone = event.timeZone
        allDay = event.allDay
        startDate = event.allDay ? LocalDateTime(occurrence.start, in: zone).date.description : nil
        endDate = event.allDay ? LocalDateTime(occurrence.end, in: zone).date.description : nil
        recurring = event.recurrence != nil
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(eventID, forKey: .eventID)
        try container.encode(uid, forKey: .uid)
        try container.encode(title, forKey: .title)
        try container.encode(description, forKey: .description)
        try container.encode(location, forKey: .location)
        try container.encode(start, forKey: .start)
        try container.encode(end, forKey: .end)
        try container.encode(localStart, forKey: .localStart)
        try container.encode(localEnd, forKey: .localEnd)
        try container.encode(timeZone, forKey: .timeZone)
        try container.encode(allDay, forKey: .allDay)
        try container.encode(startDate, forKey: .startDate)
        try container.encode(endDate, forKey: .endDate)
        try container.encode(recurring, forKey: .recurring)
    }
}

/// A page of occurrences with the range it covers.
struct OccurrencePage: Encodable, Sendable {
    var data: [OccurrenceRepresentation]
    var total: Int
    var limit: Int
    var offset: Int
    var from: Date
    var to: Date
    var truncated: Bool
}

/// What an import did.
struct ImportRepresentation: Encodable, Sendable {
    struct Item: Encodable, Sendable {
        var uid: String?
        var status: String
        var eventID: String?
        var reason: String?

        enum CodingKeys: String, CodingKey {
            case uid, status, reason
            case eventID = "event_id"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(uid, forKey: .uid)
            try container.encode(status, forKey: .status)
            try container.encode(eventID, forKey: .eventID)
            try container.encode(reason, forKey: .reason)
        }
    }

    var imported: Int
    var updated: Int
    var skipped: Int
    var results: [Item]

    init(_ report: CalendarService.ImportReport) {
        imported = report.count(.imported)
        updated = report.count(.updated)
        skipped = report.count(.skipped)
        results = report.items.map {
            Item(uid: $0.uid, status: $0.outcome.rawValue, eventID: $0.eventID, reason: $0.reason)
        }
    }
}

/// A CalDAV account without its password.
struct CalDAVStatusRepresentation: Encodable, Sendable {
    var url: String
    var username: String
    var lastSyncAt: Date?
    var lastError: String?
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case url, username
        case lastSyncAt = "last_sync_at"
        case lastError = "last_error"
        case updatedAt = "updated_at"
    }

    init(_ account: CalDAVAccount) {
        url = account.url
        username = account.username
        lastSyncAt = account.lastSyncAt
        lastError = account.lastError
        updatedAt = account.updatedAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(url, forKey: .url)
        try container.encode(username, forKey: .username)
        try container.encode(lastSyncAt, forKey: .lastSyncAt)
        try container.encode(lastError, forKey: .lastError)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}
