import AnvilCore
import NIOCore

/// One complete server-sent event.
public struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` field, or `nil` for the default `message` type.
    public var event: String?
    /// The `data:` lines joined with `\n`.
    public var data: String
    /// The last `id:` seen on the stream so far, as the specification defines it.
    public var id: String?

    public init(event: String? = nil, data: String, id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }
}

/// An incremental parser for `text/event-stream` bodies, following the WHATWG event-stream rules.
///
/// Written by hand rather than taken from a library because it sits on the hot path of every streamed completion:
/// it scans bytes in place, keeps an unfinished line as bytes (so a UTF-8 character split across two reads decodes
/// correctly), and allocates per line and per event, never per byte. It is a value type owned by one stream, so it
/// needs no locking.
public struct ServerSentEventParser: Sendable {
    private static let lineFeed: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D
    private static let colon: UInt8 = 0x3A
    private static let space: UInt8 = 0x20

    /// The largest event (pending line plus buffered data) accepted before the stream is declared invalid; it
    /// bounds the memory a misbehaving upstream can make us hold.
    public let maximumEventSize: Int

    /// Bytes of a line whose end has not arrived yet.
    private var pendingLine: [UInt8] = []
    /// The data lines of the event being built, each followed by `\n`.
    private var data: [UInt8] = []
    private var eventType: String?
    private var lastEventID: String?
    /// A line ended in CR; a LF that follows it belongs to the same line break.
    private var skipLineFeed = false
    private var atStreamStart = true

    public init(maximumEventSize: Int = 16 * 1024 * 1024) {
        self.maximumEventSize = maximumEventSize
    }

    /// Consumes the next piece of the body and returns the events it completes, in order.
    public mutating func feed(_ buffer: ByteBuffer) throws(ProviderError) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        let overflowed = buffer.withUnsafeReadableBytes { bytes in
            feed(bytes, into: &events)
        }
        if overflowed {
            throw ProviderError.invalidResponse("server-sent event larger than \(maximumEventSize) bytes")
        }
        return events
    }

    /// Ends the stream. Unlike the specification, which discards an event without its closing blank line, this
    /// returns it: some servers close the connection right after the last `data:` line.
    public mutating func finish() -> ServerSentEvent? {
        var events: [ServerSentEvent] = []
        if !pendingLine.isEmpty {
            let line = pendingLine
            pendingLine = []
            line.withUnsafeBytes { process(line: $0, into: &events) }
        }
        skipLineFeed = false
        dispatch(into: &events)
        return events.first
    }

    /// Returns `true` when the event being built grew beyond ``maximumEventSize``.
    private mutating func feed(_ bytes: UnsafeRawBufferPointer, into events: inout [ServerSentEvent]) -> Bool {
        var index = 0
        var lineStart = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if skipLineFeed {
                skipLineFeed = false
                if byte == Self.lineFeed {
                    index += 1
                    lineStart = index
                    continue
                }
            }
            guard byte == Self.lineFeed || byte == Self.carriageReturn else {
                index += 1
                continue
            }
            let tail = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<index])
            if pendingLine.isEmpty {
                process(line: tail, into: &events)
            } else {
                // Move the pending bytes out so `process` may mutate `self` while reading them.
                var line = pendingLine
                pendingLine = []
                line.append(contentsOf: tail)
                line.withUnsafeBytes { process(line: $0, into: &events) }
                line.removeAll(keepingCapacity: true)
                pendingLine = line
            }
            skipLineFeed = byte == Self.carriageReturn
            index += 1
            lineStart = index
            if data.count > maximumEventSize { return true }
        }
        if lineStart < count {
            pendingLine.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[lineStart..<count]))
        }
        return pendingLine.count + data.count > maximumEventSize
    }

    private mutating func process(line: UnsafeRawBufferPointer, into events: inout [ServerSentEvent]) {
        var line = line
        if atStreamStart {
            atStreamStart = false
            if line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
                line = UnsafeRawBufferPointer(rebasing: line[3...])
            }
        }
        if line.isEmpty {
            dispatch(into: &events)
            return
        }
        if line[0] == Self.colon { return }

        let colonIndex = line.firstIndex(of: Self.colon)
        let name = UnsafeRawBufferPointer(rebasing: line[..<(colonIndex ?? line.count)])
        var valueStart = colonIndex.map { $0 + 1 } ?? line.count
        if valueStart < line.count, line[valueStart] == Self.space { valueStart += 1 }
        let value = UnsafeRawBufferPointer(rebasing: line[valueStart...])

        if name.elementsEqual("data".utf8) {
            data.append(contentsOf: value)
            data.append(Self.lineFeed)
        } else if name.elementsEqual("event".utf8) {
            eventType = String(decoding: value, as: UTF8.self)
        } else if name.elementsEqual("id".utf8) {
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        }
        // `retry:` and unknown fields are ignored: reconnection is the caller's business.
    }

    private mutating func dispatch(into events: inout [ServerSentEvent]) {
        defer { eventType = nil }
        guard !data.isEmpty else { return }
        let text = data.withUnsafeBytes { bytes in
            String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<(bytes.count - 1)]), as: UTF8.self)
        }
        data.removeAll(keepingCapacity: true)
        let type = eventType.flatMap { $0.isEmpty ? nil : $0 }
        events.append(ServerSentEvent(event: type, data: text, id: lastEventID))
    }
}
