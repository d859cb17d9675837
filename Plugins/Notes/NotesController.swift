import AnvilCore
import AnvilPluginKit
import Foundation
import Hummingbird

/// `/api/v1/notes`: create, list (paginated, by tag), get, update, delete and search the caller's notes.
struct NotesController {
    let notes: NotesPlugin

    func addRoutes(to group: RouterGroup<AnvilRequestContext>) {
        group.post(use: create)
        group.get(use: list)
        group.get("search", use: search)
        group.get(":id", use: get)
        group.patch(":id", use: update)
        group.delete(":id", use: delete)
    }

    struct CreateRequest: Decodable {
        var title: String?
        var content: String
        var tags: [String]?
    }

    struct UpdateRequest: Decodable {
        var title: String?
        var content: String?
        var tags: [String]?

        enum CodingKeys: String, CodingKey { case title, content, tags }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            title = try container.decodeNonNullUpdate(String.self, forKey: .title)
            content = try container.decodeNonNullUpdate(String.self, forKey: .content)
            tags = try container.decodeNonNullUpdate([String].self, forKey: .tags)
        }
    }

    @Sendable func create(_ request: Request, context: AnvilRequestContext) async throws -> JSONResponse<NoteBody> {
        let user = try context.requireUser()
        let body = try await request.decodeJSON(as: CreateRequest.self, context: context)
        let note = try await mapped {
            try await notes.create(ownerID: user.id, title: body.title, content: body.content, tags: body.tags ?? [])
        }
        return JSONResponse(status: .created, NoteBody(note))
    }

    @Sendable func list(_ request: Request, context: AnvilRequestContext) async throws -> JSONResponse<
        PageRepresentation<NoteBody>
    > {
        let user = try context.requireUser()
        let page = try request.pageRequest()
        var tag: String?
        if let value = request.uri.queryParameters["tag"] {
            guard let normalized = try? NoteRules.tags([String(value)]).first else {
                throw APIError.invalidQuery(
                    "tag", "Query parameter 'tag' must be a tag: letters, digits, '_', '.' or '-'.")
            }
            tag = normalized
        }
        let result = try await notes.store.list(ownerID: user.id, tag: tag, page: page)
        return JSONResponse(PageRepresentation(result, transform: NoteBody.init))
    }

    @Sendable func search(_ request: Request, context: AnvilRequestContext) async throws -> JSONResponse<
        NoteSearchResult
    > {
        let user = try context.requireUser()
        let query = request.uri.queryParameters["q"].map(String.init)?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let query, !query.isEmpty, query.count <= 1000 else {
            throw APIError.invalidQuery("q", "Query parameter 'q' must be 1 to 1000 characters of search text.")
        }
        var limit = notes.configuration.searchLimit
        if let value = request.uri.queryParameters["limit"] {
            guard let number = Int(value), (1...100).contains(number) else {
                throw APIError.invalidQuery("limit", "Query parameter 'limit' must be an integer from 1 to 100.")
            }
            limit = number
        }
        let hits = try await notes.store.search(ownerID: user.id, query: query, limit: limit)
        return JSONResponse(
            NoteSearchResult(data: hits.map { NoteSearchHit(note: NoteBody($0.note), score: $0.score) }))
    }

    @Sendable func get(_ request: Request, context: AnvilRequestContext) async throws -> JSONResponse<NoteBody> {
        let user = try context.requireUser()
        guard let note = try await notes.store.find(id: try context.pathParameter("id"), ownerID: user.id) else {
            throw APIError.notFound("Note")
        }
        return JSONResponse(NoteBody(note))
    }

    @Sendable func update(_ request: Request, context: AnvilRequestContext) async throws -> JSONResponse<NoteBody> {
        let user = try context.requireUser()
        let id = try context.pathParameter("id")
        let body = try await request.decodeJSON(as: UpdateRequest.self, context: context)
        let note = try await mapped {
            try await notes.update(id: id, ownerID: user.id, title: body.title, content: body.content, tags: body.tags)
        }
        return JSONResponse(NoteBody(note))
    }

    @Sendable func delete(_ request: Request, context: AnvilRequestContext) async throws -> Response {
        let user = try context.requireUser()
        guard try await notes.store.delete(id: try context.pathParameter("id"), ownerID: user.id) else {
            throw APIError.notFound("Note")
        }
        return Response(status: .noContent)
    }

    /// Runs `operation`, turning note errors into the API's error shape.
    private func mapped<Value>(_ operation: () async throws -> Value) async throws -> Value {
        do {
            return try await operation()
        } catch let error as NoteError {
            switch error {
            case .invalid(let field, let message): throw APIError.invalidField(field, message)
            case .notFound: throw APIError.notFound("Note")
            }
        }
    }
}

/// A note as the API shows it.
struct NoteBody: Encodable, Sendable {
    var id: String
    var title: String
    var content: String
    var tags: [String]
    var createdAt: Date
    var updatedAt: Date

    init(_ note: Note) {
        id = note.id
        title = note.title
        content = note.content
        tags = note.tags
        createdAt = note.createdAt
        updatedAt = note.updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, title, content, tags
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

struct NoteSearchHit: Encodable, Sendable {
    var note: NoteBody
    var score: Double
}

struct NoteSearchResult: Encodable, Sendable {
    var data: [NoteSearchHit]
}
