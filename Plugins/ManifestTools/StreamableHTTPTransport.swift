import AnvilProviders
import AsyncHTTPClient
import Foundation
import Logging
import MCP
import NIOCore
import NIOHTTP1

/// The MCP streamable HTTP transport, client side: each message is POSTed to the endpoint, and the answer comes
/// back as one JSON body or as a stream of server-sent events, both handled. The session id the server assigns is
/// sent with every later request, and ending the session sends `DELETE`.
///
/// Written over AsyncHTTPClient because the SDK's own HTTP transport cannot read event-stream answers on Linux.
actor StreamableHTTPTransport: Transport {
    nonisolated let logger: Logger
    private let endpoint: URL
    private let headers: [String: String]
    private let client: HTTPClient
    private var sessionID: String?
    private var protocolVersion: String?
    private let messages: AsyncThrowingStream<Data, any Error>
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    /// Longest wait for one answer; a tool call's own timeout is usually shorter.
    private let requestTimeout: TimeAmount = .minutes(10)
    private let maxResponseBytes = 32 * 1024 * 1024

    init(endpoint: URL, headers: [String: String], logger: Logger) {
        self.endpoint = endpoint
        self.headers = headers
        self.logger = logger
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout.connect = .seconds(10)
        // A refused connection fails at once; the supervisor decides when to try again.
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        (messages, continuation) = AsyncThrowingStream.makeStream()
    }

    func connect() async throws {}

    func disconnect() async {
        if let sessionID {
            var request = HTTPClientRequest(url: endpoint.absoluteString)
            request.method = .DELETE
            request.headers.add(name: "Mcp-Session-Id", value: sessionID)
            _ = try? await client.execute(request, timeout: .seconds(2))
        }
        sessionID = nil
        continuation.finish()
        try? await client.shutdown()
    }

    nonisolated func receive() -> AsyncThrowingStream<Data, any Error> {
        messages
    }

    func send(_ data: Data) async throws {
        var request = HTTPClientRequest(url: endpoint.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json, text/event-stream")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let sessionID { request.headers.add(name: "Mcp-Session-Id", value: sessionID) }
        if let protocolVersion { request.headers.add(name: "MCP-Protocol-Version", value: protocolVersion) }
        request.body = .bytes(ByteBuffer(bytes: data))

        let response = try await client.execute(request, timeout: requestTimeout)
        if let id = response.headers.first(name: "Mcp-Session-Id") { sessionID = id }
        guard (200..<300).contains(Int(response.status.code)) else {
            let body = try? await response.body.collect(upTo: 4096)
            throw MCPError.internalError(
                "HTTP \(response.status.code) from \(endpoint.absoluteString)"
                    + (body.map { ": " + String(buffer: $0) } ?? "")
            )
        }
        if response.status == .accepted { return }
        let contentType = response.headers.first(name: "Content-Type")?.lowercased() ?? ""
        if contentType.hasPrefix("text/event-stream") {
            var parser = ServerSentEventParser(maximumEventSize: maxResponseBytes)
            for try await chunk in response.body {
                for event in try parser.feed(chunk) where !event.data.isEmpty {
                    deliver(Data(event.data.utf8))
                }
            }
            if let event = parser.finish(), !event.data.isEmpty { deliver(Data(event.data.utf8)) }
        } else {
            let body = try await response.body.collect(upTo: maxResponseBytes)
            if body.readableBytes > 0 { deliver(Data(buffer: body)) }
        }
    }

    /// Hands a message to the client, noting the protocol version the server settled on in its handshake answer.
    private func deliver(_ message: Data) {
        if protocolVersion == nil,
            let object = try? JSONSerialization.jsonObject(with: message) as? [String: Any],
            let result = object["result"] as? [String: Any],
            let version = result["protocolVersion"] as? String
        {
            protocolVersion = version
        }
        continuation.yield(message)
    }
}
