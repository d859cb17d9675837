import Foundation
import Hummingbird
import OpenAPIKit
import Testing

@testable import AnvilServer

@Suite("The OpenAPI document and the docs page")
struct APIDocumentationTests {
    /// A route the server registers, written out by hand from `buildRouter` so that a route added without
    /// documentation, or documentation left behind for a removed route, fails here.
    struct Route: Sendable, CustomTestStringConvertible {
        var method: OpenAPI.HttpMethod
        var path: String
        var needsCredential: Bool

        var testDescription: String { "\(method.rawValue) \(path)" }
    }

    static let routes: [Route] = [
        Route(method: .get, path: "/health", needsCredential: false),
        Route(method: .get, path: "/ready", needsCredential: false),
        Route(method: .get, path: "/metrics", needsCredential: false),
        Route(method: .get, path: "/openapi.json", needsCredential: false),
        Route(method: .get, path: "/docs", needsCredential: false),
        Route(method: .post, path: "/api/v1/auth/register", needsCredential: false),
        Route(method: .post, path: "/api/v1/auth/login", needsCredential: false),
        Route(method: .post, path: "/api/v1/auth/refresh", needsCredential: false),
        Route(method: .post, path: "/api/v1/auth/logout", needsCredential: false),
        Route(method: .get, path: "/api/v1/auth/me", needsCredential: true),
        Route(method: .patch, path: "/api/v1/auth/me", needsCredential: true),
        Route(method: .post, path: "/api/v1/auth/change-password", needsCredential: true),
        Route(method: .post, path: "/api/v1/auth/delete-account", needsCredential: true),
        Route(method: .post, path: "/api/v1/auth/api-keys", needsCredential: true),
        Route(method: .get, path: "/api/v1/auth/api-keys", needsCredential: true),
        Route(method: .delete, path: "/api/v1/auth/api-keys/{id}", needsCredential: true),
        Route(method: .get, path: "/api/v1/auth/provider-keys", needsCredential: true),
        Route(method: .put, path: "/api/v1/auth/provider-keys/{provider}", needsCredential: true),
        Route(method: .delete, path: "/api/v1/auth/provider-keys/{provider}", needsCredential: true),
        Route(method: .post, path: "/api/v1/chats", needsCredential: true),
        Route(method: .get, path: "/api/v1/chats", needsCredential: true),
        Route(method: .get, path: "/api/v1/chats/{id}", needsCredential: true),
        Route(method: .patch, path: "/api/v1/chats/{id}", needsCredential: true),
        Route(method: .delete, path: "/api/v1/chats/{id}", needsCredential: true),
        Route(method: .get, path: "/api/v1/chats/{id}/messages", needsCredential: true),
        Route(method: .post, path: "/api/v1/chats/{id}/messages", needsCredential: true),
        Route(method: .get, path: "/api/v1/chats/{id}/usage", needsCredential: true),
        Route(method: .post, path: "/api/v1/chat/completions", needsCredential: true),
        Route(method: .get, path: "/api/v1/models", needsCredential: true),
        Route(method: .get, path: "/api/v1/tools", needsCredential: true),
        Route(method: .post, path: "/api/v1/tools/{name}/invoke", needsCredential: true),
        Route(method: .post, path: "/api/v1/prompts/compile", needsCredential: true),
        Route(method: .post, path: "/api/v1/prompts/compile/form", needsCredential: true),
        Route(method: .post, path: "/api/v1/prompts/extract", needsCredential: true),
        Route(method: .post, path: "/api/v1/prompts/render", needsCredential: true),
        Route(method: .post, path: "/api/v1/prompts/optimize", needsCredential: true),
        Route(method: .post, path: "/api/v1/prompts/templates", needsCredential: true),
        Route(method: .get, path: "/api/v1/prompts/templates", needsCredential: true),
        Route(method: .get, path: "/api/v1/prompts/templates/{id}", needsCredential: true),
        Route(method: .patch, path: "/api/v1/prompts/templates/{id}", needsCredential: true),
        Route(method: .delete, path: "/api/v1/prompts/templates/{id}", needsCredential: true),
        Route(method: .post, path: "/api/v1/prompts/templates/{id}/chats", needsCredential: true),
        Route(method: .post, path: "/v1/chat/completions", needsCredential: true),
        Route(method: .get, path: "/v1/models", needsCredential: true),
        Route(method: .post, path: "/v1/embeddings", needsCredential: true),
    ]

    static let tags: Set<String> = [
        "Ops", "Auth", "API keys", "Provider keys", "Chats", "Completions", "Models", "Tools", "Prompts",
        "OpenAI-compatible",
    ]

    /// An operation that can answer with server-sent events, and the event names its stream may use.
    struct StreamingRoute: Sendable, CustomTestStringConvertible {
        var route: Route
        var events: Set<String>
        /// Whether it runs in a chat, and so can hit the chat's token limit.
        var usesChatBudget: Bool

        var testDescription: String { route.testDescription }
    }

    static let streamingRoutes: [StreamingRoute] = [
        StreamingRoute(
            route: Route(method: .post, path: "/api/v1/chats/{id}/messages", needsCredential: true),
            events: runEvents,
            usesChatBudget: true
        ),
        StreamingRoute(
            route: Route(method: .post, path: "/api/v1/chat/completions", needsCredential: true),
            events: runEvents,
            usesChatBudget: true
        ),
        StreamingRoute(
            route: Route(method: .post, path: "/v1/chat/completions", needsCredential: true),
            events: ["error"],
            usesChatBudget: false
        ),
    ]

    static let runEvents: Set<String> = [
        "message.created", "round.started", "delta", "tool_call", "tool_result", "usage", "limit_reached", "done",
        "error",
    ]

    /// The document as a client sees it: decoded from the served JSON, not the Swift values it was built from.
    /// Decoded once for the whole suite, because decoding a document this size takes a noticeable fraction of a
    /// second in a debug build and most tests run once per route.
    private static let served = Result {
        let documentation = try APIDocumentation()
        return try JSONDecoder().decode(OpenAPI.Document.self, from: Data(String(buffer: documentation.json).utf8))
    }

    private static func servedDocument() throws -> OpenAPI.Document {
        try served.get()
    }

    private static func operation(for route: Route, in document: OpenAPI.Document) throws -> OpenAPI.Operation {
        let item = try #require(document.paths[OpenAPI.Path(rawValue: route.path)]?.pathItemValue)
        return try #require(item[route.method], "\(route.testDescription) is not documented")
    }

    @Test("the served JSON decodes as an OpenAPI 3.1 document with info and a relative server")
    func version() throws {
        let document = try Self.servedDocument()
        #expect(document.openAPIVersion.rawValue.hasPrefix("3.1."))
        #expect(document.info.title == "Anvil API")
        #expect(document.info.version == "0.1.0")
        #expect(document.servers.map(\.urlTemplate.rawValue) == ["/"])
    }

    @Test("every reference resolves and the document passes OpenAPIKit's strict validation")
    func referencesResolve() throws {
        let document = try Self.servedDocument()
        _ = try document.locallyDereferenced()
        // Strict mode also turns 3.2-only features in a document that declares 3.1 into errors.
        try document.validate(strict: true)
    }

    @Test("the documented operations are exactly the registered routes")
    func noMissingOrExtraOperations() throws {
        let document = try Self.servedDocument()
        let documented = Set(
            document.routes.flatMap { route in
                route.pathItem.endpoints.map { "\($0.method.rawValue) \(route.path.rawValue)" }
            }
        )
        #expect(documented == Set(Self.routes.map(\.testDescription)))
    }

    @Test("each operation is named, described, tagged and secured as its route is", arguments: routes)
    func operationIsDescribed(route: Route) throws {
        let operation = try Self.operation(for: route, in: try Self.servedDocument())
        #expect(operation.operationId?.isEmpty == false)
        #expect(operation.summary?.isEmpty == false)
        #expect(operation.description?.isEmpty == false)
        #expect(operation.tags?.count == 1)
        #expect(operation.tags.map { Set($0).isSubset(of: Self.tags) } == true)

        let schemes = Set((operation.security ?? []).flatMap { $0.keys.compactMap(\.name) })
        if route.needsCredential {
            #expect(schemes == ["bearerAuth", "apiKeyAuth"])
            #expect(operation.security?.count == 2, "each scheme is an alternative on its own")
            #expect(operation.responses[status: 401] != nil, "a secured operation must document 401")
        } else {
            #expect(schemes.isEmpty)
        }
    }

    @Test("an operation with a JSON body documents 400 and 413", arguments: routes)
    func bodyErrorsAreDocumented(route: Route) throws {
        let document = try Self.servedDocument()
        let operation = try Self.operation(for: route, in: document)
        guard let body = operation.requestBody.flatMap({ document.components[$0] }) else { return }
        #expect(body.required)
        #expect(body.content[.json] != nil)
        #expect(operation.responses[status: 400] != nil)
        #expect(operation.responses[status: 413] != nil)
    }

    @Test("every response documents the X-Request-Id header", arguments: routes)
    func requestIDHeader(route: Route) throws {
        let document = try Self.servedDocument()
        let operation = try Self.operation(for: route, in: document)
        for (status, either) in operation.responses {
            let response = try #require(document.components[either])
            #expect(response.headers?["X-Request-Id"] != nil, "\(route.testDescription) \(status.rawValue)")
        }
    }

    @Test("a wrong password is documented as 403 where the password confirms the action")
    func passwordConfirmation() throws {
        let document = try Self.servedDocument()
        for path in ["/api/v1/auth/change-password", "/api/v1/auth/delete-account"] {
            let route = Route(method: .post, path: path, needsCredential: true)
            let operation = try Self.operation(for: route, in: document)
            #expect(operation.responses[status: 403] != nil, "\(path)")
        }
    }

    @Test("operations that call a model document the provider failures and the token limit", arguments: streamingRoutes)
    func modelErrorsAreDocumented(streaming: StreamingRoute) throws {
        let operation = try Self.operation(for: streaming.route, in: try Self.servedDocument())
        for status in [400, 502, 503, 504] {
            #expect(operation.responses[status: .status(code: status)] != nil, "\(status)")
        }
        #expect((operation.responses[status: 402] != nil) == streaming.usesChatBudget)
    }

    @Test("each stream's example is well-formed server-sent events with JSON data", arguments: streamingRoutes)
    func streamExample(streaming: StreamingRoute) throws {
        let (route, events) = (streaming.route, streaming.events)
        let document = try Self.servedDocument()
        let operation = try Self.operation(for: route, in: document)
        let response = try #require(operation.responses[status: 200].flatMap { document.components[$0] })
        #expect(response.content[.json] != nil, "without a stream the answer is JSON")
        let stream = try #require(response.content[.eventStream].flatMap { document.components[$0] })
        let example = try #require(stream.example?.value as? String)
        #expect(example.hasSuffix("\n\n"))

        let frames = example.split(separator: "\n\n").map(String.init)
        #expect(frames.count > 2)
        for frame in frames {
            var name: String?
            var data: [String] = []
            for line in frame.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("event: ") {
                    name = String(line.dropFirst("event: ".count))
                } else if line.hasPrefix("data: ") {
                    data.append(String(line.dropFirst("data: ".count)))
                } else if line.hasPrefix(":") {
                    continue  // a comment, such as the keep-alive
                } else {
                    Issue.record("unexpected line '\(line)' in \(route.testDescription)")
                }
            }
            if let name { #expect(events.contains(name), "\(name) in \(route.testDescription)") }
            if frame.hasPrefix(":") { continue }
            #expect(data.count == 1, "one data line per event")
            guard let text = data.first, text != "[DONE]" else { continue }
            #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: Data(text.utf8)) }
        }
        if route.path.hasPrefix("/v1/") {
            #expect(frames.last == "data: [DONE]", "an OpenAI stream ends with [DONE]")
        } else {
            #expect(frames.last?.hasPrefix("event: done\n") == true, "a run's stream ends with done")
        }
    }

    @Test("the security schemes are a bearer token and an X-API-Key header")
    func securitySchemes() throws {
        let components = try Self.servedDocument().components
        let bearer = try #require(components.securitySchemes["bearerAuth"]?.b)
        #expect(bearer.type == .http(scheme: "bearer", bearerFormat: "JWT or API key"))
        let apiKey = try #require(components.securitySchemes["apiKeyAuth"]?.b)
        #expect(apiKey.type == .apiKey(name: "X-API-Key", location: .header))
    }

    @Test("the docs page lists every path, links the JSON and loads nothing from elsewhere")
    func htmlPage() throws {
        let html = String(buffer: try APIDocumentation().html)
        for route in Self.routes {
            #expect(html.contains(route.path), "\(route.path) is missing from the page")
        }
        #expect(html.contains(#"href="/openapi.json""#))
        #expect(html.contains("<code>include_archived</code>"), "descriptions' code spans are rendered")
        #expect(html.contains("event: message.created"), "stream examples are shown")
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"))
        #expect(!html.contains("{{"), "every Mustache tag was rendered")
    }

    @Test("descriptions are escaped for HTML and their code spans become <code>")
    func descriptionMarkup() {
        let rendered = DocsPage.html("Send `X-API-Key: <key>` & wait")
        #expect(rendered == "Send <code>X-API-Key: &lt;key&gt;</code> &amp; wait")
        #expect(DocsPage.html("an odd ` backtick") == "an odd ` backtick")
        #expect(DocsPage.html(nil) == "")
    }

    @Test("the document is encoded the same way every time")
    func stableEncoding() throws {
        #expect(try APIDocumentation().json == APIDocumentation().json)
    }
}
