import Foundation

/// Fills a JSON Schema's parameters from a message: the deterministic extractors first, then, when a language
/// model is given and parameters are still unfilled, one structured-output call for those.
///
/// The model sees only the unfilled parameters, in a schema that requires none of them, so it can leave out what
/// the message does not say instead of inventing it. Its answer is validated; an invalid answer gets one repair
/// request quoting the violations, and whatever is still invalid after that is reported, not returned.
public struct ParameterExtractor: Sendable {
    /// The moment relative dates ("tomorrow") count from.
    public var now: Date
    /// The zone that decides the calendar day of `now` and the offsets of dates and times.
    public var timeZone: TimeZone

    public init(now: Date = Date(), timeZone: TimeZone = .current) {
        self.now = now
        self.timeZone = timeZone
    }

    /// The deterministic pass alone; fast and offline.
    public func extract(schema: JSONValue, from text: String) -> ParameterExtraction {
        ArgumentExtractor(now: now, timeZone: timeZone, fillsTextWithWholeMessage: false)
            .extractParameters(schema: schema, from: text)
    }

    /// The deterministic pass, then `model` (a provider and the model name it knows) for what is left.
    ///
    /// Throws what the provider throws; a provider that answers with something that is not JSON, twice, is
    /// ``ParameterExtractorError/unusableModelAnswer(_:)``.
    public func extract(
        schema: JSONValue,
        from text: String,
        model: (provider: any ModelProvider, name: String)?
    ) async throws -> ParameterExtraction {
        var result = extract(schema: schema, from: text)
        guard let model, let object = schema.objectValue,
            let properties = object["properties"]?.objectValue
        else { return result }
        let remaining = properties.keys.sorted().filter { result.sources[$0] != .text }
        guard !remaining.isEmpty else { return result }

        var requestProperties: [String: JSONValue] = [:]
        for name in remaining { requestProperties[name] = Self.withoutExtensions(properties[name] ?? [:]) }
        let requestSchema: JSONValue = [
            "type": "object",
            "properties": .object(requestProperties),
            "additionalProperties": false,
        ]
        let compiled = try JSONSchema(requestSchema)
        var messages: [ModelMessage] = [
            .system(instructions(known: result.values.filter { result.sources[$0.key] == .text })),
            .user(text),
        ]
        var (written, answer) = try await ask(model, messages: messages, schema: requestSchema)
        let violations = answer.map(compiled.validate) ?? [SchemaViolation(path: "$", message: "not a JSON object")]
        if !violations.isEmpty {
            messages.append(.assistant(written.isEmpty ? "(no answer)" : written))
            messages.append(
                .user(
                    "That answer does not match the schema: "
                        + violations.map(\.description).joined(separator: "; ")
                        + ". Reply with the corrected JSON object only."))
            (written, answer) = try await ask(model, messages: messages, schema: requestSchema)
        }
        guard let values = answer?.objectValue else {
            throw ParameterExtractorError.unusableModelAnswer("the model did not answer with a JSON object")
        }
        let required = Set(
            (object["required"].flatMap { value -> [JSONValue]? in
                if case .array(let items) = value { return items }
                return nil
            } ?? []).compactMap(\.stringValue))

        for (name, value) in values.sorted(by: { $0.key < $1.key }) where remaining.contains(name) && value != .null {
            guard let propertySchema = properties[name], let single = try? JSONSchema(propertySchema) else { continue }
            let problems = single.validate(value)
            guard problems.isEmpty else {
                result.invalid += problems.map {
                    SchemaViolation(path: "$." + name + $0.path.dropFirst(), message: $0.message)
                }
                continue
            }
            result.values[name] = value
            // What the text gave for it and the schema refused is superseded by this value.
            result.invalid.removeAll { $0.path == "$." + name || $0.path.hasPrefix("$." + name + ".") }
            result.sources[name] = .model
            result.confidence[name] = 0.75
            result.spans[name] = value.stringValue.flatMap { written in
                text.range(of: written, options: .caseInsensitive).map { TextSpan($0, in: text) }
            }
        }
        result.missing = result.missing.filter { result.values[$0] == nil }
        for name in required.sorted() where result.values[name] == nil && !result.missing.contains(name) {
            result.missing.append(name)
        }
        return result
    }

    private func instructions(known: [String: JSONValue]) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = timeZone
        var text = """
            Extract parameter values from the user's message. Answer with one JSON object that follows the given \
            schema. Leave out every parameter the message does not state or clearly imply; never guess. Resolve \
            relative dates and times ("tomorrow", "next Friday") from \(formatter.string(from: now)) in the \
            time zone \(timeZone.identifier).
            """
        if !known.isEmpty {
            text += " Already known, for context: " + Self.jsonText(.object(known)) + "."
        }
        return text
    }

    private func ask(
        _ model: (provider: any ModelProvider, name: String),
        messages: [ModelMessage],
        schema: JSONValue
    ) async throws -> (written: String, object: JSONValue?) {
        let request = CompletionRequest(
            model: model.name,
            messages: messages,
            temperature: 0,
            responseSchema: schema
        )
        let written = try await model.provider.complete(request).message.text
        return (written, Self.jsonObject(in: written))
    }

    /// The JSON object in a model's answer, also when it is wrapped in a Markdown code fence.
    static func jsonObject(in text: String) -> JSONValue? {
        var body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if body.hasPrefix("```"), let start = body.firstIndex(of: "\n"),
            let end = body.range(of: "```", options: .backwards),
            end.lowerBound > start
        {
            body = String(body[body.index(after: start)..<end.lowerBound])
        }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(body.utf8)), value.objectValue != nil
        else { return nil }
        return value
    }

    static func jsonText(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// A property schema without `x-` keywords, which strict structured-output modes refuse.
    static func withoutExtensions(_ schema: JSONValue) -> JSONValue {
        guard var object = schema.objectValue else { return schema }
        for key in object.keys where key.hasPrefix("x-") { object[key] = nil }
        return .object(object)
    }
}

/// Why model-assisted extraction or optimization failed.
public enum ParameterExtractorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The model's answer could not be used even after the repair request.
    case unusableModelAnswer(String)

    public var description: String {
        switch self {
        case .unusableModelAnswer(let reason): "the model's answer could not be used: \(reason)"
        }
    }
}
