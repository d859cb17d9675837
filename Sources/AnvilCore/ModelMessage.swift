import Foundation

/// One piece of a message's content: text, or an image by URL (a `data:` URL carries the bytes inline).
public enum ContentPart: Sendable, Hashable {
    case text(String)
    case imageURL(url: String, detail: String?)
}

/// A function call requested by a model. `arguments` is the JSON text exactly as the model produced it; it is
/// parsed and validated against the tool's schema before the tool runs.
public struct ToolCall: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var arguments: String

    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// A message as providers see it: the common ground of the OpenAI and Anthropic message formats.
public struct ModelMessage: Sendable, Hashable {
    public var role: MessageRole
    public var content: [ContentPart]
    /// Calls requested by an assistant message.
    public var toolCalls: [ToolCall]
    /// For a tool message: the call it answers.
    public var toolCallID: String?
    /// For a tool message: the tool's name.
    public var name: String?

    public init(
        role: MessageRole,
        content: [ContentPart],
        toolCalls: [ToolCall] = [],
        toolCallID: String? = nil,
        name: String? = nil
    ) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.name = name
    }

    public static func system(_ text: String) -> ModelMessage {
        ModelMessage(role: .system, content: [.text(text)])
    }

    public static func user(_ text: String) -> ModelMessage {
        ModelMessage(role: .user, content: [.text(text)])
    }

    public static func assistant(_ text: String?, toolCalls: [ToolCall] = []) -> ModelMessage {
        ModelMessage(role: .assistant, content: text.map { [.text($0)] } ?? [], toolCalls: toolCalls)
    }

    public static func tool(callID: String, name: String, content: String) -> ModelMessage {
        ModelMessage(role: .tool, content: [.text(content)], toolCallID: callID, name: name)
    }

    /// All text parts joined, the way most providers and tools want it.
    public var text: String {
        content.compactMap { part in
            if case .text(let text) = part { return text }
            return nil
        }.joined()
    }
}

/// Tokens used by one model call or a whole run.
public struct TokenUsage: Sendable, Hashable, Codable {
    public var promptTokens: Int
    public var completionTokens: Int

    public var totalTokens: Int { promptTokens + completionTokens }

    public init(promptTokens: Int = 0, completionTokens: Int = 0) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(
            promptTokens: lhs.promptTokens + rhs.promptTokens,
            completionTokens: lhs.completionTokens + rhs.completionTokens
        )
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
    }
}

/// Why a model stopped producing output.
public enum FinishReason: String, Sendable, Hashable, Codable {
    case stop
    case length
    case toolCalls = "tool_calls"
    case contentFilter = "content_filter"
}
