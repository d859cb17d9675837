import AnvilCore
import AnvilPluginKit
import AnvilStore
import Foundation
import Hummingbird

/// API keys for programs: created with the secret shown once, listed by prefix, revoked by deletion.
struct APIKeyController {
    static let maximumNameLength = 100
    let apiKeys: any APIKeyRepository
    let tokens: TokenService
    let credentials: CredentialCache

    func addRoutes(to group: RouterGroup<AnvilRequestContext>) {
        group.post(use: create)
        group.get(use: list)
        group.delete(":id", use: delete)
    }

    struct CreateRequest: Decodable {
        var name: String
        var expiresAt: Date?

        enum CodingKeys: String, CodingKey {
            case name
            case expiresAt = "expires_at"
        }
    }

    @Sendable func create(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<APIKeyRepresentation>
    {
        let caller = try context.requireUser()
        let body = try await request.decodeJSON(as: CreateRequest.self, context: context)
        let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...Self.maximumNameLength).contains(name.count) else {
            throw APIError.invalidField("name", "The name must be 1 to \(Self.maximumNameLength) characters.")
        }
        if let expiresAt = body.expiresAt, expiresAt <= Date() {
            throw APIError.invalidField("expires_at", "The expiry must be in the future.")
        }
        let secret = tokens.newAPIKey()
        let info = try await apiKeys.create(
            userID: caller.id,
            name: name,
            prefix: secret.prefix,
            keyHash: secret.hash,
            expiresAt: body.expiresAt
        )
        return JSONResponse(status: .created, APIKeyRepresentation(info, key: secret.key))
    }

    @Sendable func list(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<PageRepresentation<APIKeyRepresentation>>
    {
        let caller = try context.requireUser()
        let page = try await apiKeys.list(userID: caller.id, page: try request.pageRequest())
        return JSONResponse(PageRepresentation(page) { APIKeyRepresentation($0) })
    }

    @Sendable func delete(_ request: Request, context: AnvilRequestContext) async throws -> HTTPResponse.Status {
        let caller = try context.requireUser()
        guard try await apiKeys.delete(id: try context.pathParameter("id"), userID: caller.id) else {
            throw APIError.notFound("API key")
        }
        credentials.invalidate(userID: caller.id)
        return .noContent
    }
}
