import AnvilCore
import AnvilPluginKit
import AnvilStore
import Hummingbird
import Logging
import ServiceLifecycle

/// The `calendar` plugin: per-user events with time zones and recurrence, iCalendar import and export, a CalDAV
/// backend, and the tools `list_events`, `create_event`, `update_event`, `delete_event` and `find_free_time`.
public struct CalendarPlugin: ToolPlugin {
    public static let id = "calendar"
    public static let summary = "Events with time zones and recurrence, iCalendar import/export and CalDAV sync."

    /// The manifest's `config` block (`manifests/plugins/calendar.yaml`).
    public struct Configuration: Decodable, Sendable {
        /// Whether CalDAV servers on loopback, private or link-local addresses may be used.
        public var allowPrivate: Bool
        /// How often every CalDAV account is synced in the background; `0` syncs only on request.
        public var syncIntervalSeconds: Int

        public init(allowPrivate: Bool = false, syncIntervalSeconds: Int = 0) {
            self.allowPrivate = allowPrivate
            self.syncIntervalSeconds = syncIntervalSeconds
        }
    }

    public static var configurationSchema: JSONValue {
        [
            "type": "object",
            "additionalProperties": false,
            "properties": [
                "allow_private": [
                    "type": "boolean", "default": false,
                    "description": """
                    Allow CalDAV servers on loopback, private and link-local addresses (a server on this \
                    machine or the local network). ANVIL_CALDAV_ALLOW_PRIVATE=1 does the same.
                    """,
                ],
                "sync_interval_seconds": [
                    "type": "integer", "minimum": 0, "maximum": 86400, "default": 0,
                    "description": """
                    Sync every CalDAV account this often in the background (at least 60 seconds); 0 syncs only \
                    when POST /api/v1/calendar/caldav/sync is called.
                    """,
                ],
            ],
        ]
    }

    public static var migrations: [Migration] { EventStore.migrations }

    public let service: CalendarService
    public let sync: CalDAVSync
    private let syncInterval: Duration?
    private let logger: Logger

    public init(configuration: Configuration, context: PluginContext) {
        let flag = context.environment["ANVIL_CALDAV_ALLOW_PRIVATE"]?.lowercased()
        let allowPrivate = configuration.allowPrivate || flag == "1" || flag == "true" || flag == "yes"
        service = CalendarService(store: EventStore(database: context.database))
        sync = CalDAVSync(
            service: service, secretBox: context.secretBox, allowPrivate: allowPrivate, logger: context.logger)
        syncInterval =
            configuration.syncIntervalSeconds > 0 ? .seconds(max(60, configuration.syncIntervalSeconds)) : nil
        logger = context.logger
    }

    public var tools: [any Tool] {
        let support = CalendarToolSupport(service: service)
        return [
            ListEventsTool(support: support),
            CreateEventTool(support: support),
            UpdateEventTool(support: support),
            DeleteEventTool(support: support),
            FindFreeTimeTool(support: support),
        ]
    }

    public func addRoutes(to routes: RouterGroup<AnvilRequestContext>) {
        CalendarRoutes(service: service, sync: sync).add(to: routes)
    }

    public var api: PluginAPI { CalendarAPI.description }

    /// The background sync, when the manifest sets an interval.
    public var services: [any Service] {
        guard let syncInterval else { return [] }
        return [CalDAVSyncService(sync: sync, interval: syncInterval, logger: logger)]
    }
}
