import Foundation

/// A prompt template a user saved to reuse: its source and a name. The source is compiled when it is saved, so a
/// stored template always compiles.
public struct SavedPromptTemplate: Sendable, Hashable {
    /// Limits, in characters, that the API enforces and documents.
    public static let maximumNameLength = 200
    /// See ``maximumNameLength``.
    public static let maximumDescriptionLength = 2_000
    /// The longest template source accepted anywhere: saved, compiled, rendered or extracted from.
    public static let maximumSourceLength = 20_000

    public var id: String
    public var userID: String
    public var name: String
    public var description: String?
    /// The template source, as written.
    public var source: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String,
        userID: String,
        name: String,
        description: String?,
        source: String,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.userID = userID
        self.name = name
        self.description = description
        self.source = source
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
