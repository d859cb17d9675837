import AnvilPluginKit
import AnvilStore
import Foundation
import HTTPTypes
import Hummingbird
import JWTKit

/// Requires a valid credential on every route behind it and records who the caller is.
///
/// Accepts `Authorization: Bearer <access token | API key>` or `X-API-Key: <API key>`. Missing, malformed,
/// expired, revoked and unknown credentials all answer 401; the message says which, without revealing whether an
/// account exists.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AnvilRequestContext
    let tokens: TokenService
    let users: any UserRepository
    let apiKeys: any APIKeyRepository
    let cache: CredentialCache

    func handle(
        _ request: Request,
        context: AnvilRequestContext,
        next: (Request, AnvilRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.identity = try await authenticate(request)
        context.logger[metadataKey: "user_id"] = .string(context.identity?.id ?? "")
        return try await next(request, context)
    }

    private func authenticate(_ request: Request) async throws -> AuthenticatedUser {
        if let key = request.headers[.apiKey] {
            return try await authenticate(apiKey: key.trimmingCharacters(in: .whitespaces))
        }
        guard let authorization = request.headers[.authorization] else {
            throw APIError.unauthorized("Missing credentials: send 'Authorization: Bearer <token>' or 'X-API-Key'.")
        }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError.unauthorized("The Authorization header must use the Bearer scheme.")
        }
        let credential = parts[1].trimmingCharacters(in: .whitespaces)
        if credential.hasPrefix(TokenService.apiKeyPrefix) {
            return try await authenticate(apiKey: credential)
        }
        return try await authenticate(accessToken: credential)
    }

    private func authenticate(apiKey: String) async throws -> AuthenticatedUser {
        guard apiKey.hasPrefix(TokenService.apiKeyPrefix), apiKey.utf8.count <= 256 else {
            throw APIError.unauthorized("The API key is invalid, expired or revoked.")
        }
        let keyHash = SecretDigest.hex(apiKey)
        if let cached = cache.apiKeyUser(keyHash: keyHash) { return cached }
        guard let found = try await apiKeys.authenticate(keyHash: keyHash, now: Date()) else {
            throw APIError.unauthorized("The API key is invalid, expired or revoked.")
        }
        let user = AuthenticatedUser(account: found.owner, credential: .apiKey(id: found.key.id))
        cache.storeAPIKeyUser(user, keyHash: keyHash, keyExpiresAt: found.key.expiresAt)
        return user
    }

    private func authenticate(accessToken: String) async throws -> AuthenticatedUser {
        let claims: AccessTokenClaims
        do {
            claims = try await tokens.verifyAccessToken(accessToken)
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            throw APIError.unauthorized("The access token has expired or is not an access token.")
        } catch {
            throw APIError.unauthorized("The access token is malformed or its signature is invalid.")
        }
        let account: UserAccount?
        if let cached = cache.account(userID: claims.sub.value) {
            account = cached
        } else {
            account = try await users.find(id: claims.sub.value)
            if let account { cache.storeAccount(account) }
        }
        guard let account, account.credentialVersion == claims.ver else {
            throw APIError.unauthorized("The access token has been revoked.")
        }
        return AuthenticatedUser(account: account, credential: .accessToken)
    }
}
