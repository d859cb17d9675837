import AnvilCore
import AnvilServer
import AnvilStore
import ArgumentParser
import Foundation
import Logging

/// `anvil user ...`: account administration from the command line.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage user accounts.",
        subcommands: [Create.self]
    )

    /// `anvil user create --email E [--admin]`. The password is read from `ANVIL_USER_PASSWORD` or standard
    /// input, never from the command line, where other users of the machine could see it.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user. The password comes from ANVIL_USER_PASSWORD or the first line of standard input."
        )

        @Option(help: "Email address of the new user.")
        var email: String

        @Option(name: .customLong("display-name"), help: "Display name.")
        var displayName: String?

        @Flag(help: "Give the user administrator rights.")
        var admin = false

        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let configuration = try storage.configuration()
            let email = email.trimmingCharacters(in: .whitespacesAndNewlines)
            guard AccountRules.isPlausibleEmail(email) else {
                throw ValidationError("'\(email)' is not a valid email.")
            }
            let password = try Self.readPassword()
            if let problem = AccountRules.passwordProblem(password) { throw ValidationError(problem) }
            let hash = try await PasswordHasher(cost: configuration.bcryptCost).hash(password)
            let logger = Logger(label: "anvil.user")
            try await AdminStore.with(configuration: configuration, logger: logger) { store in
                try await store.migrate(logger: logger)
                do {
                    let user = try await store.users.create(
                        email: email,
                        passwordHash: hash,
                        displayName: displayName,
                        isAdmin: admin
                    )
                    print("Created user \(user.id) <\(user.email)>\(admin ? " (admin)" : "")")
                } catch StoreError.conflict {
                    throw ValidationError("A user with email \(email) already exists.")
                }
            }
        }

        private static func readPassword() throws -> String {
            if let password = ProcessInfo.processInfo.environment["ANVIL_USER_PASSWORD"], !password.isEmpty {
                return password
            }
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("Provide the password in ANVIL_USER_PASSWORD or on standard input.")
            }
            return line
        }
    }
}
