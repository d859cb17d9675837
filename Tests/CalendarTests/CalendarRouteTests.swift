import AnvilCore
import AnvilPluginKit
import AnvilStore
import AnvilTestSupport
import Calendar
import Foundation
import Logging
import Testing

@Suite("Calendar: REST resource and tools")
struct CalendarRouteTests {
    @Test(
        "events are created, listed with recurrences expanded, read, changed and deleted",
        arguments: TestDatabase.available)
    func crud(engine: TestDatabase) async throws {
        try await withCalendarApp(engine) { api in
            let token = try await api.register()
            let created = try await api.send(
                .post, "/api/v1/calendar/events",
                json: [
                    "title": "Stand-up", "start": "2026-12-01T09:00", "end": "2026-12-01T09:15",
                    "time_zone": "Europe/Berlin", "rrule": "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=4",
                    "location": "Room 1",
                ],
                token: token)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created["id"]?.stringValue)
            #expect(created["start"] == "2026-12-01T08:00:00.000Z")
            #expect(created["local_start"] == "2026-12-01T09:00:00")
            #expect(created["rrule"] == "FREQ=WEEKLY;COUNT=4;BYDAY=TU,TH")
            #expect(created["description"] == .null)

            let allDay = try await api.send(
                .post, "/api/v1/calendar/events",
                json: ["title": "Holiday", "start": "2026-12-24", "all_day": true, "time_zone": "Europe/Berlin"],
                token: token)
            #expect(allDay.status == .created, "\(allDay.text)")
            #expect(allDay["start_date"] == "2026-12-24")
            #expect(allDay["end_date"] == "2026-12-25")

            let listed = try await api.send(
                .get, "/api/v1/calendar/events?from=2026-11-30T00:00:00Z&to=2027-01-01T00:00:00Z", token: token)
            #expect(listed.status == .ok, "\(listed.text)")
            let starts = listed["data"]?.arrayValue?.compactMap { $0.objectValue?["local_start"]?.stringValue }
            #expect(
                starts == [
                    "2026-12-01T09:00:00", "2026-12-03T09:00:00", "2026-12-08T09:00:00", "2026-12-10T09:00:00",
                    "2026-12-24T00:00:00",
                ])
            #expect(listed["total"] == 5)
            #expect(listed["truncated"] == false)
            let page = try await api.send(
                .get, "/api/v1/calendar/events?from=2026-11-30T00:00:00Z&to=2027-01-01T00:00:00Z&limit=2&offset=3",
                token: token)
            #expect(page["data"]?.arrayValue?.count == 2)

            let moved = try await api.send(
                .patch, "/api/v1/calendar/events/\(id)",
                json: ["start": "2026-12-01T10:00", "description": "Daily sync"], token: token)
            #expect(moved.status == .ok, "\(moved.text)")
            #expect(moved["local_start"] == "2026-12-01T10:00:00")
            #expect(moved["local_end"] == "2026-12-01T10:15:00")
            #expect(moved["description"] == "Daily sync")
            let cleared = try await api.send(
                .patch, "/api/v1/calendar/events/\(id)", json: ["description": .null, "rrule": .null], token: token)
            #expect(cleared["description"] == .null)
            #expect(cleared["rrule"] == .null)
            let fetched = try await api.send(.get, "/api/v1/calendar/events/\(id)", token: token)
            #expect(fetched["title"] == "Stand-up")
            #expect(fetched["location"] == "Room 1")

            #expect(try await api.send(.delete, "/api/v1/calendar/events/\(id)", token: token).status == .noContent)
            #expect(try await api.send(.get, "/api/v1/calendar/events/\(id)", token: token).status == .notFound)
            #expect(try await api.send(.delete, "/api/v1/calendar/events/\(id)", token: token).status == .notFound)
        }
    }

    @Test("another user's events are not found and not listed", arguments: TestDatabase.available)
    func ownerScoping(engine: TestDatabase) async throws {
        try await withCalendarApp(engine) { api in
            let alice = try await api.register()
            let bob = try await api.register()
            let created = try await api.send(
                .post, "/api/v1/calendar/events",
                json: ["title": "Private", "start": "2026-12-01T09:00:00Z"], token: alice)
            let id = try #require(created["id"]?.stringValue)
            #expect(try await api.send(.get, "/api/v1/calendar/events/\(id)", token: bob).status == .notFound)
            #expect(
                try await api.send(.patch, "/api/v1/calendar/events/\(id)", json: ["title": "x"], token: bob).status
                    == .notFound)
            #expect(try await api.send(.delete, "/api/v1/calendar/events/\(id)", token: bob).status == .notFound)
            let listed = try await api.send(
                .get, "/api/v1/calendar/events?from=2026-11-01T00:00:00Z&to=2027-01-01T00:00:00Z", token: bob)
            #expect(listed["total"] == 0)
            let export = try await api.send(.get, "/api/v1/calendar/export.ics", token: bob)
            #expect(!export.text.contains("Private"))
            #expect(try await api.send(.get, "/api/v1/calendar/events/\(id)").status == .unauthorized)
        }
    }

    @Test(
        "invalid events are refused with the field and the reason",
        arguments: [
            (["title": "x", "start": "2026-12-01T10:00:00Z", "end": "2026-12-01T09:00:00Z"], "end", "after start"),
            (["title": "x", "start": "2026-12-01T10:00:00Z", "time_zone": "Mars/Olympus"], "time_zone", "IANA"),
            (
                ["title": "x", "start": "2026-12-01T10:00:00Z", "rrule": "FREQ=DAILY;INTERVAL=0"], "rrule",
                "character 11"
            ),
            (["title": "  ", "start": "2026-12-01T10:00:00Z"], "title", "blank"),
            (["title": "x", "start": "next tuesday"], "start", "not a date-time"),
            (["title": "x", "start": "2026-12-01"], "start", "all-day"),
        ] as [(JSONValue, String, String)]
    )
    func validation(body: JSONValue, field: String, message: String) async throws {
        try await withCalendarApp(.sqlite) { api in
            let token = try await api.register()
            let response = try await api.send(.post, "/api/v1/calendar/events", json: body, token: token)
            #expect(response.status == .badRequest, "\(response.text)")
            #expect(response["details"]?.objectValue?["field"] == .string(field))
            #expect(response["message"]?.stringValue?.contains(message) == true, "\(response.text)")
        }
    }

    @Test("list ranges are bounded and checked", arguments: TestDatabase.available)
    func ranges(engine: TestDatabase) async throws {
        try await withCalendarApp(engine) { api in
            let token = try await api.register()
            let tooWide = try await api.send(
                .get, "/api/v1/calendar/events?from=2026-01-01T00:00:00Z&to=2028-01-01T00:00:00Z", token: token)
            #expect(tooWide.status == .badRequest)
            let backwards = try await api.send(
                .get, "/api/v1/calendar/events?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", token: token)
            #expect(backwards.status == .badRequest)
            let malformed = try await api.send(.get, "/api/v1/calendar/events?from=yesterday", token: token)
            #expect(malformed.status == .badRequest)
            #expect(malformed["details"]?.objectValue?["parameter"] == "from")
            let defaults = try await api.send(.get, "/api/v1/calendar/events", token: token)
            #expect(defaults.status == .ok)
        }
    }

    @Test(
        "import is idempotent by UID and reports what it did; export is RFC 5545 text",
        arguments: TestDatabase.available)
    func importAndExport(engine: TestDatabase) async throws {
        try await withCalendarApp(engine) { api in
            let token = try await api.register()
            let first = try await api.send(
                .post, "/api/v1/calendar/import", body: ICalendarTests.sample, contentType: "text/calendar",
                token: token)
            #expect(first.status == .ok, "\(first.text)")
            #expect(first["imported"] == 4)
            #expect(first["skipped"] == 2)
            let again = try await api.send(
                .post, "/api/v1/calendar/import", json: ["ics": .string(ICalendarTests.sample)], token: token)
            #expect(again["imported"] == 0)
            #expect(again["skipped"] == 6)
            let changed = ICalendarTests.sample.replacingOccurrences(of: "SUMMARY:Call", with: "SUMMARY:Call moved")
            let updated = try await api.send(
                .post, "/api/v1/calendar/import", body: changed, contentType: "text/calendar", token: token)
            #expect(updated["updated"] == 1)
            let broken = try await api.send(
                .post, "/api/v1/calendar/import", body: "BEGIN:VCALENDAR\r\nnot a line\r\n",
                contentType: "text/calendar", token: token)
            #expect(broken.status == .badRequest)

            let export = try await api.send(.get, "/api/v1/calendar/export.ics", token: token)
            #expect(export.status == .ok)
            #expect(export.headers[.contentType]?.hasPrefix("text/calendar") == true)
            #expect(export.text.contains("UID:zoned@example.com\r\n"))
            #expect(export.text.contains("DTSTART;TZID=Europe/Berlin:20261201T090000\r\n"))
            #expect(export.text.contains("SUMMARY:Call moved\r\n"))
            #expect(export.text.contains("EXDATE;TZID=Europe/Berlin:20261202T090000\r\n"))

            // The export imports into another account unchanged.
            let other = try await api.send(
                .post, "/api/v1/auth/register",
                json: [
                    "email": .string("copy-\(UUID().uuidString.prefix(6))@example.com"),
                    "password": "correct horse battery",
                ])
            let otherToken = try #require(other["access_token"]?.stringValue)
            let copied = try await api.send(
                .post, "/api/v1/calendar/import", body: export.text, contentType: "text/calendar", token: otherToken)
            #expect(copied["imported"] == 4)
        }
    }

    @Test(
        "the tools list, create, update and delete events and find free time for the caller",
        arguments: TestDatabase.available)
    func tools(engine: TestDatabase) async throws {
        try await withCalendarApp(engine) { api in
            let token = try await api.register()
            func invoke(_ name: String, _ arguments: JSONValue) async throws -> String {
                let response = try await api.send(
                    .post, "/api/v1/tools/\(name)/invoke", json: ["arguments": arguments], token: token)
                #expect(response.status == .ok, "\(response.text)")
                return response["content"]?.stringValue ?? ""
            }
            let created = try await invoke(
                "create_event",
                [
                    "title": "Planning", "start": "2026-12-07T10:00", "duration_minutes": 90,
                    "time_zone": "Europe/Berlin", "rrule": "FREQ=DAILY;COUNT=3",
                ])
            #expect(created.contains("Created Mon 2026-12-07 10:00–11:30: Planning"), "\(created)")
            let id = try #require(created.split(separator: "[id ").last?.split(separator: ",").first.map(String.init))

            let listed = try await invoke(
                "list_events", ["from": "2026-12-07", "to": "2026-12-10", "time_zone": "Europe/Berlin"])
            #expect(listed.contains("3 events"), "\(listed)")
            #expect(listed.contains("Wed 2026-12-09 10:00–11:30: Planning"), "\(listed)")

            let free = try await invoke(
                "find_free_time",
                [
                    "duration_minutes": 60, "from": "2026-12-07", "to": "2026-12-08", "time_zone": "Europe/Berlin",
                ])
            #expect(free.contains("Mon 2026-12-07 09:00–10:00 (60 min free)"), "\(free)")
            #expect(free.contains("Mon 2026-12-07 11:30–17:00 (330 min free)"), "\(free)")

            let updated = try await invoke("update_event", ["id": .string(id), "start": "2026-12-07T14:00"])
            #expect(updated.contains("14:00–15:30"), "\(updated)")
            let bad = try await api.send(
                .post, "/api/v1/tools/update_event/invoke",
                json: ["arguments": ["id": .string(id), "rrule": "FREQ=SOMETIMES"]], token: token)
            #expect(bad["is_error"] == true, "\(bad.text)")
            #expect(bad["content"]?.stringValue?.contains("FREQ must be") == true)

            let deleted = try await invoke("delete_event", ["id": .string(id)])
            #expect(deleted.hasPrefix("Deleted"))
            let empty = try await invoke("list_events", ["from": "2026-12-07", "to": "2026-12-10"])
            #expect(empty.hasPrefix("0 events"))
        }
    }

    @Test("the agent loop lists the caller's events, recurring ones expanded", arguments: TestDatabase.available)
    func eventsThroughTheChatLoop(engine: TestDatabase) async throws {
        try await withCalendarApp(engine) { api in
            let token = try await api.register()
            let start = Date().addingTimeInterval(3600)
            let startText = start.formatted(
                .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false)
                    .timeSeparator(.colon))
            let created = try await api.send(
                .post, "/api/v1/calendar/events",
                json: [
                    "title": "Standup", "start": .string(startText + "Z"),
                    "end": .string(start.addingTimeInterval(900).formatted(.iso8601)),
                    "time_zone": "UTC", "rrule": "FREQ=DAILY;COUNT=3",
                ],
                token: token)
            #expect(created.status == .created, "\(created.text)")
            let chat = try await api.send(.post, "/api/v1/chats", json: ["title": "plans"], token: token)
            let chatID = try #require(chat["id"]?.stringValue)
            let sent = try await api.send(
                .post, "/api/v1/chats/\(chatID)/messages",
                json: ["content": "List my calendar events", "tools": ["list_events"]], token: token)
            let messages = sent["messages"]?.arrayValue ?? []
            #expect(messages.compactMap { $0.objectValue?["role"]?.stringValue } == ["assistant", "tool", "assistant"])
            let result = messages.dropFirst().first?.objectValue?["content"]?.stringValue ?? ""
            #expect(result.hasPrefix("3 events"), "\(sent.text)")
            #expect(result.contains("Standup"))
        }
    }

    @Test(
        "a CalDAV account keeps its password sealed and refuses loopback unless allowed",
        arguments: TestDatabase.available)
    func calDAVAccount(engine: TestDatabase) async throws {
        try await withCalendarApp(engine) { api in
            let token = try await api.register()
            #expect(try await api.send(.get, "/api/v1/calendar/caldav", token: token).status == .notFound)
            let refused = try await api.send(
                .put, "/api/v1/calendar/caldav",
                json: ["url": "http://127.0.0.1:5232/alice/cal/", "username": "alice", "password": "secret"],
                token: token)
            #expect(refused.status == .badRequest, "\(refused.text)")
            #expect(refused["message"]?.stringValue?.contains("loopback") == true, "\(refused.text)")
            #expect(try await api.send(.post, "/api/v1/calendar/caldav/sync", token: token).status == .notFound)
        }
        try await withCalendarApp(engine, manifest: "config:\n  allow_private: true\n") { api in
            let token = try await api.register()
            let saved = try await api.send(
                .put, "/api/v1/calendar/caldav",
                json: ["url": "http://127.0.0.1:1/alice/cal", "username": "alice", "password": "hunter2-secret"],
                token: token)
            #expect(saved.status == .ok, "\(saved.text)")
            #expect(saved["url"] == "http://127.0.0.1:1/alice/cal/")
            #expect(!saved.text.contains("hunter2"))
            let status = try await api.send(.get, "/api/v1/calendar/caldav", token: token)
            #expect(status["username"] == "alice")
            #expect(!status.text.contains("hunter2"))
            // Nothing listens on port 1: the sync fails, says so, and records the error.
            let failed = try await api.send(.post, "/api/v1/calendar/caldav/sync", token: token)
            #expect(failed.status == .badGateway, "\(failed.text)")
            let after = try await api.send(.get, "/api/v1/calendar/caldav", token: token)
            #expect(after["last_error"]?.stringValue?.isEmpty == false)
            #expect(try await api.send(.delete, "/api/v1/calendar/caldav", token: token).status == .noContent)
            #expect(try await api.send(.get, "/api/v1/calendar/caldav", token: token).status == .notFound)
        }
    }
}

@Suite("Calendar: background sync")
struct CalendarServiceTests {
    func plugin(interval: Int) async throws -> CalendarPlugin {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("calendar-\(UUID()).sqlite").path
        let database = try Database(location: .sqlite(path: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let context = PluginContext(
            database: database, secretBox: try SecretBox(keyData: Data(repeating: 3, count: 32)), environment: [:],
            dataDirectory: FileManager.default.temporaryDirectory.path, logger: Logger(label: "test"))
        let plugin = CalendarPlugin(
            configuration: .init(allowPrivate: false, syncIntervalSeconds: interval), context: context)
        try await database.shutdown()
        return plugin
    }

    @Test("a sync interval in the manifest runs a background service; 0 runs none")
    func services() async throws {
        #expect(try await plugin(interval: 0).services.isEmpty)
        #expect(try await plugin(interval: 300).services.count == 1)
    }
}
