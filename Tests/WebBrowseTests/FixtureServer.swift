import Hummingbird
import Logging

/// A real HTTP server on a loopback address for the fetcher to talk to, recording every request that reaches it
/// so a test can prove that a refused URL was never requested.
enum FixtureServer {
    /// Starts a server on `host` (port chosen by the system) with the routes `configure` adds, runs `test` with its
    /// port, then stops it. Routes get the log to report progress through.
    static func run<Result: Sendable>(
        host: String = "127.0.0.1",
        log: RequestLog = RequestLog(),
        configure: (Router<BasicRequestContext>, RequestLog) -> Void,
        test: (_ port: Int) async throws -> Result
    ) async throws -> Result {
        let router = Router()
        router.add(middleware: RecordingMiddleware(log: log))
        configure(router, log)
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "web-browse-fixture")
        logger.logLevel = .critical
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { portContinuation.finish() }
                try await app.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port != 0 else { throw FixtureError.notStarted(host: host) }
            defer { group.cancelAll() }
            return try await test(port)
        }
    }
}

enum FixtureError: Error {
    case notStarted(host: String)
}

/// The paths requested from a fixture, in order, and how many body chunks its slow routes have sent.
actor RequestLog {
    private(set) var paths: [String] = []
    private(set) var chunksSent = 0

    init() {}

    func record(_ path: String) {
        paths.append(path)
    }

    func chunkSent() {
        chunksSent += 1
    }

    /// Waits (polling) until `count` chunks were sent; gives up after `timeout` so a broken test cannot hang.
    func waitForChunks(_ count: Int, timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        while chunksSent < count && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

private struct RecordingMiddleware<Context: RequestContext>: RouterMiddleware {
    let log: RequestLog

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        await log.record(request.uri.path)
        return try await next(request, context)
    }
}
