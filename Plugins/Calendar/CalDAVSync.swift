import AnvilStore
import AsyncHTTPClient
import Foundation
import Logging

/// Keeps a user's events and their CalDAV calendar in step, both ways.
///
/// One sync: deletions made here are sent to the server; the server's events are read and stored by UID (new and
/// changed ones), and events that were synced before but are gone from the server are deleted here; then every
/// event changed here since the last sync is written to the server. When an event changed on both sides since the
/// last sync, the change made here wins.
public struct CalDAVSync: Sendable {
    let service: CalendarService
    let secretBox: SecretBox
    let allowPrivate: Bool
    let logger: Logger

    public init(service: CalendarService, secretBox: SecretBox, allowPrivate: Bool, logger: Logger) {
        self.service = service
        self.secretBox = secretBox
        self.allowPrivate = allowPrivate
        self.logger = logger
    }

    var store: EventStore { service.store }

    static func secretContext(ownerID: String) -> String { "calendar.caldav:\(ownerID)" }

    /// What one sync did.
    public struct Report: Sendable, Hashable {
        public var pulled = 0
        public var updatedLocally = 0
        public var deletedLocally = 0
        public var pushed = 0
        public var deletedRemotely = 0
        public var skipped: [Skip] = []

        /// A server resource that could not be read as an event.
        public struct Skip: Sendable, Hashable {
            public var href: String
            public var reason: String
        }
    }

    /// Stores the account after checking its URL; the password is sealed and never shown again.
    public func configure(ownerID: String, url: String, username: String, password: String) async throws
        -> CalDAVAccount
    {
        let checked = try await CalDAVClient.checkedURL(url, allowPrivate: allowPrivate)
        let account = CalDAVAccount(
            ownerID: ownerID,
            url: checked.absoluteString,
            username: username,
            sealedPassword: try secretBox.seal(password, context: Self.secretContext(ownerID: ownerID)),
            lastSyncAt: nil,
            lastError: nil,
            updatedAt: Date()
        )
        try await store.saveAccount(account)
        return account
    }

    /// Runs one sync for `ownerID`, recording its time and outcome on the account.
    public func sync(ownerID: String) async throws -> Report {
        guard let account = try await store.account(ownerID: ownerID) else { throw CalendarError.calDAVNotConfigured }
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(30))
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let password: String
            do {
                password = try secretBox.open(account.sealedPassword, context: Self.secretContext(ownerID: ownerID))
            } catch {
                throw CalendarError.calDAV("the stored password cannot be read; configure the account again")
            }
            let client = CalDAVClient(
                calendarURL: try await CalDAVClient.checkedURL(account.url, allowPrivate: allowPrivate),
                username: account.username,
                password: password,
                httpClient: httpClient
            )
            let report = try await sync(ownerID: ownerID, client: client)
            try await store.recordSync(ownerID: ownerID, at: Date(), error: nil)
            try await httpClient.shutdown()
            return report
        } catch {
            try? await httpClient.shutdown()
            let message = (error as? CalendarError)?.description ?? "\(error)"
            logger.warning("CalDAV sync failed", metadata: ["owner": "\(ownerID)", "error": "\(message)"])
            try? await store.recordSync(ownerID: ownerID, at: Date(), error: message)
            throw error
        }
    }

    private func sync(ownerID: String, client: CalDAVClient) async throws -> Report {
        var report = Report()
        for href in try await store.pendingDeletions(ownerID: ownerID) {
            try await client.delete(href: href)
            try await store.clearDeletion(ownerID: ownerID, href: href)
            report.deletedRemotely += 1
        }

        let remote = try await client.list()
        var local = try await store.all(ownerID: ownerID)
        for item in remote {
            let entries: [ICalendarImport.Entry]
            do {
                entries = try ICalendarImport.entries(in: item.data, floatingZone: .gmt)
            } catch {
                report.skipped.append(.init(href: item.href, reason: error.description))
                continue
            }
            guard
                let draft = entries.lazy.compactMap({ entry -> EventDraft? in
                    if case .event(let draft) = entry { return draft }
                    return nil
                }).first
            else {
                let reason = entries.lazy.compactMap { entry -> String? in
                    if case .skipped(_, let reason) = entry { return reason }
                    return nil
                }.first
                report.skipped.append(.init(href: item.href, reason: reason ?? "no VEVENT"))
                continue
            }
            let existing = local.first { $0.remoteHref == item.href || $0.uid == draft.uid }
            if var existing {
                if existing.needsPush {
                    // The change made here wins; it overwrites the server's copy rather than adding a second one.
                    if existing.remoteHref == nil {
                        existing.remoteHref = item.href
                        existing.remoteETag = item.etag
                        try await store.update(existing)
                    }
                    continue
                }
                if existing.remoteHref == item.href, existing.remoteETag == item.etag, item.etag != nil { continue }
            }
            let (_, outcome) = try await service.upsert(draft, ownerID: ownerID, remote: (item.href, item.etag))
            switch outcome {
            case .imported: report.pulled += 1
            case .updated: report.updatedLocally += 1
            case .skipped: break
            }
        }

        let remoteHrefs = Set(remote.map(\.href))
        local = try await store.all(ownerID: ownerID)
        for event in local {
            guard let href = event.remoteHref, !remoteHrefs.contains(href), !event.needsPush else { continue }
            try await store.forget(id: event.id, ownerID: ownerID)
            report.deletedLocally += 1
        }

        for var event in try await store.all(ownerID: ownerID) where event.needsPush || event.remoteHref == nil {
            let href = event.remoteHref ?? client.href(for: event)
            let etag = try await client.put(href: href, ics: ICalendarWriter.calendar([event]))
            event.remoteHref = href
            event.remoteETag = etag
            event.needsPush = false
            try await store.update(event)
            report.pushed += 1
        }
        return report
    }
}
