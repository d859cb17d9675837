import Foundation

/// A JSON Schema compiled once and then used to check tool arguments on every tool call.
///
/// Compiling does all the work that does not depend on the value (checking keyword types, resolving `$ref`s,
/// building regular expressions) so that validating only walks the value. We write this ourselves because none of
/// the kept libraries validates JSON Schema (see CONVENTIONS.md). It covers the draft 2020-12 subset that OpenAI,
/// Anthropic and MCP tool schemas use, plus OpenAPI's `nullable`; keywords it does not know are ignored, as the
/// specification asks.
public struct JSONSchema: Sendable {
    /// The schema it was compiled from.
    public let source: JSONValue

    /// Every compiled schema and subschema; `nodes[0]` is the root. Subschemas point at each other by index so that
    /// recursive `$ref`s need no reference cycles.
    let nodes: [Node]

    /// Compiles `schema`; throws `JSONSchemaError.invalidSchema(path:reason:)` for schemas that are not valid (wrong
    /// keyword types, unknown "type" names, negative minLength, bad regex pattern, required not an array of strings,
    /// a `$ref` it cannot resolve, a `$ref` cycle that would never end, ...).
    public init(_ schema: JSONValue) throws {
        source = schema
        nodes = try Compiler.compile(schema)
    }

    /// Every violation, in document order (parents before children, object keys sorted, array items by index);
    /// empty when valid.
    public func validate(_ value: JSONValue) -> [SchemaViolation] {
        var context = ValidationContext(stopsAtFirstViolation: false)
        _ = nodes[0].validate(value, in: nodes, context: &context)
        return context.violations()
    }

    /// Whether `value` is valid; cheaper than `validate(_:)` because it stops at the first violation and builds no
    /// messages.
    public func isValid(_ value: JSONValue) -> Bool {
        var context = ValidationContext(stopsAtFirstViolation: true)
        return nodes[0].validate(value, in: nodes, context: &context)
    }
}

/// One way a value breaks a schema, worded for the model that produced the value so it can fix its call.
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// Where in the value: `$` for the root, then `.name` for properties and `[2]` for array items, as in
    /// `$.items[2].name`; keys that are not plain identifiers are written `["first name"]`.
    public var path: String
    /// What is wrong, e.g. `expected string, got integer`.
    public var message: String

    /// Creates a violation; mostly for tests and for callers that merge violations from elsewhere.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`, the form we hand back to models.
    public var description: String { "\(path): \(message)" }
}

/// Why a schema could not be compiled.
public enum JSONSchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The schema breaks the JSON Schema rules at `path`, a JSON pointer into the schema such as
    /// `#/properties/name/minLength`.
    case invalidSchema(path: String, reason: String)

    /// A sentence naming the place and the problem, for logs and API errors.
    public var description: String {
        switch self {
        case .invalidSchema(let path, let reason): "invalid JSON Schema at \(path): \(reason)"
        }
    }
}
