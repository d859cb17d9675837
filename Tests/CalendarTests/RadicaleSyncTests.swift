import AnvilCore
import AnvilTestSupport
import AsyncHTTPClient
import Calendar
import Foundation
import NIOCore
import NIOHTTP1
import Subprocess
import Testing

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// A real Radicale server for the CalDAV round trip; `ANVIL_TEST_RADICALE` names a Python with `radicale`
/// installed (`.ci/e2e.sh` makes one in `/tmp/anvil-radicale-venv`).
enum RadicaleServer {
    static var python: String? {
        guard let path = ProcessInfo.processInfo.environment["ANVIL_TEST_RADICALE"], !path.isEmpty else { return nil }
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    static let user = "tester"
    static let password = "tester-password"

    /// Sends one request to Radicale with basic auth.
    static func request(
        _ method: HTTPMethod, _ url: String, body: String? = nil, contentType: String = "text/calendar"
    ) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(
            name: "Authorization", value: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let buffer = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: buffer))
    }
}

@Suite("Calendar: CalDAV sync with a real Radicale server", .enabled(if: RadicaleServer.python != nil))
struct RadicaleSyncTests {
    @Test("events travel both ways between Anvil and Radicale")
    func roundTrip() async throws {
        let python = try #require(RadicaleServer.python)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("radicale-\(UUID())")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("collections"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let users = directory.appendingPathComponent("users")
        try "\(RadicaleServer.user):\(RadicaleServer.password)\n".write(to: users, atomically: true, encoding: .utf8)
        let port = Int.random(in: 21_000..<32_000)
        let base = "http://127.0.0.1:\(port)"
        let calendarURL = "\(base)/\(RadicaleServer.user)/work/"

        _ = try await Subprocess.run(
            .path(FilePath(python)),
            arguments: [
                "-m", "radicale", "--server-hosts", "127.0.0.1:\(port)", "--auth-type", "htpasswd",
                "--auth-htpasswd-filename", users.path, "--auth-htpasswd-encryption", "plain", "--rights-type",
                "owner_only", "--storage-filesystem-folder", directory.appendingPathComponent("collections").path,
            ],
            input: .none,
            output: .discarded,
            error: .discarded
        ) { execution in
            defer { try? execution.send(signal: .kill) }
            var ready = false
            for _ in 0..<100 where !ready {
                ready = (try? await RadicaleServer.request(.GET, "\(base)/")) != nil
                if !ready { try await Task.sleep(for: .milliseconds(100)) }
            }
            try #require(ready, "Radicale did not start")
            let made = try await RadicaleServer.request(.RAW(value: "MKCALENDAR"), calendarURL)
            try #require(made.status == 201, "MKCALENDAR: \(made)")

            try await withCalendarApp(.sqlite, environment: ["ANVIL_CALDAV_ALLOW_PRIVATE": "1"]) { api in
                let token = try await api.register()
                let saved = try await api.send(
                    .put, "/api/v1/calendar/caldav",
                    json: [
                        "url": .string(calendarURL), "username": .string(RadicaleServer.user),
                        "password": .string(RadicaleServer.password),
                    ],
                    token: token)
                #expect(saved.status == .ok, "\(saved.text)")
                let created = try await api.send(
                    .post, "/api/v1/calendar/events",
                    json: [
                        "title": "Review", "start": "2026-12-01T09:00", "time_zone": "Europe/Berlin",
                        "rrule": "FREQ=WEEKLY;COUNT=3", "uid": "review-1@anvil",
                    ],
                    token: token)
                #expect(created.status == .created)

                let first = try await api.send(.post, "/api/v1/calendar/caldav/sync", token: token)
                #expect(first.status == .ok, "\(first.text)")
                #expect(first["pushed"] == 1)
                let stored = try await RadicaleServer.request(.GET, "\(calendarURL)review-1@anvil.ics")
                #expect(stored.status == 200)
                #expect(stored.body.contains("RRULE:FREQ=WEEKLY;COUNT=3"))

                let remote = """
                    BEGIN:VCALENDAR\r
                    VERSION:2.0\r
                    PRODID:-//test//EN\r
                    BEGIN:VEVENT\r
                    UID:from-radicale@example.com\r
                    DTSTAMP:20261101T000000Z\r
                    DTSTART:20261202T130000Z\r
                    DTEND:20261202T140000Z\r
                    SUMMARY:From Radicale\r
                    END:VEVENT\r
                    END:VCALENDAR\r

                    """
                let put = try await RadicaleServer.request(.PUT, "\(calendarURL)from-radicale.ics", body: remote)
                #expect(put.status == 201, "\(put)")
                let second = try await api.send(.post, "/api/v1/calendar/caldav/sync", token: token)
                #expect(second["pulled"] == 1, "\(second.text)")
                #expect(second["pushed"] == 0, "\(second.text)")
                let listed = try await api.send(
                    .get, "/api/v1/calendar/events?from=2026-11-30T00:00:00Z&to=2026-12-31T00:00:00Z", token: token)
                let titles = listed["data"]?.arrayValue?.compactMap { $0.objectValue?["title"]?.stringValue }
                #expect(titles == ["Review", "From Radicale", "Review", "Review"])

                // New credentials for the same calendar keep what was synced: nothing is written twice.
                let again = try await api.send(
                    .put, "/api/v1/calendar/caldav",
                    json: [
                        "url": .string(calendarURL), "username": .string(RadicaleServer.user),
                        "password": .string(RadicaleServer.password),
                    ],
                    token: token)
                #expect(again.status == .ok)
                let third = try await api.send(.post, "/api/v1/calendar/caldav/sync", token: token)
                #expect(third["pulled"] == 0 && third["pushed"] == 0 && third["updated_locally"] == 0, "\(third.text)")
            }
        }
    }
}
