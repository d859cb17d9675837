import AnvilCore
import NIOPosix

/// The `web_browse` plugin: the tools that read the web, sharing one configuration and one fetcher.
///
/// A plain value for now; conforming it to the plugin protocol will only need an identifier and `tools`.
public struct WebBrowsePlugin: Sendable {
    public static let identifier = "web_browse"

    public let configuration: BrowseConfiguration
    private let fetcher: CurlFetcher

    /// - Parameter threadPool: where libcurl's blocking transfers run.
    public init(configuration: BrowseConfiguration, threadPool: NIOThreadPool = .singleton) {
        self.configuration = configuration
        fetcher = CurlFetcher(configuration: configuration, threadPool: threadPool)
    }

    /// `web_browse` and `web_fetch_text`.
    public var tools: [any Tool] {
        [WebBrowseTool(fetcher: fetcher), WebFetchTextTool(fetcher: fetcher)]
    }
}
