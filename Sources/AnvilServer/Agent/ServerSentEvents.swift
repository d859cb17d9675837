import AnvilPluginKit
import Foundation
import HTTPTypes
import Hummingbird

/// Frames server-sent events: `event: <name>\ndata: <json>\n\n`, one buffer per event so each reaches the client
/// as soon as it is written.
enum ServerSentEvents {
    static let headers: HTTPFields = [
        .contentType: "text/event-stream; charset=utf-8",
        .cacheControl: "no-cache",
        HTTPField.Name("X-Accel-Buffering")!: "no",
    ]

    static func frame(event: String?, data: some Encodable) throws -> ByteBuffer {
        let json = try APIJSON.encoder.encode(data)
        var buffer = ByteBuffer()
        buffer.reserveCapacity(json.count + 32)
        if let event { buffer.writeString("event: \(event)\n") }
        buffer.writeString("data: ")
        buffer.writeBytes(json)
        buffer.writeString("\n\n")
        return buffer
    }

    static func frame(data: String) -> ByteBuffer {
        ByteBuffer(string: "data: \(data)\n\n")
    }

    /// A 200 `text/event-stream` response whose body `write` produces, finished when `write` returns.
    static func response(_ write: @escaping @Sendable (inout any ResponseBodyWriter) async throws -> Void) -> Response {
        Response(
            status: .ok,
            headers: headers,
            body: ResponseBody { writer in
                try await write(&writer)
                try await writer.finish(nil)
            }
        )
    }

    /// Whether the client asked for a stream with `Accept: text/event-stream`.
    static func accepted(by request: Request) -> Bool {
        request.headers[.accept]?.contains("text/event-stream") == true
    }
}
