import AnvilCore
import AnvilPluginKit
import AnvilProviders
import Hummingbird

/// Models across every configured provider, with what each can do.
struct ModelController {
    let router: ModelRouter

    func addRoutes(to group: RouterGroup<AnvilRequestContext>) {
        group.get(use: list)
    }

    struct ModelRepresentation: Encodable, Sendable {
        var id: String
        var provider: String
        var capabilities: Capabilities
        var contextWindow: Int?

        struct Capabilities: Encodable, Sendable {
            var tools: Bool
            var streaming: Bool
            var vision: Bool
            var embeddings: Bool
        }

        enum CodingKeys: String, CodingKey {
            case id, provider, capabilities
            case contextWindow = "context_window"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(provider, forKey: .provider)
            try container.encode(capabilities, forKey: .capabilities)
            try container.encode(contextWindow, forKey: .contextWindow)
        }
    }

    struct ModelListRepresentation: Encodable, Sendable {
        var data: [ModelRepresentation]
        var defaultModel: String

        enum CodingKeys: String, CodingKey {
            case data
            case defaultModel = "default_model"
        }
    }

    @Sendable func list(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<ModelListRepresentation>
    {
        _ = try context.requireUser()
        let models = await router.listModels()
        return JSONResponse(
            ModelListRepresentation(
                data: models.map { model in
                    ModelRepresentation(
                        id: model.id,
                        provider: model.provider,
                        capabilities: .init(
                            tools: model.supportsTools,
                            streaming: model.supportsStreaming,
                            vision: model.supportsVision,
                            embeddings: model.supportsEmbeddings
                        ),
                        contextWindow: model.contextWindow
                    )
                },
                defaultModel: (try? router.resolve(nil).first?.id) ?? "local:anvil"
            )
        )
    }
}
