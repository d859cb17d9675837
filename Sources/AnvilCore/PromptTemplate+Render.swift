import Foundation

/// Why values could not fill a template.
public struct PromptRenderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Required parameters without a value (absent or `null`), in template order.
    public var missing: [String]
    /// Values that break their parameter's schema, and keys the template has no parameter for.
    public var invalid: [SchemaViolation]

    public init(missing: [String], invalid: [SchemaViolation]) {
        self.missing = missing
        self.invalid = invalid
    }

    public var description: String {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing required values: " + missing.joined(separator: ", ")) }
        parts += invalid.map(\.description)
        return parts.joined(separator: "; ")
    }
}

extension PromptTemplate {
    /// The template with every placeholder replaced by its value.
    ///
    /// Values are checked against ``jsonSchema`` first; a parameter without a value takes its default, an optional
    /// one without a default becomes empty text, and a required one without a value is an error, never empty
    /// text. Numbers are written without a trailing `.0`, booleans as `yes` or `no`.
    public func render(_ values: [String: JSONValue]) throws(PromptRenderError) -> String {
        let filled = try validatedValues(values)
        var text = ""
        for segment in segments {
            switch segment {
            case .literal(let literal): text += literal
            case .placeholder(let name): text += filled[name].map(Self.text(of:)) ?? ""
            }
        }
        return text
    }

    /// The values with defaults applied, after checking them; `null` counts as no value.
    public func validatedValues(_ values: [String: JSONValue]) throws(PromptRenderError) -> [String: JSONValue] {
        var filled: [String: JSONValue] = [:]
        var missing: [String] = []
        var invalid: [SchemaViolation] = []
        for name in values.keys.sorted() where parameter(named: name) == nil {
            invalid.append(SchemaViolation(path: "$." + name, message: "the template has no parameter '\(name)'"))
        }
        for parameter in parameters {
            var given = values[parameter.name]
            if given == .null { given = nil }
            guard let value = given ?? parameter.defaultValue else {
                if parameter.isRequired { missing.append(parameter.name) }
                continue
            }
            if let schema = try? JSONSchema(parameter.jsonSchema) {
                let violations = schema.validate(value)
                if !violations.isEmpty {
                    invalid += violations.map { violation in
                        SchemaViolation(
                            path: "$." + parameter.name + violation.path.dropFirst(), message: violation.message)
                    }
                    continue
                }
            }
            filled[parameter.name] = value
        }
        guard missing.isEmpty, invalid.isEmpty else { throw PromptRenderError(missing: missing, invalid: invalid) }
        return filled
    }

    /// How a value reads in the prompt.
    static func text(of value: JSONValue) -> String {
        switch value {
        case .null: ""
        case .bool(let flag): flag ? "yes" : "no"
        case .integer(let integer): String(integer)
        case .number(let number): numberText(number)
        case .string(let string): string
        case .array(let items): items.map(text(of:)).joined(separator: ", ")
        case .object: (try? String(decoding: JSONEncoder().encode(value), as: UTF8.self)) ?? ""
        }
    }

    /// The template written in its normal form: every parameter declared in full at its first use and referred
    /// to as `{{name}}` afterwards, with literal `{{` escaped. Compiling it gives the same parameters and segments.
    public var canonicalSource: String {
        var declared: Set<String> = []
        var text = ""
        for segment in segments {
            switch segment {
            case .literal(let literal):
                text += literal.replacingOccurrences(of: "{{", with: "\\{{")
            case .placeholder(let name):
                if declared.insert(name).inserted, let parameter = parameter(named: name) {
                    text += "{{" + parameter.declaration + "}}"
                } else {
                    text += "{{\(name)}}"
                }
            }
        }
        return text
    }
}

extension PromptParameter {
    /// The inside of a full placeholder for this parameter: `guests: integer(1..20) = 2 # How many people`.
    public var declaration: String {
        var text = name + ": "
        switch type {
        case .choice(let choices): text += "enum(" + choices.joined(separator: "|") + ")"
        default: text += type.keyword
        }
        let implicitMinimum = type == .money ? 0.0 : nil
        if type.isNumeric, minimum != implicitMinimum || maximum != nil {
            let low = minimum.map(PromptTemplate.numberText) ?? ""
            let high = maximum.map(PromptTemplate.numberText) ?? ""
            text += "(\(low)..\(high))"
        }
        if !isRequired, defaultValue == nil { text += "?" }
        if let defaultValue {
            let written = PromptTemplate.text(of: defaultValue)
            let bare =
                !written.isEmpty
                && written.allSatisfy { !$0.isWhitespace && $0 != "#" && $0 != "\"" && $0 != "}" && $0 != "\\" }
            if case .bool(let flag) = defaultValue {
                text += " = \(flag)"
            } else {
                text += " = " + (bare ? written : "\"" + Self.escaped(written) + "\"")
            }
        }
        if let description { text += " # " + description }
        return text
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
