import Foundation

/// A prompt with typed placeholders, compiled once into its parameters, their JSON Schema and form hints, then
/// rendered with values.
///
/// The language is described in `docs/prompts.md`. In short: text with `{{name}}` placeholders, where a first
/// mention may add a type, an optional mark, a default and a description:
/// `{{guests: integer(1..20) = 2 # How many people}}`, `{{cuisine: enum(italian|thai|any) = any}}`,
/// `{{budget: money?}}`. Later mentions of the same name are written `{{guests}}`.
public struct PromptTemplate: Sendable, Hashable {
    /// The most parameters one template may have.
    public static let maximumParameters = 100

    /// The text it was compiled from.
    public let source: String
    /// The template as literal text and placeholders, in order.
    public let segments: [Segment]
    /// The parameters in the order they first appear.
    public let parameters: [PromptParameter]

    /// One piece of a template.
    public enum Segment: Sendable, Hashable {
        /// Text copied as written (`\{{` already turned into `{{`).
        case literal(String)
        /// Where a parameter's value goes.
        case placeholder(name: String)
    }

    /// Compiles `source`; throws ``PromptTemplateError`` listing every problem found, each with its line and column.
    public init(_ source: String) throws(PromptTemplateError) {
        var parser = PromptTemplateParser(source: source)
        let parsed = parser.parse()
        guard parser.issues.isEmpty else { throw PromptTemplateError(issues: parser.issues) }
        self.source = source
        self.segments = parsed.segments
        self.parameters = parsed.parameters
    }

    /// The parameter named `name`, if the template has one.
    public func parameter(named name: String) -> PromptParameter? {
        parameters.first { $0.name == name }
    }
}

/// One value a template asks for.
public struct PromptParameter: Sendable, Hashable {
    /// The name used in placeholders and as the JSON property name.
    public var name: String
    public var type: PromptParameterType
    /// Whether a value must be given: no `?` mark and no default.
    public var isRequired: Bool
    /// The value used when none is given; already of the parameter's type.
    public var defaultValue: JSONValue?
    /// What the value means, from the text after `#`.
    public var description: String?
    /// Inclusive bounds for integers, numbers and money, from `integer(1..20)`.
    public var minimum: Double?
    public var maximum: Double?
    /// Where the parameter is declared, 1-based.
    public var line: Int
    public var column: Int

    public init(
        name: String,
        type: PromptParameterType,
        isRequired: Bool,
        defaultValue: JSONValue? = nil,
        description: String? = nil,
        minimum: Double? = nil,
        maximum: Double? = nil,
        line: Int = 1,
        column: Int = 1
    ) {
        self.name = name
        self.type = type
        self.isRequired = isRequired
        self.defaultValue = defaultValue
        self.description = description
        self.minimum = minimum
        self.maximum = maximum
        self.line = line
        self.column = column
    }
}

/// The kinds of value a placeholder can hold.
public enum PromptParameterType: Sendable, Hashable {
    /// One line of text; the type of a placeholder without one.
    case string
    /// Longer text, possibly several lines.
    case text
    case integer
    case number
    /// An amount of money: a number, zero or more unless bounds say otherwise.
    case money
    case boolean
    /// `YYYY-MM-DD`.
    case date
    /// RFC 3339 with an offset.
    case dateTime
    /// RFC 3339 time of day with an offset, such as `19:00:00+01:00`.
    case time
    case email
    case url
    /// One of a fixed list of words.
    case choice([String])

    /// The name written in templates.
    public var keyword: String {
        switch self {
        case .string: "string"
        case .text: "text"
        case .integer: "integer"
        case .number: "number"
        case .money: "money"
        case .boolean: "boolean"
        case .date: "date"
        case .dateTime: "datetime"
        case .time: "time"
        case .email: "email"
        case .url: "url"
        case .choice: "enum"
        }
    }

    /// Every type name the parser accepts, for error messages.
    static let keywords = [
        "string", "text", "integer", "number", "money", "boolean", "date", "datetime", "time", "email", "url",
        "enum(a|b|...)",
    ]

    /// Whether bounds such as `(1..20)` may follow the type.
    var isNumeric: Bool {
        switch self {
        case .integer, .number, .money: true
        default: false
        }
    }
}

/// Why a template did not compile: every problem found, in source order.
public struct PromptTemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    public var issues: [Issue]

    /// One problem at one place.
    public struct Issue: Sendable, Hashable, CustomStringConvertible {
        /// 1-based line and column (in characters) where the problem is.
        public var line: Int
        public var column: Int
        /// What is wrong, e.g. `unknown type 'integr'`.
        public var message: String
        /// What the compiler expected at that place, e.g. `'}}'`; `nil` when the problem is not about syntax.
        public var expected: String?

        public init(line: Int, column: Int, message: String, expected: String? = nil) {
            self.line = line
            self.column = column
            self.message = message
            self.expected = expected
        }

        /// `line 1, column 5: message (expected ...)`.
        public var description: String {
            "line \(line), column \(column): \(message)" + (expected.map { " (expected \($0))" } ?? "")
        }
    }

    public init(issues: [Issue]) {
        self.issues = issues
    }

    public var description: String {
        issues.map(\.description).joined(separator: "\n")
    }
}
