import AnvilPluginKit
import OpenAPIKit

/// The OpenAPI description of `/api/v1/notes`.
enum NotesAPI {
    static func description(maxContentBytes: Int) -> PluginAPI {
        PluginAPI(
            tag: .init(
                name: "Notes",
                description: "Your Markdown notes: tags, full-text search, and the same notes the model reaches with "
                    + "its note tools. Other users' notes answer 404."
            ),
            schemas: schemas(maxContentBytes: maxContentBytes),
            operations: operations
        )
    }

    static let tagSchema = APISchema.string(
        minLength: 1, maxLength: NoteRules.maxTagLength, pattern: NoteRules.tagPattern)

    static func schemas(maxContentBytes: Int) -> [(name: String, schema: APISchema)] {
        let timestamp = APISchema.string(format: .dateTime)
        return [
            (
                "Note",
                .object(
                    description: "A note.",
                    properties: [
                        "id": .string,
                        "title": .string(maxLength: NoteRules.maxTitleLength),
                        "content": .string(description: "Markdown."),
                        "tags": .array(items: tagSchema),
                        "created_at": timestamp,
                        "updated_at": timestamp,
                    ]
                )
            ),
            (
                "NotePage",
                .object(
                    properties: [
                        "data": .array(items: .reference("Note")),
                        "total": .integer(minimum: (0, exclusive: false)),
                        "limit": .integer,
                        "offset": .integer,
                    ]
                )
            ),
            (
                "NoteSearchResult",
                .object(
                    description: "Notes matching the query, best first.",
                    properties: [
                        "data": .array(
                            items: .object(
                                properties: [
                                    "note": .reference("Note"),
                                    "score": .number(description: "Relevance; higher is better."),
                                ]
                            )
                        )
                    ]
                )
            ),
            (
                "CreateNoteRequest",
                .object(
                    properties: [
                        "title": .string(
                            required: false,
                            description: "Made from the content's first line when left out or blank.",
                            maxLength: NoteRules.maxTitleLength
                        ),
                        "content": .string(
                            description: "Markdown, at most \(maxContentBytes) bytes of UTF-8. A note with no "
                                + "title needs some content.",
                            pattern: "\\S"
                        ),
                        "tags": .array(required: false, maxItems: NoteRules.maxTags, items: tagSchema),
                    ]
                )
            ),
            (
                "UpdateNoteRequest",
                .object(
                    description: "The fields to change; those left out keep their values.",
                    properties: [
                        "title": .string(required: false, maxLength: NoteRules.maxTitleLength, pattern: "\\S"),
                        "content": .string(required: false),
                        "tags": .array(required: false, maxItems: NoteRules.maxTags, items: tagSchema),
                    ]
                )
            ),
        ]
    }

    static var operations: [PluginAPI.Operation] {
        [
            .init(
                .post, "/notes", id: "createNote", summary: "Create a note",
                description: "Stores a note and indexes it for search at once.",
                body: .json(.reference("CreateNoteRequest")),
                responses: [.init(201, "The new note.", json: .reference("Note"))]
            ),
            .init(
                .get, "/notes", id: "listNotes", summary: "List notes",
                description: "Your notes, most recently changed first; `tag` keeps those with that tag.",
                parameters: [.limit, .offset, .query("tag", tagSchema, description: "Only notes with this tag.")],
                responses: [.init(200, "A page of notes.", json: .reference("NotePage"))]
            ),
            .init(
                .get, "/notes/search", id: "searchNotes", summary: "Search notes",
                description: "Full-text search over titles, content and tags, ranked by BM25.",
                parameters: [
                    .query(
                        "q", .string(minLength: 1, maxLength: 1000, pattern: "\\S"), description: "What to look for.",
                        required: true),
                    .query(
                        "limit", .integer(maximum: (100, exclusive: false), minimum: (1, exclusive: false)),
                        description: "How many notes to return, 1 to 100."),
                ],
                responses: [.init(200, "The best matches.", json: .reference("NoteSearchResult"))]
            ),
            .init(
                .get, "/notes/{id}", id: "getNote", summary: "Get a note", description: "One of your notes.",
                parameters: [.path("id", description: "The note's id.")],
                responses: [.init(200, "The note.", json: .reference("Note"))],
                errors: [404]
            ),
            .init(
                .patch, "/notes/{id}", id: "updateNote", summary: "Update a note",
                description: "Changes the fields sent; the search index follows in the same transaction.",
                parameters: [.path("id", description: "The note's id.")],
                body: .json(.reference("UpdateNoteRequest")),
                responses: [.init(200, "The updated note.", json: .reference("Note"))],
                errors: [404]
            ),
            .init(
                .delete, "/notes/{id}", id: "deleteNote", summary: "Delete a note",
                description: "Deletes the note and its search entry.",
                parameters: [.path("id", description: "The note's id.")],
                responses: [.init(204, "Deleted.")],
                errors: [404]
            ),
        ]
    }
}
