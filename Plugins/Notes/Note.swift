import AnvilCore
import Foundation

/// A user's note: a title, Markdown content and tags.
public struct Note: Sendable, Hashable {
    public var id: String
    public var ownerID: String
    public var title: String
    public var content: String
    /// Lowercase, unique, in the order given.
    public var tags: [String]
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String = UUID().uuidString.lowercased(),
        ownerID: String,
        title: String,
        content: String,
        tags: [String],
        createdAt: Date = Date(),
        updatedAt: Date = Date()
    ) {
        self.id = id
        self.ownerID = ownerID
        self.title = title
        self.content = content
        self.tags = tags
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// What the search index holds for the note: tags are searchable words too.
    var searchText: String {
        tags.isEmpty ? content : content + "\n\n" + tags.joined(separator: " ")
    }
}

/// The rules a note's fields follow, shared by the REST resource and the tools so both refuse the same input.
public enum NoteRules {
    public static let maxTitleLength = 200
    public static let maxTags = 20
    public static let maxTagLength = 40
    /// ASCII letters, digits, `-`, `_` and `.`, so tags work as filters in a URL without escaping surprises and
    /// every JSON Schema engine reads the pattern the same way.
    public static let tagPattern = "^[A-Za-z0-9_.-]{1,40}$"

    /// Trimmed title; an empty one is made from the content's first line.
    static func title(_ title: String?, content: String) throws -> String {
        let trimmed = (title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty {
            guard trimmed.count <= maxTitleLength else {
                throw NoteError.invalid("title", "Title must be at most \(maxTitleLength) characters.")
            }
            return trimmed
        }
        let firstLine = content.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let derived = firstLine.trimmingCharacters(in: CharacterSet(charactersIn: "# \t"))
        guard !derived.isEmpty else { throw NoteError.invalid("title", "A note needs a title or some content.") }
        return String(derived.prefix(maxTitleLength))
    }

    static func content(_ content: String, maxBytes: Int) throws -> String {
        guard content.utf8.count <= maxBytes else {
            throw NoteError.invalid("content", "Content must be at most \(maxBytes) bytes.")
        }
        return content
    }

    /// Lowercased, trimmed and without duplicates.
    static func tags(_ tags: [String]) throws -> [String] {
        guard tags.count <= maxTags else { throw NoteError.invalid("tags", "A note can have at most \(maxTags) tags.") }
        var result: [String] = []
        for tag in tags {
            let normalized = tag.trimmingCharacters(in: .whitespaces).lowercased()
            guard !normalized.isEmpty, normalized.count <= maxTagLength,
                normalized.unicodeScalars.allSatisfy({
                    ("a"..."z").contains($0) || ("0"..."9").contains($0) || "_.-".unicodeScalars.contains($0)
                })
            else {
                throw NoteError.invalid(
                    "tags",
                    "Tag '\(tag)' must be 1 to \(maxTagLength) ASCII letters, digits, '_', '.' or '-'."
                )
            }
            if !result.contains(normalized) { result.append(normalized) }
        }
        return result
    }
}

/// Why a note operation was refused.
public enum NoteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A field breaks a rule: the field and the message.
    case invalid(String, String)
    case notFound

    public var description: String {
        switch self {
        case .invalid(_, let message): message
        case .notFound: "No note with that id."
        }
    }
}
