import AnvilStore
import Crypto
import Foundation
import JWTKit

/// Issues and checks the three kinds of bearer credential: short-lived access tokens (HS256 JWTs), opaque
/// refresh tokens and API keys. Only the JWT signing key lives here; refresh tokens and API keys are random
/// secrets checked against digests in the store.
struct TokenService: Sendable {
    static let apiKeyPrefix = "anv_"
    static let refreshTokenPrefix = "anvr_"
    /// How many characters of an API key are kept in clear to recognise it in a list.
    static let visiblePrefixLength = 12

    let keys: JWTKeyCollection
    let accessTokenLifetime: TimeInterval
    let refreshTokenLifetime: TimeInterval

    init(secret: Data, accessTokenLifetime: TimeInterval, refreshTokenLifetime: TimeInterval) async {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.keys = keys
        self.accessTokenLifetime = accessTokenLifetime
        self.refreshTokenLifetime = refreshTokenLifetime
    }

    /// Signs an access token for `account`, bound to its current credential version.
    func accessToken(for account: UserAccount, now: Date = Date()) async throws -> String {
        let claims = AccessTokenClaims(
            sub: SubjectClaim(value: account.user.id),
            iat: IssuedAtClaim(value: now),
            exp: ExpirationClaim(value: now.addingTimeInterval(accessTokenLifetime)),
            ver: account.credentialVersion,
            typ: AccessTokenClaims.type
        )
        return try await keys.sign(claims)
    }

    /// Verifies signature, expiry and type; the caller still checks the credential version against the store.
    func verifyAccessToken(_ token: String) async throws -> AccessTokenClaims {
        try await keys.verify(token, as: AccessTokenClaims.self)
    }

    /// A new random refresh token and the digest it is stored under.
    func newRefreshToken() -> (token: String, hash: String) {
        let token = Self.refreshTokenPrefix + Self.randomSecret()
        return (token, SecretDigest.hex(token))
    }

    /// A new random API key, its visible prefix, and the digest it is stored under.
    func newAPIKey() -> (key: String, prefix: String, hash: String) {
        let key = Self.apiKeyPrefix + Self.randomSecret()
        return (key, String(key.prefix(Self.visiblePrefixLength)), SecretDigest.hex(key))
    }

    /// 256 random bits, base64url without padding (43 characters).
    private static func randomSecret() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// The claims of an access token. `ver` is the user's credential version when the token was issued: changing the
/// password bumps it, which invalidates every access token issued before.
struct AccessTokenClaims: JWTPayload {
    static let type = "access"

    var sub: SubjectClaim
    var iat: IssuedAtClaim
    var exp: ExpirationClaim
    var ver: Int
    var typ: String

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        guard typ == Self.type else {
            throw JWTError.claimVerificationFailure(failedClaim: nil, reason: "not an access token")
        }
    }
}
