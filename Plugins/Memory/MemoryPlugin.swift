import AnvilCore
import AnvilPluginKit
import AnvilStore
import Foundation
import Hummingbird

/// The `memory` plugin: long-term memories about each user, which the model keeps with `remember`, looks up with
/// `recall`, and is offered before each call when they are relevant to what the user just said.
public struct MemoryPlugin: ToolPlugin {
    public static let id = "memory"
    public static let summary = "Long-term memories per user, offered to the model when relevant."
    public static var migrations: [Migration] { MemoryStore.migrations }

    public struct Configuration: Decodable, Sendable {
        /// Whether relevant memories are added to each model call's context.
        public var offerInContext: Bool
        /// Roughly how many tokens of memories one call may be given (four characters a token).
        public var contextTokenBudget: Int
        /// Memories considered for the context, before the budget cuts the list.
        public var contextCandidates: Int
    }

    public static var configurationSchema: JSONValue {
        [
            "type": "object",
            "additionalProperties": false,
            "properties": [
                "offer_in_context": ["type": "boolean", "default": true],
                "context_token_budget": ["type": "integer", "minimum": 0, "maximum": 8000, "default": 400],
                "context_candidates": ["type": "integer", "minimum": 1, "maximum": 100, "default": 20],
            ],
        ]
    }

    let configuration: Configuration
    let store: MemoryStore

    public init(configuration: Configuration, context: PluginContext) {
        self.configuration = configuration
        self.store = MemoryStore(database: context.database, embedder: context.embedder)
    }

    public var tools: [any Tool] { [RememberTool(memories: self), RecallTool(memories: self)] }

    public func addRoutes(to routes: RouterGroup<AnvilRequestContext>) {
        MemoryController(memories: self).addRoutes(to: routes.group("memories"))
    }

    public var api: PluginAPI { MemoryAPI.description }

    func create(
        ownerID: String,
        content: String,
        type: MemoryType?,
        importance: Double?,
        metadata: [String: JSONValue]
    ) async throws -> Memory {
        let memory = Memory(
            ownerID: ownerID,
            content: try MemoryRules.content(content),
            type: type ?? .fact,
            importance: try MemoryRules.importance(importance),
            metadata: metadata
        )
        try await store.create(memory)
        return memory
    }

    /// The memories most worth offering for `request.query`: search hits ordered by relevance weighted by
    /// importance, as many as fit the token budget.
    public func conversationContext(for request: ConversationContextRequest) async throws -> ConversationContext? {
        guard configuration.offerInContext, configuration.contextTokenBudget > 0 else { return nil }
        let query = request.query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !query.isEmpty else { return nil }
        let hits = try await store.search(
            ownerID: request.userID, query: query, type: nil, limit: configuration.contextCandidates)
        guard !hits.isEmpty else { return nil }
        let ranked = hits.enumerated().map { rank, hit in
            // Reciprocal rank keeps scores comparable across engines; importance moves a memory up or down.
            (memory: hit.memory, weight: (0.5 + hit.memory.importance) / Double(rank + 1))
        }
        .sorted { $0.weight > $1.weight }
        var budget = configuration.contextTokenBudget * 4
        var lines: [String] = []
        var chosen: [JSONValue] = []
        for (memory, _) in ranked {
            let line = "- (\(memory.type.rawValue)) \(memory.content)"
            guard line.count <= budget else { continue }
            budget -= line.count
            lines.append(line)
            chosen.append(.string(memory.id))
        }
        guard !lines.isEmpty else { return nil }
        return ConversationContext(
            text: "What you remember about this user from earlier conversations (use it when relevant):\n"
                + lines.joined(separator: "\n"),
            annotations: ["memories_offered": .array(chosen)]
        )
    }
}

/// `remember`: keeps a fact about the user for later conversations.
struct RememberTool: Tool {
    let memories: MemoryPlugin

    var spec: ToolSpec {
        ToolSpec(
            name: "remember",
            description: "Remember something about the user for future conversations: a fact, a preference, an "
                + "instruction or an event.",
            parameters: [
                "type": "object",
                "properties": [
                    "content": [
                        "type": "string", "minLength": 1, "maxLength": .integer(Int64(MemoryRules.maxContentLength)),
                        "description": "What to remember, as a short self-contained sentence.",
                    ],
                    "memory_type": [
                        "type": "string", "enum": .array(MemoryType.allCases.map { .string($0.rawValue) }),
                        "default": "fact",
                    ],
                    "importance": [
                        "type": "number", "minimum": 0, "maximum": 1, "default": 0.5,
                        "description": "0 for trivia, 1 for something always worth knowing.",
                    ],
                ],
                "required": ["content"],
            ]
        )
    }

    func call(arguments: [String: JSONValue], context: ToolContext) async throws -> ToolOutput {
        let importance: Double? =
            switch arguments["importance"] {
            case .integer(let value): Double(value)
            case .number(let value): value
            default: nil
            }
        let memory = try await memories.create(
            ownerID: context.userID,
            content: arguments["content"]?.stringValue ?? "",
            type: arguments["memory_type"]?.stringValue.flatMap(MemoryType.init(rawValue:)),
            importance: importance,
            metadata: context.chatID.map { ["chat_id": .string($0)] } ?? [:]
        )
        return ToolOutput(content: "Remembered (\(memory.type.rawValue)): \(memory.content)")
    }
}

/// `recall`: looks up what is remembered about the user.
struct RecallTool: Tool {
    let memories: MemoryPlugin

    var spec: ToolSpec {
        ToolSpec(
            name: "recall",
            description: "Look up what you remember about the user, by topic.",
            parameters: [
                "type": "object",
                "properties": [
                    "query": ["type": "string", "minLength": 1, "description": "The topic, in a few words."],
                    "limit": ["type": "integer", "minimum": 1, "maximum": 20, "default": 5],
                ],
                "required": ["query"],
            ]
        )
    }

    func call(arguments: [String: JSONValue], context: ToolContext) async throws -> ToolOutput {
        let limit = arguments["limit"].flatMap { if case .integer(let n) = $0 { Int(n) } else { nil } } ?? 5
        let hits = try await memories.store.search(
            ownerID: context.userID, query: arguments["query"]?.stringValue ?? "", type: nil, limit: limit)
        guard !hits.isEmpty else { return ToolOutput(content: "Nothing remembered about that.") }
        return ToolOutput(
            content: hits.map { "- (\($0.memory.type.rawValue)) \($0.memory.content)" }.joined(separator: "\n"))
    }
}
