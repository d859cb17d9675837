import AnvilCore
import AnvilPluginKit
import AnvilProviders
import AnvilStore
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// Builds the complete server from its configuration: database, migrations, routes and middleware.
///
/// - Parameters:
///   - configuration: Where to listen, where the data lives, secrets and limits.
///   - registry: The Prometheus registry `/metrics` exports; the executable shares it with the global metrics
///     system so library metrics appear too.
///   - plugins: The compiled-in plugin types; each is created from `manifests/plugins/<id>.yaml` (or its
///     defaults) unless its manifest disables it.
///   - declaredTools: Readers of tools declared in `manifests/tools/` (HTTP tools, MCP servers).
///   - tools: More tools to offer, beside the built-in ones and the plugins'; a name used twice stops startup.
/// - Returns: An application that runs migrations before it starts listening and closes the database when it
///   stops.
public func buildApplication(
    configuration: AnvilConfiguration,
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    logger: Logger? = nil,
    plugins pluginTypes: [any ToolPlugin.Type] = [],
    declaredTools: [any DeclaredToolLoader] = [],
    tools extraTools: [ToolRegistration] = []
) async throws -> some ApplicationProtocol {
    let logger = {
        var logger = logger ?? Logger(label: "anvil")
        logger.logLevel = configuration.logLevel
        return logger
    }()
    try configuration.prepareDataDirectory()
    let secrets = try ServerSecrets.resolve(for: configuration, logger: logger)
    let manifest = try ModelsManifest.loadIfPresent(directory: configuration.manifestsDirectory)
    let providerSettings = try manifest.providerSettings(environment: configuration.providerEnvironment)
    let secretBox = try SecretBox(keyData: secrets.encryptionKey)
    let database = try Database(location: try configuration.databaseLocation(), logger: logger)
    let store = Store(database: database, secretBox: secretBox)
    let httpClient = makeHTTPClient()
    // Until the application owns them, the database and the HTTP client are closed here when startup fails.
    let serverTools: ServerTools
    let models: ModelRouter
    let runs: ChatRunService
    let usageBatcher: UsageBatcher
    let router: Router<AnvilRequestContext>
    do {
        models = ModelRouter(
            providers: makeProviders(providerSettings, httpClient: httpClient, logger: logger),
            manifest: manifest,
            logger: logger
        )
        let embedder = try configuration.embeddingModel.map { model in
            // Checked at startup, so a misspelt model fails here rather than on the first upload.
            _ = try models.resolve(model)
            return ProviderTextEmbedder(model: model) { [models] request in
                try await models.embed(request, model: model)
            }
        }
        serverTools = try await ServerTools.load(
            configuration: configuration,
            store: store,
            logger: logger,
            plugins: pluginTypes,
            declaredTools: declaredTools,
            extraTools: extraTools,
            embedder: embedder
        )
        runs = ChatRunService(
            store: store,
            router: models,
            tools: serverTools.registry,
            limits: configuration.agentLimits,
            defaultTokenLimit: configuration.chatTokenLimit,
            runReservation: configuration.runTokenReservation,
            contextPlugins: serverTools.plugins.plugins,
            logger: logger
        )
        usageBatcher = UsageBatcher(usage: store.usage, logger: logger)
        router = try await buildRouter(
            configuration: configuration,
            store: store,
            secrets: secrets,
            registry: registry,
            runs: runs,
            usageBatcher: usageBatcher,
            plugins: serverTools.plugins
        )
    } catch {
        try? await httpClient.shutdown()
        try? await database.shutdown()
        throw error
    }
    let plugins = serverTools.plugins
    var application = Application(
        router: router,
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "Anvil"
        ),
        // Services stop in reverse order: the batcher flushes before the database closes.
        services: [DatabaseService(database: database), HTTPClientService(client: httpClient), usageBatcher]
            + serverTools.services,
        logger: logger
    )
    application.beforeServerStarts {
        let applied = try await store.migrate(additional: plugins.migrations, logger: logger)
        if !applied.isEmpty {
            logger.info("database migrated", metadata: ["applied": "\(applied.joined(separator: ", "))"])
        }
    }
    return application
}

/// The router with every route and middleware. Middleware is added before the routes it must cover.
func buildRouter(
    configuration: AnvilConfiguration,
    store: Store,
    secrets: ServerSecrets,
    registry: PrometheusCollectorRegistry,
    runs: ChatRunService,
    usageBatcher: UsageBatcher,
    plugins: LoadedPlugins
) async throws -> Router<AnvilRequestContext> {
    let tokens = await TokenService(
        secret: secrets.jwtSecret,
        accessTokenLifetime: configuration.accessTokenLifetime,
        refreshTokenLifetime: configuration.refreshTokenLifetime
    )
    let passwords = PasswordHasher(cost: configuration.bcryptCost)
    let credentials = CredentialCache(ttl: configuration.credentialCacheTTL)
    let authentication = AuthenticationMiddleware(
        tokens: tokens,
        users: store.users,
        apiKeys: store.apiKeys,
        cache: credentials
    )
    let router = Router(context: AnvilRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: MetricsMiddleware(registry: registry))
    router.add(
        middleware: ErrorMiddleware(
            routes: RouteTable(
                endpoints: APIDocument.endpoints(plugins: plugins.apis).map { ($0.method.rawValue, $0.path.rawValue) }
            )
        )
    )
    router.add(middleware: BodyLimitMiddleware(limit: configuration.maxBodyBytes))

    OpsController(store: store, registry: registry, documentation: try APIDocumentation(plugins: plugins.apis))
        .addRoutes(to: router)

    let api = router.group("api/v1")
    let auth = AuthController(store: store, tokens: tokens, passwords: passwords, credentials: credentials)
    auth.addPublicRoutes(to: api.group("auth"))

    let authenticated = router.group("api/v1").add(middleware: authentication)
    auth.addAccountRoutes(to: authenticated.group("auth"))
    APIKeyController(apiKeys: store.apiKeys, tokens: tokens, credentials: credentials).addRoutes(
        to: authenticated.group("auth/api-keys"))
    ProviderKeyController(providerKeys: store.providerKeys)
        .addRoutes(to: authenticated.group("auth/provider-keys"))
    let chats = authenticated.group("chats")
    ChatController(chats: store.chats, messages: store.messages).addRoutes(to: chats)
    MessageController(chats: store.chats, usage: store.usage, runs: runs).addRoutes(to: chats)
    CompletionController(chats: store.chats, runs: runs).addRoutes(to: authenticated)
    ModelController(router: runs.router).addRoutes(to: authenticated.group("models"))
    ToolController(tools: runs.tools, logger: runs.logger).addRoutes(to: authenticated.group("tools"))
    PromptController(router: runs.router, providerKeys: store.providerKeys)
        .addRoutes(to: authenticated.group("prompts"))
    PromptTemplateController(templates: store.promptTemplates, chats: store.chats)
        .addRoutes(to: authenticated.group("prompts/templates"))
    plugins.addRoutes(to: authenticated)

    let openAI = router.group("v1").add(middleware: authentication)
    OpenAIController(
        runs: runs,
        router: runs.router,
        providerKeys: store.providerKeys,
        usageBatcher: usageBatcher
    ).addRoutes(to: openAI)
    return router
}

/// The tools every server has, whatever plugins are compiled in.
public func builtInTools() -> [ToolRegistration] {
    [ToolRegistration(tool: CurrentTimeTool(), source: .builtIn)]
}

/// The providers for the configured settings, by name.
func makeProviders(_ settings: [ProviderSettings], httpClient: HTTPClient, logger: Logger) -> [String:
    any ModelProvider]
{
    var providers: [String: any ModelProvider] = [:]
    for settings in settings {
        switch settings.kind {
        case .openAI:
            providers[settings.name] = OpenAICompatibleProvider(
                settings: settings, httpClient: httpClient, logger: logger)
        case .anthropic:
            providers[settings.name] = AnthropicProvider(settings: settings, httpClient: httpClient, logger: logger)
        case .local:
            providers[settings.name] = LocalModelProvider()
        }
    }
    return providers
}

/// The client every provider shares. Redirects are refused (an API answer is never a redirect worth following
/// with credentials attached), and a refused connection fails at once so the providers' own retry policy decides.
func makeHTTPClient() -> HTTPClient {
    var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
    configuration.connectionPool.retryConnectionEstablishment = false
    return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
}

/// Shuts the shared HTTP client down when the server stops.
struct HTTPClientService: Service {
    let client: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}

/// Keeps the database pool open while the server runs and closes it on shutdown.
struct DatabaseService: Service {
    let database: Database

    func run() async throws {
        try? await gracefulShutdown()
        try await database.shutdown()
    }
}
