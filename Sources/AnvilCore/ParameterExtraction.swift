import Foundation

/// The values read out of a message for a set of parameters, with where each came from and how sure the reading is.
public struct ParameterExtraction: Sendable, Hashable {
    /// Values by parameter name; together they always validate against the schema they were extracted for.
    public var values: [String: JSONValue]
    /// Required parameters without a valid value, in the schema's `required` order.
    public var missing: [String]
    /// Values that were found but break the schema, with where and why.
    public var invalid: [SchemaViolation]
    /// From 0 to 1 per filled parameter: how often a reading like this one is the value meant.
    public var confidence: [String: Double]
    /// The part of the message each value was read from; defaults have none.
    public var spans: [String: TextSpan]
    /// Where each value came from.
    public var sources: [String: ValueSource]

    /// Where a value came from.
    public enum ValueSource: String, Sendable, Hashable, Codable {
        /// A deterministic extractor read it from the message.
        case text
        /// The parameter's default, for lack of evidence.
        case `default`
        /// A language model read it from the message.
        case model
    }

    public init(
        values: [String: JSONValue] = [:],
        missing: [String] = [],
        invalid: [SchemaViolation] = [],
        confidence: [String: Double] = [:],
        spans: [String: TextSpan] = [:],
        sources: [String: ValueSource] = [:]
    ) {
        self.values = values
        self.missing = missing
        self.invalid = invalid
        self.confidence = confidence
        self.spans = spans
        self.sources = sources
    }
}

/// A piece of a message: offsets in UTF-16 code units (the indexes JavaScript strings use), end exclusive, and
/// the text itself.
public struct TextSpan: Sendable, Hashable, Codable {
    public var start: Int
    public var end: Int
    public var text: String

    public init(start: Int, end: Int, text: String) {
        self.start = start
        self.end = end
        self.text = text
    }

    /// The span of `range` in `text`.
    public init(_ range: Range<String.Index>, in text: String) {
        start = text.utf16.distance(from: text.startIndex, to: range.lowerBound)
        end = start + text.utf16.distance(from: range.lowerBound, to: range.upperBound)
        self.text = String(text[range])
    }
}
