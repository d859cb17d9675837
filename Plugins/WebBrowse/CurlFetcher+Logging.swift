import Logging

extension CurlFetcher {
    /// `fetch(_:)`, logged: each fetch at debug level, and refusals by the SSRF guard at notice level, because a
    /// model asking for internal addresses usually means a page it read is trying to steer it.
    func fetch(_ url: String, logger: Logger) async throws -> FetchResult {
        let started = ContinuousClock.now
        do {
            let result = try await fetch(url)
            logger.debug(
                "web_browse fetched",
                metadata: [
                    "url": "\(Self.withoutQuery(result.finalURL))", "status": "\(result.status)",
                    "bytes": "\(result.body.count)",
                    "redirects": "\(result.redirectChain.count)", "duration": "\(started.duration(to: .now))",
                ])
            return result
        } catch let error as BrowseError {
            if case .blockedAddress(let host, let address, let reason) = error {
                logger.notice(
                    "web_browse refused an address",
                    metadata: [
                        "url": "\(Self.withoutQuery(url))", "host": "\(host)", "address": "\(address)",
                        "reason": "\(reason.rawValue)",
                    ])
            } else {
                logger.debug("web_browse failed", metadata: ["url": "\(Self.withoutQuery(url))", "error": "\(error)"])
            }
            throw error
        }
    }

    /// The URL up to its query, which may carry tokens that must not reach the logs.
    private static func withoutQuery(_ url: String) -> Substring {
        url.prefix { $0 != "?" && $0 != "#" }
    }
}
