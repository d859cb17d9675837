import AnvilCore
import AnvilPluginKit
import Foundation

/// What the calendar tools share: the service, and reading and writing times the way a model does.
struct CalendarToolSupport: Sendable {
    let service: CalendarService

    static let timeDescription: JSONValue = .string(
        "A date-time with an offset (2026-12-01T09:00:00+01:00), a local time in time_zone (2026-12-01T09:00), "
            + "or a date (2026-12-01)."
    )
    static let zoneProperty: JSONValue = [
        "type": "string", "minLength": 1, "maxLength": 64,
        "description": "IANA time zone for local times, such as Europe/Berlin. Defaults to UTC.",
    ]

    func zone(_ arguments: [String: JSONValue]) throws -> TimeZone {
        try EventInput.zone(named: arguments["time_zone"]?.stringValue ?? "UTC")
    }

    /// A range bound: a date means local midnight.
    func moment(_ text: String, field: String, zone: TimeZone) throws -> Date {
        if let date = CivilDate(text.trimmingCharacters(in: .whitespaces)) {
            return LocalDateTime(date: date, secondOfDay: 0).instant(in: zone)
        }
        return try EventInput.moment(text, field: field, zone: zone, allDay: false)
    }

    /// The range from the `from` and `to` arguments; by default the next `days` days.
    func range(_ arguments: [String: JSONValue], zone: TimeZone, days: Int) throws -> Range<Date> {
        let from = try arguments["from"]?.stringValue.map { try moment($0, field: "from", zone: zone) } ?? Date()
        let to =
            try arguments["to"]?.stringValue.map { try moment($0, field: "to", zone: zone) }
            ?? from.addingTimeInterval(Double(days) * 86400)
        return try CalendarService.checkRange(from: from, to: to)
    }

    /// `Tue 2026-12-01 09:00` in `zone`.
    static func format(_ date: Date, zone: TimeZone, withDate: Bool = true) -> String {
        let local = LocalDateTime(date, in: zone)
        let weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][local.date.weekday.rawValue]
        let time = String(format: "%02d:%02d", local.hour, local.minute)
        return withDate ? "\(weekday) \(local.date) \(time)" : time
    }

    /// One line about an event or occurrence.
    static func line(_ event: CalendarEvent, start: Date, end: Date, zone: TimeZone) -> String {
        var text: String
        if event.allDay {
            let eventZone = event.timing.timeZone
            let first = LocalDateTime(start, in: eventZone).date
            let last = LocalDateTime(end, in: eventZone).date.adding(days: -1)
            text = last > first ? "\(first) to \(last) (all day)" : "\(first) (all day)"
        } else {
            let sameDay = LocalDateTime(start, in: zone).date == LocalDateTime(end, in: zone).date
            text = "\(format(start, zone: zone))–\(format(end, zone: zone, withDate: !sameDay))"
        }
        text += ": \(event.title)"
        if let location = event.location, !location.isEmpty { text += " @ \(location)" }
        text += " [id \(event.id)"
        if let rule = event.recurrence { text += ", repeats \(rule)" }
        return text + "]"
    }

    static func summary(_ event: CalendarEvent) -> String {
        let zone = event.timing.timeZone
        return line(event, start: event.start, end: event.end, zone: zone) + " (\(event.timeZone))"
    }
}

extension CalendarError {
    /// Tool errors read as instructions the model can act on.
    var toolOutput: ToolOutput { .error(description) }
}

/// `list_events`: occurrences in a range, recurring events expanded.
struct ListEventsTool: Tool {
    let support: CalendarToolSupport

    var spec: ToolSpec {
        ToolSpec(
            name: "list_events",
            description: """
                List the user's calendar events in a time range (recurring events expanded into occurrences). \
                Defaults to the next 7 days. Times are shown in time_zone.
                """,
            parameters: [
                "type": "object",
                "properties": [
                    "from": [
                        "type": "string",
                        "description": .string(
                            "Start of the range; defaults to now. \(CalendarToolSupport.timeDescription.stringValue ?? "")"
                        ),
                    ],
                    "to": [
                        "type": "string",
                        "description":
                            "End of the range (exclusive); defaults to 7 days after from. At most 366 days after from.",
                    ],
                    "time_zone": CalendarToolSupport.zoneProperty,
                    "max_results": [
                        "type": "integer", "minimum": 1, "maximum": 200,
                        "description": "At most this many occurrences; default 50.",
                    ],
                ],
                "additionalProperties": false,
            ]
        )
    }

    func call(arguments: [String: JSONValue], context: ToolContext) async throws -> ToolOutput {
        do {
            let zone = try support.zone(arguments)
            let range = try support.range(arguments, zone: zone, days: 7)
            let limit = arguments["max_results"]?.asInt ?? 50
            let (items, truncated) = try await support.service.occurrences(
                ownerID: context.userID, in: range, limit: limit)
            let header =
                "\(items.count) event\(items.count == 1 ? "" : "s") from \(CalendarToolSupport.format(range.lowerBound, zone: zone)) "
                + "to \(CalendarToolSupport.format(range.upperBound, zone: zone)) (\(EventInput.zoneName(zone)))"
            var lines = [items.isEmpty ? header + "." : header + ":"]
            lines += items.map { "- " + CalendarToolSupport.line($0.event, start: $0.start, end: $0.end, zone: zone) }
            if truncated { lines.append("(more events follow; narrow the range or raise max_results)") }
            return ToolOutput(content: lines.joined(separator: "\n"))
        } catch let error as CalendarError {
            return error.toolOutput
        }
    }
}

/// The event fields shared by `create_event` and `update_event`.
private let eventProperties: [String: JSONValue] = [
    "title": ["type": "string", "minLength": 1, "maxLength": 500, "description": "What the event is."],
    "start": [
        "type": "string",
        "description": .string("When it starts. \(CalendarToolSupport.timeDescription.stringValue ?? "")"),
    ],
    "end": [
        "type": "string",
        "description":
            "When it ends; for all-day events the day after the last day. Alternatively give duration_minutes.",
    ],
    "duration_minutes": [
        "type": "integer", "minimum": 1, "maximum": 527_040, "description": "Length in minutes, instead of end.",
    ],
    "time_zone": CalendarToolSupport.zoneProperty,
    "all_day": [
        "type": "boolean", "description": "True for events covering whole days; start and end are then dates.",
    ],
    "description": ["type": "string", "maxLength": 20000, "description": "Notes."],
    "location": ["type": "string", "maxLength": 1000, "description": "Where."],
    "rrule": [
        "type": "string", "maxLength": 500,
        "description": "RFC 5545 recurrence rule, e.g. FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10 or FREQ=MONTHLY;BYDAY=-1FR.",
    ],
]

/// `end`, or `start` plus `duration_minutes`, as text.
private func endText(_ arguments: [String: JSONValue], start: String?, zone: TimeZone, allDay: Bool) throws -> String? {
    if let end = arguments["end"]?.stringValue { return end }
    guard let minutes = arguments["duration_minutes"]?.asInt, let start else { return nil }
    let begin = try EventInput.moment(start, field: "start", zone: zone, allDay: allDay)
    return begin.addingTimeInterval(Double(minutes) * 60).formatted(.iso8601)
}

/// `create_event`.
struct CreateEventTool: Tool {
    let support: CalendarToolSupport

    var spec: ToolSpec {
        ToolSpec(
            name: "create_event",
            description: """
                Add an event to the user's calendar. Give local times with time_zone (e.g. start \
                2026-12-01T09:00, time_zone Europe/Berlin). Without end or duration_minutes it lasts one hour.
                """,
            parameters: [
                "type": "object",
                "properties": .object(eventProperties),
                "required": ["title", "start"],
                "additionalProperties": false,
            ]
        )
    }

    func call(arguments: [String: JSONValue], context: ToolContext) async throws -> ToolOutput {
        do {
            let zoneName = arguments["time_zone"]?.stringValue ?? "UTC"
            let zone = try EventInput.zone(named: zoneName)
            let allDay = arguments["all_day"]?.asBool ?? false
            let start = arguments["start"]?.stringValue ?? ""
            let input = EventInput(
                title: arguments["title"]?.stringValue ?? "",
                description: arguments["description"]?.stringValue,
                location: arguments["location"]?.stringValue,
                start: start,
                end: try endText(arguments, start: start, zone: zone, allDay: allDay),
                timeZone: zoneName,
                allDay: allDay,
                recurrence: arguments["rrule"]?.stringValue
            )
            let event = try await support.service.create(input, ownerID: context.userID)
            return ToolOutput(content: "Created " + CalendarToolSupport.summary(event))
        } catch let error as CalendarError {
            return error.toolOutput
        }
    }
}

/// `update_event`.
struct UpdateEventTool: Tool {
    let support: CalendarToolSupport

    var spec: ToolSpec {
        var properties = eventProperties
        properties["id"] = ["type": "string", "minLength": 1, "description": "The event's id, from list_events."]
        properties["description"] = [
            "type": "string", "maxLength": 20000, "description": "Notes; an empty string removes them.",
        ]
        properties["location"] = [
            "type": "string", "maxLength": 1000, "description": "Where; an empty string removes it.",
        ]
        properties["rrule"] = [
            "type": "string", "maxLength": 500,
            "description": "New recurrence rule; an empty string makes the event single.",
        ]
        return ToolSpec(
            name: "update_event",
            description: """
                Change an event: give its id and only the fields to change. Moving start without end keeps \
                the event's length. Changes apply to every occurrence of a recurring event.
                """,
            parameters: [
                "type": "object",
                "properties": .object(properties),
                "required": ["id"],
                "additionalProperties": false,
            ]
        )
    }

    func call(arguments: [String: JSONValue], context: ToolContext) async throws -> ToolOutput {
        do {
            let id = arguments["id"]?.stringValue ?? ""
            guard let existing = try await support.service.store.event(id: id, ownerID: context.userID) else {
                return .error("No event has id '\(id)'. Use list_events to find the id.")
            }
            func change(_ key: String) -> FieldUpdate<String> {
                guard let value = arguments[key]?.stringValue else { return .unchanged }
                return value.isEmpty ? .clear : .set(value)
            }
            let zoneName = arguments["time_zone"]?.stringValue ?? existing.timeZone
            let allDay = arguments["all_day"]?.asBool ?? existing.allDay
            let start = arguments["start"]?.stringValue
            var end = arguments["end"]?.stringValue
            if end == nil, let minutes = arguments["duration_minutes"]?.asInt {
                let zone = try EventInput.zone(named: zoneName)
                let begin =
                    try start.map { try EventInput.moment($0, field: "start", zone: zone, allDay: allDay) }
                    ?? existing.start
                end = begin.addingTimeInterval(Double(minutes) * 60).formatted(.iso8601)
            }
            let changes = CalendarService.Changes(
                title: arguments["title"]?.stringValue,
                description: change("description"),
                location: change("location"),
                start: start,
                end: end,
                timeZone: arguments["time_zone"]?.stringValue,
                allDay: arguments["all_day"]?.asBool,
                recurrence: change("rrule")
            )
            let event = try await support.service.update(id: id, ownerID: context.userID, changes: changes)
            return ToolOutput(content: "Updated " + CalendarToolSupport.summary(event))
        } catch let error as CalendarError {
            return error.toolOutput
        }
    }
}

/// `delete_event`.
struct DeleteEventTool: Tool {
    let support: CalendarToolSupport

    var spec: ToolSpec {
        ToolSpec(
            name: "delete_event",
            description: "Delete an event (all its occurrences) from the user's calendar by id, from list_events.",
            parameters: [
                "type": "object",
                "properties": ["id": ["type": "string", "minLength": 1, "description": "The event's id."]],
                "required": ["id"],
                "additionalProperties": false,
            ]
        )
    }

    func call(arguments: [String: JSONValue], context: ToolContext) async throws -> ToolOutput {
        let id = arguments["id"]?.stringValue ?? ""
        guard let event = try await support.service.delete(id: id, ownerID: context.userID) else {
            return .error("No event has id '\(id)'. Use list_events to find the id.")
        }
        return ToolOutput(content: "Deleted " + CalendarToolSupport.summary(event))
    }
}

/// `find_free_time`.
struct FindFreeTimeTool: Tool {
    let support: CalendarToolSupport

    var spec: ToolSpec {
        ToolSpec(
            name: "find_free_time",
            description: """
                Find free time slots of at least duration_minutes in the user's calendar within working hours, \
                considering every event (recurring ones expanded). Defaults to the next 7 days, 09:00–17:00, \
                Monday to Friday, in time_zone.
                """,
            parameters: [
                "type": "object",
                "properties": [
                    "duration_minutes": [
                        "type": "integer", "minimum": 5, "maximum": 1440, "description": "How long the slot must be.",
                    ],
                    "from": [
                        "type": "string",
                        "description": "Start of the search; defaults to now. A date means its midnight.",
                    ],
                    "to": [
                        "type": "string",
                        "description": "End of the search; defaults to 7 days after from; at most 366 days.",
                    ],
                    "time_zone": CalendarToolSupport.zoneProperty,
                    "working_hours_start": [
                        "type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
                        "description": "Local start of the working day, HH:MM; default 09:00.",
                    ],
                    "working_hours_end": [
                        "type": "string", "pattern": "^([01][0-9]|2[0-4]):[0-5][0-9]$",
                        "description": "Local end of the working day, HH:MM; default 17:00.",
                    ],
                    "weekdays": [
                        "type": "array", "uniqueItems": true, "minItems": 1,
                        "items": ["type": "string", "enum": ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]],
                        "description": "Working days; default MO to FR.",
                    ],
                    "max_results": [
                        "type": "integer", "minimum": 1, "maximum": 50,
                        "description": "At most this many slots; default 10.",
                    ],
                ],
                "required": ["duration_minutes"],
                "additionalProperties": false,
            ]
        )
    }

    private static func seconds(_ text: String?) -> Int? {
        guard let text else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]) else { return nil }
        return hour * 3600 + minute * 60
    }

    func call(arguments: [String: JSONValue], context: ToolContext) async throws -> ToolOutput {
        do {
            let zone = try support.zone(arguments)
            let range = try support.range(arguments, zone: zone, days: 7)
            let minutes = arguments["duration_minutes"]?.asInt ?? 30
            let open = Self.seconds(arguments["working_hours_start"]?.stringValue) ?? 9 * 3600
            let close = Self.seconds(arguments["working_hours_end"]?.stringValue) ?? 17 * 3600
            guard close > open else {
                return .error("working_hours_end must be after working_hours_start.")
            }
            let days = arguments["weekdays"]?.arrayValue?.compactMap { $0.stringValue.flatMap(Weekday.init(code:)) }
            let finder = FreeTimeFinder(
                timeZone: zone, workdayStart: open, workdayEnd: close,
                workdays: Set(days ?? [.monday, .tuesday, .wednesday, .thursday, .friday]))
            let (occurrences, _) = try await support.service.occurrences(
                ownerID: context.userID, in: range, limit: EventRules.maximumOccurrences)
            let slots = finder.freeSlots(
                in: range, busy: occurrences.map { $0.start..<$0.end }, minimum: Double(minutes) * 60,
                limit: arguments["max_results"]?.asInt ?? 10)
            guard !slots.isEmpty else {
                return ToolOutput(content: "No free slot of \(minutes) minutes in working hours in that range.")
            }
            let lines = slots.map { slot in
                let length = Int(slot.upperBound.timeIntervalSince(slot.lowerBound) / 60)
                return "- \(CalendarToolSupport.format(slot.lowerBound, zone: zone))–"
                    + "\(CalendarToolSupport.format(slot.upperBound, zone: zone, withDate: false)) (\(length) min free)"
            }
            return ToolOutput(
                content: "Free slots of at least \(minutes) minutes (\(EventInput.zoneName(zone))):\n"
                    + lines.joined(separator: "\n"))
        } catch let error as CalendarError {
            return error.toolOutput
        }
    }
}

extension JSONValue {
    /// An integer argument; whole numbers written as decimals count.
    fileprivate var asInt: Int? {
        switch self {
        case .integer(let value): Int(exactly: value)
        case .number(let value) where value == value.rounded() && abs(value) < 1e15: Int(value)
        default: nil
        }
    }

    fileprivate var asBool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }
}
