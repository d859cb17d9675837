import AnvilCore
import AnvilStore
import Foundation
import SQLKit

/// The calendar's tables: events, CalDAV accounts and the CalDAV deletions still to send. Every query is scoped
/// to one owner.
public struct EventStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The plugin's migrations; ids are never changed once released.
    static var migrations: [Migration] {
        [
            Migration(id: "calendar.0001_events") { db, types in
                try await db.create(table: "calendar_events")
                    .column("id", type: .text, .primaryKey(autoIncrement: false))
                    .column("owner_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
                    .column("uid", type: .text, .notNull)
                    .column("title", type: .text, .notNull)
                    .column("description", type: .text)
                    .column("location", type: .text)
                    .column("starts_at", type: types.timestamp, .notNull)
                    .column("ends_at", type: types.timestamp, .notNull)
                    .column("time_zone", type: .text, .notNull)
                    .column("all_day", type: types.boolean, .notNull)
                    .column("recurrence", type: .text)
                    .column("exceptions", type: .text, .notNull)
                    .column("remote_href", type: .text)
                    .column("remote_etag", type: .text)
                    .column("needs_push", type: types.boolean, .notNull)
                    .column("created_at", type: types.timestamp, .notNull)
                    .column("updated_at", type: types.timestamp, .notNull)
                    .unique("owner_id", "uid")
                    .run()
                try await db.create(index: "calendar_events_owner_start").on("calendar_events")
                    .column("owner_id").column("starts_at").run()
            },
            Migration(id: "calendar.0002_caldav") { db, types in
                try await db.create(table: "calendar_caldav_accounts")
                    .column(
                        "owner_id", type: .text, .primaryKey(autoIncrement: false),
                        .references("users", "id", onDelete: .cascade)
                    )
                    .column("url", type: .text, .notNull)
                    .column("username", type: .text, .notNull)
                    .column("sealed_password", type: types.bytes, .notNull)
                    .column("last_sync_at", type: types.timestamp)
                    .column("last_error", type: .text)
                    .column("created_at", type: types.timestamp, .notNull)
                    .column("updated_at", type: types.timestamp, .notNull)
                    .run()
                try await db.create(table: "calendar_caldav_deletions")
                    .column("owner_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
                    .column("href", type: .text, .notNull)
                    .primaryKey("owner_id", "href")
                    .run()
            },
        ]
    }

    // MARK: - Events

    /// Stores a new event; a `UID` the owner already uses is a ``CalendarError/duplicateUID(_:)``.
    public func create(
        _ draft: EventDraft, ownerID: String, remote: (href: String, etag: String?)? = nil
    ) async throws -> CalendarEvent {
        let now = Date()
        let event = CalendarEvent(
            id: UUID().uuidString.lowercased(),
            ownerID: ownerID,
            uid: draft.uid ?? "\(UUID().uuidString.lowercased())@anvil",
            title: draft.title,
            description: draft.description,
            location: draft.location,
            start: draft.start,
            end: draft.end,
            timeZone: draft.timeZone,
            allDay: draft.allDay,
            recurrence: draft.recurrence,
            exceptions: draft.exceptions,
            remoteHref: remote?.href,
            remoteETag: remote?.etag,
            needsPush: remote == nil,
            createdAt: now,
            updatedAt: now
        )
        do {
            try await database.withConnection { db in
                try await db.insert(into: "calendar_events").model(try EventRow(event)).run()
            }
        } catch StoreError.conflict {
            throw CalendarError.duplicateUID(event.uid)
        }
        return event
    }

    public func event(id: String, ownerID: String) async throws -> CalendarEvent? {
        try await database.withConnection { db in
            try await db.select().column("*").from("calendar_events")
                .where("id", .equal, id).where("owner_id", .equal, ownerID)
                .first(decoding: EventRow.self)
        }?.event()
    }

    public func event(uid: String, ownerID: String) async throws -> CalendarEvent? {
        try await database.withConnection { db in
            try await db.select().column("*").from("calendar_events")
                .where("uid", .equal, uid).where("owner_id", .equal, ownerID)
                .first(decoding: EventRow.self)
        }?.event()
    }

    /// Writes every field of `event` back, with a new `updated_at`; returns the stored event.
    @discardableResult
    public func update(_ event: CalendarEvent) async throws -> CalendarEvent {
        var updated = event
        updated.updatedAt = Date()
        let row = try EventRow(updated)
        try await database.withConnection { db in
            try await db.update("calendar_events")
                .set("title", to: row.title)
                .set("description", to: row.description)
                .set("location", to: row.location)
                .set("starts_at", to: row.startsAt)
                .set("ends_at", to: row.endsAt)
                .set("time_zone", to: row.timeZone)
                .set("all_day", to: row.allDay)
                .set("recurrence", to: row.recurrence)
                .set("exceptions", to: row.exceptions)
                .set("remote_href", to: row.remoteHref)
                .set("remote_etag", to: row.remoteETag)
                .set("needs_push", to: row.needsPush)
                .set("updated_at", to: row.updatedAt)
                .where("id", .equal, event.id).where("owner_id", .equal, event.ownerID)
                .run()
        }
        return updated
    }

    /// Deletes an event and returns it, or `nil` when the owner has no such event. An event that was on the CalDAV
    /// server is remembered so that the next sync deletes it there too.
    public func delete(id: String, ownerID: String) async throws -> CalendarEvent? {
        try await database.transaction { db in
            guard
                let row = try await db.select().column("*").from("calendar_events")
                    .where("id", .equal, id).where("owner_id", .equal, ownerID)
                    .first(decoding: EventRow.self)
            else { return nil }
            try await db.delete(from: "calendar_events")
                .where("id", .equal, id).where("owner_id", .equal, ownerID).run()
            if let href = row.remoteHref {
                try await db.delete(from: "calendar_caldav_deletions")
                    .where("owner_id", .equal, ownerID).where("href", .equal, href).run()
                try await db.insert(into: "calendar_caldav_deletions").columns("owner_id", "href")
                    .values(SQLBind(ownerID), SQLBind(href)).run()
            }
            return try row.event()
        }
    }

    /// Deletes an event that disappeared from the CalDAV server, without scheduling a remote deletion.
    public func forget(id: String, ownerID: String) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "calendar_events")
                .where("id", .equal, id).where("owner_id", .equal, ownerID).run()
        }
    }

    /// Events that may have an occurrence in `range`: single events overlapping it, and recurring events that
    /// start before its end.
    public func candidates(ownerID: String, overlapping range: Range<Date>) async throws -> [CalendarEvent] {
        try await database.withConnection { db in
            try await db.select().column("*").from("calendar_events")
                .where("owner_id", .equal, ownerID)
                .where("starts_at", .lessThan, range.upperBound)
                .where(group: { group in
                    group.where("recurrence", .isNot, SQLLiteral.null)
                        .orWhere("ends_at", .greaterThan, range.lowerBound)
                        .orWhere("starts_at", .greaterThanOrEqual, range.lowerBound)
                })
                .orderBy("starts_at")
                .all(decoding: EventRow.self)
        }.map { try $0.event() }
    }

    /// Every event of the owner, oldest start first.
    public func all(ownerID: String) async throws -> [CalendarEvent] {
        try await database.withConnection { db in
            try await db.select().column("*").from("calendar_events")
                .where("owner_id", .equal, ownerID)
                .orderBy("starts_at").orderBy("id")
                .all(decoding: EventRow.self)
        }.map { try $0.event() }
    }

    // MARK: - CalDAV

    /// Stores the account. Pointing it at another calendar or user starts over: every event is local-only again
    /// and is written to the new calendar at the next sync; new credentials for the same calendar keep the state.
    public func saveAccount(_ account: CalDAVAccount) async throws {
        try await database.transaction { db in
            let previous = try await db.select().column("*").from("calendar_caldav_accounts")
                .where("owner_id", .equal, account.ownerID)
                .first(decoding: CalDAVAccountRow.self)
            let sameCalendar = previous?.url == account.url && previous?.username == account.username
            try await db.delete(from: "calendar_caldav_accounts").where("owner_id", .equal, account.ownerID).run()
            try await db.insert(into: "calendar_caldav_accounts")
                .columns(
                    "owner_id", "url", "username", "sealed_password", "last_sync_at", "last_error", "created_at",
                    "updated_at"
                )
                .values(
                    SQLBind(account.ownerID), SQLBind(account.url), SQLBind(account.username),
                    SQLBind(account.sealedPassword), SQLBind(account.lastSyncAt), SQLBind(account.lastError),
                    SQLBind(account.updatedAt), SQLBind(account.updatedAt)
                )
                .run()
            guard !sameCalendar else { return }
            try await db.update("calendar_events")
                .set("remote_href", to: String?.none).set("remote_etag", to: String?.none)
                .set("needs_push", to: true)
                .where("owner_id", .equal, account.ownerID).run()
            try await db.delete(from: "calendar_caldav_deletions").where("owner_id", .equal, account.ownerID).run()
        }
    }

    /// The users who have a CalDAV account.
    public func accountOwners() async throws -> [String] {
        try await database.withConnection { db in
            try await db.select().column("owner_id").from("calendar_caldav_accounts").orderBy("owner_id").all()
        }.map { try $0.decode(column: "owner_id", as: String.self) }
    }

    public func account(ownerID: String) async throws -> CalDAVAccount? {
        try await database.withConnection { db in
            try await db.select().column("*").from("calendar_caldav_accounts")
                .where("owner_id", .equal, ownerID)
                .first(decoding: CalDAVAccountRow.self)
        }.map(\.account)
    }

    /// Removes the account; returns whether there was one.
    public func deleteAccount(ownerID: String) async throws -> Bool {
        try await database.transaction { db in
            let existing = try await db.select().column("owner_id").from("calendar_caldav_accounts")
                .where("owner_id", .equal, ownerID).first()
            guard existing != nil else { return false }
            try await db.delete(from: "calendar_caldav_accounts").where("owner_id", .equal, ownerID).run()
            try await db.delete(from: "calendar_caldav_deletions").where("owner_id", .equal, ownerID).run()
            return true
        }
    }

    /// Records the outcome of a sync: its time, and the error when it failed (`nil` clears the last one).
    public func recordSync(ownerID: String, at date: Date, error: String?) async throws {
        try await database.withConnection { db in
            try await db.update("calendar_caldav_accounts")
                .set("last_sync_at", to: SQLBind(date)).set("last_error", to: SQLBind(error))
                .where("owner_id", .equal, ownerID).run()
        }
    }

    public func pendingDeletions(ownerID: String) async throws -> [String] {
        try await database.withConnection { db in
            try await db.select().column("href").from("calendar_caldav_deletions")
                .where("owner_id", .equal, ownerID).all()
        }.map { try $0.decode(column: "href", as: String.self) }
    }

    public func clearDeletion(ownerID: String, href: String) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "calendar_caldav_deletions")
                .where("owner_id", .equal, ownerID).where("href", .equal, href).run()
        }
    }
}

/// A CalDAV server a user syncs with; the password is sealed with the server's key.
public struct CalDAVAccount: Sendable, Hashable {
    public var ownerID: String
    /// The calendar collection's URL.
    public var url: String
    public var username: String
    public var sealedPassword: Data
    public var lastSyncAt: Date?
    public var lastError: String?
    public var updatedAt: Date
}

struct CalDAVAccountRow: Codable, Sendable {
    var ownerID: String
    var url: String
    var username: String
    var sealedPassword: Data
    var lastSyncAt: Date?
    var lastError: String?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case url, username
        case ownerID = "owner_id"
        case sealedPassword = "sealed_password"
        case lastSyncAt = "last_sync_at"
        case lastError = "last_error"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    var account: CalDAVAccount {
        CalDAVAccount(
            ownerID: ownerID, url: url, username: username, sealedPassword: sealedPassword, lastSyncAt: lastSyncAt,
            lastError: lastError, updatedAt: updatedAt)
    }
}

struct EventRow: Codable, Sendable {
    var id: String
    var ownerID: String
    var uid: String
    var title: String
    var description: String?
    var location: String?
    var startsAt: Date
    var endsAt: Date
    var timeZone: String
    var allDay: Bool
    var recurrence: String?
    /// Seconds since 1970 as a JSON array.
    var exceptions: String
    var remoteHref: String?
    var remoteETag: String?
    var needsPush: Bool
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, uid, title, description, location, recurrence, exceptions
        case ownerID = "owner_id"
        case startsAt = "starts_at"
        case endsAt = "ends_at"
        case timeZone = "time_zone"
        case allDay = "all_day"
        case remoteHref = "remote_href"
        case remoteETag = "remote_etag"
        case needsPush = "needs_push"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    init(_ event: CalendarEvent) throws {
        id = event.id
        ownerID = event.ownerID
        uid = event.uid
        title = event.title
        description = event.description
        location = event.location
        startsAt = event.start
        endsAt = event.end
        timeZone = event.timeZone
        allDay = event.allDay
        recurrence = event.recurrence
        exceptions = String(
            decoding: try JSONEncoder().encode(event.exceptions.map(\.timeIntervalSince1970)), as: UTF8.self)
        remoteHref = event.remoteHref
        remoteETag = event.remoteETag
        needsPush = event.needsPush
        createdAt = event.createdAt
        updatedAt = event.updatedAt
    }

    func event() throws -> CalendarEvent {
        let seconds: [Double]
        do {
            seconds = try JSONDecoder().decode([Double].self, from: Data(exceptions.utf8))
        } catch {
            throw StoreError.corruptData("calendar_events.exceptions is not a JSON array of numbers")
        }
        return CalendarEvent(
            id: id, ownerID: ownerID, uid: uid, title: title, description: description, location: location,
            start: startsAt, end: endsAt, timeZone: timeZone, allDay: allDay, recurrence: recurrence,
            exceptions: seconds.map { Date(timeIntervalSince1970: $0) }, remoteHref: remoteHref,
            remoteETag: remoteETag, needsPush: needsPush, createdAt: createdAt, updatedAt: updatedAt)
    }
}
