import AnvilCore
import Hummingbird
import Testing

@testable import WebBrowse

/// The tools end to end over real sockets: a fixture server on 127.0.0.1, allow-listed where a test needs to reach
/// it. Nothing outside 127.0.0.0/8 and ::1 is ever contacted.
@Suite("web_browse tools")
struct WebBrowseToolTests {
    // MARK: Readable pages

    @Test func articleReadsAsTextWithoutBoilerplateOrHiddenContent() async throws {
        let (output, port) = try await FixtureServer.run(configure: Self.routes) { port in
            (try await browse("http://127.0.0.1:\(port)/articles/rust-2"), port)
        }

        let site = "http://127.0.0.1:\(port)"
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(
            Array(lines.prefix(5)) == [
                "URL: \(site)/articles/rust-2",
                "Content-Type: text/html; charset=utf-8",
                "Status: 200",
                "Title: Rust 2.0 & the borrow checker — Example News",
                "",
            ])

        let expectedText = """
            Technology

            # Rust 2.0 & the borrow checker

            By Jane Doe, 12 March 2025

            The new release makes the borrow checker smarter and faster. Read the release notes.

            ## What changed

            - Faster compile times
            - Better error messages
              - with suggestions

            Version\tReleased
            1.0\t2015
            2.0\t2025

            fn main() {
                println!("hi");
            }

            Line one
            Line two

            © 2025 Example News
            """
        #expect(output.contains(expectedText))
        for hidden in [
            "tracking-code", "Subscribe", "Decorative", "Hidden teaser", "Invisible", "enable JavaScript",
            "Template row", "Share icon", "Ad frame", "injected", "font-family",
        ] {
            #expect(!output.contains(hidden), "\(hidden) should not be read")
        }
        // The navigation bar's text is left out, its links are not.
        #expect(!output.contains("Home | World"))
        #expect(
            output.components(after: "\n\nLinks:\n") == """
                - [Home](\(site)/)
                - [World](\(site)/world)
                - [Technology](\(site)/tech)
                - [Jane Doe](\(site)/authors/jane)
                - [release notes](https://blog.rust-lang.org/release)
                """)
    }

    @Test func relativeLinksResolveAgainstTheFinalURL() async throws {
        let (output, port) = try await FixtureServer.run(configure: Self.routes) { port in
            (try await browse("http://127.0.0.1:\(port)/docs/guide/index.html"), port)
        }

        let links = output.components(after: "\n\nLinks:\n")
        let site = "http://127.0.0.1:\(port)"
        #expect(
            links == """
                - [introduction](\(site)/docs/guide/intro.html)
                - [API reference](\(site)/docs/api/reference.html)
                - [About us](\(site)/about)
                - [Next page](\(site)/docs/guide/index.html?page=2)
                - [Mirror](http://cdn.example.org/file.txt)
                - [Elsewhere](https://other.example/)
                - [Mail us](mailto:team@example.com)
                - [Image gallery](\(site)/docs/guide/images/)
                - [Chapter 2](\(site)/docs/guide/chapter%202.html)
                """)
        #expect(output.contains("Title: Guide"))
        #expect(output.contains("Jump to install Do nothing Mail us"))
    }

    @Test(arguments: [false, true])
    func latin1PageDecodes(declaredInMeta: Bool) async throws {
        let output = try await FixtureServer.run(configure: Self.routes) { port in
            try await browse("http://127.0.0.1:\(port)/\(declaredInMeta ? "latin1-meta" : "latin1")")
        }

        #expect(output.contains("Title: Menu du café"))
        #expect(output.contains("# Café crème\n\nCrème brûlée à la carte : 4,50 EUR."))
        #expect(!output.contains("\u{FFFD}"))
    }

    @Test func longPagesAreCutToTheRequestedSizeAndSaySo() async throws {
        let output = try await FixtureServer.run(configure: Self.routes) { port in
            try await browse("http://127.0.0.1:\(port)/articles/rust-2", maxCharacters: 500)
        }

        #expect(output.count <= 500)
        #expect(output.contains("[Text cut after "))
        #expect(output.contains("\n\nLinks:\n- [Home]("))
    }

    // MARK: Other text

    @Test func plainTextAndJSONPassThroughUnchanged() async throws {
        let (text, json, browsedJSON) = try await FixtureServer.run(configure: Self.routes) { port in
            (
                try await fetchText("http://127.0.0.1:\(port)/notes.txt"),
                try await fetchText("http://127.0.0.1:\(port)/data.json"),
                try await browse("http://127.0.0.1:\(port)/data.json")
            )
        }

        #expect(text.hasPrefix("URL: http://127.0.0.1:"))
        #expect(text.contains("\nContent-Type: text/plain; charset=utf-8\nStatus: 200\n\n"))
        #expect(text.hasSuffix("\n\n" + Self.notes))
        #expect(json.contains("\nContent-Type: application/json\n"))
        #expect(json.hasSuffix("\n\n" + Self.json))
        #expect(browsedJSON.hasSuffix("\n\n" + Self.json))
        #expect(!browsedJSON.contains("Links:"))
    }

    @Test func htmlSourceIsRawForFetchText() async throws {
        let output = try await FixtureServer.run(configure: Self.routes) { port in
            try await fetchText("http://127.0.0.1:\(port)/docs/guide/index.html")
        }
        #expect(output.contains(#"<a href="intro.html">introduction</a>"#))
    }

    @Test func binaryContentIsRefused() async throws {
        let log = RequestLog()
        let error = try await FixtureServer.run(log: log, configure: Self.routes) { port in
            await #expect(throws: BrowseError.self) {
                try await browse("http://127.0.0.1:\(port)/logo.png")
            }
        }
        #expect(error == .binaryContent(type: "image/png"))
        #expect(
            error?.description
                == "The URL points to image/png content, not text or HTML, so it cannot be read as a page.")
        #expect(await log.paths == ["/logo.png"])
    }

    @Test func bodiesLongerThanTheCapAreCut() async throws {
        var configuration = try Self.configuration()
        configuration.maxBodyBytes = 64 * 1024
        let fetcher = CurlFetcher(configuration: configuration)
        let (result, output) = try await FixtureServer.run(configure: Self.routes) { port in
            (
                try await fetcher.fetch("http://127.0.0.1:\(port)/big.txt"),
                try await fetchText("http://127.0.0.1:\(port)/big.txt", configuration: configuration)
            )
        }

        #expect(result.isTruncated)
        #expect(result.body.count == 64 * 1024)
        #expect(result.body.starts(with: Array(Self.bigText.utf8.prefix(64 * 1024))))
        #expect(output.contains("\nNote: the body is longer than 65536 bytes; only the first 65536 were read.\n"))
    }

    @Test func errorStatusesAreReported() async throws {
        let error = try await FixtureServer.run(configure: Self.routes) { port in
            await #expect(throws: BrowseError.self) {
                try await browse("http://127.0.0.1:\(port)/missing")
            }
        }
        guard case .http(404, let url) = error else {
            Issue.record("expected a 404, got \(String(describing: error))")
            return
        }
        #expect(url.hasSuffix("/missing"))
        #expect(error?.description.hasPrefix("The server answered 404 (not found) for http://127.0.0.1:") == true)
    }

    // MARK: Redirects

    @Test func redirectsAreFollowedAndRecorded() async throws {
        let fetcher = CurlFetcher(configuration: try Self.configuration())
        let (result, output, port) = try await FixtureServer.run(configure: Self.routes) { port in
            (
                try await fetcher.fetch("http://127.0.0.1:\(port)/redirect/3"),
                try await fetchText("http://127.0.0.1:\(port)/redirect/1"),
                port
            )
        }

        let site = "http://127.0.0.1:\(port)"
        #expect(result.finalURL == "\(site)/redirect/0")
        #expect(result.redirectChain == ["\(site)/redirect/3", "\(site)/redirect/2", "\(site)/redirect/1"])
        #expect(String(decoding: result.body, as: UTF8.self) == "Arrived")
        #expect(
            output == """
                URL: \(site)/redirect/0
                Content-Type: text/plain
                Status: 200
                Redirected from: \(site)/redirect/1

                Arrived
                """)
    }

    @Test func redirectsBeyondTheCapAreRefused() async throws {
        var configuration = try Self.configuration()
        configuration.maxRedirects = 2
        let log = RequestLog()
        let error = try await FixtureServer.run(log: log, configure: Self.routes) { port in
            await #expect(throws: BrowseError.self) {
                try await browse("http://127.0.0.1:\(port)/redirect/5", configuration: configuration)
            }
        }

        guard case .tooManyRedirects(let limit, let chain) = error else {
            Issue.record("expected too many redirects, got \(String(describing: error))")
            return
        }
        #expect(limit == 2)
        #expect(chain.map { $0.components(after: "/redirect/") } == ["5", "4", "3", "2"])
        #expect(await log.paths == ["/redirect/5", "/redirect/4", "/redirect/3"])
    }

    @Test func aRedirectToAnotherSchemeIsRefused() async throws {
        let error = try await FixtureServer.run(configure: Self.routes) { port in
            await #expect(throws: BrowseError.self) {
                try await browse("http://127.0.0.1:\(port)/to-file")
            }
        }
        #expect(error == .unsupportedScheme(url: "file:///etc/passwd"))
    }

    /// The fixture is allowed by its name only; a redirect to an address that is not allowed must be refused, and
    /// the server at that address must not see a request.
    @Test func aRedirectFromAnAllowedNameToAnotherLoopbackAddressIsRefused() async throws {
        let configuration = BrowseConfiguration(allowList: try AllowList(entries: ["localhost"]))
        let target = RequestLog()
        let origin = RequestLog()
        let error = try await FixtureServer.run(host: "127.0.0.2", log: target, configure: Self.routes) { targetPort in
            try await FixtureServer.run(log: origin) { router, _ in
                router.get("hop") { _, _ in
                    Response(status: .found, headers: [.location: "http://127.0.0.2:\(targetPort)/notes.txt"])
                }
            } test: { originPort in
                await #expect(throws: BrowseError.self) {
                    try await browse("http://localhost:\(originPort)/hop", configuration: configuration)
                }
            }
        }

        #expect(error == .blockedAddress(host: "127.0.0.2", address: "127.0.0.2", reason: .loopback))
        #expect(await origin.paths == ["/hop"])
        #expect(await target.paths.isEmpty)
    }

    // MARK: The SSRF guard without an allow-list

    @Test(arguments: [
        ("http://127.0.0.1:PORT/notes.txt", "127.0.0.1", AddressRefusal.loopback),
        ("http://[::1]:PORT/notes.txt", "::1", .loopback),
        ("http://[::ffff:127.0.0.1]:PORT/notes.txt", "::ffff:127.0.0.1", .loopback),
        ("http://0.0.0.0:PORT/notes.txt", "0.0.0.0", .unspecified),
        ("http://169.254.169.254/latest/meta-data/iam/", "169.254.169.254", .cloudMetadata),
        ("http://[fd00:ec2::254]/latest/meta-data/", "fd00:ec2::254", .cloudMetadata),
    ])
    func addressesInTheURLAreRefusedBeforeAnyRequest(template: String, address: String, reason: AddressRefusal)
        async throws
    {
        let log = RequestLog()
        let error = try await FixtureServer.run(log: log, configure: Self.routes) { port in
            await #expect(throws: BrowseError.self) {
                try await browse(template.replacing("PORT", with: String(port)), configuration: BrowseConfiguration())
            }
        }

        #expect(error == .blockedAddress(host: address, address: address, reason: reason))
        #expect(error?.description.hasPrefix("Refused to connect to \(address): it is ") == true)
        #expect(await log.paths.isEmpty)
    }

    /// A name is only known to be loopback once resolved, so the guard refuses it when libcurl asks for a socket,
    /// before any connection. Numeric spellings of 127.0.0.1 are normalised by libcurl's URL parser and refused
    /// even earlier; either way the fixture must see nothing.
    @Test(arguments: ["localhost", "LOCALHOST", "2130706433", "127.1", "0x7f.0.0.1"])
    func namesAndSpellingsOfLoopbackAreRefused(host: String) async throws {
        let log = RequestLog()
        let error = try await FixtureServer.run(log: log, configure: Self.routes) { port in
            await #expect(throws: BrowseError.self) {
                try await browse("http://\(host):\(port)/notes.txt", configuration: BrowseConfiguration())
            }
        }

        guard case .blockedAddress(_, let address, .loopback) = error else {
            Issue.record("expected a loopback refusal, got \(String(describing: error))")
            return
        }
        #expect(["127.0.0.1", "::1"].contains(address))
        #expect(await log.paths.isEmpty)
    }

    @Test(arguments: ["ftp://127.0.0.1:PORT/notes.txt", "file:///etc/passwd", "gopher://127.0.0.1:PORT/", "notaurl"])
    func onlyWebSchemesAreFetched(template: String) async throws {
        let log = RequestLog()
        let (error, url) = try await FixtureServer.run(log: log, configure: Self.routes) { port in
            let url = template.replacing("PORT", with: String(port))
            let error = await #expect(throws: BrowseError.self) {
                try await browse(url, configuration: BrowseConfiguration())
            }
            return (error, url)
        }

        #expect(error == .unsupportedScheme(url: url))
        #expect(
            error?.description
                == "Cannot fetch '\(url)': it is not an http:// or https:// URL, and only those can be browsed.")
        #expect(await log.paths.isEmpty)
    }

    // MARK: Time

    @Test func aStalledServerTimesOut() async throws {
        var configuration = try Self.configuration()
        configuration.totalTimeout = .milliseconds(500)
        let clock = ContinuousClock()
        let (error, elapsed) = try await FixtureServer.run(configure: Self.routes) { port in
            let started = clock.now
            let error = await #expect(throws: BrowseError.self) {
                try await browse("http://127.0.0.1:\(port)/stall", configuration: configuration)
            }
            return (error, started.duration(to: clock.now))
        }
        #expect(error == .timeout(limit: .milliseconds(500)))
        #expect(error?.description.hasPrefix("The site did not answer within 500 ms.") == true)
        // The server stalls for a minute; the fetch gave up long before, at its own limit. The bound is loose
        // because the machine may be busy (transfers queue for the thread pool behind other tests' transfers); it
        // tells "timed out" from "waited for the server".
        #expect(elapsed < .seconds(30))
    }

    @Test func cancellingStopsADownloadPromptly() async throws {
        let fetcher = CurlFetcher(configuration: try Self.configuration())
        let log = RequestLog()
        let clock = ContinuousClock()
        let (outcome, stoppedAfter) = try await FixtureServer.run(log: log, configure: Self.routes) { port in
            try await withThrowingTaskGroup(of: (any Error)?.self) { group in
                group.addTask {
                    do {
                        _ = try await fetcher.fetch("http://127.0.0.1:\(port)/slow")
                        return nil
                    } catch {
                        return error
                    }
                }
                try await log.waitForChunks(3)
                let cancelledAt = clock.now
                group.cancelAll()
                let outcome = try await group.next() ?? nil
                return (outcome, cancelledAt.duration(to: clock.now))
            }
        }

        #expect(outcome is CancellationError)
        // The body would take 30 s to arrive; stopping well before that shows cancellation, not the end of the body,
        // ended the fetch. Normally it takes under a second; the margin is for a busy machine.
        #expect(stoppedAfter < .seconds(10))
    }

    // MARK: Fixture

    static let notes = "Shopping list\n- eggs\n- flour\n\tindented line  \n"
    static let json = #"{"name": "anvil", "tags": ["ai", "server"], "nested": {"ok": true}}"#
    static let bigText = (0..<20_000).map { "line \($0) of a long log file\n" }.joined()

    static func configuration() throws -> BrowseConfiguration {
        BrowseConfiguration(allowList: try AllowList(entries: ["127.0.0.1"]))
    }

    static func routes(_ router: Router<BasicRequestContext>, log: RequestLog) {
        router.get("articles/rust-2") { _, _ in text(FixturePages.article, type: "text/html; charset=utf-8") }
        router.get("docs/guide/index.html") { _, _ in text(FixturePages.guide, type: "text/html") }
        router.get("latin1") { _, _ in
            bytes(FixturePages.latin1(declaredInMeta: false), type: "text/html; charset=ISO-8859-1")
        }
        router.get("latin1-meta") { _, _ in bytes(FixturePages.latin1(declaredInMeta: true), type: "text/html") }
        router.get("notes.txt") { _, _ in text(notes, type: "text/plain; charset=utf-8") }
        router.get("data.json") { _, _ in text(json, type: "application/json") }
        router.get("big.txt") { _, _ in text(bigText, type: "text/plain") }
        router.get("logo.png") { _, _ in
            bytes(
                [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0, count: 4096), type: "image/png"
            )
        }
        router.get("redirect/:count") { _, context in
            let count = try context.parameters.require("count", as: Int.self)
            guard count > 0 else { return text("Arrived", type: "text/plain") }
            return Response(status: .found, headers: [.location: "/redirect/\(count - 1)"])
        }
        router.get("to-file") { _, _ in Response(status: .movedPermanently, headers: [.location: "file:///etc/passwd"])
        }
        router.get("stall") { _, _ in
            try await Task.sleep(for: .seconds(60))
            return text("Too late", type: "text/plain")
        }
        router.get("slow") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain"],
                body: ResponseBody { writer in
                    for index in 0..<300 {
                        try await writer.write(
                            ByteBuffer(string: "chunk \(index) " + String(repeating: "x", count: 1000)))
                        await log.chunkSent()
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    try await writer.finish(nil)
                }
            )
        }
    }

    private static func text(_ value: String, type: String) -> Response {
        bytes(Array(value.utf8), type: type)
    }

    private static func bytes(_ value: [UInt8], type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(bytes: value)))
    }
}

// MARK: Helpers

private func browse(
    _ url: String,
    maxCharacters: Int? = nil,
    configuration: BrowseConfiguration? = nil
) async throws -> String {
    try await call("web_browse", url: url, maxCharacters: maxCharacters, configuration: configuration)
}

private func fetchText(_ url: String, configuration: BrowseConfiguration? = nil) async throws -> String {
    try await call("web_fetch_text", url: url, maxCharacters: nil, configuration: configuration)
}

private func call(
    _ name: String,
    url: String,
    maxCharacters: Int?,
    configuration: BrowseConfiguration?
) async throws -> String {
    let plugin = WebBrowsePlugin(configuration: try configuration ?? WebBrowseToolTests.configuration())
    let tool = try #require(plugin.tools.first { $0.spec.name == name })
    var arguments: [String: JSONValue] = ["url": .string(url)]
    if let maxCharacters { arguments["max_characters"] = .integer(Int64(maxCharacters)) }
    let output = try await tool.call(arguments: arguments, context: ToolContext(userID: "tester"))
    #expect(!output.isError)
    return output.content
}

extension String {
    /// The text after the first `marker`, or "" when there is none.
    fileprivate func components(after marker: String) -> String {
        guard let range = firstRange(of: marker) else { return "" }
        return String(self[range.upperBound...])
    }
}
