/// A fetched body judged readable: its media type (declared or sniffed) and how to present it.
struct FetchedDocument {
    let mediaType: MediaType
    private let result: FetchResult

    /// - Throws: `BrowseError.binaryContent` when the body is not text. Without a `Content-Type` the body is sniffed:
    ///   markup is read as HTML, anything without NUL bytes as plain text.
    init(_ result: FetchResult) throws {
        self.result = result
        if let declared = result.contentType.flatMap(MediaType.init) {
            guard declared.isTextual else { throw BrowseError.binaryContent(type: declared.essence) }
            mediaType = declared
            return
        }
        let head = result.body.prefix(1024)
        guard !head.contains(0) else { throw BrowseError.binaryContent(type: "unlabelled binary") }
        let start = String(decoding: head, as: UTF8.self).trimmingASCIIWhitespace().lowercased()
        let looksLikeHTML = start.hasPrefix("<!doctype html") || start.hasPrefix("<html")
        mediaType = MediaType(essence: looksLikeHTML ? "text/html" : "text/plain")
    }

    /// The lines every result starts with: where the content came from and what it is (and, for a page, its
    /// title), then what happened on the way.
    func header(title: String? = nil, bodyLimit: Int) -> [String] {
        var lines = [
            "URL: \(result.finalURL)",
            "Content-Type: \(result.contentType ?? "\(mediaType.essence) (not declared)")",
            "Status: \(result.status)",
        ]
        if let title { lines.append("Title: \(title)") }
        if !result.redirectChain.isEmpty {
            lines.append("Redirected from: \(result.redirectChain.joined(separator: " -> "))")
        }
        if result.isTruncated {
            lines.append("Note: the body is longer than \(bodyLimit) bytes; only the first \(bodyLimit) were read.")
        }
        return lines
    }

    /// The body as text, in its declared charset.
    func text() -> String {
        String(decodingBody: result.body, charset: mediaType.charset)
    }
}
