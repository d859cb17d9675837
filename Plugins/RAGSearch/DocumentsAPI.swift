import AnvilPluginKit
import OpenAPIKit

/// The OpenAPI description of `/api/v1/documents`.
enum DocumentsAPI {
    static var description: PluginAPI {
        let idParameter = PluginAPI.Parameter.path("id", description: "The document's id.")
        return PluginAPI(
            tag: .init(
                name: "Documents",
                description: "Documents you upload for retrieval: chunked on their structure and indexed for full-text "
                    + "(and, with an embedding model, vector) search. Chats with `use_rag` cite them. Other users' "
                    + "documents answer 404."
            ),
            schemas: schemas,
            operations: [
                .init(
                    .post, "/documents", id: "uploadDocument", summary: "Upload a document",
                    description: """
                        Stores, chunks and indexes a document: JSON with the text, or `multipart/form-data` with a \
                        `file` part (text, Markdown, HTML, or PDF when `pdftotext` is installed) and optional \
                        `title`, `mime_type` and `metadata` parts. 415 for a type the server cannot read.
                        """,
                    body: .content(
                        [
                            (.json, .reference("UploadDocumentRequest")),
                            (
                                .multipartForm,
                                .object(properties: [
                                    "file": .string(contentEncoding: .binary),
                                    "title": .string(required: false),
                                    "mime_type": .string(required: false),
                                    "metadata": .string(required: false, description: "A JSON object."),
                                ])
                            ),
                        ],
                        description: "The document, as JSON or as a multipart upload."
                    ),
                    responses: [.init(201, "The stored document.", json: .reference("Document"))],
                    errors: [415, 422]
                ),
                .init(
                    .get, "/documents", id: "listDocuments", summary: "List documents",
                    description: "Your documents, newest first.",
                    parameters: [.limit, .offset],
                    responses: [.init(200, "A page of documents.", json: .reference("DocumentPage"))]
                ),
                .init(
                    .post, "/documents/search", id: "searchDocuments", summary: "Search documents",
                    description: "The passages of your documents that best match `query`, with their offsets.",
                    body: .json(.reference("SearchDocumentsRequest")),
                    responses: [.init(200, "Ranked passages.", json: .reference("DocumentSearchResult"))]
                ),
                .init(
                    .get, "/documents/{id}", id: "getDocument", summary: "Get a document",
                    description: "A document's details.",
                    parameters: [idParameter],
                    responses: [.init(200, "The document.", json: .reference("Document"))],
                    errors: [404]
                ),
                .init(
                    .get, "/documents/{id}/content", id: "downloadDocument", summary: "Download a document",
                    description: "The original upload, with its media type.",
                    parameters: [idParameter],
                    responses: [.init(200, "The original bytes.", content: (.any, .string(contentEncoding: .binary)))],
                    errors: [404]
                ),
                .init(
                    .post, "/documents/{id}/reindex", id: "reindexDocument", summary: "Re-index a document",
                    description: "Extracts, chunks and indexes the original upload again.",
                    parameters: [idParameter],
                    responses: [.init(200, "The document.", json: .reference("Document"))],
                    errors: [404]
                ),
                .init(
                    .delete, "/documents/{id}", id: "deleteDocument", summary: "Delete a document",
                    description: "Deletes the document, its chunks and their index entries.",
                    parameters: [idParameter],
                    responses: [.init(204, "Deleted.")],
                    errors: [404]
                ),
            ]
        )
    }

    static var schemas: [(name: String, schema: APISchema)] {
        [
            (
                "Document",
                .object(properties: [
                    "id": .string, "title": .string, "mime_type": .string, "metadata": .object,
                    "byte_size": .integer, "text_length": .integer, "chunk_count": .integer,
                    "created_at": .string(format: .dateTime), "updated_at": .string(format: .dateTime),
                ])
            ),
            (
                "DocumentPage",
                .object(properties: [
                    "data": .array(items: .reference("Document")),
                    "total": .integer, "limit": .integer, "offset": .integer,
                ])
            ),
            (
                "UploadDocumentRequest",
                .object(properties: [
                    "title": .string(minLength: 1, maxLength: 500, pattern: "\\S"),
                    "content": .string(description: "The document's text."),
                    "mime_type": .string(
                        required: false,
                        allowedValues: ["text/plain", "text/markdown", "text/html"]
                    ),
                    "metadata": .object(required: false),
                ])
            ),
            (
                "SearchDocumentsRequest",
                .object(properties: [
                    "query": .string(minLength: 1, maxLength: 2000, pattern: "\\S"),
                    "k": .integer(required: false, maximum: (200, exclusive: false), minimum: (1, exclusive: false)),
                    "document_ids": .array(required: false, items: .string),
                ])
            ),
            (
                "DocumentSearchResult",
                .object(properties: [
                    "data": .array(
                        items: .object(properties: [
                            "document_id": .string, "document_title": .string, "chunk_id": .string,
                            "chunk_index": .integer, "start_offset": .integer, "end_offset": .integer,
                            "section": .string(nullable: true), "text": .string, "score": .number,
                        ])
                    )
                ])
            ),
        ]
    }
}
