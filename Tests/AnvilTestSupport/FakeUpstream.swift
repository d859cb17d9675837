import AnvilCore
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore

/// A real HTTP server on 127.0.0.1 standing in for a provider, so the providers are tested over real sockets,
/// chunked bodies and connection teardown.
public enum FakeUpstream {
    /// Starts a server with the routes `configure` adds, runs `test` with its base URL (`http://127.0.0.1:PORT/v1`)
    /// and a fresh HTTP client, then stops both.
    public static func run<Result>(
        configure: (Router<BasicRequestContext>) -> Void,
        test: (_ baseURL: String, _ client: HTTPClient) async throws -> Result
    ) async throws -> Result {
        let router = Router()
        configure(router)
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "fake-upstream")
        logger.logLevel = .critical
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var portIterator = ports.makeAsyncIterator()
            guard let port = await portIterator.next(), port != 0 else { throw FakeUpstreamError.notStarted }
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let result: Result
            do {
                result = try await test("http://127.0.0.1:\(port)/v1", client)
            } catch {
                try? await client.shutdown()
                group.cancelAll()
                throw error
            }
            try await client.shutdown()
            group.cancelAll()
            return result
        }
    }

    /// A `text/event-stream` response that writes `text` in pieces of `chunkSize` bytes, each flushed on its own,
    /// so the client sees lines and UTF-8 characters split wherever the sizes fall.
    public static func eventStream(_ text: String, chunkSize: Int) -> Response {
        let bytes = Array(text.utf8)
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8"],
            body: ResponseBody { writer in
                try await write(bytes, chunkSize: chunkSize, to: &writer)
                try await writer.finish(nil)
            }
        )
    }

    public static func write(_ bytes: [UInt8], chunkSize: Int, to writer: inout any ResponseBodyWriter) async throws {
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + chunkSize, bytes.count)
            try await writer.write(ByteBuffer(bytes: bytes[offset..<end]))
            offset = end
        }
    }

    public static func json(_ text: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

public enum FakeUpstreamError: Error {
    case notStarted
}

/// What the fake upstream received, in order.
public actor RequestRecorder {
    public struct Received: Sendable {
        public var body: JSONValue?
        public var headers: [String: String]
        public var query: String
    }

    public private(set) var requests: [Received] = []

    public init() {}

    public var count: Int { requests.count }
    public var last: Received? { requests.last }

    /// Reads and records the request; returns how many requests have arrived including this one.
    @discardableResult
    public func record(_ request: Request) async throws -> Int {
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let buffer = try await request.body.collect(upTo: 1 << 20)
        let body =
            buffer.readableBytes == 0 ? nil : try JSONDecoder().decode(JSONValue.self, from: Data(buffer: buffer))
        requests.append(Received(body: body, headers: headers, query: request.uri.query ?? ""))
        return requests.count
    }
}

/// The first value of `values`, or `nil` when none arrives within `timeout`.
public func firstValue<Value: Sendable>(of values: AsyncStream<Value>, within timeout: Duration) async -> Value? {
    await withTaskGroup(of: Value?.self) { group in
        group.addTask {
            for await value in values { return value }
            return nil
        }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}
