import AnvilCore
import AnvilPluginKit
import NIOPosix

/// The `web_browse` plugin: the tools that read the web, sharing one configuration and one fetcher.
public struct WebBrowsePlugin: ToolPlugin {
    public typealias Configuration = Settings

    public static let id = "web_browse"
    public static let summary = "Reads web pages as text through libcurl, refusing private and loopback addresses."
    /// A little more than libcurl's own 30-second limit, so its clearer timeout message reaches the model first.
    public static var defaultToolLimits: ToolLimits { ToolLimits(timeout: .seconds(35)) }

    public let configuration: BrowseConfiguration
    private let fetcher: CurlFetcher

    /// - Parameter threadPool: where libcurl's blocking transfers run.
    public init(configuration: BrowseConfiguration, threadPool: NIOThreadPool = .singleton) {
        self.configuration = configuration
        fetcher = CurlFetcher(configuration: configuration, threadPool: threadPool)
    }

    /// Creates the plugin from its manifest settings, with `ANVIL_BROWSE_ALLOW` added to the allow-list.
    public init(configuration: Settings, context: PluginContext) throws {
        let configured = BrowseConfiguration(
            allowList: try AllowList(entries: configuration.allow),
            connectTimeout: .milliseconds(Int64(configuration.connectTimeoutSeconds * 1000)),
            totalTimeout: .milliseconds(Int64(configuration.totalTimeoutSeconds * 1000)),
            maxRedirects: configuration.maxRedirects,
            maxBodyBytes: configuration.maxBodyBytes,
            maxOutputCharacters: configuration.maxOutputCharacters,
            userAgent: configuration.userAgent
        )
        self.init(configuration: try BrowseConfiguration(environment: context.environment, configured: configured))
    }

    /// `web_browse` and `web_fetch_text`.
    public var tools: [any Tool] {
        [WebBrowseTool(fetcher: fetcher), WebFetchTextTool(fetcher: fetcher)]
    }

    /// The manifest's `config` block (`manifests/plugins/web_browse.yaml`).
    public struct Settings: Decodable, Sendable {
        /// Hosts and CIDR ranges the SSRF guard lets through.
        public var allow: [String]
        public var connectTimeoutSeconds: Double
        public var totalTimeoutSeconds: Double
        public var maxRedirects: Int
        public var maxBodyBytes: Int
        public var maxOutputCharacters: Int
        public var userAgent: String
    }

    public static var configurationSchema: JSONValue {
        let defaults = BrowseConfiguration()
        return [
            "type": "object",
            "additionalProperties": false,
            "properties": [
                "allow": [
                    "type": "array", "items": ["type": "string", "minLength": 1], "default": [],
                    "description": .string(
                        "Hosts (wiki.internal), addresses (10.0.0.5) and CIDR ranges (10.0.0.0/8) "
                            + "that may be fetched even though they are private or loopback."
                    ),
                ],
                "connect_timeout_seconds": [
                    "type": "number", "exclusiveMinimum": 0, "maximum": 300,
                    "default": .number(Double(defaults.connectTimeout.components.seconds)),
                ],
                "total_timeout_seconds": [
                    "type": "number", "exclusiveMinimum": 0, "maximum": 600,
                    "default": .number(Double(defaults.totalTimeout.components.seconds)),
                ],
                "max_redirects": [
                    "type": "integer", "minimum": 0, "maximum": 20, "default": .integer(Int64(defaults.maxRedirects)),
                ],
                "max_body_bytes": [
                    "type": "integer", "minimum": 1024, "maximum": 104_857_600,
                    "default": .integer(Int64(defaults.maxBodyBytes)),
                ],
                "max_output_characters": [
                    "type": "integer", "minimum": 100, "maximum": 1_000_000,
                    "default": .integer(Int64(defaults.maxOutputCharacters)),
                ],
                "user_agent": ["type": "string", "minLength": 1, "default": .string(defaults.userAgent)],
            ],
        ]
    }
}
