import Foundation

/// Who wrote a message.
public enum MessageRole: String, Sendable, Hashable, Codable, CaseIterable {
    case system
    case user
    case assistant
    case tool
}

/// Whether a message was completed. A stream cut short is kept as `incomplete`, never passed off as whole.
public enum MessageStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case complete
    case incomplete
    case failed
}

/// One stored message of a chat, in the order it was committed.
public struct ChatMessage: Sendable, Hashable, Codable {
    public var id: String
    public var chatID: String
    public var role: MessageRole
    public var content: String?
    /// Tool calls requested by an assistant message, as sent to and from providers.
    public var toolCalls: JSONValue?
    /// For a tool message: the id of the call it answers.
    public var toolCallID: String?
    /// For a tool message: the tool's name; for other roles, an optional participant name.
    public var name: String?
    public var model: String?
    public var status: MessageStatus
    public var promptTokens: Int
    public var completionTokens: Int
    public var metadata: [String: JSONValue]
    public var createdAt: Date

    public init(
        id: String,
        chatID: String,
        role: MessageRole,
        content: String?,
        toolCalls: JSONValue? = nil,
        toolCallID: String? = nil,
        name: String? = nil,
        model: String? = nil,
        status: MessageStatus = .complete,
        promptTokens: Int = 0,
        completionTokens: Int = 0,
        metadata: [String: JSONValue] = [:],
        createdAt: Date
    ) {
        self.id = id
        self.chatID = chatID
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.name = name
        self.model = model
        self.status = status
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.metadata = metadata
        self.createdAt = createdAt
    }
}
