import AnvilPluginKit
import OpenAPIKit

/// The OpenAPI description of `/api/v1/memories`.
enum MemoryAPI {
    static let typeSchema = APISchema.string(allowedValues: MemoryType.allCases.map { .init($0.rawValue) })

    static var description: PluginAPI {
        PluginAPI(
            tag: .init(
                name: "Memories",
                description: "Long-term memories about you that the model keeps with `remember`, looks up with "
                    + "`recall`, and is offered when relevant. Other users' memories answer 404."
            ),
            schemas: [
                (
                    "Memory",
                    .object(properties: [
                        "id": .string,
                        "content": .string,
                        "memory_type": typeSchema,
                        "importance_score": .number(
                            maximum: (1, exclusive: false), minimum: (0, exclusive: false)),
                        "metadata": .object,
                        "created_at": .string(format: .dateTime),
                    ])
                ),
                (
                    "MemoryPage",
                    .object(properties: [
                        "data": .array(items: .reference("Memory")),
                        "total": .integer, "limit": .integer, "offset": .integer,
                    ])
                ),
                (
                    "MemorySearchResult",
                    .object(properties: [
                        "data": .array(
                            items: .object(properties: ["memory": .reference("Memory"), "score": .number]))
                    ])
                ),
                (
                    "CreateMemoryRequest",
                    .object(properties: [
                        "content": .string(
                            description: "What to remember.", minLength: 1, maxLength: MemoryRules.maxContentLength,
                            pattern: "\\S"),
                        "memory_type": typeSchema.optionalSchemaObject(),
                        "importance_score": .number(
                            required: false, description: "0 to 1; 0.5 when left out.",
                            maximum: (1, exclusive: false), minimum: (0, exclusive: false)),
                        "metadata": .object(required: false),
                    ])
                ),
                (
                    "SearchMemoriesRequest",
                    .object(properties: [
                        "query": .string(minLength: 1, maxLength: 1000, pattern: "\\S"),
                        "limit": .integer(
                            required: false, maximum: (100, exclusive: false), minimum: (1, exclusive: false)),
                        "memory_type": typeSchema.optionalSchemaObject(),
                    ])
                ),
            ],
            operations: [
                .init(
                    .post, "/memories", id: "createMemory", summary: "Create a memory",
                    description: "Stores a memory and indexes it for search.",
                    body: .json(.reference("CreateMemoryRequest")),
                    responses: [.init(201, "The new memory.", json: .reference("Memory"))]
                ),
                .init(
                    .get, "/memories", id: "listMemories", summary: "List memories",
                    description: "Your memories, newest first; `memory_type` keeps one kind.",
                    parameters: [.limit, .offset, .query("memory_type", typeSchema, description: "Only this kind.")],
                    responses: [.init(200, "A page of memories.", json: .reference("MemoryPage"))]
                ),
                .init(
                    .post, "/memories/search", id: "searchMemories", summary: "Search memories",
                    description: "Full-text search over your memories, best first.",
                    body: .json(.reference("SearchMemoriesRequest")),
                    responses: [.init(200, "The best matches.", json: .reference("MemorySearchResult"))]
                ),
                .init(
                    .get, "/memories/{id}", id: "getMemory", summary: "Get a memory", description: "One memory.",
                    parameters: [.path("id", description: "The memory's id.")],
                    responses: [.init(200, "The memory.", json: .reference("Memory"))],
                    errors: [404]
                ),
                .init(
                    .delete, "/memories/{id}", id: "deleteMemory", summary: "Delete a memory",
                    description: "Forgets the memory.",
                    parameters: [.path("id", description: "The memory's id.")],
                    responses: [.init(204, "Deleted.")],
                    errors: [404]
                ),
            ]
        )
    }
}
