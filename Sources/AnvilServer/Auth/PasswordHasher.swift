import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix

/// Hashes and verifies passwords with bcrypt on the NIO thread pool, so the deliberate slowness of bcrypt never
/// blocks the event loops or the cooperative executor.
public struct PasswordHasher: Sendable {
    let cost: UInt8
    /// A real hash to verify against when the account does not exist, so a login takes as long for an unknown
    /// email as for a wrong password and timing does not reveal which emails are registered.
    let decoyHash: String

    public init(cost: UInt8) {
        self.cost = cost
        self.decoyHash = Bcrypt.hash("anvil-decoy-password", cost: cost)
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        let input = Self.bcryptInput(password)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(input, cost: cost) }
    }

    func verify(_ password: String, hash: String?) async throws -> Bool {
        let target = hash ?? decoyHash
        let input = Self.bcryptInput(password)
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(input, hash: target) }
        return hash != nil && matches
    }

    /// bcrypt reads only the first 72 bytes. Longer passwords go in as the base64 of their SHA-256, so every byte
    /// counts; shorter ones go in unchanged.
    static func bcryptInput(_ password: String) -> String {
        guard password.utf8.count > 72 else { return password }
        return Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
    }
}
