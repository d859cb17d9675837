import Logging
import ServiceLifecycle

/// Syncs every configured CalDAV account at a fixed interval while the server runs.
///
/// Each node that runs it syncs every account, so a deployment with several nodes should enable it on one of them
/// (the manifest's `sync_interval_seconds`, or `0` to sync only on request).
struct CalDAVSyncService: Service {
    let sync: CalDAVSync
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
                await syncAll()
            }
        }
    }

    /// One round over every account; a failing account is logged (and recorded on the account) and skipped.
    func syncAll() async {
        let owners: [String]
        do {
            owners = try await sync.store.accountOwners()
        } catch {
            logger.warning("CalDAV accounts could not be listed", metadata: ["error": "\(error)"])
            return
        }
        for owner in owners where !Task.isCancelled {
            _ = try? await sync.sync(ownerID: owner)
        }
    }
}
