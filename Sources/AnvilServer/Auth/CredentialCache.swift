import AnvilPluginKit
import AnvilStore
import Foundation
import Synchronization

/// Remembers recently authenticated callers for a few seconds, so a client making many requests with one API key
/// or access token costs one database lookup per interval instead of one per request.
///
/// Every change that can revoke or alter a credential on this node (deleting a key, changing the password,
/// deleting the account, editing the profile) drops the user's entries at once. Other nodes sharing the
/// database notice within ``ttl``; set it to zero to look up every request.
final class CredentialCache: Sendable {
    private struct Entry: Sendable {
        var user: AuthenticatedUser
        var storedAt: ContinuousClock.Instant
        var keyExpiresAt: Date?
    }

    private struct State: Sendable {
        var apiKeys: [String: Entry] = [:]
        var accounts: [String: Entry] = [:]
    }

    let ttl: Duration
    /// Bound on entries of each kind; reaching it empties the cache rather than growing without limit.
    let capacity: Int
    private let state = Mutex(State())

    init(ttl: Duration, capacity: Int = 10_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    /// The caller behind the API key with digest `keyHash`, when it was authenticated recently.
    func apiKeyUser(keyHash: String) -> AuthenticatedUser? {
        guard ttl > .zero else { return nil }
        let now = ContinuousClock.now
        return state.withLock { state in
            guard let entry = state.apiKeys[keyHash], now - entry.storedAt < ttl else { return nil }
            if let expiresAt = entry.keyExpiresAt, expiresAt <= Date() { return nil }
            return entry.user
        }
    }

    func storeAPIKeyUser(_ user: AuthenticatedUser, keyHash: String, keyExpiresAt: Date?) {
        guard ttl > .zero else { return }
        let entry = Entry(user: user, storedAt: .now, keyExpiresAt: keyExpiresAt)
        state.withLock { state in
            if state.apiKeys.count >= capacity { state.apiKeys.removeAll(keepingCapacity: true) }
            state.apiKeys[keyHash] = entry
        }
    }

    /// The account with `userID`, when it was loaded recently.
    func account(userID: String) -> UserAccount? {
        guard ttl > .zero else { return nil }
        let now = ContinuousClock.now
        return state.withLock { state in
            guard let entry = state.accounts[userID], now - entry.storedAt < ttl else { return nil }
            return entry.user.account
        }
    }

    func storeAccount(_ account: UserAccount) {
        guard ttl > .zero else { return }
        let entry = Entry(user: AuthenticatedUser(account: account, credential: .accessToken), storedAt: .now)
        state.withLock { state in
            if state.accounts.count >= capacity { state.accounts.removeAll(keepingCapacity: true) }
            state.accounts[account.user.id] = entry
        }
    }

    /// Forgets everything about `userID`, after a change to its credentials or profile.
    func invalidate(userID: String) {
        state.withLock { state in
            state.accounts[userID] = nil
            state.apiKeys = state.apiKeys.filter { $0.value.user.id != userID }
        }
    }
}
