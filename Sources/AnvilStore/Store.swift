import Foundation
import Logging
import SQLKit

/// The repositories of one database, built once at startup and handed to the controllers that need them.
public struct Store: Sendable {
    public let database: Database
    /// Seals the secrets stored in this database; plugins that store secrets of their own use it too.
    public let secretBox: SecretBox
    public let users: any UserRepository
    public let refreshTokens: any RefreshTokenRepository
    public let apiKeys: any APIKeyRepository
    public let providerKeys: any ProviderKeyRepository
    public let chats: any ChatRepository
    public let messages: any MessageRepository
    public let usage: any UsageRepository
    /// Full-text and vector search over the items plugins index.
    public let search: SearchIndex
    public let promptTemplates: any PromptTemplateRepository

    /// Builds the SQL repositories over `database`, sealing secrets with `secretBox`.
    public init(database: Database, secretBox: SecretBox) {
        self.database = database
        self.secretBox = secretBox
        self.users = SQLUserRepository(database: database)
        self.refreshTokens = SQLRefreshTokenRepository(database: database)
        self.apiKeys = SQLAPIKeyRepository(database: database)
        self.providerKeys = SQLProviderKeyRepository(database: database, secretBox: secretBox)
        self.chats = SQLChatRepository(database: database)
        self.messages = SQLMessageRepository(database: database)
        self.usage = SQLUsageRepository(database: database)
        self.search = SearchIndex(database: database)
        self.promptTemplates = SQLPromptTemplateRepository(database: database)
    }

    /// Applies the core migrations followed by `additional` ones (from plugins).
    @discardableResult
    public func migrate(additional: [Migration] = [], logger: Logger = Logger(label: "anvil.migrations")) async throws
        -> [String]
    {
        try await Migrator(database: database, migrations: CoreMigrations.all + additional, logger: logger).migrate()
    }

    /// Checks that the database answers a trivial query.
    public func ping() async throws {
        try await database.withConnection { db in
            _ = try await db.raw("SELECT 1 AS one").first()
        }
    }
}
