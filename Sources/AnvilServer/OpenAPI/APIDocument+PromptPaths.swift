import OpenAPIKit

import enum AnvilCore.ChatRules
import struct AnvilCore.SavedPromptTemplate

extension APIDocument {
    /// `PromptController`'s and `PromptTemplateController`'s routes.
    static var promptEndpoints: [Endpoint] {
        let base = "\(apiBasePath)/prompts"
        let invalidTemplate = """
            A template that does not compile is a 400 `invalid_template` whose `details.errors` lists every \
            problem as `{line, column, message, expected}`.
            """
        return [
            endpoint(
                .post,
                "\(base)/compile",
                id: "compilePrompt",
                tag: .prompts,
                summary: "Compile a template",
                description: """
                    Compiles a prompt template (see `docs/prompts.md`) into its parameters, the JSON Schema \
                    (draft 2020-12) of its values and form hints. `template` in the answer is the normal form of the \
                    source: every parameter declared in full at its first use. \(invalidTemplate)
                    """,
                usesDatabase: false,
                body: .compilePromptRequest,
                responses: [(200, jsonResponse("The compiled template.", .compiledPrompt))]
            ),
            endpoint(
                .post,
                "\(base)/compile/form",
                id: "compilePromptForm",
                tag: .prompts,
                summary: "Compile a template into a form",
                description: """
                    The same compilation as `/compile`, answered as a form: the fields in template order with \
                    widget, label, placeholder and help, and the JSON Schema that checks what the form submits. \
                    \(invalidTemplate)
                    """,
                usesDatabase: false,
                body: .compilePromptRequest,
                responses: [(200, jsonResponse("The form.", .promptForm))]
            ),
            endpoint(
                .post,
                "\(base)/extract",
                id: "extractPromptValues",
                tag: .prompts,
                summary: "Extract parameter values from text",
                description: """
                    Reads the values of a template's parameters (or a JSON Schema's properties) out of free text. \
                    Deterministic extractors run first (dates and times, numbers with units, money, emails, URLs, \
                    enum values, booleans, labelled and quoted text), resolving relative dates from `now` in \
                    `timezone`. When a language model is configured (`model`, or the server's default when it is \
                    not the offline `local` model) and parameters are still unfilled, one structured-output call \
                    fills the rest, validated with one repair retry. `values` always validates against the schema; \
                    what did not is listed in `invalid`. Exactly one of `template` and `schema` is required. \
                    \(invalidTemplate) A schema that is not valid JSON Schema or has no properties is a 400 \
                    `invalid_schema`.
                    """,
                usesDatabase: false,
                body: .extractPromptRequest,
                responses: [(200, jsonResponse("What was found and what is still missing.", .promptExtraction))],
                errors: [.badModelRequest, .badGateway, .providerUnavailable, .gatewayTimeout]
            ),
            endpoint(
                .post,
                "\(base)/render",
                id: "renderPrompt",
                tag: .prompts,
                summary: "Fill a template with values",
                description: """
                    Checks the values against the template's schema, applies defaults and writes the prompt. A \
                    required parameter without a value is never rendered as empty text: it is a 400 \
                    `invalid_values` listing `details.missing` and `details.violations`. \(invalidTemplate)
                    """,
                usesDatabase: false,
                body: .renderPromptRequest,
                responses: [(200, jsonResponse("The rendered prompt.", .renderedPrompt))]
            ),
            endpoint(
                .post,
                "\(base)/optimize",
                id: "optimizePrompt",
                tag: .prompts,
                summary: "Rewrite a rough prompt into a template",
                description: """
                    Asks a language model to rewrite a rough prompt ("Find good restaurants") into a clear template \
                    with typed parameters, and answers with it compiled, so the result always compiles (the model \
                    gets one repair request when its first answer does not). The built-in offline model \
                    (`local:anvil`) is not a language model: choosing it, or having it as the default without \
                    naming another, is a 422 `model_required`.
                    """,
                usesDatabase: false,
                body: .optimizePromptRequest,
                responses: [
                    (200, jsonResponse("The rewritten template, compiled.", .optimizedPrompt)),
                    (422, jsonResponse("The model is the offline one, which cannot rewrite prompts.", .error)),
                ],
                errors: [.badModelRequest, .badGateway, .providerUnavailable, .gatewayTimeout]
            ),
            endpoint(
                .post,
                "\(base)/templates",
                id: "createPromptTemplate",
                tag: .prompts,
                summary: "Save a template",
                description: "Compiles and saves a template under a name. \(invalidTemplate)",
                body: .createPromptTemplateRequest,
                responses: [(201, jsonResponse("The saved template.", .promptTemplate))]
            ),
            endpoint(
                .get,
                "\(base)/templates",
                id: "listPromptTemplates",
                tag: .prompts,
                summary: "List your templates",
                description: "Your saved templates, newest first.",
                parameters: [.limit, .offset],
                responses: [(200, jsonResponse("A page of templates.", .promptTemplatePage))]
            ),
            endpoint(
                .get,
                "\(base)/templates/{id}",
                id: "getPromptTemplate",
                tag: .prompts,
                summary: "Get a template",
                description: "One of your saved templates with its compiled parameters and schema.",
                parameters: [.promptTemplateID],
                responses: [(200, jsonResponse("The template.", .promptTemplate))],
                errors: [.notFound]
            ),
            endpoint(
                .patch,
                "\(base)/templates/{id}",
                id: "updatePromptTemplate",
                tag: .prompts,
                summary: "Update a template",
                description: """
                    Changes the name, description or source. Leave a field out to keep it; `null` removes the \
                    description. \(invalidTemplate)
                    """,
                parameters: [.promptTemplateID],
                body: .updatePromptTemplateRequest,
                responses: [(200, jsonResponse("The template as it is now.", .promptTemplate))],
                errors: [.notFound]
            ),
            endpoint(
                .delete,
                "\(base)/templates/{id}",
                id: "deletePromptTemplate",
                tag: .prompts,
                summary: "Delete a template",
                description: "Deletes the template. Chats started from it keep their prompt.",
                parameters: [.promptTemplateID],
                responses: [(204, emptyResponse("The template is gone."))],
                errors: [.notFound]
            ),
            endpoint(
                .post,
                "\(base)/templates/{id}/chats",
                id: "startChatFromPromptTemplate",
                tag: .prompts,
                summary: "Start a chat from a template",
                description: """
                    Renders the template with `values` (as `/render` does; a 400 `invalid_values` when they do not \
                    fill it) and creates a chat whose system prompt is the result. The chat's metadata records \
                    `prompt_template_id` and `prompt_values`. Send messages to it as to any chat.
                    """,
                parameters: [.promptTemplateID],
                body: .startPromptChatRequest,
                responses: [(201, jsonResponse("The new chat.", .chat))],
                errors: [.notFound]
            ),
        ]
    }
}

extension APIDocument.Schema {
    private static let maximumSource = SavedPromptTemplate.maximumSourceLength
    private static let maximumText = 20_000

    private static func templateSource(required: Bool = true, _ description: String) -> JSONSchema {
        .string(
            required: required,
            description: """
                \(description) At most \(maximumSource) characters. A placeholder is a declaration such as \
                `guests: integer(1..20) = 2 # How many people` inside double braces; see `docs/prompts.md`.
                """,
            maxLength: maximumSource
        )
    }

    private static let parameterTypes: [AnyCodable] = [
        "string", "text", "integer", "number", "money", "boolean", "date", "datetime", "time", "email", "url", "enum",
    ]

    static var promptParameterSchema: JSONSchema {
        .object(
            description: "One parameter of a compiled template.",
            properties: [
                "name": .string(description: "The name used in placeholders and as the key of its value."),
                "type": .string(description: "The parameter's type.", allowedValues: parameterTypes),
                "required": .boolean(description: "Whether a value must be given: no `?` and no default."),
                "default": .fragment(required: false, description: "The default value, of the parameter's type."),
                "description": .string(required: false, description: "What the value means."),
                "options": .array(required: false, description: "The values of an enum.", items: .string),
                "minimum": .number(required: false, description: "The lowest value allowed."),
                "maximum": .number(required: false, description: "The highest value allowed."),
                "line": .integer(description: "Where it is declared: line, from 1.", minimum: (1, exclusive: false)),
                "column": .integer(
                    description: "Where it is declared: column, from 1.", minimum: (1, exclusive: false)),
            ]
        )
    }

    static var promptFormFieldSchema: JSONSchema {
        .object(
            description: "How a client might show one parameter as a form field.",
            properties: [
                "name": .string(description: "The parameter, which is also the key of its value."),
                "label": .string(description: "A label made from the name: `check_in_date` gives “Check in date”."),
                "widget": .string(
                    description: "An input kind, mostly HTML input types.",
                    allowedValues: [
                        "text", "textarea", "number", "currency", "checkbox", "date", "datetime-local", "time",
                        "email", "url", "select", "radio",
                    ]
                ),
                "order": .integer(description: "Position in the form, from 0.", minimum: (0, exclusive: false)),
                "placeholder": .string(required: false, description: "Text to show in an empty field."),
                "required": .boolean(description: "Whether the field must be filled."),
                "help": .string(required: false, description: "The parameter's description."),
                "options": .array(required: false, description: "The choices of an enum.", items: .string),
                "default": .fragment(required: false, description: "The value to start with."),
                "minimum": .number(required: false, description: "The lowest value allowed."),
                "maximum": .number(required: false, description: "The highest value allowed."),
                "step": .number(required: false, description: "The step of a number input."),
            ]
        )
    }

    static var compilePromptRequestSchema: JSONSchema {
        .object(
            description: "A template to compile.",
            properties: ["template": templateSource("The template source.")]
        )
    }

    static var compiledPromptSchema: JSONSchema {
        .object(
            description: "A compiled template.",
            properties: [
                "template": .string(description: "The template in normal form."),
                "parameters": .array(
                    description: "The parameters in the order they first appear.",
                    items: APIDocument.Schema.promptParameter.reference()
                ),
                "schema": .object(
                    description: "The JSON Schema (draft 2020-12) of the values object.",
                    additionalProperties: .a(true)
                ),
                "form": .array(
                    description: "One form field per parameter, in order.",
                    items: APIDocument.Schema.promptFormField.reference()
                ),
            ]
        )
    }

    static var promptFormSchema: JSONSchema {
        .object(
            description: "A template as a form.",
            properties: [
                "fields": .array(
                    description: "The fields in template order.",
                    items: APIDocument.Schema.promptFormField.reference()
                ),
                "schema": .object(
                    description: "The JSON Schema that checks the submitted values.",
                    additionalProperties: .a(true)
                ),
            ]
        )
    }

    static var extractPromptRequestSchema: JSONSchema {
        .all(
            of: .object(
                properties: [
                    "template": templateSource(required: false, "The template whose parameters to fill."),
                    "schema": .object(
                        required: false,
                        description: "A JSON Schema object with `properties` to fill, such as a tool's parameters.",
                        additionalProperties: .a(true)
                    ),
                    "text": .string(
                        description: "The message to read, at most \(maximumText) characters.",
                        maxLength: maximumText,
                        examples: ["Table for 4 at an italian place in Lisbon next Friday at 7pm, under $120"]
                    ),
                    "timezone": .string(
                        required: false,
                        description: "The IANA time zone relative dates are read in; defaults to UTC.",
                        maxLength: 64,
                        examples: ["Europe/Lisbon"]
                    ),
                    "now": .string(
                        format: .dateTime,
                        required: false,
                        description: "The moment relative dates count from; defaults to the server's clock.",
                        examples: ["2026-01-31T12:00:00.000Z"]
                    ),
                    "model": .string(
                        required: false,
                        description: """
                            The language model for what the extractors leave unfilled; defaults to the server's \
                            default model, which is not used when it is the offline one.
                            """,
                        minLength: 1,
                        maxLength: ChatRules.maximumModelLength
                    ),
                ]
            ),
            .one(
                of: .object(properties: ["template": .string]),
                .object(properties: ["schema": .object]),
                description: "Exactly one of `template` and `schema`; both or neither is a 400."
            ),
            description: "Text to read values from, and what to read: a template or a JSON Schema."
        )
    }

    static var promptExtractionSchema: JSONSchema {
        .object(
            description: "What was read from the text.",
            properties: [
                "values": .object(
                    description: "Values by parameter; together they validate against the schema.",
                    additionalProperties: .a(true)
                ),
                "missing": .array(description: "Required parameters without a value.", items: .string),
                "invalid": .array(
                    description: "Values that were found but break the schema.",
                    items: .object(
                        properties: [
                            "path": .string(description: "Where, e.g. `$.guests`."),
                            "message": .string(description: "What is wrong."),
                        ]
                    )
                ),
                "confidence": .object(
                    description: "From 0 to 1 per filled parameter.",
                    additionalProperties: .b(.number(minimum: (0, exclusive: false)))
                ),
                "spans": .object(
                    description: "Where in the text each value was read, in UTF-16 offsets (end exclusive).",
                    additionalProperties: .b(
                        .object(
                            properties: [
                                "start": .integer(minimum: (0, exclusive: false)),
                                "end": .integer(minimum: (0, exclusive: false)),
                                "text": .string,
                            ]
                        )
                    )
                ),
                "sources": .object(
                    description: "Where each value came from.",
                    additionalProperties: .b(.string(allowedValues: "text", "default", "model"))
                ),
                "model": .string(required: false, description: "The language model that filled some values."),
            ]
        )
    }

    static var renderPromptRequestSchema: JSONSchema {
        .object(
            description: "A template and the values to fill it with.",
            properties: [
                "template": templateSource("The template source."),
                "values": .object(
                    description: "Values by parameter name; defaults fill what is left out.",
                    additionalProperties: .a(true)
                ),
            ]
        )
    }

    static var renderedPromptSchema: JSONSchema {
        .object(
            description: "A rendered prompt.",
            properties: [
                "text": .string(description: "The prompt with every placeholder filled."),
                "values": .object(
                    description: "The values used, defaults included.",
                    additionalProperties: .a(true)
                ),
            ]
        )
    }

    static var optimizePromptRequestSchema: JSONSchema {
        .object(
            description: "A rough prompt to rewrite.",
            properties: [
                "prompt": .string(
                    description: "The prompt, 1 to \(maximumText) characters after trimming.",
                    minLength: 1,
                    maxLength: maximumText,
                    pattern: "\\S",
                    examples: ["Find good restaurants"]
                ),
                "model": .string(
                    required: false,
                    description: "The language model to use; defaults to the server's default model.",
                    minLength: 1,
                    maxLength: ChatRules.maximumModelLength
                ),
            ]
        )
    }

    static var optimizedPromptSchema: JSONSchema {
        .object(
            description: "A rewritten template, compiled.",
            properties: [
                "template": .string(description: "The template in normal form."),
                "parameters": .array(items: APIDocument.Schema.promptParameter.reference()),
                "schema": .object(description: "The JSON Schema of the values.", additionalProperties: .a(true)),
                "form": .array(items: APIDocument.Schema.promptFormField.reference()),
                "model": .string(description: "The model that wrote it."),
            ]
        )
    }

    static var promptTemplateSchema: JSONSchema {
        .object(
            description: "A saved template.",
            properties: [
                "id": .string(description: "The template's id."),
                "name": .string(description: "The template's name."),
                "description": .string(nullable: true, description: "What it is for; `null` when none is set."),
                "template": .string(description: "The source as saved."),
                "parameters": .array(items: APIDocument.Schema.promptParameter.reference()),
                "schema": .object(description: "The JSON Schema of the values.", additionalProperties: .a(true)),
                "created_at": .string(format: .dateTime, description: "When it was saved."),
                "updated_at": .string(format: .dateTime, description: "When it last changed."),
            ]
        )
    }

    static var createPromptTemplateRequestSchema: JSONSchema {
        .object(
            description: "A template to save.",
            properties: [
                "name": .string(
                    description: """
                        1 to \(SavedPromptTemplate.maximumNameLength) characters after surrounding whitespace is \
                        trimmed.
                        """,
                    minLength: 1,
                    maxLength: SavedPromptTemplate.maximumNameLength,
                    pattern: "\\S"
                ),
                "description": .string(
                    required: false,
                    nullable: true,
                    description: "What it is for, at most \(SavedPromptTemplate.maximumDescriptionLength) characters.",
                    maxLength: SavedPromptTemplate.maximumDescriptionLength
                ),
                "template": templateSource("The template source."),
            ]
        )
    }

    static var updatePromptTemplateRequestSchema: JSONSchema {
        .object(
            description: "Fields to change. Leave a field out to keep its value.",
            properties: [
                "name": .string(
                    required: false,
                    description: "1 to \(SavedPromptTemplate.maximumNameLength) characters after trimming.",
                    minLength: 1,
                    maxLength: SavedPromptTemplate.maximumNameLength,
                    pattern: "\\S"
                ),
                "description": .string(
                    required: false,
                    nullable: true,
                    description: "What it is for; `null` removes it.",
                    maxLength: SavedPromptTemplate.maximumDescriptionLength
                ),
                "template": templateSource(required: false, "The new source."),
            ]
        )
    }

    static var startPromptChatRequestSchema: JSONSchema {
        .object(
            description: "The values to render the template with, and the new chat's settings.",
            properties: [
                "values": .object(
                    required: false,
                    nullable: true,
                    description: "Values by parameter name; defaults fill what is left out.",
                    additionalProperties: .a(true)
                ),
                "title": .string(
                    required: false,
                    nullable: true,
                    description: """
                        1 to \(ChatRules.maximumTitleLength) characters after trimming; defaults to the template's \
                        name.
                        """,
                    minLength: 1,
                    maxLength: ChatRules.maximumTitleLength,
                    pattern: "\\S"
                ),
                "model": .string(
                    required: false,
                    nullable: true,
                    description: "The chat's model; `null` for the default.",
                    minLength: 1,
                    maxLength: ChatRules.maximumModelLength
                ),
            ]
        )
    }
}
