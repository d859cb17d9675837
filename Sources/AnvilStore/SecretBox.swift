import Crypto
import Foundation

/// Seals secrets (users' provider keys, CalDAV passwords) with AES-256-GCM under the server's encryption key, so
/// a copy of the database alone reveals nothing.
///
/// The sealed form is a version byte followed by AES-GCM's combined nonce, ciphertext and tag. Callers pass
/// associated data naming the owner and purpose, which binds a sealed value to its row: moving it to another
/// user's row makes it fail to open.
public struct SecretBox: Sendable {
    private static let version: UInt8 = 1
    private let key: SymmetricKey

    /// - Parameter keyData: exactly 32 bytes.
    public init(keyData: Data) throws {
        guard keyData.count == 32 else {
            throw StoreError.invalidConfiguration("the encryption key must be 32 bytes, got \(keyData.count)")
        }
        self.key = SymmetricKey(data: keyData)
    }

    public func seal(_ plaintext: String, context: String) throws -> Data {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: key, authenticating: Data(context.utf8))
        guard let combined = box.combined else {
            throw StoreError.corruptData("AES-GCM produced no combined representation")
        }
        return Data([Self.version]) + combined
    }

    public func open(_ sealed: Data, context: String) throws -> String {
        guard sealed.first == Self.version else {
            throw StoreError.corruptData("unknown sealed secret version")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed.dropFirst())
            let plaintext = try AES.GCM.open(box, using: key, authenticating: Data(context.utf8))
            guard let text = String(data: plaintext, encoding: .utf8) else {
                throw StoreError.corruptData("sealed secret is not UTF-8")
            }
            return text
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.corruptData("sealed secret could not be opened with the current encryption key")
        }
    }
}

/// The one-way digest under which bearer secrets (refresh tokens, API keys) are stored and looked up.
///
/// These secrets are 256-bit random values, so a fast hash is enough: there is nothing to brute-force.
public enum SecretDigest {
    public static func hex(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
