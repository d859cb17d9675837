extension JSONSchema {
    /// How deep into a value validation goes before giving up, so that a hostile, deeply nested argument cannot
    /// exhaust the stack of the thread validating it. Real tool arguments are a handful of levels deep.
    static let maximumDepth = 128

    /// One step on the way from the root of a value to a part of it.
    enum PathComponent: Sendable, Comparable {
        case key(String)
        case index(Int)

        static func < (lhs: PathComponent, rhs: PathComponent) -> Bool {
            switch (lhs, rhs) {
            case (.index(let left), .index(let right)): left < right
            case (.key(let left), .key(let right)): left < right
            case (.index, .key): true
            case (.key, .index): false
            }
        }
    }

    /// The state of one validation: where in the value it is and what it has found.
    struct ValidationContext {
        /// `isValid(_:)` only needs a yes or no, so it skips building messages and stops at the first problem.
        let stopsAtFirstViolation: Bool
        private(set) var path: [PathComponent]
        private(set) var depth: Int
        private var findings: [(path: [PathComponent], message: String)] = []

        init(stopsAtFirstViolation: Bool, path: [PathComponent] = [], depth: Int = 0) {
            self.stopsAtFirstViolation = stopsAtFirstViolation
            self.path = path
            self.depth = depth
        }

        /// Records a violation at the current path (unless only a yes or no is wanted) and returns whether to carry
        /// on looking for more.
        mutating func report(_ message: @autoclosure () -> String) -> Bool {
            guard !stopsAtFirstViolation else { return false }
            findings.append((path, message()))
            return true
        }

        /// `report(_:)` for a member or item of the current value.
        mutating func report(at component: PathComponent, _ message: @autoclosure () -> String) -> Bool {
            guard !stopsAtFirstViolation else { return false }
            path.append(component)
            findings.append((path, message()))
            path.removeLast()
            return true
        }

        /// Validates the member or item at `component` against `schema`.
        mutating func descend(
            into component: PathComponent, _ value: JSONValue, schema: Int, nodes: [Node]
        ) -> Bool {
            guard depth < JSONSchema.maximumDepth else {
                _ = report(at: component, "is nested more than \(JSONSchema.maximumDepth) levels deep")
                return false
            }
            path.append(component)
            depth += 1
            let valid = nodes[schema].validate(value, in: nodes, context: &self)
            depth -= 1
            path.removeLast()
            return valid
        }

        /// Whether `value` matches `schema`, without recording anything here; for `anyOf`, `not`, `if` and the like.
        func probe(_ value: JSONValue, schema: Int, nodes: [Node]) -> Bool {
            var probe = ValidationContext(stopsAtFirstViolation: true, depth: depth)
            return nodes[schema].validate(value, in: nodes, context: &probe)
        }

        /// Every violation of `value` against `schema`, with paths from the root; for explaining failed alternatives.
        func explain(_ value: JSONValue, schema: Int, nodes: [Node]) -> [SchemaViolation] {
            var explanation = ValidationContext(stopsAtFirstViolation: false, path: path, depth: depth)
            _ = nodes[schema].validate(value, in: nodes, context: &explanation)
            return explanation.violations()
        }

        /// The findings in document order: parents before children, keys sorted, items by index, and the order found
        /// among findings at the same place.
        func violations() -> [SchemaViolation] {
            findings.enumerated()
                .sorted { lhs, rhs in
                    if lhs.element.path == rhs.element.path { return lhs.offset < rhs.offset }
                    return lhs.element.path.lexicographicallyPrecedes(rhs.element.path)
                }
                .map { SchemaViolation(path: JSONSchema.render(path: $0.element.path), message: $0.element.message) }
        }
    }
}

extension JSONSchema.Keywords {
    typealias Node = JSONSchema.Node
    typealias Context = JSONSchema.ValidationContext

    /// Validates `value` against this schema, recording violations in `context`; returns whether it is valid.
    ///
    /// A value of the wrong `type` gets that one violation and nothing more: the other keywords' complaints would
    /// only repeat it.
    func validate(_ value: JSONValue, in nodes: [Node], context: inout Context) -> Bool {
        if rejectsEverything {
            _ = context.report("no value is allowed here")
            return false
        }
        if allowsNull, case .null = value { return true }
        if let types, !types.admits(value) {
            _ = context.report("expected \(Self.describe(typeNames)), got \(value.typeName)")
            return false
        }
        var valid = true
        if let enumeration, !enumeration.contains(JSONSchema.canonical(value)) {
            valid = false
            guard context.report(enumerationMessage) else { return false }
        }
        if let constant, JSONSchema.canonical(value) != constant {
            valid = false
            guard context.report("must be \(constantDisplay)") else { return false }
        }
        if let reference, !nodes[reference].validate(value, in: nodes, context: &context) {
            valid = false
            guard !context.stopsAtFirstViolation else { return false }
        }

        let typeValid: Bool
        switch value {
        case .integer(let integer): typeValid = validate(.integer(integer), context: &context)
        case .number(let double): typeValid = validate(.double(double), context: &context)
        case .string(let string): typeValid = validate(string, context: &context)
        case .array(let array): typeValid = validate(array, in: nodes, context: &context)
        case .object(let object): typeValid = validate(object, in: nodes, context: &context)
        case .null, .bool: typeValid = true
        }
        if !typeValid {
            valid = false
            guard !context.stopsAtFirstViolation else { return false }
        }

        if !allOf.isEmpty || !anyOf.isEmpty || !oneOf.isEmpty || not != nil || ifSchema != nil {
            return validateApplicators(value, in: nodes, context: &context) && valid
        }
        return valid
    }

    // MARK: Numbers, strings

    private func validate(_ number: JSONSchema.Number, context: inout Context) -> Bool {
        var valid = true
        if let minimum, number < minimum {
            valid = false
            guard context.report("must be >= \(minimum), got \(number)") else { return false }
        }
        if let exclusiveMinimum, number <= exclusiveMinimum {
            valid = false
            guard context.report("must be > \(exclusiveMinimum), got \(number)") else { return false }
        }
        if let maximum, number > maximum {
            valid = false
            guard context.report("must be <= \(maximum), got \(number)") else { return false }
        }
        if let exclusiveMaximum, number >= exclusiveMaximum {
            valid = false
            guard context.report("must be < \(exclusiveMaximum), got \(number)") else { return false }
        }
        if let multipleOf, !number.isMultiple(of: multipleOf) {
            valid = false
            guard context.report("must be a multiple of \(multipleOf), got \(number)") else { return false }
        }
        return valid
    }

    private func validate(_ string: String, context: inout Context) -> Bool {
        var valid = true
        if minLength != nil || maxLength != nil {
            // JSON Schema counts code points, so "é" written as e + combining accent is two characters long.
            let length = string.unicodeScalars.count
            if let minLength, length < minLength {
                valid = false
                let unit = minLength == 1 ? "character" : "characters"
                guard context.report("must be at least \(minLength) \(unit) long, got \(length)") else { return false }
            }
            if let maxLength, length > maxLength {
                valid = false
                let unit = maxLength == 1 ? "character" : "characters"
                guard context.report("must be at most \(maxLength) \(unit) long, got \(length)") else { return false }
            }
        }
        if let pattern, !pattern.matches(string) {
            valid = false
            let message =
                "must match the pattern \(JSONSchema.render(.string(pattern.source))), got \(Self.excerpt(string))"
            guard context.report(message) else { return false }
        }
        if let format, !format.accepts(string) {
            valid = false
            guard context.report("must be \(format.expectation), got \(Self.excerpt(string))") else { return false }
        }
        return valid
    }

    // MARK: Arrays

    private func validate(_ array: [JSONValue], in nodes: [Node], context: inout Context) -> Bool {
        var valid = true
        if let minItems, array.count < minItems {
            valid = false
            guard context.report("must have at least \(Self.count(minItems, "item")), got \(array.count)") else {
                return false
            }
        }
        if let maxItems, array.count > maxItems {
            valid = false
            guard context.report("must have at most \(Self.count(maxItems, "item")), got \(array.count)") else {
                return false
            }
        }
        if uniqueItems, let (first, second) = Self.firstDuplicate(in: array) {
            valid = false
            guard context.report("must not contain duplicates, but items \(first) and \(second) are equal") else {
                return false
            }
        }
        if !prefixItems.isEmpty || items != nil {
            for (position, item) in array.enumerated() {
                let schema: Int
                if position < prefixItems.count {
                    schema = prefixItems[position]
                } else if let items {
                    schema = items
                } else {
                    break
                }
                if position >= prefixItems.count, nodes[schema].keywords.rejectsEverything {
                    valid = false
                    let limit = Self.count(prefixItems.count, "item")
                    guard context.report(at: .index(position), "additional item not allowed (at most \(limit))") else {
                        return false
                    }
                    continue
                }
                if !context.descend(into: .index(position), item, schema: schema, nodes: nodes) {
                    valid = false
                    guard !context.stopsAtFirstViolation else { return false }
                }
            }
        }
        if let contains {
            var matches = 0
            for item in array where context.probe(item, schema: contains, nodes: nodes) {
                matches += 1
                if maxContains == nil && matches >= minContains { break }
            }
            if matches < minContains {
                valid = false
                let expected = Self.count(minContains, "item")
                guard context.report("must contain at least \(expected) matching \"contains\", got \(matches)") else {
                    return false
                }
            }
            if let maxContains, matches > maxContains {
                valid = false
                let expected = Self.count(maxContains, "item")
                guard context.report("must contain at most \(expected) matching \"contains\", got \(matches)") else {
                    return false
                }
            }
        }
        return valid
    }

    /// The positions of the first two equal items, comparing numbers by value so that `1` and `1.0` are equal.
    private static func firstDuplicate(in array: [JSONValue]) -> (Int, Int)? {
        var seen: [JSONValue: Int] = [:]
        for (position, item) in array.enumerated() {
            let canonical = JSONSchema.canonical(item)
            if let earlier = seen[canonical] { return (earlier, position) }
            seen[canonical] = position
        }
        return nil
    }

    // MARK: Objects

    private func validate(_ object: [String: JSONValue], in nodes: [Node], context: inout Context) -> Bool {
        var valid = true
        for name in required where object[name] == nil {
            valid = false
            guard context.report("missing required property '\(name)'") else { return false }
        }
        for dependency in dependentRequired where object[dependency.property] != nil {
            for name in dependency.required where object[name] == nil {
                valid = false
                let message = "missing property '\(name)', which is required when '\(dependency.property)' is present"
                guard context.report(message) else { return false }
            }
        }
        if let minProperties, object.count < minProperties {
            valid = false
            let expected = Self.count(minProperties, "property", plural: "properties")
            guard context.report("must have at least \(expected), got \(object.count)") else { return false }
        }
        if let maxProperties, object.count > maxProperties {
            valid = false
            let expected = Self.count(maxProperties, "property", plural: "properties")
            guard context.report("must have at most \(expected), got \(object.count)") else { return false }
        }
        guard walksProperties else { return valid }

        for (key, member) in object {
            if let propertyNames, !context.probe(.string(key), schema: propertyNames, nodes: nodes) {
                valid = false
                let reasons = context.explain(.string(key), schema: propertyNames, nodes: nodes).map(\.message)
                let message = "property name is not allowed: \(reasons.joined(separator: "; "))"
                guard context.report(at: .key(key), message) else { return false }
            }
            var matched = false
            if let schema = properties[key] {
                matched = true
                if !context.descend(into: .key(key), member, schema: schema, nodes: nodes) {
                    valid = false
                    guard !context.stopsAtFirstViolation else { return false }
                }
            }
            for patternProperty in patternProperties where patternProperty.pattern.matches(key) {
                matched = true
                if !context.descend(into: .key(key), member, schema: patternProperty.schema, nodes: nodes) {
                    valid = false
                    guard !context.stopsAtFirstViolation else { return false }
                }
            }
            guard !matched, let additionalProperties else { continue }
            if nodes[additionalProperties].keywords.rejectsEverything {
                valid = false
                guard context.report(at: .key(key), "additional property not allowed") else { return false }
            } else if !context.descend(into: .key(key), member, schema: additionalProperties, nodes: nodes) {
                valid = false
                guard !context.stopsAtFirstViolation else { return false }
            }
        }
        return valid
    }

    // MARK: Applicators

    private func validateApplicators(_ value: JSONValue, in nodes: [Node], context: inout Context) -> Bool {
        var valid = true
        for schema in allOf where !nodes[schema].validate(value, in: nodes, context: &context) {
            valid = false
            guard !context.stopsAtFirstViolation else { return false }
        }
        if !anyOf.isEmpty, !anyOf.contains(where: { context.probe(value, schema: $0, nodes: nodes) }) {
            valid = false
            guard !context.stopsAtFirstViolation else { return false }
            reportNoMatch(among: anyOf, keyword: "anyOf", value, in: nodes, context: &context)
        }
        if !oneOf.isEmpty {
            var matching: [Int] = []
            for (position, schema) in oneOf.enumerated() where context.probe(value, schema: schema, nodes: nodes) {
                matching.append(position + 1)
                if matching.count > 1 && context.stopsAtFirstViolation { break }
            }
            if matching.isEmpty {
                valid = false
                guard !context.stopsAtFirstViolation else { return false }
                reportNoMatch(among: oneOf, keyword: "oneOf", value, in: nodes, context: &context)
            } else if matching.count > 1 {
                valid = false
                let options = matching.map(String.init).joined(separator: ", ")
                guard context.report("must match exactly one oneOf option, but matches options \(options)") else {
                    return false
                }
            }
        }
        if let not, context.probe(value, schema: not, nodes: nodes) {
            valid = false
            guard context.report("must not match the schema in \"not\"") else { return false }
        }
        if let ifSchema {
            let branch = context.probe(value, schema: ifSchema, nodes: nodes) ? thenSchema : elseSchema
            if let branch, !nodes[branch].validate(value, in: nodes, context: &context) {
                valid = false
            }
        }
        return valid
    }

    /// Explains why no `anyOf`/`oneOf` option matched as usefully as it can: by type when no option takes the
    /// value's type (the common `[string, null]` union), by that option's own violations when only one does, and
    /// otherwise option by option.
    private func reportNoMatch(
        among options: [Int], keyword: String, _ value: JSONValue, in nodes: [Node],
        context: inout Context
    ) {
        let candidates = options.enumerated().filter { nodes[$0.element].keywords.admitsType(of: value, in: nodes) }
        if candidates.isEmpty {
            var names: [String] = []
            for option in options {
                for name in nodes[option].keywords.declaredTypeNames(in: nodes) where !names.contains(name) {
                    names.append(name)
                }
            }
            let message =
                names.isEmpty
                ? "matches none of the \(keyword) options"
                : "expected \(Self.describe(names)), got \(value.typeName)"
            _ = context.report(message)
            return
        }
        if candidates.count == 1, let only = candidates.first {
            if !nodes[only.element].validate(value, in: nodes, context: &context) { return }
        }
        let explanations = candidates.map { candidate in
            let violations = context.explain(value, schema: candidate.element, nodes: nodes)
            return "option \(candidate.offset + 1): [\(violations.map(\.description).joined(separator: "; "))]"
        }
        _ = context.report("matches none of the \(keyword) options: \(explanations.joined(separator: "; "))")
    }

    /// Whether this schema's `type` (followed through `$ref` and `allOf`) lets the value's type through at all.
    private func admitsType(of value: JSONValue, in nodes: [Node]) -> Bool {
        if rejectsEverything { return false }
        if allowsNull, case .null = value { return true }
        if let types, !types.admits(value) { return false }
        if let reference, !nodes[reference].keywords.admitsType(of: value, in: nodes) { return false }
        return allOf.allSatisfy { nodes[$0].keywords.admitsType(of: value, in: nodes) }
    }

    /// The type names this schema declares, directly or through its `$ref`.
    private func declaredTypeNames(in nodes: [Node]) -> [String] {
        if types != nil { return typeNames }
        if let reference { return nodes[reference].keywords.declaredTypeNames(in: nodes) }
        return []
    }

    // MARK: Messages

    private var enumerationMessage: String {
        let shownLimit = 30
        if enumerationDisplay.count == 1, let only = enumerationDisplay.first { return "must be \(only)" }
        var shown = enumerationDisplay.prefix(shownLimit).joined(separator: ", ")
        if enumerationDisplay.count > shownLimit { shown += ", ... (\(enumerationDisplay.count - shownLimit) more)" }
        return "must be one of \(shown)"
    }

    /// "string", "string or null", "string, number or null".
    private static func describe(_ typeNames: [String]) -> String {
        guard let last = typeNames.last, typeNames.count > 1 else { return typeNames.first ?? "nothing" }
        return typeNames.dropLast().joined(separator: ", ") + " or " + last
    }

    private static func count(_ count: Int, _ singular: String, plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }

    /// The string as JSON, cut short so one long argument cannot swamp the message.
    private static func excerpt(_ string: String) -> String {
        let limit = 80
        guard string.unicodeScalars.count > limit else { return JSONSchema.render(.string(string)) }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: string.unicodeScalars.prefix(limit))
        return JSONSchema.render(.string(String(scalars))) + "..."
    }
}

extension JSONSchema {
    /// `value` with every whole `.number` turned into `.integer`, so that `Hashable` equality matches JSON Schema's,
    /// where `1` and `1.0` are the same value.
    static func canonical(_ value: JSONValue) -> JSONValue {
        switch value {
        case .number(let double):
            if let integer = Int64(exactly: double) { return .integer(integer) }
            return value
        case .array(let array): return .array(array.map(canonical))
        case .object(let object): return .object(object.mapValues(canonical))
        case .null, .bool, .integer, .string: return value
        }
    }

    /// Compact JSON with sorted keys, for messages.
    static func render(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let bool): return bool ? "true" : "false"
        case .integer(let integer): return String(integer)
        case .number(let double): return "\(double)"
        case .string(let string): return quote(string)
        case .array(let array): return "[" + array.map(render).joined(separator: ",") + "]"
        case .object(let object):
            let members = object.sorted { $0.key < $1.key }.map { quote($0.key) + ":" + render($0.value) }
            return "{" + members.joined(separator: ",") + "}"
        }
    }

    /// `$`, `$.city`, `$.items[2].name`, `$["first name"]`.
    static func render(path: [PathComponent]) -> String {
        var rendered = "$"
        for component in path {
            switch component {
            case .index(let index):
                rendered += "[\(index)]"
            case .key(let key) where isIdentifier(key):
                rendered += "." + key
            case .key(let key):
                rendered += "[" + quote(key) + "]"
            }
        }
        return rendered
    }

    private static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return key.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "$"):
                true
            default:
                false
            }
        }
    }

    private static func quote(_ string: String) -> String {
        var quoted = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\t": quoted += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                quoted += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
