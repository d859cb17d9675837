import AnvilCore
import AnvilPluginKit
import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// `/api/v1/documents`: upload (JSON or a multipart file), list, get, download, re-index, delete and search the
/// caller's documents.
struct DocumentsController {
    let library: DocumentLibrary

    func addRoutes(to group: RouterGroup<AnvilRequestContext>) {
        group.post(use: upload)
        group.get(use: list)
        group.post("search", use: search)
        group.get(":id", use: get)
        group.get(":id/content", use: download)
        group.post(":id/reindex", use: reindex)
        group.delete(":id", use: delete)
    }

    struct JSONUpload: Decodable {
        var title: String
        var content: String
        var mimeType: String?
        var metadata: [String: JSONValue]?

        enum CodingKeys: String, CodingKey {
            case title, content, metadata
            case mimeType = "mime_type"
        }
    }

    struct SearchRequest: Decodable {
        var query: String
        var k: Int?
        var documentIDs: [String]?

        enum CodingKeys: String, CodingKey {
            case query, k
            case documentIDs = "document_ids"
        }
    }

    @Sendable func upload(_ request: Request, context: AnvilRequestContext) async throws -> JSONResponse<DocumentBody> {
        let user = try context.requireUser()
        let contentType = request.headers[.contentType] ?? ""
        let upload: DocumentUpload
        if contentType.lowercased().hasPrefix("multipart/form-data") {
            upload = try await multipartUpload(request, contentType: contentType, context: context)
        } else {
            let body = try await request.decodeJSON(as: JSONUpload.self, context: context)
            upload = DocumentUpload(
                title: body.title,
                text: body.content,
                mimeType: body.mimeType ?? "text/plain",
                metadata: .object(body.metadata ?? [:])
            )
        }
        let document = try await mapped { try await library.ingest(upload, ownerID: user.id) }
        return JSONResponse(status: .created, DocumentBody(document))
    }

    /// Reads a `multipart/form-data` upload: a `file` part (its filename and content type are used when no
    /// `title` or `mime_type` part says otherwise) and optional `title`, `mime_type` and `metadata` (JSON) parts.
    private func multipartUpload(
        _ request: Request,
        contentType: String,
        context: AnvilRequestContext
    ) async throws -> DocumentUpload {
        guard let boundary = Self.boundary(in: contentType) else {
            throw APIError.invalidRequest("A multipart upload needs a boundary in its Content-Type.")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.payloadTooLarge(limit: context.maxUploadSize)
        }
        let parts = try Self.parts(of: buffer, boundary: boundary)
        guard let file = parts.first(where: { $0.name == "file" }) else {
            throw APIError.invalidField("file", "A multipart upload needs a part named 'file'.")
        }
        let title =
            parts.first { $0.name == "title" }.map { String(decoding: $0.body, as: UTF8.self) }
            ?? file.filename ?? ""
        let mimeType =
            parts.first { $0.name == "mime_type" }.map { String(decoding: $0.body, as: UTF8.self) }
            ?? file.contentType ?? Self.mediaType(forFilename: file.filename)
        var metadata: JSONValue = .object([:])
        if let part = parts.first(where: { $0.name == "metadata" }) {
            guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(part.body)), value.objectValue != nil
            else { throw APIError.invalidField("metadata", "The metadata part must be a JSON object.") }
            metadata = value
        }
        return DocumentUpload(title: title, mimeType: mimeType, content: Data(file.body), metadata: metadata)
    }

    struct Part {
        var name: String?
        var filename: String?
        var contentType: String?
        var body: [UInt8] = []
    }

    static func parts(of buffer: ByteBuffer, boundary: String) throws -> [Part] {
        let parser = MultipartParser(boundary: boundary)
        var parts: [Part] = []
        var current = Part()
        parser.onHeader = { name, value in
            switch name.lowercased() {
            case "content-disposition":
                current.name = Self.parameter("name", in: value)
                current.filename = Self.parameter("filename", in: value)
            case "content-type":
                current.contentType = value
            default: break
            }
        }
        parser.onBody = { chunk in current.body += chunk.readableBytesView }
        parser.onPartComplete = {
            parts.append(current)
            current = Part()
        }
        do {
            try parser.execute(buffer)
        } catch {
            throw APIError.invalidRequest("The multipart body could not be read: \(error).")
        }
        return parts
    }

    static func boundary(in contentType: String) -> String? {
        parameter("boundary", in: contentType)
    }

    /// A `name=value` or `name="value"` parameter of a header value.
    static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == name else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return value
        }
        return nil
    }

    static func mediaType(forFilename filename: String?) -> String {
        switch filename.map({ URL(fileURLWithPath: $0).pathExtension.lowercased() }) {
        case "md", "markdown": "text/markdown"
        case "html", "htm": "text/html"
        case "pdf": "application/pdf"
        default: "text/plain"
        }
    }

    @Sendable func list(_ request: Request, context: AnvilRequestContext) async throws -> JSONResponse<
        PageRepresentation<DocumentBody>
    > {
        let user = try context.requireUser()
        let page = try request.pageRequest()
        let documents = try await library.list(ownerID: user.id, limit: page.limit, offset: page.offset)
        let total = try await library.count(ownerID: user.id)
        return JSONResponse(
            PageRepresentation(
                Page(items: documents, total: total, limit: page.limit, offset: page.offset),
                transform: DocumentBody.init))
    }

    @Sendable func get(_ request: Request, context: AnvilRequestContext) async throws -> JSONResponse<DocumentBody> {
        let user = try context.requireUser()
        guard let document = try await library.document(id: try context.pathParameter("id"), ownerID: user.id) else {
            throw APIError.notFound("Document")
        }
        return JSONResponse(DocumentBody(document))
    }

    @Sendable func download(_ request: Request, context: AnvilRequestContext) async throws -> Response {
        let user = try context.requireUser()
        guard let content = try await library.content(id: try context.pathParameter("id"), ownerID: user.id) else {
            throw APIError.notFound("Document")
        }
        var headers: HTTPFields = [.contentType: content.mimeType]
        let safeName = String(
            content.title.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" })
        headers[.contentDisposition] = "attachment; filename=\"\(safeName.isEmpty ? "document" : safeName)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: content.data)))
    }

    @Sendable func reindex(_ request: Request, context: AnvilRequestContext) async throws -> JSONResponse<DocumentBody>
    {
        let user = try context.requireUser()
        let id = try context.pathParameter("id")
        let document = try await mapped { try await library.reindex(documentID: id, ownerID: user.id) }
        return JSONResponse(DocumentBody(document))
    }

    @Sendable func delete(_ request: Request, context: AnvilRequestContext) async throws -> Response {
        let user = try context.requireUser()
        guard try await library.delete(documentID: try context.pathParameter("id"), ownerID: user.id) else {
            throw APIError.notFound("Document")
        }
        return Response(status: .noContent)
    }

    @Sendable func search(_ request: Request, context: AnvilRequestContext) async throws -> JSONResponse<
        DocumentSearchBody
    > {
        let user = try context.requireUser()
        let body = try await request.decodeJSON(as: SearchRequest.self, context: context)
        let query = body.query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !query.isEmpty, query.count <= 2000 else {
            throw APIError.invalidField("query", "query must be 1 to 2000 characters of search text.")
        }
        let k = body.k ?? 5
        guard (1...DocumentLibrary.maxResults).contains(k) else {
            throw APIError.invalidField("k", "k must be from 1 to \(DocumentLibrary.maxResults).")
        }
        let results = try await mapped {
            try await library.search(
                DocumentSearchRequest(query: query, k: k, documentIDs: body.documentIDs), ownerID: user.id)
        }
        return JSONResponse(DocumentSearchBody(data: results.map(SearchResultBody.init)))
    }

    private func mapped<Value>(_ operation: () async throws -> Value) async throws -> Value {
        do {
            return try await operation()
        } catch let error as RAGSearchError {
            switch error {
            case .documentNotFound: throw APIError.notFound("Document")
            case .invalidRequest(let reason):
                throw APIError.invalidRequest(reason.prefix(1).uppercased() + reason.dropFirst() + ".")
            case .unsupportedMediaType(let type):
                throw APIError(
                    status: .unsupportedMediaType, code: "unsupported_media_type",
                    message: "Documents can be text/plain, text/markdown, text/html or application/pdf, not \(type).")
            case .extractorUnavailable(let tool):
                throw APIError(
                    status: .unsupportedMediaType, code: "unsupported_media_type",
                    message: "This server cannot read that type of document: \(tool) is not installed.")
            case .extractionFailed(let reason):
                throw APIError(
                    status: .unprocessableContent, code: "unreadable_document",
                    message: "Could not read the document: \(reason).")
            }
        }
    }
}

struct DocumentBody: Encodable, Sendable {
    let document: Document

    init(_ document: Document) { self.document = document }

    enum CodingKeys: String, CodingKey {
        case id, title, metadata
        case mimeType = "mime_type"
        case byteSize = "byte_size"
        case textLength = "text_length"
        case chunkCount = "chunk_count"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(document.id, forKey: .id)
        try container.encode(document.title, forKey: .title)
        try container.encode(document.mimeType, forKey: .mimeType)
        try container.encode(document.metadata, forKey: .metadata)
        try container.encode(document.byteSize, forKey: .byteSize)
        try container.encode(document.textLength, forKey: .textLength)
        try container.encode(document.chunkCount, forKey: .chunkCount)
        try container.encode(document.createdAt, forKey: .createdAt)
        try container.encode(document.updatedAt, forKey: .updatedAt)
    }
}

struct SearchResultBody: Encodable, Sendable {
    let result: DocumentSearchResult

    enum CodingKeys: String, CodingKey {
        case text, score, section
        case documentID = "document_id"
        case documentTitle = "document_title"
        case chunkID = "chunk_id"
        case chunkIndex = "chunk_index"
        case startOffset = "start_offset"
        case endOffset = "end_offset"
    }

    init(_ result: DocumentSearchResult) { self.result = result }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(result.documentID, forKey: .documentID)
        try container.encode(result.documentTitle, forKey: .documentTitle)
        try container.encode(result.chunkID, forKey: .chunkID)
        try container.encode(result.chunkIndex, forKey: .chunkIndex)
        try container.encode(result.startOffset, forKey: .startOffset)
        try container.encode(result.endOffset, forKey: .endOffset)
        try container.encode(result.section, forKey: .section)
        try container.encode(result.text, forKey: .text)
        try container.encode(result.score, forKey: .score)
    }
}

struct DocumentSearchBody: Encodable, Sendable {
    var data: [SearchResultBody]
}
