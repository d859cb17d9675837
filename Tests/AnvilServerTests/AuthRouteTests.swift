import AnvilCore
import AnvilTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("Auth routes")
struct AuthRouteTests {
    @Test("register returns the user and a bearer session", arguments: TestDatabase.available)
    func register(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let response = try await api.send(
                .post,
                "/api/v1/auth/register",
                json: ["email": "  Grace@Example.com ", "password": "hopper-1906", "display_name": "Grace"]
            )
            #expect(response.status == .created)
            #expect(response["token_type"] == "bearer")
            #expect(response["expires_in"] == 900)
            let user = try #require(response["user"]?.objectValue)
            #expect(user["email"] == "Grace@Example.com")
            #expect(user["display_name"] == "Grace")
            #expect(user["is_admin"] == false)
            #expect(user["password_hash"] == nil)
            #expect(response["refresh_token"]?.stringValue?.hasPrefix("anvr_") == true)
            let me = try await api.send(
                .get, "/api/v1/auth/me", auth: .bearer(try #require(response["access_token"]?.stringValue)))
            #expect(me.status == .ok)
            #expect(me["email"] == "Grace@Example.com")
        }
    }

    @Test("registering an email twice, in any case, is a conflict", arguments: TestDatabase.available)
    func duplicateEmail(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            _ = try await api.register(email: "dup@example.com")
            let again = try await api.send(
                .post,
                "/api/v1/auth/register",
                json: ["email": "DUP@example.COM", "password": "another-password"]
            )
            #expect(again.status == .conflict)
            #expect(again.errorCode == "conflict")
        }
    }

    @Test(
        "register rejects invalid input with a 400 that names the problem",
        arguments: TestDatabase.available
    )
    func registerValidation(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let cases: [(JSONValue?, String?, String)] = [
                (["email": "not-an-email", "password": "long-enough"], nil, "email"),
                (["email": "a@b.co", "password": "short"], nil, "password"),
                (["email": "a@b.co", "password": .string(String(repeating: "x", count: 1025))], nil, "password"),
                (["email": "a@b.co"], nil, "password"),
                (["email": 42, "password": "long-enough"], nil, "email"),
                (["email": "a@b.co", "password": "long-enough", "display_name": 7], nil, "display_name"),
                (nil, "{\"email\": ", "not valid JSON"),
                (nil, "[1, 2]", "JSON object"),
                (nil, "", "JSON object"),
            ]
            for (json, raw, mention) in cases {
                let response = try await api.send(.post, "/api/v1/auth/register", json: json, rawBody: raw)
                #expect(response.status == .badRequest, "\(json ?? .string(raw ?? "")) → \(response.text)")
                #expect(response.errorCode == "invalid_request")
                #expect(response.text.contains(mention), "\(response.text) should mention \(mention)")
            }
        }
    }

    @Test(
        "login succeeds with the right password and says the same thing for every failure",
        arguments: TestDatabase.available)
    func login(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register(email: "login@example.com", password: "right-password")
            let ok = try await api.send(
                .post, "/api/v1/auth/login", json: ["email": "LOGIN@example.com", "password": "right-password"])
            #expect(ok.status == .ok)
            #expect(ok["user"]?.objectValue?["id"]?.stringValue == session.userID)

            let wrongPassword = try await api.send(
                .post, "/api/v1/auth/login", json: ["email": "login@example.com", "password": "wrong-password"])
            let unknownEmail = try await api.send(
                .post, "/api/v1/auth/login", json: ["email": "nobody@example.com", "password": "right-password"])
            #expect(wrongPassword.status == .unauthorized)
            #expect(unknownEmail.status == .unauthorized)
            #expect(wrongPassword["message"] == unknownEmail["message"])
            #expect(wrongPassword.errorCode == "unauthorized")

            // Long passwords count in full, past bcrypt's 72 bytes.
            let long = String(repeating: "a", count: 100)
            _ = try await api.register(email: "long@example.com", password: long + "1")
            let differsLate = try await api.send(
                .post,
                "/api/v1/auth/login",
                json: ["email": "long@example.com", "password": .string(long + "2")]
            )
            #expect(differsLate.status == .unauthorized)
            let exact = try await api.send(
                .post, "/api/v1/auth/login", json: ["email": "long@example.com", "password": .string(long + "1")])
            #expect(exact.status == .ok)

            let malformed = try await api.send(.post, "/api/v1/auth/login", json: ["email": "login@example.com"])
            #expect(malformed.status == .badRequest)
        }
    }

    @Test(
        "refresh rotates tokens, and reusing a spent token revokes the whole session", arguments: TestDatabase.available
    )
    func refreshRotation(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let first = try await api.send(
                .post, "/api/v1/auth/refresh", json: ["refresh_token": .string(session.refreshToken)])
            #expect(first.status == .ok)
            let next = try #require(first["refresh_token"]?.stringValue)
            #expect(next != session.refreshToken)
            let newAccess = try #require(first["access_token"]?.stringValue)
            #expect(try await api.send(.get, "/api/v1/auth/me", auth: .bearer(newAccess)).status == .ok)

            let reused = try await api.send(
                .post, "/api/v1/auth/refresh", json: ["refresh_token": .string(session.refreshToken)])
            #expect(reused.status == .unauthorized)
            #expect(reused["message"]?.stringValue?.contains("revoked") == true)
            // The successor was issued to whoever holds it; after reuse it is revoked too.
            let successor = try await api.send(.post, "/api/v1/auth/refresh", json: ["refresh_token": .string(next)])
            #expect(successor.status == .unauthorized)

            let garbage = try await api.send(.post, "/api/v1/auth/refresh", json: ["refresh_token": "anvr_nonsense"])
            #expect(garbage.status == .unauthorized)
            let missing = try await api.send(.post, "/api/v1/auth/refresh", json: [:])
            #expect(missing.status == .badRequest)
        }
    }

    @Test("logout ends the session of its refresh token", arguments: TestDatabase.available)
    func logout(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let out = try await api.send(
                .post, "/api/v1/auth/logout", json: ["refresh_token": .string(session.refreshToken)])
            #expect(out.status == .noContent)
            let refresh = try await api.send(
                .post, "/api/v1/auth/refresh", json: ["refresh_token": .string(session.refreshToken)])
            #expect(refresh.status == .unauthorized)
            let unknown = try await api.send(.post, "/api/v1/auth/logout", json: ["refresh_token": "anvr_unknown"])
            #expect(unknown.status == .noContent)
            #expect(try await api.send(.post, "/api/v1/auth/logout", json: ["refresh_token": 5]).status == .badRequest)
        }
    }

    @Test(
        "authenticated routes reject missing, malformed, forged and expired credentials",
        arguments: TestDatabase.available)
    func credentialsAreChecked(engine: TestDatabase) async throws {
        try await withTestApp(engine, setting: \.accessTokenLifetime, to: -60) { api in
            let session = try await api.register()
            let expired = try await api.send(.get, "/api/v1/auth/me", auth: session.auth)
            #expect(expired.status == .unauthorized)
            #expect(expired["message"]?.stringValue?.contains("expired") == true)
        }
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let probes: [(TestAPI.Credential?, String)] = [
                (nil, "Missing credentials"),
                (.header("Basic dXNlcjpwYXNz"), "Bearer"),
                (.bearer("not-a-jwt"), "malformed"),
                (.bearer(session.accessToken + "x"), "malformed"),
                (.bearer(session.refreshToken), "malformed"),
                (.bearer("anv_not-a-real-key"), "API key"),
                (.apiKey("anv_not-a-real-key"), "API key"),
            ]
            for (credential, mention) in probes {
                let response = try await api.send(.get, "/api/v1/auth/me", auth: credential)
                #expect(response.status == .unauthorized, "\(String(describing: credential))")
                #expect(response.errorCode == "unauthorized")
                #expect(response.text.contains(mention), "\(response.text) should mention \(mention)")
                #expect(response.headers[.wwwAuthenticate] == "Bearer")
            }
            // A token signed with another secret is refused.
            let forged =
                "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4IiwiaWF0Ijo0MTAyNDQ0ODAwLCJleHAiOjQxMDI0NDQ4MDAsInZlciI6MCwidHlwIjoiYWNjZXNzIn0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
            #expect(try await api.send(.get, "/api/v1/auth/me", auth: .bearer(forged)).status == .unauthorized)
        }
    }

    @Test("PATCH /auth/me sets and clears the display name and validates it", arguments: TestDatabase.available)
    func updateMe(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let set = try await api.send(
                .patch, "/api/v1/auth/me", json: ["display_name": "  Ada  "], auth: session.auth)
            #expect(set.status == .ok)
            #expect(set["display_name"] == "Ada")
            let untouched = try await api.send(.patch, "/api/v1/auth/me", json: [:], auth: session.auth)
            #expect(untouched["display_name"] == "Ada")
            let cleared = try await api.send(.patch, "/api/v1/auth/me", json: ["display_name": nil], auth: session.auth)
            #expect(cleared["display_name"] == .null)
            let tooLong = try await api.send(
                .patch,
                "/api/v1/auth/me",
                json: ["display_name": .string(String(repeating: "n", count: 101))],
                auth: session.auth
            )
            #expect(tooLong.status == .badRequest)
            #expect(
                try await api.send(.patch, "/api/v1/auth/me", json: ["display_name": 1], auth: session.auth).status
                    == .badRequest)
            #expect(try await api.send(.patch, "/api/v1/auth/me", json: [:]).status == .unauthorized)
        }
    }

    @Test("changing the password revokes every token issued before", arguments: TestDatabase.available)
    func changePassword(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register(password: "old-password")
            let wrong = try await api.send(
                .post,
                "/api/v1/auth/change-password",
                json: ["current_password": "not-it", "new_password": "new-password"],
                auth: session.auth
            )
            #expect(wrong.status == .forbidden)
            #expect(wrong.errorCode == "invalid_password")
            let weak = try await api.send(
                .post,
                "/api/v1/auth/change-password",
                json: ["current_password": "old-password", "new_password": "short"],
                auth: session.auth
            )
            #expect(weak.status == .badRequest)
            let changed = try await api.send(
                .post,
                "/api/v1/auth/change-password",
                json: ["current_password": "old-password", "new_password": "new-password"],
                auth: session.auth
            )
            #expect(changed.status == .noContent)
            #expect(try await api.send(.get, "/api/v1/auth/me", auth: session.auth).status == .unauthorized)
            let refresh = try await api.send(
                .post, "/api/v1/auth/refresh", json: ["refresh_token": .string(session.refreshToken)])
            #expect(refresh.status == .unauthorized)
            let oldLogin = try await api.send(
                .post, "/api/v1/auth/login", json: ["email": .string(session.email), "password": "old-password"])
            #expect(oldLogin.status == .unauthorized)
            let newLogin = try await api.send(
                .post, "/api/v1/auth/login", json: ["email": .string(session.email), "password": "new-password"])
            #expect(newLogin.status == .ok)
        }
    }

    @Test(
        "deleting the account needs the password and removes everything the user owns",
        arguments: TestDatabase.available)
    func deleteAccount(engine: TestDatabase) async throws {
        try await withTestApp(engine) { api in
            let session = try await api.register()
            let chat = try await api.send(.post, "/api/v1/chats", json: ["title": "mine"], auth: session.auth)
            #expect(chat.status == .created)
            let key = try await api.send(.post, "/api/v1/auth/api-keys", json: ["name": "k"], auth: session.auth)
            let secret = try #require(key["key"]?.stringValue)

            let wrong = try await api.send(
                .post, "/api/v1/auth/delete-account", json: ["password": "nope"], auth: session.auth)
            #expect(wrong.status == .forbidden)
            #expect(wrong.errorCode == "invalid_password")
            let deleted = try await api.send(
                .post,
                "/api/v1/auth/delete-account",
                json: ["password": .string(session.password)],
                auth: session.auth
            )
            #expect(deleted.status == .noContent)
            #expect(try await api.send(.get, "/api/v1/auth/me", auth: session.auth).status == .unauthorized)
            #expect(try await api.send(.get, "/api/v1/auth/me", auth: .apiKey(secret)).status == .unauthorized)
            let login = try await api.send(
                .post, "/api/v1/auth/login",
                json: ["email": .string(session.email), "password": .string(session.password)])
            #expect(login.status == .unauthorized)
            // The email is free again.
            _ = try await api.register(email: session.email)
        }
    }
}
