import Hummingbird

/// Runs a producer and writes what it yields to a response body as it comes, with a heartbeat comment when the
/// producer is quiet.
///
/// The heartbeat is what notices a client that went away: writing to a closed connection fails, and that failure
/// cancels the producer (and with it any upstream request) within about one interval, even while a tool or a
/// slow model keeps the stream silent. It also keeps proxies from timing the stream out.
enum StreamPump {
    private enum Signal<Item: Sendable>: Sendable {
        case item(Item)
        case heartbeat
    }

    private enum Child<Output: Sendable>: Sendable {
        case produced(Result<Output, any Error>)
        case tickerStopped
    }

    static let heartbeat = ByteBuffer(string: ": keep-alive\n\n")

    /// - Returns: the producer's result, or the write failure that stopped it.
    static func run<Item: Sendable, Output: Sendable>(
        heartbeatInterval: Duration = .seconds(1),
        writer: inout any ResponseBodyWriter,
        frame: (Item) throws -> ByteBuffer,
        produce: @escaping @Sendable (_ emit: @escaping @Sendable (Item) -> Void) async throws -> Output
    ) async -> Result<Output, any Error> {
        let (signals, continuation) = AsyncStream<Signal<Item>>.makeStream(bufferingPolicy: .unbounded)
        return await withTaskGroup(of: Child<Output>.self) { group in
            group.addTask {
                defer { continuation.finish() }
                do {
                    return .produced(.success(try await produce { continuation.yield(.item($0)) }))
                } catch {
                    return .produced(.failure(error))
                }
            }
            group.addTask {
                while (try? await Task.sleep(for: heartbeatInterval)) != nil {
                    continuation.yield(.heartbeat)
                }
                return .tickerStopped
            }
            var failure: (any Error)?
            for await signal in signals {
                do {
                    switch signal {
                    case .item(let item): try await writer.write(try frame(item))
                    case .heartbeat: try await writer.write(heartbeat)
                    }
                } catch {
                    failure = error
                    break
                }
            }
            group.cancelAll()
            var produced: Result<Output, any Error> = .failure(CancellationError())
            for await child in group {
                if case .produced(let result) = child { produced = result }
            }
            if let failure { return .failure(failure) }
            return produced
        }
    }
}
