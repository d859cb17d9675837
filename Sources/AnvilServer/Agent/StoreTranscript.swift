import AnvilCore
import AnvilStore
import Foundation
import Synchronization

/// Commits what an agent run produces to a chat, message by message, and records each model call's usage.
/// For runs without a chat (stateless completions) only usage is recorded.
final class StoreTranscript: AgentTranscript, Sendable {
    let store: Store
    let userID: String
    let chatID: String?
    /// Kept in the metadata of the run's final answer, e.g. the citations its numbered references point to.
    let annotations: [String: JSONValue]
    private let committed = Mutex<[ChatMessage]>([])
    private let observer = Mutex<(@Sendable (ChatMessage) async -> Void)?>(nil)

    init(store: Store, userID: String, chatID: String?, annotations: [String: JSONValue] = [:]) {
        self.store = store
        self.userID = userID
        self.chatID = chatID
        self.annotations = annotations
    }

    /// Calls `observer` after each commit, e.g. to announce the message on a stream.
    func observe(_ observer: @escaping @Sendable (ChatMessage) async -> Void) {
        self.observer.withLock { $0 = observer }
    }

    /// Messages committed so far, in order.
    var messages: [ChatMessage] { committed.withLock { $0 } }

    func commitAssistant(_ message: ModelMessage, usage: TokenUsage, model: String, status: MessageStatus) async throws
    {
        if usage.totalTokens > 0 {
            try await store.usage.record(userID: userID, chatID: chatID, model: model, usage: usage)
        }
        try await append(
            ChatMessage(
                id: Self.newID(),
                chatID: chatID ?? "",
                role: .assistant,
                content: message.text,
                toolCalls: StoredConversation.json(for: message.toolCalls),
                model: model,
                status: status,
                promptTokens: usage.promptTokens,
                completionTokens: usage.completionTokens,
                // An answer without tool calls ends the run; the run's annotations go with it.
                metadata: message.toolCalls.isEmpty ? annotations : [:],
                createdAt: Date()
            )
        )
    }

    func commitToolResult(_ message: ModelMessage, output: ToolOutput) async throws {
        try await append(
            ChatMessage(
                id: Self.newID(),
                chatID: chatID ?? "",
                role: .tool,
                content: message.text,
                toolCallID: message.toolCallID,
                name: message.name,
                metadata: output.isError ? ["is_error": true] : [:],
                createdAt: Date()
            )
        )
    }

    private func append(_ message: ChatMessage) async throws {
        if chatID != nil { try await store.messages.append(message) }
        committed.withLock { $0.append(message) }
        if let observer = observer.withLock({ $0 }) { await observer(message) }
    }

    static func newID() -> String { UUID().uuidString.lowercased() }
}
