import AnvilCore
import AnvilPluginKit
import AnvilProviders
import AnvilStore
import Foundation
import Hummingbird

/// The prompt compiler over HTTP: compile a template, render it, extract its values from text, and rewrite a rough
/// prompt into a template with a model. Nothing here is stored; saved templates are ``PromptTemplateController``'s.
struct PromptController {
    static let maximumTextLength = 20_000
    static let maximumSchemaProperties = PromptTemplate.maximumParameters

    let router: ModelRouter
    let providerKeys: any ProviderKeyRepository

    func addRoutes(to group: RouterGroup<AnvilRequestContext>) {
        group.post("compile", use: compile)
        group.post("compile/form", use: compileForm)
        group.post("extract", use: extract)
        group.post("render", use: render)
        group.post("optimize", use: optimize)
    }

    struct CompileRequest: Decodable {
        var template: String
    }

    struct ExtractRequest: Decodable {
        var template: String?
        var schema: JSONValue?
        var text: String
        var timezone: String?
        var now: Date?
        var model: String?
    }

    struct RenderRequest: Decodable {
        var template: String
        var values: [String: JSONValue]
    }

    struct RenderResponse: Encodable, Sendable {
        var text: String
        var values: [String: JSONValue]
    }

    struct OptimizeRequest: Decodable {
        var prompt: String
        var model: String?
    }

    @Sendable func compile(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<CompiledTemplateRepresentation>
    {
        _ = try context.requireUser()
        let body = try await request.decodeJSON(as: CompileRequest.self, context: context)
        return JSONResponse(CompiledTemplateRepresentation(try Self.compiled(body.template)))
    }

    @Sendable func compileForm(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<FormRepresentation>
    {
        _ = try context.requireUser()
        let body = try await request.decodeJSON(as: CompileRequest.self, context: context)
        return JSONResponse(FormRepresentation(try Self.compiled(body.template)))
    }

    @Sendable func render(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<RenderResponse>
    {
        _ = try context.requireUser()
        let body = try await request.decodeJSON(as: RenderRequest.self, context: context)
        let template = try Self.compiled(body.template)
        do {
            let values = try template.validatedValues(body.values)
            return JSONResponse(RenderResponse(text: try template.render(values), values: values))
        } catch {
            throw Self.invalidValues(error)
        }
    }

    @Sendable func extract(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<ExtractionRepresentation>
    {
        let caller = try context.requireUser()
        let body = try await request.decodeJSON(as: ExtractRequest.self, context: context)
        let schema: JSONValue
        switch (body.template, body.schema) {
        case (let template?, nil):
            schema = try Self.compiled(template).jsonSchema
        case (nil, let given?):
            schema = try Self.checkedSchema(given)
        default:
            throw APIError.invalidField("template", "Give exactly one of `template` and `schema`.")
        }
        // Lengths are counted in Unicode code points, as JSON Schema's maxLength counts them.
        guard body.text.unicodeScalars.count <= Self.maximumTextLength else {
            throw APIError.invalidField("text", "The text must be at most \(Self.maximumTextLength) characters.")
        }
        let timeZone = try Self.timeZone(body.timezone)
        let extractor = ParameterExtractor(now: body.now ?? Date(), timeZone: timeZone)
        let model = try languageModel(body.model, userID: caller.id, required: false)
        do {
            let result = try await extractor.extract(
                schema: schema, from: body.text, model: model.map { ($0.provider, $0.id) })
            // Named only when it filled something: with everything found in the text it is not asked.
            let usedModel = result.sources.values.contains(.model) ? model?.id : nil
            return JSONResponse(ExtractionRepresentation(result, model: usedModel))
        } catch {
            throw Self.modelFailure(error)
        }
    }

    @Sendable func optimize(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<OptimizedTemplateRepresentation>
    {
        let caller = try context.requireUser()
        let body = try await request.decodeJSON(as: OptimizeRequest.self, context: context)
        let prompt = body.prompt.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !prompt.isEmpty, body.prompt.unicodeScalars.count <= Self.maximumTextLength else {
            throw APIError.invalidField("prompt", "The prompt must be 1 to \(Self.maximumTextLength) characters.")
        }
        guard let model = try languageModel(body.model, userID: caller.id, required: true) else {
            throw APIError.unexpected
        }
        do {
            let template = try await PromptOptimizer().optimize(prompt, model: (model.provider, model.id))
            return JSONResponse(OptimizedTemplateRepresentation(template: template, model: model.id))
        } catch {
            throw Self.modelFailure(error)
        }
    }

    // MARK: Shared checks

    /// Compiles a template from a request, turning compile errors into a 400 that lists each with its position.
    static func compiled(_ source: String, field: String = "template") throws -> PromptTemplate {
        guard source.unicodeScalars.count <= SavedPromptTemplate.maximumSourceLength else {
            throw APIError.invalidField(
                field, "The template must be at most \(SavedPromptTemplate.maximumSourceLength) characters.")
        }
        do {
            return try PromptTemplate(source)
        } catch {
            let issues: [JSONValue] = error.issues.map { issue in
                var entry: [String: JSONValue] = [
                    "line": .integer(Int64(issue.line)),
                    "column": .integer(Int64(issue.column)),
                    "message": .string(issue.message),
                ]
                if let expected = issue.expected { entry["expected"] = .string(expected) }
                return .object(entry)
            }
            let first = error.issues.first.map { ": " + $0.description } ?? ""
            throw APIError(
                status: .badRequest,
                code: "invalid_template",
                message: "The template does not compile\(first).",
                details: ["field": .string(field), "errors": .array(issues)]
            )
        }
    }

    static func invalidValues(_ error: PromptRenderError) -> APIError {
        APIError(
            status: .badRequest,
            code: "invalid_values",
            message: "The values do not fill the template: \(error.description).",
            details: [
                "field": "values",
                "missing": .array(error.missing.map(JSONValue.string)),
                "violations": .array(
                    error.invalid.map { ["path": .string($0.path), "message": .string($0.message)] }),
            ]
        )
    }

    /// A JSON Schema given for extraction: it must compile and describe an object by its properties.
    private static func checkedSchema(_ schema: JSONValue) throws -> JSONValue {
        do {
            _ = try JSONSchema(schema)
        } catch {
            throw APIError(
                status: .badRequest,
                code: "invalid_schema",
                message: "The schema is not a valid JSON Schema: \(error)",
                details: ["field": "schema"]
            )
        }
        guard let properties = schema.objectValue?["properties"]?.objectValue, !properties.isEmpty else {
            throw APIError(
                status: .badRequest,
                code: "invalid_schema",
                message: "The schema must describe an object with at least one entry in `properties`.",
                details: ["field": "schema"]
            )
        }
        guard properties.count <= maximumSchemaProperties else {
            throw APIError(
                status: .badRequest,
                code: "invalid_schema",
                message: "The schema may have at most \(maximumSchemaProperties) properties.",
                details: ["field": "schema"]
            )
        }
        return schema
    }

    private static func timeZone(_ identifier: String?) throws -> TimeZone {
        guard let identifier else { return TimeZone(identifier: "UTC") ?? .gmt }
        guard identifier.unicodeScalars.count <= 64, let zone = TimeZone(identifier: identifier) else {
            throw APIError.invalidField("timezone", "The time zone must be an IANA name such as Europe/Paris or UTC.")
        }
        return zone
    }

    /// The language model to use, or `nil` when the choice is the built-in offline model (not a language model)
    /// and one is not required. A required model that is the offline one is a 422 naming what is needed.
    private func languageModel(
        _ requested: String?,
        userID: String,
        required: Bool
    ) throws -> (provider: RoutedModel, id: String)? {
        if let requested, !(1...ChatRules.maximumModelLength).contains(requested.unicodeScalars.count) {
            throw APIError.invalidField(
                "model", "The model must be 1 to \(ChatRules.maximumModelLength) characters, e.g. openai:gpt-4o-mini.")
        }
        let targets: [ModelTarget]
        do {
            targets = try router.resolve(requested)
        } catch let error as ModelRouterError {
            guard requested != nil || required else { return nil }
            throw APIError(
                status: .badRequest, code: "unknown_model", message: error.description, details: ["field": "model"])
        } catch {
            guard requested != nil || required else { return nil }
            throw RunFailure.apiError(for: error)
        }
        guard let first = targets.first, !(router.provider(named: first.provider) is LocalModelProvider) else {
            guard required else { return nil }
            throw APIError(
                status: .unprocessableContent,
                code: "model_required",
                message: """
                    Optimizing a prompt needs a language model; \(targets.first?.id ?? "the default model") is \
                    Anvil's built-in offline model, which is not one. Configure a provider in manifests/models.yaml \
                    and pass its model, e.g. "openai:gpt-4o-mini".
                    """,
                details: ["field": "model"]
            )
        }
        // A requested alias stays an alias, so the router can fall back along it.
        let id = requested ?? first.id
        return (RoutedModel(router: router, modelID: id, userID: userID, providerKeys: providerKeys), id)
    }

    private static func modelFailure(_ error: any Error) -> APIError {
        if let error = error as? ParameterExtractorError {
            return APIError(status: .badGateway, code: "provider_error", message: "\(error.description).")
        }
        return RunFailure.apiError(for: error)
    }
}
