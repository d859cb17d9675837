import AnvilCore
import Foundation

/// Converts between stored chat messages and the messages providers see.
enum StoredConversation {
    /// Tool calls are stored in the OpenAI shape, which is also how the API shows them:
    /// `[{"id": ..., "type": "function", "function": {"name": ..., "arguments": "..."}}]`.
    static func json(for calls: [ToolCall]) -> JSONValue? {
        guard !calls.isEmpty else { return nil }
        return .array(
            calls.map { call in
                [
                    "id": .string(call.id),
                    "type": "function",
                    "function": ["name": .string(call.name), "arguments": .string(call.arguments)],
                ]
            }
        )
    }

    static func toolCalls(from json: JSONValue?) -> [ToolCall] {
        guard case .array(let items) = json else { return [] }
        return items.compactMap { item in
            guard let object = item.objectValue, let id = object["id"]?.stringValue,
                let function = object["function"]?.objectValue, let name = function["name"]?.stringValue
            else { return nil }
            return ToolCall(id: id, name: name, arguments: function["arguments"]?.stringValue ?? "{}")
        }
    }

    /// The provider view of a stored history. Failed messages are left out; an assistant message whose tool
    /// calls were never answered (a run that died mid-way) loses those calls, since providers reject unanswered
    /// calls.
    static func modelMessages(from stored: [ChatMessage]) -> [ModelMessage] {
        var answered = Set<String>()
        for message in stored where message.role == .tool {
            if let id = message.toolCallID { answered.insert(id) }
        }
        var result: [ModelMessage] = []
        var liveCalls = Set<String>()
        for message in stored where message.status != .failed {
            switch message.role {
            case .system:
                result.append(.system(message.content ?? ""))
            case .user:
                result.append(.user(message.content ?? ""))
            case .assistant:
                let calls = toolCalls(from: message.toolCalls).filter { answered.contains($0.id) }
                liveCalls.formUnion(calls.map(\.id))
                let text = message.content.flatMap { $0.isEmpty ? nil : $0 }
                guard text != nil || !calls.isEmpty else { continue }
                result.append(.assistant(text, toolCalls: calls))
            case .tool:
                guard let id = message.toolCallID, liveCalls.contains(id) else { continue }
                result.append(.tool(callID: id, name: message.name ?? "", content: message.content ?? ""))
            }
        }
        return result
    }
}
