import AnvilCore
import AnvilPluginKit
import AnvilStore
import Foundation
import Hummingbird

/// Saved prompt templates and starting a chat from one. Every lookup is scoped to the caller: another user's
/// template is a 404. A template is compiled before it is stored, so a saved template always compiles.
struct PromptTemplateController {
    let templates: any PromptTemplateRepository
    let chats: any ChatRepository

    func addRoutes(to group: RouterGroup<AnvilRequestContext>) {
        group.post(use: create)
        group.get(use: list)
        group.get(":id", use: get)
        group.patch(":id", use: update)
        group.delete(":id", use: delete)
        group.post(":id/chats", use: startChat)
    }

    struct CreateRequest: Decodable {
        var name: String
        var description: String?
        var template: String
    }

    struct UpdateRequest: Decodable {
        var name: String?
        var description: FieldUpdate<String>
        var template: String?

        enum CodingKeys: String, CodingKey {
            case name, description, template
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeNonNullUpdate(String.self, forKey: .name)
            description = try container.decodeUpdate(String.self, forKey: .description)
            template = try container.decodeNonNullUpdate(String.self, forKey: .template)
        }
    }

    struct StartChatRequest: Decodable {
        var values: [String: JSONValue]?
        var title: String?
        var model: String?
    }

    @Sendable func create(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<SavedPromptTemplateRepresentation>
    {
        let caller = try context.requireUser()
        let body = try await request.decodeJSON(as: CreateRequest.self, context: context)
        let compiled = try PromptController.compiled(body.template)
        let now = Date()
        let saved = SavedPromptTemplate(
            id: UUID().uuidString.lowercased(),
            userID: caller.id,
            name: try Self.validatedName(body.name),
            description: try Self.validatedDescription(body.description),
            source: body.template,
            createdAt: now,
            updatedAt: now
        )
        try await templates.create(saved)
        return JSONResponse(status: .created, SavedPromptTemplateRepresentation(saved, compiled: compiled))
    }

    @Sendable func list(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<PageRepresentation<SavedPromptTemplateRepresentation>>
    {
        let caller = try context.requireUser()
        let page = try await templates.list(userID: caller.id, page: try request.pageRequest())
        return JSONResponse(
            PageRepresentation(page) { SavedPromptTemplateRepresentation($0, compiled: try? PromptTemplate($0.source)) }
        )
    }

    @Sendable func get(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<SavedPromptTemplateRepresentation>
    {
        let saved = try await ownedTemplate(context)
        return JSONResponse(SavedPromptTemplateRepresentation(saved, compiled: try? PromptTemplate(saved.source)))
    }

    @Sendable func update(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<SavedPromptTemplateRepresentation>
    {
        var saved = try await ownedTemplate(context)
        let body = try await request.decodeJSON(as: UpdateRequest.self, context: context)
        if let name = body.name { saved.name = try Self.validatedName(name) }
        saved.description = try Self.validatedDescription(body.description.applied(to: saved.description))
        if let source = body.template {
            _ = try PromptController.compiled(source)
            saved.source = source
        }
        saved.updatedAt = Date()
        guard try await templates.update(saved) else { throw APIError.notFound("Prompt template") }
        return JSONResponse(SavedPromptTemplateRepresentation(saved, compiled: try? PromptTemplate(saved.source)))
    }

    @Sendable func delete(_ request: Request, context: AnvilRequestContext) async throws -> HTTPResponse.Status {
        let caller = try context.requireUser()
        guard try await templates.delete(id: try context.pathParameter("id"), userID: caller.id) else {
            throw APIError.notFound("Prompt template")
        }
        return .noContent
    }

    /// Renders the template with the values and starts a chat whose system prompt is the result; the chat's
    /// metadata records which template and values it came from.
    @Sendable func startChat(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<ChatRepresentation>
    {
        let caller = try context.requireUser()
        let saved = try await ownedTemplate(context)
        let body = try await request.decodeJSON(as: StartChatRequest.self, context: context)
        let template = try PromptController.compiled(saved.source)
        let values: [String: JSONValue]
        let prompt: String
        do {
            values = try template.validatedValues(body.values ?? [:])
            prompt = try template.render(values)
        } catch {
            throw PromptController.invalidValues(error)
        }
        guard prompt.count <= ChatRules.maximumSystemPromptLength else {
            throw APIError.invalidField(
                "values", "The rendered prompt is longer than \(ChatRules.maximumSystemPromptLength) characters.")
        }
        let title = body.title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? saved.name
        guard !title.isEmpty, (body.title ?? title).unicodeScalars.count <= ChatRules.maximumTitleLength else {
            throw APIError.invalidField("title", "The title must be 1 to \(ChatRules.maximumTitleLength) characters.")
        }
        if let model = body.model, !(1...ChatRules.maximumModelLength).contains(model.unicodeScalars.count) {
            throw APIError.invalidField(
                "model", "The model must be 1 to \(ChatRules.maximumModelLength) characters, e.g. local:anvil.")
        }
        let now = Date()
        let chat = Chat(
            id: UUID().uuidString.lowercased(),
            userID: caller.id,
            title: title,
            model: body.model,
            systemPrompt: prompt,
            tools: nil,
            metadata: ["prompt_template_id": .string(saved.id), "prompt_values": .object(values)],
            isArchived: false,
            tokenLimit: nil,
            createdAt: now,
            updatedAt: now
        )
        try await chats.create(chat)
        return JSONResponse(status: .created, ChatRepresentation(chat: chat))
    }

    // MARK: Validation

    private func ownedTemplate(_ context: AnvilRequestContext) async throws -> SavedPromptTemplate {
        let caller = try context.requireUser()
        guard let saved = try await templates.find(id: try context.pathParameter("id"), userID: caller.id) else {
            throw APIError.notFound("Prompt template")
        }
        return saved
    }

    private static func validatedName(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        // Lengths are counted in Unicode code points, as JSON Schema's maxLength counts them.
        guard !trimmed.isEmpty, name.unicodeScalars.count <= SavedPromptTemplate.maximumNameLength else {
            throw APIError.invalidField(
                "name", "The name must be 1 to \(SavedPromptTemplate.maximumNameLength) characters.")
        }
        return trimmed
    }

    private static func validatedDescription(_ description: String?) throws -> String? {
        guard let description else { return nil }
        guard description.unicodeScalars.count <= SavedPromptTemplate.maximumDescriptionLength else {
            throw APIError.invalidField(
                "description",
                "The description must be at most \(SavedPromptTemplate.maximumDescriptionLength) characters.")
        }
        return description
    }
}
