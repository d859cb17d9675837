import AnvilPluginKit
import Foundation
import Hummingbird
import OpenAPIKit

/// The OpenAPI document and the HTML page rendering it, built once at startup.
///
/// Both are encoded into buffers here so `GET /openapi.json` and `GET /docs` only hand out bytes: no per-request
/// encoding or rendering.
struct APIDocumentation: Sendable {
    /// The OpenAPI 3.1 document as JSON, keys sorted so the output is stable from build to build.
    let json: ByteBuffer
    /// The `/docs` page, rendered from the same document values as `json`.
    let html: ByteBuffer

    init(plugins: [PluginAPI] = []) throws {
        let document = try APIDocument.make(plugins: plugins)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        json = ByteBuffer(bytes: try encoder.encode(document))
        html = ByteBuffer(string: try DocsPage(document: document).render())
    }
}
