import Foundation

/// A conversation owned by one user, with the model settings its messages run with.
public struct Chat: Sendable, Hashable, Codable {
    public var id: String
    public var userID: String
    public var title: String
    public var model: String?
    public var systemPrompt: String?
    /// Names of the tools the agent loop may offer; `nil` means the server's default set.
    public var tools: [String]?
    public var metadata: [String: JSONValue]
    public var isArchived: Bool
    /// Tokens this chat may use in all; `nil` means the server's default.
    public var tokenLimit: Int?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String,
        userID: String,
        title: String,
        model: String?,
        systemPrompt: String?,
        tools: [String]?,
        metadata: [String: JSONValue],
        isArchived: Bool,
        tokenLimit: Int? = nil,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.userID = userID
        self.title = title
        self.model = model
        self.systemPrompt = systemPrompt
        self.tools = tools
        self.metadata = metadata
        self.isArchived = isArchived
        self.tokenLimit = tokenLimit
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Bounds on what a chat may hold, checked before anything is stored.
public enum ChatRules {
    public static let defaultTitle = "New chat"
    public static let maximumTitleLength = 200
    public static let maximumModelLength = 128
    public static let maximumSystemPromptLength = 100_000
    public static let maximumTools = 128
    public static let maximumMetadataBytes = 16_384
    public static let defaultTokenLimit = 20_000
    public static let maximumTokenLimit = 1_000_000_000

    /// Tool names follow the pattern the major model APIs accept for function names.
    public static func isValidToolName(_ name: String) -> Bool {
        guard (1...64).contains(name.utf8.count) else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2D
        }
    }
}
