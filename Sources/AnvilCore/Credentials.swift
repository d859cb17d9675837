import Foundation

/// What the API shows about an API key: never the secret itself.
public struct APIKeyInfo: Sendable, Hashable, Codable {
    public var id: String
    public var userID: String
    public var name: String
    /// The first characters of the key, enough to recognise it in a list.
    public var prefix: String
    public var createdAt: Date
    public var expiresAt: Date?
    public var lastUsedAt: Date?

    public init(
        id: String,
        userID: String,
        name: String,
        prefix: String,
        createdAt: Date,
        expiresAt: Date?,
        lastUsedAt: Date?
    ) {
        self.id = id
        self.userID = userID
        self.name = name
        self.prefix = prefix
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
    }
}

/// That a user has stored a key for a provider, and when: the key itself stays encrypted in the store.
public struct ProviderKeyStatus: Sendable, Hashable, Codable {
    public var provider: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(provider: String, createdAt: Date, updatedAt: Date) {
        self.provider = provider
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Provider names are short lowercase identifiers such as `openai` or `anthropic`.
    public static func isValidProviderName(_ name: String) -> Bool {
        guard (1...32).contains(name.utf8.count), let first = name.utf8.first, first >= 0x61, first <= 0x7A else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F || byte == 0x2D
        }
    }
}
