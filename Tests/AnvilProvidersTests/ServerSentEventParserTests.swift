import AnvilCore
import AnvilProviders
import NIOCore
import Testing

@Suite("Server-sent event parser")
struct ServerSentEventParserTests {
    /// Every kind of line ending, comments, fields with and without the optional space, multi-line data, an event
    /// without data (not dispatched) and multi-byte UTF-8.
    static let sample = Array(
        (": this is a comment\n"
            + "event: message_start\r\n"
            + "id: 42\r\n"
            + "data: {\"text\": \"héllo 👋\"}\r\n"
            + "\r\n"
            + "data:first line\r"
            + "data:  second line keeps one space\r"
            + "data\r"
            + "\r"
            + "event: ping\n"
            + "\n"
            + "event: \n"
            + "data: 日本語 ✓\n"
            + "\n"
            + "data: [DONE]\n\n").utf8)

    static let expected = [
        ServerSentEvent(event: "message_start", data: "{\"text\": \"héllo 👋\"}", id: "42"),
        ServerSentEvent(event: nil, data: "first line\n second line keeps one space\n", id: "42"),
        ServerSentEvent(event: nil, data: "日本語 ✓", id: "42"),
        ServerSentEvent(event: nil, data: "[DONE]", id: "42"),
    ]

    private func parse(_ pieces: [ArraySlice<UInt8>]) throws -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        var events: [ServerSentEvent] = []
        for piece in pieces { events += try parser.feed(ByteBuffer(bytes: piece)) }
        #expect(parser.finish() == nil)
        return events
    }

    @Test func wholeStreamAtOnce() throws {
        #expect(try parse([Self.sample[...]]) == Self.expected)
    }

    @Test func everySplitIntoThreePiecesGivesTheSameEvents() throws {
        let bytes = Self.sample
        for first in 0...bytes.count {
            for second in first...bytes.count where second == first || (second - first) % 3 == 0 {
                let pieces = [bytes[..<first], bytes[first..<second], bytes[second...]]
                let events = try parse(pieces)
                #expect(events == Self.expected, "split at \(first), \(second)")
                if events != Self.expected { return }
            }
        }
    }

    @Test func oneByteAtATime() throws {
        let pieces = Self.sample.indices.map { Self.sample[$0...$0] }
        #expect(try parse(pieces) == Self.expected)
    }

    @Test func carriageReturnAtTheEndOfOneReadAndLineFeedAtTheStartOfTheNext() throws {
        var parser = ServerSentEventParser()
        #expect(try parser.feed(ByteBuffer(string: "data: a\r")).isEmpty)
        // The LF completes the CRLF of the previous line; it must not count as the blank line that ends the event.
        #expect(try parser.feed(ByteBuffer(string: "\ndata: b\r")).isEmpty)
        #expect(try parser.feed(ByteBuffer(string: "\n\r\n")) == [ServerSentEvent(data: "a\nb")])
    }

    @Test func byteOrderMarkAtTheStartIsIgnored() throws {
        var parser = ServerSentEventParser()
        let events = try parser.feed(ByteBuffer(bytes: [0xEF, 0xBB, 0xBF] + Array("data: x\n\n".utf8)))
        #expect(events == [ServerSentEvent(data: "x")])
    }

    @Test func finishReturnsAnEventWhoseBlankLineNeverCame() throws {
        var parser = ServerSentEventParser()
        #expect(try parser.feed(ByteBuffer(string: "data: [DONE]")).isEmpty)
        #expect(parser.finish() == ServerSentEvent(data: "[DONE]"))
    }

    @Test func oversizedEventIsRejected() throws {
        var parser = ServerSentEventParser(maximumEventSize: 64)
        let line = "data: " + String(repeating: "x", count: 100)
        #expect(throws: ProviderError.self) { try parser.feed(ByteBuffer(string: line)) }
    }
}
