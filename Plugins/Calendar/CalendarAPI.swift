import AnvilPluginKit
import OpenAPIKit

/// The OpenAPI description of the calendar's routes; bounds come from ``EventRules``, the same constants the
/// handlers check.
enum CalendarAPI {
    static let calendarContentType = OpenAPI.ContentType(rawValue: "text/calendar")!

    static var description: PluginAPI {
        PluginAPI(
            tag: .init(
                name: "Calendar",
                description: """
                    Events with IANA time zones, all-day events and RFC 5545 recurrence rules; iCalendar import and \
                    export; sync with a CalDAV server.
                    """
            ),
            schemas: schemas,
            operations: operations
        )
    }

    private static func timestamp(_ description: String, nullable: Bool = false) -> APISchema {
        .string(format: .dateTime, nullable: nullable, description: description)
    }

    private static var timeText: String {
        """
        A date-time with an offset (`2026-12-01T09:00:00+01:00`), a local time in `time_zone` \
        (`2026-12-01T09:00`), or, for all-day events, a date (`2026-12-01`).
        """
    }

    private static var eventFields: OrderedDictionary<String, APISchema> {
        [
            "title": .string(
                description: "What the event is; must contain more than whitespace.", minLength: 1,
                maxLength: EventRules.maximumTitleLength, pattern: "\\S"),
            "description": .string(
                nullable: true, description: "Longer notes.", maxLength: EventRules.maximumDescriptionLength),
            "location": .string(
                nullable: true, description: "Where it happens.", maxLength: EventRules.maximumLocationLength),
            "start": .string(
                description: "When the (first) occurrence starts. \(timeText)", minLength: 10, maxLength: 40),
            "end": .string(
                description: """
                    When it ends, after `start`. \(timeText) For all-day events the end is the day after the last \
                    day (as in iCalendar); the start date itself means a one-day event. Defaults to one hour after \
                    the start, or one day for all-day events.
                    """,
                minLength: 10, maxLength: 40),
            "time_zone": .string(
                description: "The IANA time zone the event's local times belong to, such as `Europe/Berlin`.",
                minLength: 1, maxLength: 64),
            "all_day": .boolean(description: "Whether the event covers whole days (dates without times)."),
            "rrule": .string(
                nullable: true,
                description: """
                    An RFC 5545 recurrence rule such as `FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10` or \
                    `FREQ=MONTHLY;BYDAY=-1FR`: FREQ (DAILY, WEEKLY, MONTHLY, YEARLY), INTERVAL, COUNT, UNTIL, BYDAY \
                    (ordinals for monthly and yearly rules), BYMONTHDAY, BYMONTH, WKST. Occurrences keep the local \
                    time of `start` in `time_zone` across daylight-saving changes.
                    """,
                maxLength: RecurrenceRule.maximumLength),
            "exdates": .array(
                description: "Starts of occurrences to leave out (EXDATE), written like `start`.",
                maxItems: EventRules.maximumExceptions,
                items: .string(minLength: 10, maxLength: 40)),
        ]
    }

    private static var schemas: [(name: String, schema: APISchema)] {
        var create = eventFields
        for key in ["end", "time_zone", "all_day", "exdates"] {
            create[key] = create[key]?.optionalSchemaObject().nullableSchemaObject()
        }
        for key in ["description", "location", "rrule"] {
            create[key] = create[key]?.optionalSchemaObject()
        }
        create["uid"] = .string(
            required: false, nullable: true,
            description: "The iCalendar UID; generated when left out. Printable ASCII without spaces.",
            minLength: 1, maxLength: EventRules.maximumUIDLength, pattern: "^[!-~]+$")
        var update = eventFields.mapValues { $0.optionalSchemaObject() }
        update["end"] = update["end"].map {
            $0.with(
                description:
                    "When it ends. Moving `start` without sending `end` keeps the event's length. \(timeText)")
        }
        let eventProperties: OrderedDictionary<String, APISchema> = [
            "id": .string(description: "The event's id."),
            "uid": .string(description: "The iCalendar UID, stable across export, import and CalDAV sync."),
            "title": .string(),
            "description": .string(nullable: true),
            "location": .string(nullable: true),
            "start": timestamp("The first start."),
            "end": timestamp("The first end."),
            "local_start": .string(description: "The first start as a local time of `time_zone`."),
            "local_end": .string(description: "The first end as a local time of `time_zone`."),
            "time_zone": .string(description: "The IANA time zone."),
            "all_day": .boolean(),
            "start_date": .string(format: .date, nullable: true, description: "The first day, for all-day events."),
            "end_date": .string(
                format: .date, nullable: true, description: "The day after the last day, for all-day events."),
            "rrule": .string(nullable: true, description: "The recurrence rule in canonical form."),
            "exdates": .array(items: timestamp("A start left out.")),
            "synced": .boolean(description: "Whether the event has been written to the CalDAV server."),
            "created_at": timestamp("When the event was created."),
            "updated_at": timestamp("When the event last changed."),
        ]
        let occurrenceProperties: OrderedDictionary<String, APISchema> = [
            "event_id": .string(description: "The event this occurrence belongs to."),
            "uid": .string(),
            "title": .string(),
            "description": .string(nullable: true),
            "location": .string(nullable: true),
            "start": timestamp("When this occurrence starts."),
            "end": timestamp("When this occurrence ends."),
            "local_start": .string(description: "The start as a local time of `time_zone`."),
            "local_end": .string(description: "The end as a local time of `time_zone`."),
            "time_zone": .string(),
            "all_day": .boolean(),
            "start_date": .string(format: .date, nullable: true),
            "end_date": .string(format: .date, nullable: true),
            "recurring": .boolean(description: "Whether the event repeats."),
        ]
        let count = APISchema.integer(minimum: (0, exclusive: false))
        return [
            ("CalendarEvent", .object(description: "An event.", properties: eventProperties)),
            (
                "CalendarOccurrence",
                .object(description: "One occurrence of an event.", properties: occurrenceProperties)
            ),
            (
                "CalendarOccurrencePage",
                .object(
                    description: "Occurrences in a range, in start order.",
                    properties: [
                        "data": .array(items: .reference("CalendarOccurrence")),
                        "total": .integer(
                            description: "How many occurrences the range has, up to \(EventRules.maximumOccurrences).",
                            minimum: (0, exclusive: false)),
                        "limit": .integer(minimum: (1, exclusive: false)),
                        "offset": .integer(minimum: (0, exclusive: false)),
                        "from": timestamp("The start of the range."),
                        "to": timestamp("The end of the range."),
                        "truncated": .boolean(
                            description:
                                "Whether the range has more than \(EventRules.maximumOccurrences) occurrences; narrow it to see the rest."
                        ),
                    ])
            ),
            (
                "CreateCalendarEventRequest",
                .object(description: "A new event; `null` means the default.", properties: create)
            ),
            (
                "UpdateCalendarEventRequest",
                .object(
                    description: "Fields to change; leave a field out to keep it, `null` clears the nullable ones.",
                    properties: update)
            ),
            (
                "CalendarImportRequest",
                .object(
                    description: "iCalendar text in JSON.",
                    properties: [
                        "ics": .string(description: "An iCalendar (RFC 5545) text with VEVENTs."),
                        "time_zone": .string(
                            required: false, nullable: true,
                            description: "The zone for floating times (without TZID or Z); defaults to UTC.",
                            minLength: 1, maxLength: 64),
                    ])
            ),
            (
                "CalendarImportReport",
                .object(
                    description: "What an import did, per event.",
                    properties: [
                        "imported": count, "updated": count, "skipped": count,
                        "results": .array(
                            items: .object(properties: [
                                "uid": .string(nullable: true),
                                "status": .string(allowedValues: ["imported", "updated", "skipped"]),
                                "event_id": .string(nullable: true),
                                "reason": .string(nullable: true, description: "Why the event was skipped."),
                            ])),
                    ])
            ),
            (
                "CalDAVAccountRequest",
                .object(
                    description: "The CalDAV calendar to sync with.",
                    properties: [
                        "url": .string(
                            format: .uri,
                            description:
                                "The calendar collection's http(s) URL, such as https://dav.example.com/alice/calendar/.",
                            maxLength: 2000),
                        "username": .string(maxLength: 200),
                        "password": .string(
                            format: .password, description: "Stored encrypted; never returned.", maxLength: 1000),
                    ])
            ),
            (
                "CalDAVAccount",
                .object(
                    description: "The CalDAV account, without its password.",
                    properties: [
                        "url": .string(),
                        "username": .string(),
                        "last_sync_at": timestamp("When the last sync ran.", nullable: true),
                        "last_error": .string(nullable: true, description: "Why the last sync failed, if it did."),
                        "updated_at": timestamp("When the account was configured."),
                    ])
            ),
            (
                "CalDAVSyncReport",
                .object(
                    description: "What a sync did.",
                    properties: [
                        "pulled": count, "updated_locally": count, "deleted_locally": count, "pushed": count,
                        "deleted_remotely": count,
                        "skipped": .array(
                            items: .object(properties: ["href": .string(), "reason": .string()])),
                    ])
            ),
        ]
    }

    private static var operations: [PluginAPI.Operation] {
        [
            .init(
                .post, "/calendar/events", id: "createCalendarEvent", summary: "Create an event",
                description: "Adds an event; the response is the stored event with its id and UID.",
                body: .json(.reference("CreateCalendarEventRequest")),
                responses: [.init(201, "The event.", json: .reference("CalendarEvent"))],
                errors: [409]
            ),
            .init(
                .get, "/calendar/events", id: "listCalendarEvents", summary: "List occurrences in a range",
                description: """
                    Occurrences overlapping [`from`, `to`), recurring events expanded, in start order. Without \
                    `from`, the range starts now; without `to`, it lasts \(CalendarRoutes.defaultRangeDays) days. \
                    The range may cover at most \(EventRules.maximumRangeDays) days and yields at most \
                    \(EventRules.maximumOccurrences) occurrences (`truncated` says when there were more).
                    """,
                parameters: [
                    .query("from", .string(format: .dateTime), description: "The start of the range (inclusive)."),
                    .query("to", .string(format: .dateTime), description: "The end of the range (exclusive)."),
                    .limit, .offset,
                ],
                responses: [.init(200, "The occurrences.", json: .reference("CalendarOccurrencePage"))]
            ),
            .init(
                .get, "/calendar/events/{id}", id: "getCalendarEvent", summary: "Get an event",
                description: "One event as stored, with its recurrence rule.",
                parameters: [.path("id", description: "The event's id.")],
                responses: [.init(200, "The event.", json: .reference("CalendarEvent"))],
                errors: [404]
            ),
            .init(
                .patch, "/calendar/events/{id}", id: "updateCalendarEvent", summary: "Update an event",
                description: "Changes the fields sent; the result must still be a valid event.",
                parameters: [.path("id", description: "The event's id.")],
                body: .json(.reference("UpdateCalendarEventRequest")),
                responses: [.init(200, "The updated event.", json: .reference("CalendarEvent"))],
                errors: [404]
            ),
            .init(
                .delete, "/calendar/events/{id}", id: "deleteCalendarEvent", summary: "Delete an event",
                description:
                    "Deletes the event and all its occurrences; a synced event is deleted on the CalDAV server at the next sync.",
                parameters: [.path("id", description: "The event's id.")],
                responses: [.init(204, "Deleted.")],
                errors: [404]
            ),
            .init(
                .get, "/calendar/export.ics", id: "exportCalendar", summary: "Export as iCalendar",
                description: "All your events as one RFC 5545 calendar, with TZID parameters naming IANA zones.",
                responses: [.init(200, "The calendar.", content: (calendarContentType, .string))]
            ),
            .init(
                .post, "/calendar/import", id: "importCalendar", summary: "Import iCalendar",
                description: """
                    Reads the VEVENTs of an iCalendar text (as `text/calendar`, or JSON `{"ics": ...}`) and stores \
                    them by UID: new UIDs are imported, changed events updated, identical ones skipped, so \
                    importing twice changes nothing. Events that cannot be read are skipped with a reason.
                    """,
                parameters: [
                    .query(
                        "time_zone", .string(minLength: 1, maxLength: 64),
                        description: "The zone for floating times; defaults to UTC.")
                ],
                body: .content(
                    [
                        (calendarContentType, .string),
                        (.json, .reference("CalendarImportRequest")),
                    ], description: "The iCalendar text."),
                responses: [.init(200, "What was imported.", json: .reference("CalendarImportReport"))]
            ),
            .init(
                .put, "/calendar/caldav", id: "setCalDAVAccount", summary: "Configure CalDAV",
                description: """
                    Sets the CalDAV calendar to sync with. The password is stored encrypted and never returned. \
                    Addresses on this machine or private networks are refused unless the server allows them.
                    """,
                body: .json(.reference("CalDAVAccountRequest")),
                responses: [.init(200, "The account.", json: .reference("CalDAVAccount"))]
            ),
            .init(
                .get, "/calendar/caldav", id: "getCalDAVAccount", summary: "CalDAV status",
                description: "The configured account, its last sync and last error.",
                responses: [.init(200, "The account.", json: .reference("CalDAVAccount"))],
                errors: [404]
            ),
            .init(
                .delete, "/calendar/caldav", id: "deleteCalDAVAccount", summary: "Remove CalDAV",
                description: "Forgets the account; events stay here.",
                responses: [.init(204, "Removed.")],
                errors: [404]
            ),
            .init(
                .post, "/calendar/caldav/sync", id: "syncCalDAV", summary: "Sync with CalDAV",
                description: """
                    Sends local deletions to the server, reads the server's events (new, changed, deleted), and \
                    writes local changes to it. An event changed on both sides keeps the local change.
                    """,
                responses: [.init(200, "What the sync did.", json: .reference("CalDAVSyncReport"))],
                errors: [404, 502]
            ),
        ]
    }
}
