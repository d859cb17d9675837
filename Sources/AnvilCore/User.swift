import Foundation

/// A person or service account that owns chats, keys and everything else.
public struct User: Sendable, Hashable, Codable {
    public var id: String
    public var email: String
    public var displayName: String?
    public var isAdmin: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String,
        email: String,
        displayName: String?,
        isAdmin: Bool,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.isAdmin = isAdmin
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The rules an email address and a password must meet before an account is created or changed.
public enum AccountRules {
    /// Long passwords are welcome (they are pre-hashed before bcrypt, which reads only 72 bytes); this bound
    /// only keeps request handling cheap.
    public static let maximumPasswordLength = 1024
    public static let minimumPasswordLength = 8
    public static let maximumEmailLength = 254
    public static let maximumDisplayNameLength = 100

    /// Lowercased and trimmed: emails are unique regardless of case.
    public static func normalizedEmail(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// A deliberately simple syntactic check: one `@`, a non-empty local part, a dotted domain, no spaces.
    public static func isPlausibleEmail(_ email: String) -> Bool {
        guard email.count <= maximumEmailLength, !email.contains(where: { $0.isWhitespace }) else { return false }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
        }
    }

    /// Describes what is wrong with a proposed password, or returns `nil` when it is acceptable.
    public static func passwordProblem(_ password: String) -> String? {
        if password.count < minimumPasswordLength {
            return "Password must be at least \(minimumPasswordLength) characters."
        }
        if password.count > maximumPasswordLength {
            return "Password must be at most \(maximumPasswordLength) characters."
        }
        return nil
    }
}
