import AnvilCore
import AnvilPluginKit
import Foundation
import Hummingbird

/// `/api/v1/memories`: create, list (by type), get, search and delete the caller's memories.
struct MemoryController {
    let memories: MemoryPlugin

    func addRoutes(to group: RouterGroup<AnvilRequestContext>) {
        group.post(use: create)
        group.get(use: list)
        group.post("search", use: search)
        group.get(":id", use: get)
        group.delete(":id", use: delete)
    }

    struct CreateRequest: Decodable {
        var content: String
        var memoryType: MemoryType?
        var importanceScore: Double?
        var metadata: [String: JSONValue]?

        enum CodingKeys: String, CodingKey {
            case content, metadata
            case memoryType = "memory_type"
            case importanceScore = "importance_score"
        }
    }

    struct SearchRequest: Decodable {
        var query: String
        var limit: Int?
        var memoryType: MemoryType?

        enum CodingKeys: String, CodingKey {
            case query, limit
            case memoryType = "memory_type"
        }
    }

    @Sendable func create(_ request: Request, context: AnvilRequestContext) async throws -> JSONResponse<MemoryBody> {
        let user = try context.requireUser()
        let body = try await request.decodeJSON(as: CreateRequest.self, context: context)
        do {
            let memory = try await memories.create(
                ownerID: user.id,
                content: body.content,
                type: body.memoryType,
                importance: body.importanceScore,
                metadata: body.metadata ?? [:]
            )
            return JSONResponse(status: .created, MemoryBody(memory))
        } catch MemoryError.invalid(let field, let message) {
            throw APIError.invalidField(field, message)
        }
    }

    @Sendable func list(_ request: Request, context: AnvilRequestContext) async throws -> JSONResponse<
        PageRepresentation<MemoryBody>
    > {
        let user = try context.requireUser()
        let page = try request.pageRequest()
        var type: MemoryType?
        if let value = request.uri.queryParameters["memory_type"] {
            guard let parsed = MemoryType(rawValue: String(value)) else {
                throw APIError.invalidQuery(
                    "memory_type",
                    "Query parameter 'memory_type' must be one of "
                        + MemoryType.allCases.map(\.rawValue).joined(separator: ", ") + "."
                )
            }
            type = parsed
        }
        let result = try await memories.store.list(ownerID: user.id, type: type, page: page)
        return JSONResponse(PageRepresentation(result, transform: MemoryBody.init))
    }

    @Sendable func search(_ request: Request, context: AnvilRequestContext) async throws -> JSONResponse<
        MemorySearchResult
    > {
        let user = try context.requireUser()
        let body = try await request.decodeJSON(as: SearchRequest.self, context: context)
        let query = body.query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !query.isEmpty, query.count <= 1000 else {
            throw APIError.invalidField("query", "query must be 1 to 1000 characters of search text.")
        }
        let limit = body.limit ?? 10
        guard (1...100).contains(limit) else { throw APIError.invalidField("limit", "limit must be from 1 to 100.") }
        let hits = try await memories.store.search(ownerID: user.id, query: query, type: body.memoryType, limit: limit)
        return JSONResponse(
            MemorySearchResult(data: hits.map { MemorySearchHit(memory: MemoryBody($0.memory), score: $0.score) }))
    }

    @Sendable func get(_ request: Request, context: AnvilRequestContext) async throws -> JSONResponse<MemoryBody> {
        let user = try context.requireUser()
        guard let memory = try await memories.store.find(id: try context.pathParameter("id"), ownerID: user.id) else {
            throw APIError.notFound("Memory")
        }
        return JSONResponse(MemoryBody(memory))
    }

    @Sendable func delete(_ request: Request, context: AnvilRequestContext) async throws -> Response {
        let user = try context.requireUser()
        guard try await memories.store.delete(id: try context.pathParameter("id"), ownerID: user.id) else {
            throw APIError.notFound("Memory")
        }
        return Response(status: .noContent)
    }
}

struct MemoryBody: Encodable, Sendable {
    var id: String
    var content: String
    var memoryType: MemoryType
    var importanceScore: Double
    var metadata: [String: JSONValue]
    var createdAt: Date

    init(_ memory: Memory) {
        id = memory.id
        content = memory.content
        memoryType = memory.type
        importanceScore = memory.importance
        metadata = memory.metadata
        createdAt = memory.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, content, metadata
        case memoryType = "memory_type"
        case importanceScore = "importance_score"
        case createdAt = "created_at"
    }
}

struct MemorySearchHit: Encodable, Sendable {
    var memory: MemoryBody
    var score: Double
}

struct MemorySearchResult: Encodable, Sendable {
    var data: [MemorySearchHit]
}
