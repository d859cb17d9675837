import AnvilCore
import Foundation

/// `create_note`: saves a note for the user.
struct CreateNoteTool: Tool {
    let notes: NotesPlugin

    var spec: ToolSpec {
        ToolSpec(
            name: "create_note",
            description: "Save a new note for the user (Markdown), with an optional title and tags.",
            parameters: [
                "type": "object",
                "properties": [
                    "content": ["type": "string", "minLength": 1, "description": "The note's text, in Markdown."],
                    "title": [
                        "type": "string", "maxLength": .integer(Int64(NoteRules.maxTitleLength)),
                        "description": "A short title; made from the first line when left out.",
                    ],
                    "tags": [
                        "type": "array", "items": ["type": "string"], "maxItems": .integer(Int64(NoteRules.maxTags)),
                        "description": "Words to file the note under, such as project names.",
                    ],
                ],
                "required": ["content"],
            ]
        )
    }

    func call(arguments: [String: JSONValue], context: ToolContext) async throws -> ToolOutput {
        let note = try await notes.create(
            ownerID: context.userID,
            title: arguments["title"]?.stringValue,
            content: arguments["content"]?.stringValue ?? "",
            tags: arguments["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []
        )
        return ToolOutput(content: "Saved note \(note.id): \"\(note.title)\"" + NoteText.tags(note.tags))
    }
}

/// `search_notes`: finds the user's notes by words, or lists the latest.
struct SearchNotesTool: Tool {
    let notes: NotesPlugin

    var spec: ToolSpec {
        ToolSpec(
            name: "search_notes",
            description: "Find the user's notes by what they say, or list the most recent ones when no query is given.",
            parameters: [
                "type": "object",
                "properties": [
                    "query": ["type": "string", "description": "Words to look for."],
                    "tag": ["type": "string", "description": "Only notes with this tag."],
                    "limit": ["type": "integer", "minimum": 1, "maximum": 20, "default": 5],
                ],
            ]
        )
    }

    func call(arguments: [String: JSONValue], context: ToolContext) async throws -> ToolOutput {
        let limit = arguments["limit"].flatMap { if case .integer(let n) = $0 { Int(n) } else { nil } } ?? 5
        let query = arguments["query"]?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let found: [Note]
        if query.isEmpty {
            let tag = try arguments["tag"]?.stringValue.map { try NoteRules.tags([$0]).first } ?? nil
            found = try await notes.store.list(ownerID: context.userID, tag: tag, page: PageRequest(limit: limit)).items
        } else {
            var hits = try await notes.store.search(ownerID: context.userID, query: query, limit: limit * 2).map(\.note)
            if let tag = arguments["tag"]?.stringValue?.lowercased() { hits = hits.filter { $0.tags.contains(tag) } }
            found = Array(hits.prefix(limit))
        }
        guard !found.isEmpty else { return ToolOutput(content: "No notes found.") }
        return ToolOutput(content: found.map(NoteText.summary).joined(separator: "\n\n"))
    }
}

/// `update_note`: changes a note's title, tags or content, or appends to it.
struct UpdateNoteTool: Tool {
    let notes: NotesPlugin

    var spec: ToolSpec {
        ToolSpec(
            name: "update_note",
            description: "Change one of the user's notes (find its id with search_notes): replace or append content, "
                + "rename it, or set its tags.",
            parameters: [
                "type": "object",
                "properties": [
                    "id": ["type": "string", "description": "The note's id."],
                    "content": ["type": "string", "description": "New content, or text to append."],
                    "append": ["type": "boolean", "default": false, "description": "Add the content at the end."],
                    "title": ["type": "string", "minLength": 1],
                    "tags": ["type": "array", "items": ["type": "string"]],
                ],
                "required": ["id"],
            ]
        )
    }

    func call(arguments: [String: JSONValue], context: ToolContext) async throws -> ToolOutput {
        let note = try await notes.update(
            id: arguments["id"]?.stringValue ?? "",
            ownerID: context.userID,
            title: arguments["title"]?.stringValue,
            content: arguments["content"]?.stringValue,
            tags: arguments["tags"]?.arrayValue?.compactMap(\.stringValue),
            appending: arguments["append"] == .bool(true)
        )
        return ToolOutput(content: "Updated note \(note.id): \"\(note.title)\"" + NoteText.tags(note.tags))
    }
}

/// `delete_note`: removes a note for good.
struct DeleteNoteTool: Tool {
    let notes: NotesPlugin

    var spec: ToolSpec {
        ToolSpec(
            name: "delete_note",
            description: "Delete one of the user's notes for good (find its id with search_notes).",
            parameters: ["type": "object", "properties": ["id": ["type": "string"]], "required": ["id"]]
        )
    }

    func call(arguments: [String: JSONValue], context: ToolContext) async throws -> ToolOutput {
        let id = arguments["id"]?.stringValue ?? ""
        guard try await notes.store.delete(id: id, ownerID: context.userID) else { throw NoteError.notFound }
        return ToolOutput(content: "Deleted note \(id).")
    }
}

/// How notes read in tool results.
enum NoteText {
    static let previewLength = 400

    static func tags(_ tags: [String]) -> String {
        tags.isEmpty ? "" : " [" + tags.joined(separator: ", ") + "]"
    }

    static func summary(_ note: Note) -> String {
        let preview =
            note.content.count > previewLength ? String(note.content.prefix(previewLength)) + "…" : note.content
        return "## \(note.title) (id \(note.id))\(tags(note.tags))\n\(preview)"
    }
}
