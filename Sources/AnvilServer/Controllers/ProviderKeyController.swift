import AnvilCore
import AnvilPluginKit
import AnvilStore
import Foundation
import Hummingbird

/// A user's own keys for model providers. Keys go in and never come out through the API: reads show only which
/// providers have one and when it was set.
struct ProviderKeyController {
    static let maximumKeyLength = 4096
    let providerKeys: any ProviderKeyRepository

    func addRoutes(to group: RouterGroup<AnvilRequestContext>) {
        group.get(use: list)
        group.put(":provider", use: set)
        group.delete(":provider", use: delete)
    }

    struct SetRequest: Decodable {
        var key: String
    }

    @Sendable func list(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<PageRepresentation<ProviderKeyRepresentation>>
    {
        let caller = try context.requireUser()
        let statuses = try await providerKeys.list(userID: caller.id)
        return JSONResponse(PageRepresentation(Page.whole(statuses)) { ProviderKeyRepresentation($0) })
    }

    @Sendable func set(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<ProviderKeyRepresentation>
    {
        let caller = try context.requireUser()
        let provider = try Self.provider(context)
        let body = try await request.decodeJSON(as: SetRequest.self, context: context)
        let key = body.key.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...Self.maximumKeyLength).contains(key.utf8.count) else {
            throw APIError.invalidField("key", "The key must be 1 to \(Self.maximumKeyLength) bytes.")
        }
        let status = try await providerKeys.set(userID: caller.id, provider: provider, key: key)
        return JSONResponse(ProviderKeyRepresentation(status))
    }

    @Sendable func delete(_ request: Request, context: AnvilRequestContext) async throws -> HTTPResponse.Status {
        let caller = try context.requireUser()
        guard try await providerKeys.delete(userID: caller.id, provider: try Self.provider(context)) else {
            throw APIError.notFound("Provider key")
        }
        return .noContent
    }

    private static func provider(_ context: AnvilRequestContext) throws -> String {
        let provider = try context.pathParameter("provider")
        guard ProviderKeyStatus.isValidProviderName(provider) else {
            throw APIError.invalidField(
                "provider",
                "The provider name must be lowercase letters, digits, '-' or '_', starting with a letter."
            )
        }
        return provider
    }
}
