import Foundation

extension PromptTemplate {
    /// The JSON Schema (draft 2020-12) of the values object: one property per parameter with its type, format,
    /// bounds, enum, default and description; required parameters listed; nothing else allowed.
    ///
    /// `x-anvil-type` carries the template type where JSON Schema has no word for it (`money`, `text`), so the
    /// extractors and form builders reading the schema alone still know.
    public var jsonSchema: JSONValue {
        var properties: [String: JSONValue] = [:]
        for parameter in parameters { properties[parameter.name] = parameter.jsonSchema }
        return .object([
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": .object(properties),
            "required": .array(parameters.filter(\.isRequired).map { .string($0.name) }),
            "additionalProperties": false,
        ])
    }

    /// Converts a default written in a template into a value of the parameter's type; `nil` when it is not one.
    static func value(_ text: String, as parameter: PromptParameter) -> JSONValue? {
        let value: JSONValue
        switch parameter.type {
        case .string, .text:
            value = .string(text)
        case .integer:
            guard let integer = Int64(text) else { return nil }
            value = .integer(integer)
        case .number, .money:
            if let integer = Int64(text) {
                value = .integer(integer)
            } else {
                guard let number = Double(text), number.isFinite, text.allSatisfy({ $0.isNumber || "+-.".contains($0) })
                else { return nil }
                value = .number(number)
            }
        case .boolean:
            switch text.lowercased() {
            case "true", "yes", "on": value = .bool(true)
            case "false", "no", "off": value = .bool(false)
            default: return nil
            }
        case .choice(let choices):
            guard choices.contains(text) else { return nil }
            value = .string(text)
        case .date, .dateTime, .time, .email, .url:
            value = .string(text)
        }
        // The schema's own rules (formats, bounds) decide the rest, so a default is valid exactly when a value is.
        var single = parameter
        single.defaultValue = nil
        guard let schema = try? JSONSchema(single.jsonSchema), schema.isValid(value) else { return nil }
        return value
    }

    /// What a value of the parameter looks like, for messages.
    static func expectation(for parameter: PromptParameter) -> String {
        var bounds = ""
        if parameter.minimum != nil || parameter.maximum != nil {
            let low = parameter.minimum.map(Self.numberText) ?? ""
            let high = parameter.maximum.map(Self.numberText) ?? ""
            bounds = " in \(low)..\(high)"
        }
        switch parameter.type {
        case .string: return "a line of text"
        case .text: return "text"
        case .integer: return "an integer" + bounds
        case .number: return "a number" + bounds
        case .money: return "an amount of money" + bounds
        case .boolean: return "true or false"
        case .date: return "a date such as 2026-03-05"
        case .dateTime: return "a date-time such as 2026-03-05T19:00:00Z"
        case .time: return "a time such as 19:00:00Z"
        case .email: return "an email address"
        case .url: return "an absolute URL such as https://example.com"
        case .choice(let choices): return "one of " + choices.joined(separator: ", ")
        }
    }

    /// `2` rather than `2.0` for whole numbers.
    static func numberText(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return String(number)
    }
}

extension PromptParameter {
    /// The JSON Schema of this parameter's value.
    public var jsonSchema: JSONValue {
        var schema: [String: JSONValue] = [:]
        switch type {
        case .string, .text:
            schema["type"] = "string"
        case .integer:
            schema["type"] = "integer"
        case .number, .money:
            schema["type"] = "number"
        case .boolean:
            schema["type"] = "boolean"
        case .date:
            schema["type"] = "string"
            schema["format"] = "date"
        case .dateTime:
            schema["type"] = "string"
            schema["format"] = "date-time"
        case .time:
            schema["type"] = "string"
            schema["format"] = "time"
        case .email:
            schema["type"] = "string"
            schema["format"] = "email"
        case .url:
            schema["type"] = "string"
            schema["format"] = "uri"
        case .choice(let choices):
            schema["type"] = "string"
            schema["enum"] = .array(choices.map(JSONValue.string))
        }
        if type == .money || type == .text { schema["x-anvil-type"] = .string(type.keyword) }
        if let minimum { schema["minimum"] = Self.bound(minimum) }
        if let maximum { schema["maximum"] = Self.bound(maximum) }
        schema["title"] = .string(label)
        if let description { schema["description"] = .string(description) }
        if let defaultValue { schema["default"] = defaultValue }
        return .object(schema)
    }

    /// The name as words with a capital: `check_in_date` and `checkInDate` both give "Check in date".
    public var label: String {
        let words = ArgumentExtractor.Parameter.words(of: name)
        guard let first = words.first else { return name }
        return ([first.prefix(1).uppercased() + first.dropFirst()] + words.dropFirst()).joined(separator: " ")
    }

    private static func bound(_ value: Double) -> JSONValue {
        if value == value.rounded(), abs(value) < 1e15 { return .integer(Int64(value)) }
        return .number(value)
    }
}
