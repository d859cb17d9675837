import AnvilCore
import Foundation

/// Something long-lived the assistant knows about a user: a fact, a preference, an instruction, an event.
public struct Memory: Sendable, Hashable {
    public var id: String
    public var ownerID: String
    public var content: String
    public var type: MemoryType
    /// 0 (trivia) to 1 (always relevant); weighs a memory when choosing what to offer the model.
    public var importance: Double
    public var metadata: [String: JSONValue]
    public var createdAt: Date

    public init(
        id: String = UUID().uuidString.lowercased(),
        ownerID: String,
        content: String,
        type: MemoryType,
        importance: Double,
        metadata: [String: JSONValue] = [:],
        createdAt: Date = Date()
    ) {
        self.id = id
        self.ownerID = ownerID
        self.content = content
        self.type = type
        self.importance = importance
        self.metadata = metadata
        self.createdAt = createdAt
    }
}

/// What kind of thing a memory records.
public enum MemoryType: String, Sendable, Hashable, CaseIterable, Codable {
    case fact, preference, instruction, event, other
}

/// The rules a memory's fields follow, for the REST resource and the tools alike.
public enum MemoryRules {
    public static let maxContentLength = 4000

    static func content(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= maxContentLength else {
            throw MemoryError.invalid("content", "A memory's content must be 1 to \(maxContentLength) characters.")
        }
        return trimmed
    }

    static func importance(_ value: Double?) throws -> Double {
        guard let value else { return 0.5 }
        guard value.isFinite, (0...1).contains(value) else {
            throw MemoryError.invalid("importance_score", "importance_score must be a number from 0 to 1.")
        }
        return value
    }
}

/// Why a memory operation was refused.
public enum MemoryError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalid(String, String)
    case notFound

    public var description: String {
        switch self {
        case .invalid(_, let message): message
        case .notFound: "No memory with that id."
        }
    }
}
