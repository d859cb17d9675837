import AnvilPluginKit
import Foundation
import Hummingbird

/// The REST resource under `/api/v1/calendar`: events, iCalendar import and export, and the CalDAV account.
struct CalendarRoutes: Sendable {
    let service: CalendarService
    let sync: CalDAVSync

    /// The default list range when `from` or `to` is left out.
    static let defaultRangeDays = 30

    func add(to routes: RouterGroup<AnvilRequestContext>) {
        let calendar = routes.group("calendar")
        calendar.post("events") { request, context in try await mapped { try await create(request, context) } }
        calendar.get("events") { request, context in try await mapped { try await list(request, context) } }
        calendar.get("events/:id") { request, context in try await mapped { try await get(request, context) } }
        calendar.patch("events/:id") { request, context in try await mapped { try await update(request, context) } }
        calendar.delete("events/:id") { request, context in try await mapped { try await delete(request, context) } }
        calendar.get("export.ics") { request, context in try await mapped { try await export(request, context) } }
        calendar.post("import") { request, context in try await mapped { try await importICS(request, context) } }
        calendar.put("caldav") { request, context in try await mapped { try await configure(request, context) } }
        calendar.get("caldav") { request, context in try await mapped { try await status(request, context) } }
        calendar.delete("caldav") { request, context in try await mapped { try await removeAccount(request, context) } }
        calendar.post("caldav/sync") { request, context in try await mapped { try await runSync(request, context) } }
    }

    /// Turns calendar errors into the API's error shape.
    private func mapped<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as CalendarError {
            throw error.apiError
        }
    }

    // MARK: - Events

    struct CreateEventRequest: Decodable {
        var uid: String?
        var title: String
        var description: String?
        var location: String?
        var start: String
        var end: String?
        var timeZone: String?
        var allDay: Bool?
        var rrule: String?
        var exdates: [String]?

        enum CodingKeys: String, CodingKey {
            case uid, title, description, location, start, end, rrule, exdates
            case timeZone = "time_zone"
            case allDay = "all_day"
        }

        var input: EventInput {
            EventInput(
                uid: uid, title: title, description: description, location: location, start: start, end: end,
                timeZone: timeZone ?? "UTC", allDay: allDay ?? false, recurrence: rrule, exceptions: exdates ?? [])
        }
    }

    private func create(_ request: Request, _ context: AnvilRequestContext) async throws -> JSONResponse<
        EventRepresentation
    > {
        let user = try context.requireUser()
        let body = try await request.decodeJSON(as: CreateEventRequest.self, context: context)
        let event = try await service.create(body.input, ownerID: user.id)
        return JSONResponse(status: .created, EventRepresentation(event))
    }

    private func list(_ request: Request, _ context: AnvilRequestContext) async throws -> JSONResponse<OccurrencePage> {
        let user = try context.requireUser()
        let page = try request.pageRequest()
        let from = try Self.dateParameter("from", request)
        let to = try Self.dateParameter("to", request)
        let span = Double(Self.defaultRangeDays) * 86400
        let start = from ?? to?.addingTimeInterval(-span) ?? Date()
        let end = to ?? start.addingTimeInterval(span)
        let range: Range<Date>
        do {
            range = try CalendarService.checkRange(from: start, to: end)
        } catch {
            throw APIError.invalidQuery("to", error.description)
        }
        let (items, truncated) = try await service.occurrences(ownerID: user.id, in: range)
        let slice = items.dropFirst(page.offset).prefix(page.limit)
        return JSONResponse(
            OccurrencePage(
                data: slice.map(OccurrenceRepresentation.init), total: items.count, limit: page.limit,
                offset: page.offset, from: range.lowerBound, to: range.upperBound, truncated: truncated))
    }

    /// An RFC 3339 date-time query parameter.
    static func dateParameter(_ name: String, _ request: Request) throws -> Date? {
        guard let text = request.uri.queryParameters[Substring(name)] else { return nil }
        let value = String(text)
        for style in [APIJSON.timestampStyle, Date.ISO8601FormatStyle()] {
            if let date = try? style.parse(value), abs(date.timeIntervalSince1970) < 253_402_300_799 { return date }
        }
        throw APIError.invalidQuery(
            name, "Query parameter '\(name)' must be an ISO 8601 date-time such as 2026-12-01T00:00:00Z.")
    }

    private func get(_ request: Request, _ context: AnvilRequestContext) async throws -> JSONResponse<
        EventRepresentation
    > {
        let user = try context.requireUser()
        let id = try context.pathParameter("id")
        guard let event = try await service.store.event(id: id, ownerID: user.id) else {
            throw APIError.notFound("Event")
        }
        return JSONResponse(EventRepresentation(event))
    }

    struct UpdateEventRequest: Decodable {
        var changes: CalendarService.Changes

        enum CodingKeys: String, CodingKey {
            case title, description, location, start, end, rrule, exdates
            case timeZone = "time_zone"
            case allDay = "all_day"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            changes = CalendarService.Changes(
                title: try container.decodeNonNullUpdate(String.self, forKey: .title),
                description: try container.decodeUpdate(String.self, forKey: .description),
                location: try container.decodeUpdate(String.self, forKey: .location),
                start: try container.decodeNonNullUpdate(String.self, forKey: .start),
                end: try container.decodeNonNullUpdate(String.self, forKey: .end),
                timeZone: try container.decodeNonNullUpdate(String.self, forKey: .timeZone),
                allDay: try container.decodeNonNullUpdate(Bool.self, forKey: .allDay),
                recurrence: try container.decodeUpdate(String.self, forKey: .rrule),
                exceptions: try container.decodeNonNullUpdate([String].self, forKey: .exdates)
            )
        }
    }

    private func update(_ request: Request, _ context: AnvilRequestContext) async throws -> JSONResponse<
        EventRepresentation
    > {
        let user = try context.requireUser()
        let id = try context.pathParameter("id")
        let body = try await request.decodeJSON(as: UpdateEventRequest.self, context: context)
        let event = try await service.update(id: id, ownerID: user.id, changes: body.changes)
        return JSONResponse(EventRepresentation(event))
    }

    private func delete(_ request: Request, _ context: AnvilRequestContext) async throws -> HTTPResponse.Status {
        let user = try context.requireUser()
        let id = try context.pathParameter("id")
        guard try await service.delete(id: id, ownerID: user.id) != nil else { throw APIError.notFound("Event") }
        return .noContent
    }

    // MARK: - iCalendar

    private func export(_ request: Request, _ context: AnvilRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let text = try await service.export(ownerID: user.id)
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/calendar; charset=utf-8",
                .contentDisposition: "attachment; filename=\"calendar.ics\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }

    struct ImportRequest: Decodable {
        var ics: String
        var timeZone: String?

        enum CodingKeys: String, CodingKey {
            case ics
            case timeZone = "time_zone"
        }
    }

    private func importICS(_ request: Request, _ context: AnvilRequestContext) async throws -> JSONResponse<
        ImportRepresentation
    > {
        let user = try context.requireUser()
        var zoneName = request.uri.queryParameters["time_zone"].map(String.init)
        let text: String
        if request.headers[.contentType]?.lowercased().contains("json") == true {
            let body = try await request.decodeJSON(as: ImportRequest.self, context: context)
            text = body.ics
            zoneName = body.timeZone ?? zoneName
        } else {
            var request = request
            let buffer: ByteBuffer
            do {
                buffer = try await request.collectBody(upTo: context.maxUploadSize)
            } catch let error as HTTPError where error.status == .contentTooLarge {
                throw APIError.payloadTooLarge(limit: context.maxUploadSize)
            }
            guard let decoded = String(validating: buffer.readableBytesView, as: UTF8.self) else {
                throw APIError.invalidRequest("The iCalendar text must be UTF-8.")
            }
            text = decoded
        }
        let zone = try EventInput.zone(named: zoneName ?? "UTC")
        let report = try await service.importCalendar(text, ownerID: user.id, floatingZone: zone)
        return JSONResponse(ImportRepresentation(report))
    }

    // MARK: - CalDAV

    struct ConfigureRequest: Decodable {
        var url: String
        var username: String
        var password: String
    }

    private func configure(_ request: Request, _ context: AnvilRequestContext) async throws -> JSONResponse<
        CalDAVStatusRepresentation
    > {
        let user = try context.requireUser()
        let body = try await request.decodeJSON(as: ConfigureRequest.self, context: context)
        guard body.url.unicodeScalars.count <= 2000 else {
            throw APIError.invalidField("url", "url must be at most 2000 characters.")
        }
        guard body.username.unicodeScalars.count <= 200 else {
            throw APIError.invalidField("username", "username must be at most 200 characters.")
        }
        guard body.password.unicodeScalars.count <= 1000 else {
            throw APIError.invalidField("password", "password must be at most 1000 characters.")
        }
        let account = try await sync.configure(
            ownerID: user.id, url: body.url, username: body.username, password: body.password)
        return JSONResponse(CalDAVStatusRepresentation(account))
    }

    private func status(_ request: Request, _ context: AnvilRequestContext) async throws -> JSONResponse<
        CalDAVStatusRepresentation
    > {
        let user = try context.requireUser()
        guard let account = try await service.store.account(ownerID: user.id) else {
            throw CalendarError.calDAVNotConfigured
        }
        return JSONResponse(CalDAVStatusRepresentation(account))
    }

    private func removeAccount(_ request: Request, _ context: AnvilRequestContext) async throws
        -> HTTPResponse.Status
    {
        let user = try context.requireUser()
        guard try await service.store.deleteAccount(ownerID: user.id) else { throw CalendarError.calDAVNotConfigured }
        return .noContent
    }

    struct SyncRepresentation: Encodable, Sendable {
        struct Skip: Encodable, Sendable {
            var href: String
            var reason: String
        }

        var pulled: Int
        var updatedLocally: Int
        var deletedLocally: Int
        var pushed: Int
        var deletedRemotely: Int
        var skipped: [Skip]

        enum CodingKeys: String, CodingKey {
            case pulled, pushed, skipped
            case updatedLocally = "updated_locally"
            case deletedLocally = "deleted_locally"
            case deletedRemotely = "deleted_remotely"
        }
    }

    private func runSync(_ request: Request, _ context: AnvilRequestContext) async throws -> JSONResponse<
        SyncRepresentation
    > {
        let user = try context.requireUser()
        let report = try await sync.sync(ownerID: user.id)
        return JSONResponse(
            SyncRepresentation(
                pulled: report.pulled, updatedLocally: report.updatedLocally, deletedLocally: report.deletedLocally,
                pushed: report.pushed, deletedRemotely: report.deletedRemotely,
                skipped: report.skipped.map { .init(href: $0.href, reason: $0.reason) }))
    }
}
