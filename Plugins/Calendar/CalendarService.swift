import AnvilPluginKit
import Foundation

/// The calendar's operations, shared by the REST routes and the tools: every method acts for one owner.
public struct CalendarService: Sendable {
    public let store: EventStore

    public init(store: EventStore) {
        self.store = store
    }

    /// One occurrence of an event in a listed range.
    public struct Occurrence: Sendable, Hashable {
        public var event: CalendarEvent
        public var start: Date
        public var end: Date
    }

    /// Occurrences overlapping `range`, in start order, at most `limit`; `truncated` says whether more exist.
    public func occurrences(
        ownerID: String, in range: Range<Date>, limit: Int = EventRules.maximumOccurrences
    ) async throws -> (items: [Occurrence], truncated: Bool) {
        var items: [Occurrence] = []
        var truncated = false
        for event in try await store.candidates(ownerID: ownerID, overlapping: range) {
            let expanded = event.timing.occurrences(overlapping: range, limit: limit)
            truncated = truncated || expanded.truncated
            items += expanded.items.map { Occurrence(event: event, start: $0.start, end: $0.end) }
        }
        items.sort { ($0.start, $0.end, $0.event.id) < ($1.start, $1.end, $1.event.id) }
        if items.count > limit {
            items.removeLast(items.count - limit)
            truncated = true
        }
        return (items, truncated)
    }

    /// Checks a list range: `to` after `from`, at most ``EventRules/maximumRangeDays`` apart.
    public static func checkRange(from: Date, to: Date) throws(CalendarError) -> Range<Date> {
        guard to > from else { throw .invalidField(field: "to", message: "must be after from") }
        guard to.timeIntervalSince(from) <= Double(EventRules.maximumRangeDays) * 86400 else {
            throw .invalidField(field: "to", message: "the range may cover at most \(EventRules.maximumRangeDays) days")
        }
        return from..<to
    }

    public func create(_ input: EventInput, ownerID: String) async throws -> CalendarEvent {
        try await store.create(try input.validated(), ownerID: ownerID)
    }

    /// Fields of an update; `nil` leaves a field as it is, and the optional text fields can be cleared.
    public struct Changes: Sendable {
        public var title: String?
        public var description: FieldUpdate<String>
        public var location: FieldUpdate<String>
        public var start: String?
        public var end: String?
        public var timeZone: String?
        public var allDay: Bool?
        public var recurrence: FieldUpdate<String>
        public var exceptions: [String]?

        public init(
            title: String? = nil, description: FieldUpdate<String> = .unchanged,
            location: FieldUpdate<String> = .unchanged, start: String? = nil, end: String? = nil,
            timeZone: String? = nil, allDay: Bool? = nil, recurrence: FieldUpdate<String> = .unchanged,
            exceptions: [String]? = nil
        ) {
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
    }

    /// Applies `changes` to the owner's event. Moving the start without giving an end keeps the event's length.
    public func update(id: String, ownerID: String, changes: Changes) async throws -> CalendarEvent {
        guard var event = try await store.event(id: id, ownerID: ownerID) else { throw CalendarError.eventNotFound(id) }
        let zone = event.timing.timeZone
        let allDay = changes.allDay ?? event.allDay
        func text(_ date: Date) -> String {
            event.allDay
                ? LocalDateTime(date, in: zone).date.description : date.formatted(.iso8601)
        }
        var input = EventInput(
            uid: event.uid,
            title: changes.title ?? event.title,
            description: changes.description.applied(to: event.description),
            location: changes.location.applied(to: event.location),
            start: changes.start ?? text(event.start),
            end: changes.end ?? (changes.start == nil ? text(event.end) : nil),
            timeZone: changes.timeZone ?? event.timeZone,
            allDay: allDay,
            recurrence: changes.recurrence.applied(to: event.recurrence),
            exceptions: changes.exceptions ?? event.exceptions.map(text)
        )
        if changes.start != nil, changes.end == nil, allDay == event.allDay {
            // Keep the length: validate the new start, then put the end as far after it as before.
            var draft = try input.validated()
            if allDay {
                let days = max(
                    1,
                    LocalDateTime(event.end, in: zone).date.dayNumber
                        - LocalDateTime(event.start, in: zone).date.dayNumber)
                let newZone = try EventInput.zone(named: draft.timeZone)
                draft.end = LocalDateTime(
                    date: LocalDateTime(draft.start, in: newZone).date.adding(days: days), secondOfDay: 0
                )
                .instant(in: newZone)
            } else {
                draft.end = draft.start.addingTimeInterval(event.end.timeIntervalSince(event.start))
            }
            input.end =
                draft.allDay
                ? LocalDateTime(draft.end, in: try EventInput.zone(named: draft.timeZone)).date.description
                : draft.end.formatted(.iso8601)
        }
        let draft = try input.validated()
        event.title = draft.title
        event.description = draft.description
        event.location = draft.location
        event.start = draft.start
        event.end = draft.end
        event.timeZone = draft.timeZone
        event.allDay = draft.allDay
        event.recurrence = draft.recurrence
        event.exceptions = draft.exceptions
        event.needsPush = true
        return try await store.update(event)
    }

    /// Deletes the owner's event; `nil` when there is none.
    public func delete(id: String, ownerID: String) async throws -> CalendarEvent? {
        try await store.delete(id: id, ownerID: ownerID)
    }

    /// The result of an import, per event.
    public struct ImportReport: Sendable, Hashable {
        public enum Outcome: String, Sendable, Hashable {
            case imported, updated, skipped
        }

        public struct Item: Sendable, Hashable {
            public var uid: String?
            public var outcome: Outcome
            public var eventID: String?
            public var reason: String?
        }

        public var items: [Item] = []

        public func count(_ outcome: Outcome) -> Int { items.filter { $0.outcome == outcome }.count }
    }

    /// Imports the events of an iCalendar text, matching existing events by UID: new UIDs are added, changed
    /// events updated, identical ones skipped as unchanged. Importing the same text twice changes nothing.
    public func importCalendar(_ text: String, ownerID: String, floatingZone: TimeZone) async throws -> ImportReport {
        let entries: [ICalendarImport.Entry]
        do {
            entries = try ICalendarImport.entries(in: text, floatingZone: floatingZone)
        } catch {
            throw CalendarError.invalidField(field: "ics", message: error.description)
        }
        var report = ImportReport()
        var seen: Set<String> = []
        for entry in entries {
            switch entry {
            case .skipped(let uid, let reason):
                report.items.append(.init(uid: uid, outcome: .skipped, eventID: nil, reason: reason))
            case .event(let draft):
                let uid = draft.uid ?? ""
                guard seen.insert(uid).inserted else {
                    report.items.append(
                        .init(uid: uid, outcome: .skipped, eventID: nil, reason: "the UID appears earlier in the file"))
                    continue
                }
                let (event, outcome) = try await upsert(draft, ownerID: ownerID)
                report.items.append(
                    .init(
                        uid: uid, outcome: outcome, eventID: event.id,
                        reason: outcome == .skipped ? "unchanged" : nil))
            }
        }
        return report
    }

    /// Stores `draft` by its UID: inserted, updated when different, or left alone when identical.
    func upsert(
        _ draft: EventDraft, ownerID: String, remote: (href: String, etag: String?)? = nil
    ) async throws -> (CalendarEvent, ImportReport.Outcome) {
        guard let uid = draft.uid, var existing = try await store.event(uid: uid, ownerID: ownerID) else {
            return (try await store.create(draft, ownerID: ownerID, remote: remote), .imported)
        }
        if draft.matches(existing) {
            if let remote, existing.remoteHref != remote.href || existing.remoteETag != remote.etag {
                existing.remoteHref = remote.href
                existing.remoteETag = remote.etag
                existing = try await store.update(existing)
            }
            return (existing, .skipped)
        }
        existing.title = draft.title
        existing.description = draft.description
        existing.location = draft.location
        existing.start = draft.start
        existing.end = draft.end
        existing.timeZone = draft.timeZone
        existing.allDay = draft.allDay
        existing.recurrence = draft.recurrence
        existing.exceptions = draft.exceptions
        if let remote {
            existing.remoteHref = remote.href
            existing.remoteETag = remote.etag
            existing.needsPush = false
        } else {
            existing.needsPush = true
        }
        return (try await store.update(existing), .updated)
    }

    /// The owner's whole calendar as iCalendar text.
    public func export(ownerID: String) async throws -> String {
        ICalendarWriter.calendar(try await store.all(ownerID: ownerID))
    }
}
