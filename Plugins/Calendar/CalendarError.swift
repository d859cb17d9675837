import AnvilPluginKit
import Foundation

/// What can go wrong in the calendar, with the context a client or a model needs to fix it.
public enum CalendarError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A field of an event is invalid; `field` is named as the API spells it.
    case invalidField(field: String, message: String)
    /// The owner already has an event with this iCalendar UID.
    case duplicateUID(String)
    case eventNotFound(String)
    /// CalDAV sync was asked for but the user has not configured a server.
    case calDAVNotConfigured
    /// The CalDAV server's address is one the server refuses to connect to.
    case refusedAddress(host: String, reason: String)
    /// The CalDAV server failed or answered something unusable.
    case calDAV(String)

    public var description: String {
        switch self {
        case .invalidField(let field, let message): "\(field): \(message)"
        case .duplicateUID(let uid): "an event with UID '\(uid)' already exists"
        case .eventNotFound(let id): "no event with id '\(id)'"
        case .calDAVNotConfigured: "no CalDAV server is configured; PUT /api/v1/calendar/caldav first"
        case .refusedAddress(let host, let reason):
            "refusing to connect to '\(host)': \(reason); set allow_private in manifests/plugins/calendar.yaml "
                + "or ANVIL_CALDAV_ALLOW_PRIVATE=1 for a server on this machine or network"
        case .calDAV(let message): "CalDAV: \(message)"
        }
    }

    /// The one API error shape for this error.
    var apiError: APIError {
        switch self {
        case .invalidField(let field, let message): .invalidField(field, "\(field): \(message)")
        case .duplicateUID: .conflict(description)
        case .eventNotFound: .notFound("Event")
        case .calDAVNotConfigured: .notFound("CalDAV account")
        case .refusedAddress: .invalidField("url", description)
        case .calDAV(let message):
            APIError(status: .badGateway, code: "caldav_error", message: "The CalDAV server failed: \(message)")
        }
    }
}
