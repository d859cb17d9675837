/// A `Content-Type` value reduced to what the tools decide on: the type itself and the charset.
struct MediaType: Hashable {
    /// `type/subtype`, lowercased, without parameters.
    let essence: String
    /// The `charset` parameter as sent (quotes removed), if any.
    let charset: String?

    init(essence: String, charset: String? = nil) {
        self.essence = essence
        self.charset = charset
    }

    /// Parses `text/html; charset="ISO-8859-1"`; returns `nil` when there is no `type/subtype`.
    init?(_ header: String) {
        let parts = header.split(separator: ";").map { $0.trimmingASCIIWhitespace() }
        guard let first = parts.first, first.contains("/"), !first.contains(" ") else { return nil }
        essence = first.lowercased()
        var charset: String?
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingASCIIWhitespace().lowercased() == "charset" else { continue }
            var value = pair[1].trimmingASCIIWhitespace()
            if value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            if !value.isEmpty { charset = value }
        }
        self.charset = charset
    }

    /// HTML, which the browse tool turns into readable text.
    var isHTML: Bool { essence == "text/html" || essence == "application/xhtml+xml" }

    /// Whether the body is text a model can read: `text/*`, XHTML, XML, JSON and JSON-LD, and any `+xml` or `+json`
    /// type (RSS, Atom, SVG source, problem+json). Everything else (images, PDFs, archives, octet streams) is refused
    /// before its body is downloaded.
    var isTextual: Bool {
        if essence.hasPrefix("text/") { return true }
        if essence.hasSuffix("+xml") || essence.hasSuffix("+json") { return true }
        return Self.textualApplicationTypes.contains(essence)
    }

    private static let textualApplicationTypes: Set<String> = [
        "application/xhtml+xml", "application/xml", "application/json", "application/ld+json",
    ]
}
