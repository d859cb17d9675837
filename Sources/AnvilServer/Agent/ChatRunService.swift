import AnvilCore
import AnvilPluginKit
import AnvilProviders
import AnvilStore
import Foundation
import HTTPTypes
import Logging

/// Everything decided before a run starts: which model and tools, the token reservation, the conversation, and
/// the first model call already accepted by the provider.
struct PreparedRun: Sendable {
    let loop: AgentLoop
    let conversation: [ModelMessage]
    let opened: OpenedRound
    let transcript: StoreTranscript
    let reservation: TokenReservation?
    let modelID: String
    /// The committed user message of a chat turn.
    let userMessage: ChatMessage?
}

/// Runs chat turns and completions through the agent loop, with budgets, persistence and provider routing.
struct ChatRunService: Sendable {
    let store: Store
    let router: ModelRouter
    let tools: ToolRegistry
    let limits: AgentLimits
    /// A chat's limit when it sets none.
    let defaultTokenLimit: Int
    /// Tokens set aside for one run; a run that needs more stops using tools and wraps up.
    let runReservation: Int
    /// Plugins asked for context (relevant memories, document passages) before each run.
    var contextPlugins: [any ToolPlugin] = []
    /// How many stored messages are sent as history.
    let historyWindow: Int = 200
    let logger: Logger

    struct Options: Sendable {
        var model: String?
        var tools: [String]?
        var temperature: Double?
        var maxTokens: Int?
        /// Add passages of the user's documents to the context, with numbered citations.
        var useRAG: Bool = false
        /// Let plugins add context (memories, documents). The OpenAI front turns it off: its clients send the
        /// whole conversation and expect it to reach the model as sent.
        var addsPluginContext: Bool = true
    }

    /// The token limit that applies to `chat`.
    func tokenLimit(of chat: Chat) -> Int { chat.tokenLimit ?? defaultTokenLimit }

    /// Resolves the model, the tools and the budget, commits the user's message, and starts the first model call.
    ///
    /// Nothing is committed when validation or the budget check fails. The user message is committed before the
    /// provider is called, so a provider failure never loses it.
    ///
    /// - Throws: ``APIError`` for anything the client should hear about (400, 402, 502, 503, 504).
    func prepareChatTurn(
        user: AuthenticatedUser,
        chat: Chat,
        content: String,
        options: Options
    ) async throws -> PreparedRun {
        do {
            return try await prepareChatTurnUnmapped(user: user, chat: chat, content: content, options: options)
        } catch {
            throw RunFailure.apiError(for: error)
        }
    }

    private func prepareChatTurnUnmapped(
        user: AuthenticatedUser,
        chat: Chat,
        content: String,
        options: Options
    ) async throws -> PreparedRun {
        let modelID = try resolveModel(options.model ?? chat.model)
        let selected = try selectTools(options.tools ?? chat.tools, modelID: modelID)
        let reservation = try await reserve(chat: chat)
        do {
            let userMessage = ChatMessage(
                id: StoreTranscript.newID(),
                chatID: chat.id,
                role: .user,
                content: content,
                createdAt: Date()
            )
            try await store.messages.append(userMessage)
            let history = try await store.messages.recent(chatID: chat.id, limit: historyWindow)
            var conversation = StoredConversation.modelMessages(from: history)
            if let prompt = chat.systemPrompt, !prompt.isEmpty { conversation.insert(.system(prompt), at: 0) }
            return try await start(
                user: user,
                chatID: chat.id,
                conversation: conversation,
                modelID: modelID,
                tools: selected,
                options: options,
                reservation: reservation,
                userMessage: userMessage
            )
        } catch {
            try? await store.usage.release(reservation)
            throw error
        }
    }

    /// Prepares a run over caller-supplied messages, with nothing stored but usage.
    func prepareStateless(user: AuthenticatedUser, messages: [ModelMessage], options: Options) async throws
        -> PreparedRun
    {
        do {
            let modelID = try resolveModel(options.model)
            let selected = try selectTools(options.tools, modelID: modelID)
            return try await start(
                user: user,
                chatID: nil,
                conversation: messages,
                modelID: modelID,
                tools: selected,
                options: options,
                reservation: nil,
                userMessage: nil
            )
        } catch {
            throw RunFailure.apiError(for: error)
        }
    }

    /// Runs a prepared run to its end, releasing its reservation whatever happens. Failures arrive as
    /// ``APIError``s, cancellation as `CancellationError`.
    func execute(_ prepared: PreparedRun, events: @Sendable (AgentEvent) async -> Void = { _ in }) async throws
        -> AgentRun
    {
        do {
            let run = try await prepared.loop.run(
                conversation: prepared.conversation,
                opened: prepared.opened,
                transcript: prepared.transcript,
                events: events
            )
            if let reservation = prepared.reservation { try? await store.usage.release(reservation) }
            return run
        } catch {
            if let reservation = prepared.reservation { try? await store.usage.release(reservation) }
            if error is CancellationError { throw error }
            throw RunFailure.apiError(for: error)
        }
    }

    // MARK: Steps

    private func start(
        user: AuthenticatedUser,
        chatID: String?,
        conversation: [ModelMessage],
        modelID: String,
        tools selected: [RegisteredTool],
        options: Options,
        reservation: TokenReservation?,
        userMessage: ChatMessage?
    ) async throws -> PreparedRun {
        var limits = self.limits
        limits.tokenBudget = reservation?.tokens
        let (conversation, annotations) = await withPluginContext(
            conversation,
            userID: user.id,
            chatID: chatID,
            useDocuments: options.useRAG,
            addsPluginContext: options.addsPluginContext
        )
        let loop = AgentLoop(
            provider: RoutedModel(router: router, modelID: modelID, userID: user.id, providerKeys: store.providerKeys),
            template: CompletionRequest(
                model: modelID,
                messages: [],
                temperature: options.temperature,
                maxTokens: options.maxTokens
            ),
            tools: selected,
            limits: limits,
            toolContext: ToolContext(userID: user.id, chatID: chatID, logger: logger)
        )
        let opened = try await loop.open(conversation: conversation)
        return PreparedRun(
            loop: loop,
            conversation: conversation,
            opened: opened,
            transcript: StoreTranscript(store: store, userID: user.id, chatID: chatID, annotations: annotations),
            reservation: reservation,
            modelID: modelID,
            userMessage: userMessage
        )
    }

    /// `conversation` with what the plugins offer for its newest user message as system context (after the chat's
    /// own system prompt), and the notes to keep with the answer. A plugin that fails adds nothing: context is a
    /// help, never a reason to refuse a run.
    private func withPluginContext(
        _ conversation: [ModelMessage],
        userID: String,
        chatID: String?,
        useDocuments: Bool,
        addsPluginContext: Bool
    ) async -> ([ModelMessage], [String: JSONValue]) {
        guard addsPluginContext, !contextPlugins.isEmpty,
            let query = conversation.last(where: { $0.role == .user })?.text
        else {
            return (conversation, [:])
        }
        let request = ConversationContextRequest(
            userID: userID, chatID: chatID, query: query, useDocuments: useDocuments)
        var texts: [String] = []
        var annotations: [String: JSONValue] = [:]
        for plugin in contextPlugins {
            do {
                guard let context = try await plugin.conversationContext(for: request) else { continue }
                texts.append(context.text)
                annotations.merge(context.annotations) { _, new in new }
            } catch {
                logger.warning(
                    "plugin context failed", metadata: ["plugin": "\(type(of: plugin).id)", "error": "\(error)"])
            }
        }
        guard !texts.isEmpty else { return (conversation, [:]) }
        var extended = conversation
        let position = extended.firstIndex { $0.role != .system } ?? extended.endIndex
        extended.insert(contentsOf: texts.map(ModelMessage.system), at: position)
        return (extended, annotations)
    }

    /// Checks the model names something configured; unknown models are the client's mistake (400).
    func resolveModel(_ requested: String?) throws -> String {
        do {
            guard let first = try router.resolve(requested).first else {
                throw APIError.invalidField("model", "No model is configured.")
            }
            return requested ?? first.id
        } catch let error as ProviderError {
            throw Self.unknownModel(error.description)
        } catch let error as ModelRouterError {
            throw Self.unknownModel(error.description)
        }
    }

    private static func unknownModel(_ reason: String) -> APIError {
        APIError(
            status: .badRequest,
            code: "unknown_model",
            message: "\(reason). List the available models with GET /api/v1/models.",
            details: ["field": "model"]
        )
    }

    /// The tools a run offers: those asked for, else the model alias's, else the manifests' default set; unknown
    /// names are a 400.
    func selectTools(_ requested: [String]?, modelID: String) throws -> [RegisteredTool] {
        let aliasTools = router.defaultTools(forAlias: modelID)
        let names = requested ?? (aliasTools.isEmpty ? tools.defaultNames : aliasTools)
        do {
            return try tools.select(names)
        } catch let error as ToolRegistryError {
            throw APIError.invalidField("tools", "\(error). Available tools: \(tools.names.joined(separator: ", ")).")
        }
    }

    private func reserve(chat: Chat) async throws -> TokenReservation {
        let limit = tokenLimit(of: chat)
        guard
            let reservation = try await store.usage.reserve(
                chatID: chat.id,
                tokens: runReservation,
                limit: limit,
                lifetime: Double(limits.wallTime.components.seconds) + 300
            )
        else {
            let usage = try await store.usage.chatUsage(chatID: chat.id, limit: limit)
            throw APIError(
                status: HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required"),
                code: "token_limit_reached",
                message: "This chat has used \(usage.used) of its \(limit) tokens"
                    + " (or the rest is held by runs in progress). Raise token_limit or start a new chat.",
                details: ["total_tokens_used": .integer(Int64(usage.used)), "token_limit": .integer(Int64(limit))]
            )
        }
        return reservation
    }
}
