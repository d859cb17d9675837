import AnvilCore
import AnvilProviders
import Hummingbird
import Synchronization
import Testing

@testable import WebBrowse

/// The plugin as a model uses it: the agent loop with the offline model calls `web_browse` and answers from what it
/// returned, or from the refusal the address guard gave.
@Suite("web_browse in the agent loop")
struct WebBrowseChatTests {
    /// Runs one message through the agent loop with the plugin's tools and returns the tool result and the answer.
    func chat(_ message: String, allow: [String]) async throws -> (tool: ToolOutput, answer: String) {
        let plugin = WebBrowsePlugin(configuration: BrowseConfiguration(allowList: try AllowList(entries: allow)))
        var registry = ToolRegistry()
        for tool in plugin.tools { try registry.register(tool, source: .plugin(WebBrowsePlugin.id)) }
        let transcript = ToolResults()
        let run = try await AgentLoop(
            provider: LocalModelProvider(),
            template: CompletionRequest(model: "anvil", messages: []),
            tools: try registry.select(["web_browse"]),
            toolContext: ToolContext(userID: "tester")
        ).run(conversation: [.user(message)], transcript: transcript)
        let output = try #require(transcript.outputs.first)
        return (output, run.messages.last?.text ?? "")
    }

    @Test("a page on an allow-listed fixture server reaches the model as readable text")
    func readsAnAllowedPage() async throws {
        try await FixtureServer.run(configure: WebBrowseToolTests.routes) { port in
            let (output, answer) = try await chat(
                "Please browse http://127.0.0.1:\(port)/articles/rust-2 and summarise it",
                allow: ["127.0.0.1"]
            )
            #expect(!output.isError)
            #expect(output.content.contains("Title: Rust 2.0 & the borrow checker"))
            #expect(output.content.contains("The new release makes the borrow checker smarter and faster."))
            #expect(answer.contains("Rust 2.0"))
        }
    }

    @Test(
        "private, loopback and metadata addresses are refused to the model unless allow-listed",
        arguments: [
            "http://127.0.0.1:9/", "http://169.254.169.254/latest/meta-data/", "http://[::1]:9/", "http://localhost:9/",
            "http://10.1.2.3/", "http://0.0.0.0:9/",
        ]
    )
    func refusesPrivateAddresses(url: String) async throws {
        let (output, answer) = try await chat("Please browse \(url)", allow: [])
        #expect(output.isError)
        #expect(output.content.hasPrefix("The tool failed: Refused to connect to "), "\(output.content)")
        #expect(output.content.contains("Only public internet addresses can be browsed."))
        #expect(!answer.isEmpty)
    }

    @Test("a redirect from an allowed page to a private address is refused at the hop")
    func refusesRedirectToPrivateAddress() async throws {
        let routes: (Router<BasicRequestContext>, RequestLog) -> Void = { router, log in
            WebBrowseToolTests.routes(router, log: log)
            router.get("jump") { _, _ in
                Response(status: .found, headers: [.location: "http://169.254.169.254/latest/meta-data/"])
            }
        }
        try await FixtureServer.run(configure: routes) { port in
            let (output, _) = try await chat("Please browse http://127.0.0.1:\(port)/jump", allow: ["127.0.0.1"])
            #expect(output.isError)
            #expect(output.content.contains("169.254.169.254"))
        }
    }
}

/// Keeps the tool results of a run.
final class ToolResults: AgentTranscript, Sendable {
    private let stored = Mutex<[ToolOutput]>([])

    var outputs: [ToolOutput] { stored.withLock { $0 } }

    func commitAssistant(_ message: ModelMessage, usage: TokenUsage, model: String, status: MessageStatus) async throws
    {}

    func commitToolResult(_ message: ModelMessage, output: ToolOutput) async throws {
        stored.withLock { $0.append(output) }
    }
}
