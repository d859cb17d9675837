import Foundation

extension JSONSchema {
    /// One compiled schema. A class, so that validation can look at a node without copying its dozens of fields.
    final class Node: Sendable {
        let keywords: Keywords

        init(_ keywords: Keywords) {
            self.keywords = keywords
        }

        /// Validates `value` against this node's keywords. Calling through the class lets the keywords be read in
        /// place; calling `keywords.validate` from outside made Swift copy the whole struct, doubling the cost.
        func validate(_ value: JSONValue, in nodes: [Node], context: inout ValidationContext) -> Bool {
            keywords.validate(value, in: nodes, context: &context)
        }
    }

    /// One schema's keywords, read, checked and turned into what validation needs, so nothing is parsed twice.
    /// Subschemas are indices into the compiled schema's node list.
    struct Keywords: Sendable {
        /// Where this schema sits in the source, as a JSON pointer; used for compile errors.
        var pointer: String
        /// The boolean schema `false`.
        var rejectsEverything = false
        var types: TypeSet?
        /// The `type` names in the order the schema gave them, for messages.
        var typeNames: [String] = []
        /// OpenAPI's `nullable: true`, which some MCP servers emit: null is valid whatever else the schema says.
        var allowsNull = false
        /// `enum` values made canonical (see `JSONSchema.canonical(_:)`) so that `1` and `1.0` match.
        var enumeration: Set<JSONValue>?
        var enumerationDisplay: [String] = []
        var constant: JSONValue?
        var constantDisplay = ""
        var reference: Int?

        var minimum: Number?
        var maximum: Number?
        var exclusiveMinimum: Number?
        var exclusiveMaximum: Number?
        var multipleOf: Number?

        var minLength: Int?
        var maxLength: Int?
        var pattern: Pattern?
        var format: Format?

        var prefixItems: [Int] = []
        var items: Int?
        var contains: Int?
        var minContains = 1
        var maxContains: Int?
        var minItems: Int?
        var maxItems: Int?
        var uniqueItems = false

        var properties: [String: Int] = [:]
        var patternProperties: [PatternProperty] = []
        var additionalProperties: Int?
        var propertyNames: Int?
        var required: [String] = []
        var dependentRequired: [DependentRequirement] = []
        var minProperties: Int?
        var maxProperties: Int?

        var allOf: [Int] = []
        var anyOf: [Int] = []
        var oneOf: [Int] = []
        var not: Int?
        var ifSchema: Int?
        var thenSchema: Int?
        var elseSchema: Int?

        /// Whether any keyword looks inside objects, so objects with none can skip walking their members.
        var walksProperties: Bool {
            !properties.isEmpty || !patternProperties.isEmpty || additionalProperties != nil || propertyNames != nil
        }
    }

    /// The JSON types a `type` keyword can name.
    struct TypeSet: OptionSet, Sendable {
        let rawValue: UInt8

        static let null = TypeSet(rawValue: 1 << 0)
        static let boolean = TypeSet(rawValue: 1 << 1)
        static let integer = TypeSet(rawValue: 1 << 2)
        static let number = TypeSet(rawValue: 1 << 3)
        static let string = TypeSet(rawValue: 1 << 4)
        static let array = TypeSet(rawValue: 1 << 5)
        static let object = TypeSet(rawValue: 1 << 6)

        init(rawValue: UInt8) {
            self.rawValue = rawValue
        }

        /// The type called `name` in JSON Schema, or `nil` for a name JSON Schema does not have.
        init?(name: String) {
            switch name {
            case "null": self = .null
            case "boolean": self = .boolean
            case "integer": self = .integer
            case "number": self = .number
            case "string": self = .string
            case "array": self = .array
            case "object": self = .object
            default: return nil
            }
        }

        /// Whether `value` has one of these types. JSON Schema calls any whole number an integer, so `2.0` is one,
        /// and every integer is also a number.
        func admits(_ value: JSONValue) -> Bool {
            switch value {
            case .null: contains(.null)
            case .bool: contains(.boolean)
            case .integer: contains(.integer) || contains(.number)
            case .number(let number):
                contains(.number) || (contains(.integer) && number.isFinite && number.rounded(.towardZero) == number)
            case .string: contains(.string)
            case .array: contains(.array)
            case .object: contains(.object)
            }
        }
    }

    /// A JSON number kept exact: comparing an `Int64` with a `Double` by converting the integer would lose precision
    /// above 2^53.
    enum Number: Sendable, Comparable, CustomStringConvertible {
        case integer(Int64)
        case double(Double)

        /// The number in `value`, or `nil` when it is not a number.
        init?(_ value: JSONValue) {
            switch value {
            case .integer(let integer): self = .integer(integer)
            case .number(let double): self = .double(double)
            default: return nil
            }
        }

        var doubleValue: Double {
            switch self {
            case .integer(let integer): Double(integer)
            case .double(let double): double
            }
        }

        var description: String {
            switch self {
            case .integer(let integer): String(integer)
            case .double(let double): "\(double)"
            }
        }

        static func == (lhs: Number, rhs: Number) -> Bool { compare(lhs, rhs) == 0 }

        static func < (lhs: Number, rhs: Number) -> Bool { compare(lhs, rhs) < 0 }

        /// -1, 0 or 1 as `lhs` is below, equal to or above `rhs`.
        private static func compare(_ lhs: Number, _ rhs: Number) -> Int {
            switch (lhs, rhs) {
            case (.integer(let left), .integer(let right)): left < right ? -1 : (left == right ? 0 : 1)
            case (.double(let left), .double(let right)): left < right ? -1 : (left == right ? 0 : 1)
            case (.integer(let left), .double(let right)): compare(left, right)
            case (.double(let left), .integer(let right)): -compare(right, left)
            }
        }

        private static func compare(_ integer: Int64, _ double: Double) -> Int {
            if double.isNaN { return 0 }
            // 2^63 is exactly representable; anything at or beyond it lies outside Int64.
            if double >= 9_223_372_036_854_775_808.0 { return -1 }
            if double < -9_223_372_036_854_775_808.0 { return 1 }
            let floor = double.rounded(.down)
            guard let whole = Int64(exactly: floor) else { return 0 }
            if integer != whole { return integer < whole ? -1 : 1 }
            return double > floor ? -1 : 0
        }

        /// Whether this is a whole multiple of `divisor` (which compilation guarantees is positive). Integers are
        /// checked exactly; otherwise a small relative tolerance absorbs binary rounding, so `0.3` is a multiple of
        /// `0.1`.
        func isMultiple(of divisor: Number) -> Bool {
            if case .integer(let value) = self, case .integer(let step) = divisor {
                return value % step == 0
            }
            let quotient = doubleValue / divisor.doubleValue
            guard quotient.isFinite else { return false }
            return abs(quotient - quotient.rounded()) <= 1e-9 * max(1, abs(quotient))
        }
    }

    /// A `pattern` or `patternProperties` regular expression, built once at compile time.
    ///
    /// `@unchecked` because not every SDK marks `NSRegularExpression` `Sendable`, though Foundation documents it as
    /// immutable and safe to share between threads.
    struct Pattern: @unchecked Sendable {
        let source: String
        let expression: NSRegularExpression

        init(_ source: String, at path: String) throws {
            self.source = source
            do {
                expression = try NSRegularExpression(pattern: source)
            } catch {
                throw Compiler.invalid(path, "\"\(source)\" is not a valid regular expression")
            }
        }

        /// JSON Schema patterns are not anchored: a match anywhere in the string counts.
        func matches(_ string: String) -> Bool {
            expression.firstMatch(in: string, range: NSRange(location: 0, length: string.utf16.count)) != nil
        }
    }

    /// One `patternProperties` entry.
    struct PatternProperty: Sendable {
        let pattern: Pattern
        let schema: Int
    }

    /// One `dependentRequired` entry: when `property` is present, so must `required` be.
    struct DependentRequirement: Sendable {
        let property: String
        let required: [String]
    }

    /// Turns a schema document into nodes, checking every keyword it supports on the way.
    struct Compiler {
        private let root: JSONValue
        private var nodes: [Keywords?] = []
        /// Compiled nodes by JSON pointer, so a `$ref` reuses the node for its target and recursive schemas end.
        private var indexByPointer: [String: Int] = [:]

        private init(root: JSONValue) {
            self.root = root
        }

        /// The nodes for `root`, the root node first.
        static func compile(_ root: JSONValue) throws -> [Node] {
            var compiler = Compiler(root: root)
            _ = try compiler.compile(root, at: "#")
            let keywords = compiler.nodes.compactMap { $0 }
            guard keywords.count == compiler.nodes.count else {
                throw invalid("#", "internal error: a subschema was left uncompiled")
            }
            try rejectEndlessReferences(in: keywords)
            return keywords.map(Node.init)
        }

        static func invalid(_ path: String, _ reason: String) -> JSONSchemaError {
            .invalidSchema(path: path, reason: reason)
        }

        private mutating func compile(_ schema: JSONValue, at pointer: String) throws -> Int {
            if let index = indexByPointer[pointer] { return index }
            let index = nodes.count
            nodes.append(nil)
            indexByPointer[pointer] = index
            nodes[index] = try node(for: schema, at: pointer)
            return index
        }

        private mutating func node(for schema: JSONValue, at pointer: String) throws -> Keywords {
            var node = Keywords(pointer: pointer)
            let keywords: [String: JSONValue]
            switch schema {
            case .bool(let allowsEverything):
                node.rejectsEverything = !allowsEverything
                return node
            case .object(let object):
                keywords = object
            default:
                throw Self.invalid(pointer, "a schema must be an object or a boolean, got \(schema.typeName)")
            }
            let at = { (keyword: String) in pointer + "/" + Self.escape(keyword) }

            if let type = keywords["type"] {
                (node.types, node.typeNames) = try Self.types(type, at: at("type"))
            }
            if let nullable = keywords["nullable"] {
                guard case .bool(let allowsNull) = nullable else {
                    throw Self.invalid(at("nullable"), "nullable must be a boolean, got \(nullable.typeName)")
                }
                node.allowsNull = allowsNull
                if allowsNull, let types = node.types, !types.contains(.null) {
                    node.types = types.union(.null)
                    node.typeNames.append("null")
                }
            }
            if let enumeration = keywords["enum"] {
                guard case .array(let values) = enumeration else {
                    throw Self.invalid(at("enum"), "enum must be an array, got \(enumeration.typeName)")
                }
                node.enumeration = Set(values.map(JSONSchema.canonical))
                node.enumerationDisplay = values.map(JSONSchema.render)
            }
            if let constant = keywords["const"] {
                node.constant = JSONSchema.canonical(constant)
                node.constantDisplay = JSONSchema.render(constant)
            }
            if let reference = keywords["$ref"] {
                guard case .string(let target) = reference else {
                    throw Self.invalid(at("$ref"), "$ref must be a string, got \(reference.typeName)")
                }
                node.reference = try resolve(target, at: at("$ref"))
            }

            try readNumberKeywords(keywords, into: &node, at: at)
            node.minLength = try Self.count(keywords["minLength"], "minLength", at: at)
            node.maxLength = try Self.count(keywords["maxLength"], "maxLength", at: at)
            if let pattern = keywords["pattern"] {
                guard case .string(let source) = pattern else {
                    throw Self.invalid(at("pattern"), "pattern must be a string, got \(pattern.typeName)")
                }
                node.pattern = try Pattern(source, at: at("pattern"))
            }
            if let format = keywords["format"] {
                guard case .string(let name) = format else {
                    throw Self.invalid(at("format"), "format must be a string, got \(format.typeName)")
                }
                node.format = Format(rawValue: name)
            }

            try readArrayKeywords(keywords, into: &node, at: at)
            try readObjectKeywords(keywords, into: &node, at: at)

            node.allOf = try subschemaList(keywords["allOf"], "allOf", at: at) ?? []
            node.anyOf = try subschemaList(keywords["anyOf"], "anyOf", at: at) ?? []
            node.oneOf = try subschemaList(keywords["oneOf"], "oneOf", at: at) ?? []
            node.not = try subschema(keywords["not"], at: at("not"))
            node.ifSchema = try subschema(keywords["if"], at: at("if"))
            node.thenSchema = try subschema(keywords["then"], at: at("then"))
            node.elseSchema = try subschema(keywords["else"], at: at("else"))

            // Definitions are compiled even when nothing refers to them, so a broken one is reported up front.
            for keyword in ["$defs", "definitions"] {
                _ = try subschemaMap(keywords[keyword], keyword, at: at)
            }
            return node
        }

        private func readNumberKeywords(
            _ keywords: [String: JSONValue], into node: inout Keywords, at: (String) -> String
        ) throws {
            node.minimum = try Self.number(keywords["minimum"], "minimum", at: at)
            node.maximum = try Self.number(keywords["maximum"], "maximum", at: at)
            // Draft 4 and OpenAPI 3.0 spell exclusive bounds as a boolean beside minimum/maximum; 2020-12 as a number.
            switch keywords["exclusiveMinimum"] {
            case .bool(true):
                node.exclusiveMinimum = node.minimum
                node.minimum = nil
            case .bool(false): break
            case let bound: node.exclusiveMinimum = try Self.number(bound, "exclusiveMinimum", at: at)
            }
            switch keywords["exclusiveMaximum"] {
            case .bool(true):
                node.exclusiveMaximum = node.maximum
                node.maximum = nil
            case .bool(false): break
            case let bound: node.exclusiveMaximum = try Self.number(bound, "exclusiveMaximum", at: at)
            }
            if let multipleOf = try Self.number(keywords["multipleOf"], "multipleOf", at: at) {
                guard multipleOf > .integer(0) else {
                    throw Self.invalid(at("multipleOf"), "multipleOf must be greater than 0, got \(multipleOf)")
                }
                node.multipleOf = multipleOf
            }
        }

        private mutating func readArrayKeywords(
            _ keywords: [String: JSONValue], into node: inout Keywords, at: (String) -> String
        ) throws {
            node.minItems = try Self.count(keywords["minItems"], "minItems", at: at)
            node.maxItems = try Self.count(keywords["maxItems"], "maxItems", at: at)
            if let unique = keywords["uniqueItems"] {
                guard case .bool(let isUnique) = unique else {
                    throw Self.invalid(at("uniqueItems"), "uniqueItems must be a boolean, got \(unique.typeName)")
                }
                node.uniqueItems = isUnique
            }
            node.prefixItems = try subschemaList(keywords["prefixItems"], "prefixItems", at: at) ?? []
            if case .array = keywords["items"] {
                // Draft 7's tuple form, still emitted by older generators: items as an array, additionalItems after.
                guard keywords["prefixItems"] == nil else {
                    throw Self.invalid(at("items"), "items must be a schema when prefixItems is present")
                }
                node.prefixItems = try subschemaList(keywords["items"], "items", at: at, allowsEmpty: true) ?? []
                node.items = try subschema(keywords["additionalItems"], at: at("additionalItems"))
            } else {
                node.items = try subschema(keywords["items"], at: at("items"))
            }
            node.contains = try subschema(keywords["contains"], at: at("contains"))
            node.minContains = try Self.count(keywords["minContains"], "minContains", at: at) ?? 1
            node.maxContains = try Self.count(keywords["maxContains"], "maxContains", at: at)
        }

        private mutating func readObjectKeywords(
            _ keywords: [String: JSONValue], into node: inout Keywords, at: (String) -> String
        ) throws {
            node.properties = Dictionary(
                try subschemaMap(keywords["properties"], "properties", at: at) ?? [],
                uniquingKeysWith: { first, _ in first }
            )
            if let patternProperties = keywords["patternProperties"] {
                guard case .object(let entries) = patternProperties else {
                    throw Self.invalid(
                        at("patternProperties"),
                        "patternProperties must be an object, got \(patternProperties.typeName)"
                    )
                }
                for (source, schema) in entries.sorted(by: { $0.key < $1.key }) {
                    let path = at("patternProperties") + "/" + Self.escape(source)
                    let pattern = try Pattern(source, at: path)
                    node.patternProperties.append(
                        PatternProperty(pattern: pattern, schema: try compile(schema, at: path)))
                }
            }
            node.additionalProperties = try subschema(keywords["additionalProperties"], at: at("additionalProperties"))
            node.propertyNames = try subschema(keywords["propertyNames"], at: at("propertyNames"))
            if let required = keywords["required"] {
                var seen = Set<String>()
                node.required = try Self.strings(required, "required", at: at("required")).filter {
                    seen.insert($0).inserted
                }
            }
            if let dependentRequired = keywords["dependentRequired"] {
                guard case .object(let entries) = dependentRequired else {
                    throw Self.invalid(
                        at("dependentRequired"),
                        "dependentRequired must be an object, got \(dependentRequired.typeName)"
                    )
                }
                for (property, required) in entries.sorted(by: { $0.key < $1.key }) {
                    let path = at("dependentRequired") + "/" + Self.escape(property)
                    let names = try Self.strings(required, "dependentRequired/\(property)", at: path)
                    node.dependentRequired.append(DependentRequirement(property: property, required: names))
                }
            }
            node.minProperties = try Self.count(keywords["minProperties"], "minProperties", at: at)
            node.maxProperties = try Self.count(keywords["maxProperties"], "maxProperties", at: at)
        }

        // MARK: Keyword values

        private mutating func subschema(_ value: JSONValue?, at path: String) throws -> Int? {
            guard let value else { return nil }
            return try compile(value, at: path)
        }

        private mutating func subschemaList(
            _ value: JSONValue?, _ keyword: String, at: (String) -> String, allowsEmpty: Bool = false
        ) throws -> [Int]? {
            guard let value else { return nil }
            guard case .array(let schemas) = value, allowsEmpty || !schemas.isEmpty else {
                throw Self.invalid(at(keyword), "\(keyword) must be a non-empty array of schemas")
            }
            var indices: [Int] = []
            indices.reserveCapacity(schemas.count)
            for (position, schema) in schemas.enumerated() {
                indices.append(try compile(schema, at: at(keyword) + "/\(position)"))
            }
            return indices
        }

        private mutating func subschemaMap(
            _ value: JSONValue?, _ keyword: String, at: (String) -> String
        ) throws -> [(String, Int)]? {
            guard let value else { return nil }
            guard case .object(let schemas) = value else {
                throw Self.invalid(at(keyword), "\(keyword) must be an object of schemas, got \(value.typeName)")
            }
            var entries: [(String, Int)] = []
            entries.reserveCapacity(schemas.count)
            for (name, schema) in schemas.sorted(by: { $0.key < $1.key }) {
                entries.append((name, try compile(schema, at: at(keyword) + "/" + Self.escape(name))))
            }
            return entries
        }

        private static func types(_ value: JSONValue, at path: String) throws -> (TypeSet, [String]) {
            let names: [String]
            switch value {
            case .string(let name):
                names = [name]
            case .array(let items) where !items.isEmpty:
                names = try items.map { item in
                    guard case .string(let name) = item else {
                        throw invalid(path, "type must be a string or a non-empty array of strings")
                    }
                    return name
                }
            default:
                throw invalid(path, "type must be a string or a non-empty array of strings")
            }
            var types = TypeSet()
            var ordered: [String] = []
            for name in names {
                guard let type = TypeSet(name: name) else {
                    throw invalid(
                        path,
                        "unknown type \"\(name)\"; use null, boolean, integer, number, string, array or object"
                    )
                }
                if !ordered.contains(name) { ordered.append(name) }
                types.insert(type)
            }
            return (types, ordered)
        }

        private static func number(
            _ value: JSONValue?, _ keyword: String, at: (String) -> String
        ) throws -> Number? {
            guard let value else { return nil }
            guard let number = Number(value), number.doubleValue.isFinite else {
                throw invalid(at(keyword), "\(keyword) must be a number, got \(value.typeName)")
            }
            return number
        }

        /// A non-negative integer keyword such as `minLength`; `2.0` counts, as the specification allows.
        private static func count(_ value: JSONValue?, _ keyword: String, at: (String) -> String) throws -> Int? {
            switch value {
            case nil: return nil
            case .integer(let integer) where integer >= 0: return Int(exactly: integer) ?? Int.max
            case .number(let double) where double >= 0:
                if let integer = Int(exactly: double) { return integer }
            default: break
            }
            let shown = value.map(JSONSchema.render) ?? "nothing"
            throw invalid(at(keyword), "\(keyword) must be a non-negative integer, got \(shown)")
        }

        private static func strings(_ value: JSONValue, _ keyword: String, at path: String) throws -> [String] {
            guard case .array(let items) = value else {
                throw invalid(path, "\(keyword) must be an array of strings, got \(value.typeName)")
            }
            return try items.map { item in
                guard case .string(let string) = item else {
                    throw invalid(path, "\(keyword) must be an array of strings, but contains \(item.typeName)")
                }
                return string
            }
        }

        // MARK: References

        /// Compiles the target of a local `$ref` such as `#/$defs/Address` and returns its node.
        private mutating func resolve(_ reference: String, at path: String) throws -> Int {
            guard reference.hasPrefix("#") else {
                throw Self.invalid(
                    path,
                    "only local references such as \"#/$defs/Name\" are supported, got \"\(reference)\""
                )
            }
            guard let fragment = String(reference.dropFirst()).removingPercentEncoding else {
                throw Self.invalid(path, "\"\(reference)\" is not a valid URI fragment")
            }
            guard fragment.isEmpty || fragment.hasPrefix("/") else {
                throw Self.invalid(path, "anchor references such as \"\(reference)\" are not supported")
            }
            var target = root
            var pointer = "#"
            for token in fragment.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
                let key = Self.unescape(String(token))
                let unresolved = Self.invalid(path, "cannot resolve $ref \"\(reference)\": no \"\(key)\" in the schema")
                switch target {
                case .object(let object):
                    guard let next = object[key] else { throw unresolved }
                    target = next
                case .array(let array):
                    guard let position = Int(key), array.indices.contains(position) else { throw unresolved }
                    target = array[position]
                default:
                    throw unresolved
                }
                pointer += "/" + Self.escape(key)
            }
            return try compile(target, at: pointer)
        }

        /// Fails for `$ref` (or `allOf`, `anyOf`, ...) chains that come back to where they started without stepping
        /// into the value: validating them would never end. Recursion through `properties` or `items` is fine,
        /// because the value is finite.
        private static func rejectEndlessReferences(in nodes: [Keywords]) throws {
            enum Mark { case unvisited, visiting, done }
            var marks = [Mark](repeating: .unvisited, count: nodes.count)

            func visit(_ index: Int) throws {
                switch marks[index] {
                case .done: return
                case .visiting:
                    throw invalid(
                        nodes[index].pointer,
                        "$ref cycle: this schema refers back to itself without stepping into the value"
                    )
                case .unvisited: break
                }
                marks[index] = .visiting
                let node = nodes[index]
                let inPlace = [node.reference, node.not, node.ifSchema, node.thenSchema, node.elseSchema]
                for next in inPlace.compactMap({ $0 }) + node.allOf + node.anyOf + node.oneOf {
                    try visit(next)
                }
                marks[index] = .done
            }

            for index in nodes.indices {
                try visit(index)
            }
        }

        // MARK: JSON pointers

        static func escape(_ token: String) -> String {
            guard token.contains("~") || token.contains("/") else { return token }
            return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
        }

        static func unescape(_ token: String) -> String {
            guard token.contains("~") else { return token }
            return token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }
}
