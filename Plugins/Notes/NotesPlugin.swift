import AnvilCore
import AnvilPluginKit
import AnvilStore
import Foundation
import Hummingbird

/// The `notes` plugin: per-user Markdown notes with tags and full-text search, as a REST resource and as tools.
public struct NotesPlugin: ToolPlugin {
    public static let id = "notes"
    public static let summary = "Personal Markdown notes with tags and full-text search."
    public static var migrations: [Migration] { NoteStore.migrations }

    public struct Configuration: Decodable, Sendable {
        /// The longest note, in bytes of UTF-8.
        public var maxContentBytes: Int
        /// How many notes a search returns unless asked for fewer.
        public var searchLimit: Int
    }

    public static var configurationSchema: JSONValue {
        [
            "type": "object",
            "additionalProperties": false,
            "properties": [
                "max_content_bytes": ["type": "integer", "minimum": 1024, "maximum": 10_485_760, "default": 200_000],
                "search_limit": ["type": "integer", "minimum": 1, "maximum": 100, "default": 10],
            ],
        ]
    }

    let configuration: Configuration
    let store: NoteStore

    public init(configuration: Configuration, context: PluginContext) {
        self.configuration = configuration
        self.store = NoteStore(database: context.database, embedder: context.embedder)
    }

    public var tools: [any Tool] {
        [
            CreateNoteTool(notes: self), SearchNotesTool(notes: self), UpdateNoteTool(notes: self),
            DeleteNoteTool(notes: self),
        ]
    }

    public func addRoutes(to routes: RouterGroup<AnvilRequestContext>) {
        NotesController(notes: self).addRoutes(to: routes.group("notes"))
    }

    public var api: PluginAPI { NotesAPI.description(maxContentBytes: configuration.maxContentBytes) }

    // MARK: Operations shared by the routes and the tools

    func create(ownerID: String, title: String?, content: String, tags: [String]) async throws -> Note {
        let checkedContent = try NoteRules.content(content, maxBytes: configuration.maxContentBytes)
        let note = Note(
            ownerID: ownerID,
            title: try NoteRules.title(title, content: checkedContent),
            content: checkedContent,
            tags: try NoteRules.tags(tags)
        )
        try await store.create(note)
        return note
    }

    func update(
        id: String,
        ownerID: String,
        title: String?,
        content: String?,
        tags: [String]?,
        appending: Bool = false
    ) async throws -> Note {
        guard var note = try await store.find(id: id, ownerID: ownerID) else { throw NoteError.notFound }
        if let content {
            let combined = appending && !note.content.isEmpty ? note.content + "\n\n" + content : content
            note.content = try NoteRules.content(combined, maxBytes: configuration.maxContentBytes)
        }
        if let title { note.title = try NoteRules.title(title, content: note.content) }
        if let tags { note.tags = try NoteRules.tags(tags) }
        note.updatedAt = max(Date(), note.updatedAt)
        guard try await store.update(note) else { throw NoteError.notFound }
        return note
    }
}
