import AnvilCore
import Foundation

/// One parameter of a compiled template, as the API shows it.
struct PromptParameterRepresentation: Encodable, Sendable {
    var name: String
    var type: String
    var required: Bool
    var defaultValue: JSONValue?
    var description: String?
    var options: [String]?
    var minimum: Double?
    var maximum: Double?
    var line: Int
    var column: Int

    enum CodingKeys: String, CodingKey {
        case name, type, required, description, options, minimum, maximum, line, column
        case defaultValue = "default"
    }

    init(_ parameter: PromptParameter) {
        name = parameter.name
        type = parameter.type.keyword
        required = parameter.isRequired
        defaultValue = parameter.defaultValue
        description = parameter.description
        if case .choice(let choices) = parameter.type { options = choices }
        minimum = parameter.minimum
        maximum = parameter.maximum
        line = parameter.line
        column = parameter.column
    }
}

/// `POST /prompts/compile`: everything the compiler produces.
struct CompiledTemplateRepresentation: Encodable, Sendable {
    var template: String
    var parameters: [PromptParameterRepresentation]
    var schema: JSONValue
    var form: [PromptFormField]

    init(_ template: PromptTemplate) {
        self.template = template.canonicalSource
        parameters = template.parameters.map(PromptParameterRepresentation.init)
        schema = template.jsonSchema
        form = template.formFields
    }
}

/// `POST /prompts/compile/form`: the form first, with the schema that checks what it submits.
struct FormRepresentation: Encodable, Sendable {
    var fields: [PromptFormField]
    var schema: JSONValue

    init(_ template: PromptTemplate) {
        fields = template.formFields
        schema = template.jsonSchema
    }
}

/// `POST /prompts/optimize`: the rewritten template, compiled.
struct OptimizedTemplateRepresentation: Encodable, Sendable {
    var template: String
    var parameters: [PromptParameterRepresentation]
    var schema: JSONValue
    var form: [PromptFormField]
    var model: String

    init(template: PromptTemplate, model: String) {
        let compiled = CompiledTemplateRepresentation(template)
        self.template = compiled.template
        parameters = compiled.parameters
        schema = compiled.schema
        form = compiled.form
        self.model = model
    }
}

/// `POST /prompts/extract`.
struct ExtractionRepresentation: Encodable, Sendable {
    var values: [String: JSONValue]
    var missing: [String]
    var invalid: [[String: String]]
    var confidence: [String: Double]
    var spans: [String: TextSpan]
    var sources: [String: ParameterExtraction.ValueSource]
    var model: String?

    init(_ extraction: ParameterExtraction, model: String?) {
        values = extraction.values
        missing = extraction.missing
        invalid = extraction.invalid.map { ["path": $0.path, "message": $0.message] }
        confidence = extraction.confidence.mapValues { ($0 * 1000).rounded() / 1000 }
        spans = extraction.spans
        sources = extraction.sources
        self.model = model
    }
}

/// A saved template with its compiled parameters and schema.
struct SavedPromptTemplateRepresentation: Encodable, Sendable {
    var id: String
    var name: String
    var description: String?
    var template: String
    var parameters: [PromptParameterRepresentation]
    var schema: JSONValue
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, description, template, parameters, schema
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    init(_ saved: SavedPromptTemplate, compiled: PromptTemplate?) {
        id = saved.id
        name = saved.name
        description = saved.description
        template = saved.source
        parameters = compiled?.parameters.map(PromptParameterRepresentation.init) ?? []
        schema = compiled?.jsonSchema ?? ["type": "object"]
        createdAt = saved.createdAt
        updatedAt = saved.updatedAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(description, forKey: .description)
        try container.encode(template, forKey: .template)
        try container.encode(parameters, forKey: .parameters)
        try container.encode(schema, forKey: .schema)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}
