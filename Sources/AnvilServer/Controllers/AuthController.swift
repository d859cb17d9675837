import AnvilCore
import AnvilPluginKit
import AnvilStore
import Foundation
import Hummingbird

/// Accounts and sessions: register, log in, rotate refresh tokens, log out, and manage one's own account.
struct AuthController {
    let store: Store
    let tokens: TokenService
    let passwords: PasswordHasher
    let credentials: CredentialCache

    /// Routes that need no credential.
    func addPublicRoutes(to group: RouterGroup<AnvilRequestContext>) {
        group.post("register", use: register)
        group.post("login", use: login)
        group.post("refresh", use: refresh)
        group.post("logout", use: logout)
    }

    /// Routes for the signed-in user.
    func addAccountRoutes(to group: RouterGroup<AnvilRequestContext>) {
        group.get("me", use: me)
        group.patch("me", use: updateMe)
        group.post("change-password", use: changePassword)
        group.post("delete-account", use: deleteAccount)
    }

    // MARK: Requests

    struct RegisterRequest: Decodable {
        var email: String
        var password: String
        var displayName: String?

        enum CodingKeys: String, CodingKey {
            case email, password
            case displayName = "display_name"
        }
    }

    struct LoginRequest: Decodable {
        var email: String
        var password: String
    }

    struct RefreshRequest: Decodable {
        var refreshToken: String

        enum CodingKeys: String, CodingKey {
            case refreshToken = "refresh_token"
        }
    }

    struct UpdateMeRequest: Decodable {
        var displayName: FieldUpdate<String>

        enum CodingKeys: String, CodingKey {
            case displayName = "display_name"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            displayName = try container.decodeUpdate(String.self, forKey: .displayName)
        }
    }

    struct ChangePasswordRequest: Decodable {
        var currentPassword: String
        var newPassword: String

        enum CodingKeys: String, CodingKey {
            case currentPassword = "current_password"
            case newPassword = "new_password"
        }
    }

    struct DeleteAccountRequest: Decodable {
        var password: String
    }

    // MARK: Handlers

    @Sendable func register(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<AuthTokensRepresentation>
    {
        let body = try await request.decodeJSON(as: RegisterRequest.self, context: context)
        let email = body.email.trimmingCharacters(in: .whitespacesAndNewlines)
        guard AccountRules.isPlausibleEmail(email) else {
            throw APIError.invalidField("email", "A valid email address is required.")
        }
        if let problem = AccountRules.passwordProblem(body.password) {
            throw APIError.invalidField("password", problem)
        }
        let displayName = try Self.validatedDisplayName(body.displayName)
        let hash = try await passwords.hash(body.password)
        let user: User
        do {
            user = try await store.users.create(
                email: email,
                passwordHash: hash,
                displayName: displayName,
                isAdmin: false
            )
        } catch StoreError.conflict {
            throw APIError.conflict("An account with this email already exists.")
        }
        let account = UserAccount(user: user, passwordHash: hash, credentialVersion: 0)
        return JSONResponse(status: .created, try await startSession(for: account))
    }

    @Sendable func login(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<AuthTokensRepresentation>
    {
        let body = try await request.decodeJSON(as: LoginRequest.self, context: context)
        let account = try await store.users.find(email: body.email)
        guard try await passwords.verify(body.password, hash: account?.passwordHash), let account else {
            throw APIError.unauthorized("Invalid email or password.")
        }
        return JSONResponse(try await startSession(for: account))
    }

    @Sendable func refresh(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<AuthTokensRepresentation>
    {
        let body = try await request.decodeJSON(as: RefreshRequest.self, context: context)
        let next = tokens.newRefreshToken()
        let outcome = try await store.refreshTokens.rotate(
            tokenHash: SecretDigest.hex(body.refreshToken),
            nextHash: next.hash,
            nextExpiresAt: Date().addingTimeInterval(tokens.refreshTokenLifetime),
            now: Date()
        )
        switch outcome {
        case .rotated(let userID):
            guard let account = try await store.users.find(id: userID) else {
                throw APIError.unauthorized("The refresh token is invalid.")
            }
            return JSONResponse(
                AuthTokensRepresentation(
                    user: UserRepresentation(account.user),
                    accessToken: try await tokens.accessToken(for: account),
                    refreshToken: next.token,
                    expiresIn: Int(tokens.accessTokenLifetime)
                )
            )
        case .reused(let userID):
            context.logger.warning("refresh token reuse detected; session revoked", metadata: ["user_id": "\(userID)"])
            throw APIError.unauthorized("The refresh token was already used; the session has been revoked.")
        case .expired:
            throw APIError.unauthorized("The refresh token has expired.")
        case .unknown:
            throw APIError.unauthorized("The refresh token is invalid.")
        }
    }

    /// Ends the session the refresh token belongs to. Answers 204 whether or not the token was known, so it
    /// cannot be used to probe for valid tokens.
    @Sendable func logout(_ request: Request, context: AnvilRequestContext) async throws -> HTTPResponse.Status {
        let body = try await request.decodeJSON(as: RefreshRequest.self, context: context)
        _ = try await store.refreshTokens.revokeFamily(tokenHash: SecretDigest.hex(body.refreshToken))
        return .noContent
    }

    @Sendable func me(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<UserRepresentation>
    {
        JSONResponse(UserRepresentation(try context.requireUser().user))
    }

    @Sendable func updateMe(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<UserRepresentation>
    {
        let caller = try context.requireUser()
        let body = try await request.decodeJSON(as: UpdateMeRequest.self, context: context)
        let displayName = try Self.validatedDisplayName(body.displayName.applied(to: caller.user.displayName))
        guard let user = try await store.users.updateDisplayName(userID: caller.id, displayName: displayName) else {
            throw APIError.unauthorized("The account no longer exists.")
        }
        credentials.invalidate(userID: caller.id)
        return JSONResponse(UserRepresentation(user))
    }

    @Sendable func changePassword(_ request: Request, context: AnvilRequestContext) async throws
        -> HTTPResponse.Status
    {
        let caller = try context.requireUser()
        let body = try await request.decodeJSON(as: ChangePasswordRequest.self, context: context)
        guard try await passwords.verify(body.currentPassword, hash: caller.account.passwordHash) else {
            throw APIError(
                status: .forbidden,
                code: "invalid_password",
                message: "The current password is wrong.",
                details: ["field": "current_password"]
            )
        }
        if let problem = AccountRules.passwordProblem(body.newPassword) {
            throw APIError.invalidField("new_password", problem)
        }
        let hash = try await passwords.hash(body.newPassword)
        try await store.users.changePassword(userID: caller.id, passwordHash: hash)
        credentials.invalidate(userID: caller.id)
        return .noContent
    }

    @Sendable func deleteAccount(_ request: Request, context: AnvilRequestContext) async throws
        -> HTTPResponse.Status
    {
        let caller = try context.requireUser()
        let body = try await request.decodeJSON(as: DeleteAccountRequest.self, context: context)
        guard try await passwords.verify(body.password, hash: caller.account.passwordHash) else {
            throw APIError(
                status: .forbidden,
                code: "invalid_password",
                message: "The password is wrong.",
                details: ["field": "password"]
            )
        }
        _ = try await store.users.delete(userID: caller.id)
        credentials.invalidate(userID: caller.id)
        return .noContent
    }

    // MARK: Helpers

    /// Issues an access token and the first refresh token of a new session family.
    private func startSession(for account: UserAccount) async throws -> AuthTokensRepresentation {
        let refresh = tokens.newRefreshToken()
        try await store.refreshTokens.store(
            tokenHash: refresh.hash,
            userID: account.user.id,
            familyID: UUID().uuidString.lowercased(),
            expiresAt: Date().addingTimeInterval(tokens.refreshTokenLifetime)
        )
        return AuthTokensRepresentation(
            user: UserRepresentation(account.user),
            accessToken: try await tokens.accessToken(for: account),
            refreshToken: refresh.token,
            expiresIn: Int(tokens.accessTokenLifetime)
        )
    }

    private static func validatedDisplayName(_ name: String?) throws -> String? {
        guard let name else { return nil }
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= AccountRules.maximumDisplayNameLength else {
            throw APIError.invalidField(
                "display_name",
                "The display name must be at most \(AccountRules.maximumDisplayNameLength) characters."
            )
        }
        return trimmed.isEmpty ? nil : trimmed
    }
}
