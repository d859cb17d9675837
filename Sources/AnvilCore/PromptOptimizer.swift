import Foundation

/// Rewrites a rough prompt into a clear template with typed parameters, using a language model, and returns it
/// compiled, so the result is always a valid template.
///
/// The model answers with structured output (`{"template": "..."}`); a template that does not compile is sent
/// back once with the compiler's positioned errors for repair.
public struct PromptOptimizer: Sendable {
    /// The longest template the model may return.
    public static let maximumTemplateLength = 20_000

    public init() {}

    static let answerSchema: JSONValue = [
        "type": "object",
        "properties": [
            "template": ["type": "string", "minLength": 1, "maxLength": .integer(Int64(maximumTemplateLength))]
        ],
        "required": ["template"],
        "additionalProperties": false,
    ]

    static let instructions = """
        You rewrite rough prompts into clear, specific prompt templates. Keep the user's intent and language. Turn \
        every detail a user would want to vary into a typed placeholder. Placeholder syntax: {{name: type = default \
        # description}}; name is letters, digits and underscores; type is one of string, text, integer, number, \
        money, boolean, date, datetime, time, email, url, or enum(a|b|c); add ? after the type for an optional \
        value; = default and # description are optional. Example: Find {{cuisine: enum(italian|thai|any) = any \
        # Kind of food}} restaurants in {{city # The city to search}} for {{guests: integer(1..20) = 2}} people \
        on {{date: date}} with a budget of {{budget: money? # Total budget}}. Write later uses of a name as \
        {{name}}. Answer with a JSON object {"template": "..."} only.
        """

    /// The compiled rewrite of `prompt` by `model`.
    public func optimize(
        _ prompt: String,
        model: (provider: any ModelProvider, name: String)
    ) async throws -> PromptTemplate {
        var messages: [ModelMessage] = [.system(Self.instructions), .user(prompt)]
        var lastProblem = ""
        for attempt in 0..<2 {
            let request = CompletionRequest(
                model: model.name,
                messages: messages,
                temperature: 0.2,
                responseSchema: Self.answerSchema
            )
            let answer = try await model.provider.complete(request).message.text
            guard let object = ParameterExtractor.jsonObject(in: answer)?.objectValue,
                let template = object["template"]?.stringValue,
                !template.isEmpty, template.count <= Self.maximumTemplateLength
            else {
                lastProblem = "the answer was not a JSON object with a non-empty \"template\" string"
                messages += [.assistant(answer), .user("Answer with the JSON object {\"template\": \"...\"} only.")]
                continue
            }
            do {
                return try PromptTemplate(template)
            } catch {
                lastProblem = "the template does not compile: \(error.description)"
                guard attempt == 0 else { break }
                messages += [
                    .assistant(answer),
                    .user("That template does not compile: \(error.description). Answer with the corrected JSON."),
                ]
            }
        }
        throw ParameterExtractorError.unusableModelAnswer(lastProblem)
    }
}
