import HummingbirdBcrypt
import NIOPosix

/// Hashes and verifies passwords with bcrypt on the NIO thread pool, so the deliberate slowness of bcrypt never
/// blocks the event loops or the cooperative executor.
struct PasswordHasher: Sendable {
    let cost: UInt8
    /// A real hash to verify against when the account does not exist, so a login takes as long for an unknown
    /// email as for a wrong password and timing does not reveal which emails are registered.
    let decoyHash: String

    init(cost: UInt8) {
        self.cost = cost
        self.decoyHash = Bcrypt.hash("anvil-decoy-password", cost: cost)
    }

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String?) async throws -> Bool {
        let target = hash ?? decoyHash
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: target) }
        return hash != nil && matches
    }
}
