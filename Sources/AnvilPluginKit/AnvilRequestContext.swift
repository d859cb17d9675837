import AnvilCore
import AnvilStore
import Hummingbird
import HummingbirdAuth

/// The caller a request was authenticated as.
public struct AuthenticatedUser: Sendable {
    /// How the caller proved who they are.
    public enum Credential: Sendable, Hashable {
        case accessToken
        case apiKey(id: String)
    }

    public var account: UserAccount
    public var credential: Credential

    public init(account: UserAccount, credential: Credential) {
        self.account = account
        self.credential = credential
    }

    public var user: User { account.user }
    public var id: String { account.user.id }
}

/// Per-request state: the request id, the authenticated user once known, and the body size limit.
public struct AnvilRequestContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: AuthenticatedUser?
    /// Set by ``RequestIDMiddleware``; echoed in `X-Request-Id` and logged with every line of the request.
    public var requestID: String = ""
    /// Set from the configuration by ``BodyLimitMiddleware``; enforced wherever a body is collected.
    public var maxUploadSize: Int = 10 * 1024 * 1024

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// The authenticated user; routes behind ``AuthenticationMiddleware`` always have one.
    public func requireUser() throws -> AuthenticatedUser {
        guard let identity else { throw APIError.unauthorized() }
        return identity
    }
}
