import AnvilCore

/// `web_browse`: opens a web page and returns its title, readable text and links, for a model that needs to read
/// or navigate the web.
public struct WebBrowseTool: Tool {
    public let spec: ToolSpec
    private let fetcher: CurlFetcher
    private let extractor = HTMLTextExtractor()

    public init(fetcher: CurlFetcher) {
        self.fetcher = fetcher
        spec = ToolSpec(
            name: "web_browse",
            description: "Open a web page (http or https) and read it: returns the page's title, its readable text "
                + "and its links. Use it to read an article, check a fact on a site or follow links.",
            parameters: FetchArguments.schema(
                urlDescription: "The http or https URL of the page to open.",
                defaultCharacters: fetcher.configuration.maxOutputCharacters
            )
        )
    }

    /// Fetches the page and returns its text and links, or the body as it is when it is text but not HTML.
    public func call(arguments: [String: JSONValue], context: ToolContext) async throws -> ToolOutput {
        let request = try FetchArguments(arguments, configuration: fetcher.configuration)
        let result = try await fetcher.fetch(request.url, logger: context.logger)
        let document = try FetchedDocument(result)
        let bodyLimit = fetcher.configuration.maxBodyBytes
        let report: PageReport
        if document.mediaType.isHTML {
            let page = extractor.extract(
                html: result.body, charset: document.mediaType.charset, baseURL: result.finalURL)
            report = PageReport(
                header: document.header(title: page.title ?? "(none)", bodyLimit: bodyLimit),
                text: page.text,
                links: page.links
            )
        } else {
            report = PageReport(header: document.header(bodyLimit: bodyLimit), text: document.text())
        }
        return ToolOutput(content: report.rendered(maxCharacters: request.maxCharacters))
    }
}

/// `web_fetch_text`: the raw text of a URL (a JSON API, a Markdown or plain-text file, an HTML page's source),
/// with the same safety rules as `web_browse` but no conversion.
public struct WebFetchTextTool: Tool {
    public let spec: ToolSpec
    private let fetcher: CurlFetcher

    public init(fetcher: CurlFetcher) {
        self.fetcher = fetcher
        spec = ToolSpec(
            name: "web_fetch_text",
            description: "Fetch the raw text of a URL (http or https) without converting it: JSON, plain text, "
                + "Markdown, CSV, XML or HTML source. Use web_browse to read a web page instead.",
            parameters: FetchArguments.schema(
                urlDescription: "The http or https URL to fetch.",
                defaultCharacters: fetcher.configuration.maxOutputCharacters
            )
        )
    }

    /// Fetches the URL and returns its body as text, unconverted.
    public func call(arguments: [String: JSONValue], context: ToolContext) async throws -> ToolOutput {
        let request = try FetchArguments(arguments, configuration: fetcher.configuration)
        let result = try await fetcher.fetch(request.url, logger: context.logger)
        let document = try FetchedDocument(result)
        let header = document.header(bodyLimit: fetcher.configuration.maxBodyBytes)
        let report = PageReport(header: header, text: document.text())
        return ToolOutput(content: report.rendered(maxCharacters: request.maxCharacters))
    }
}
