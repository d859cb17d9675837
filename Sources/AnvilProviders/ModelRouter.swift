import AnvilCore
import Foundation
import Logging

/// One model to try: the provider that serves it and the model's name there.
public struct ModelTarget: Sendable, Hashable {
    public var provider: String
    public var model: String

    /// `provider:model`, the id clients use.
    public var id: String { "\(provider):\(model)" }

    public init(provider: String, model: String) {
        self.provider = provider
        self.model = model
    }
}

/// Why a model name could not be turned into something to call.
public enum ModelRouterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A name without `provider:` that is not an alias either, such as `gpt-4o`.
    case unqualifiedModel(name: String, providers: [String], aliases: [String])

    public var description: String {
        switch self {
        case .unqualifiedModel(let name, let providers, let aliases):
            let example = providers.first.map { " such as \($0):<model>" } ?? ""
            let aliasHint = aliases.isEmpty ? "" : ", or one of the aliases \(aliases.joined(separator: ", "))"
            return "model '\(name)' does not say which provider serves it: name models as 'provider:model'"
                + "\(example) (providers: \(providers.joined(separator: ", ")))\(aliasHint)"
        }
    }
}

/// Turns the model a request names (`provider:model`, an alias, or nothing) into providers to call, and calls
/// them in order: an alias's fallbacks are tried while the failure happens before the first byte of the answer and
/// may succeed elsewhere (rate limits, server errors, timeouts, connection failures, a missing API key).
///
/// Retries against the same provider are the provider's own business (``ProviderSettings/maxRetries``); the
/// router only moves on to the next target. A request's ``CompletionRequest/apiKey`` is meant for the first
/// target's provider and is only sent there.
public struct ModelRouter: Sendable {
    /// The default model, aliases and configured model lists the router resolves against.
    public let manifest: ModelsManifest
    private let providers: [String: any ModelProvider]
    private let logger: Logger

    /// - Parameters:
    ///   - providers: The configured providers by name, the part before `:` in model ids.
    ///   - manifest: The default model and aliases.
    ///   - logger: Where falling back to another target is reported.
    public init(
        providers: [String: any ModelProvider],
        manifest: ModelsManifest,
        logger: Logger = Logger(label: "anvil.providers.router")
    ) {
        self.providers = providers
        self.manifest = manifest
        self.logger = logger
    }

    /// The provider registered under `name`.
    public func provider(named name: String) -> (any ModelProvider)? {
        providers[name]
    }

    /// The targets to try, in order, for `model`.
    ///
    /// `nil` or empty means the manifest's default model. An alias gives its model and then its fallbacks,
    /// skipping those whose provider is not configured (it is an error only when none is). A `provider:model` id
    /// gives itself, and its provider must be configured.
    public func resolve(_ model: String?) throws -> [ModelTarget] {
        let requested = model?.trimmingCharacters(in: .whitespaces) ?? ""
        let name = requested.isEmpty ? manifest.defaultModel : requested

        if let alias = manifest.aliases[name] {
            var targets: [ModelTarget] = []
            for id in [alias.model] + alias.fallbacks {
                guard let target = Self.target(id), providers[target.provider] != nil, !targets.contains(target)
                else { continue }
                targets.append(target)
            }
            guard !targets.isEmpty else { throw ProviderError.unknownModel(alias.model) }
            return targets
        }

        guard name.contains(":") else {
            throw ModelRouterError.unqualifiedModel(
                name: name,
                providers: providers.keys.sorted(),
                aliases: manifest.aliases.keys.sorted()
            )
        }
        guard let target = Self.target(name), providers[target.provider] != nil else {
            throw ProviderError.unknownModel(name)
        }
        return [target]
    }

    /// Starts a stream on the first target that accepts the request. Failures after the stream has started arrive
    /// through it and are not retried, since part of the answer may already have been shown.
    ///
    /// - Parameter credentials: the caller's own key for a provider, by provider name; when it gives one, that key
    ///   is used for that provider's targets instead of the configured one.
    public func stream(
        _ request: CompletionRequest,
        model: String?,
        credentials: @Sendable (String) async throws -> String? = { _ in nil }
    ) async throws -> (target: ModelTarget, stream: CompletionStream) {
        let (target, stream) = try await firstAnswer(to: request, model: model, credentials: credentials) {
            provider,
            request in
            try await provider.stream(request)
        }
        return (target, stream)
    }

    /// Completes the request on the first target that answers.
    public func complete(
        _ request: CompletionRequest,
        model: String?,
        credentials: @Sendable (String) async throws -> String? = { _ in nil }
    ) async throws -> (target: ModelTarget, completion: Completion) {
        let (target, completion) = try await firstAnswer(to: request, model: model, credentials: credentials) {
            provider,
            request in
            try await provider.complete(request)
        }
        return (target, completion)
    }

    /// Embeds the inputs with the first target that answers.
    public func embed(
        _ request: EmbeddingRequest,
        model: String?,
        credentials: @Sendable (String) async throws -> String? = { _ in nil }
    ) async throws -> EmbeddingResponse {
        let asCompletion = CompletionRequest(model: request.model, messages: [], apiKey: request.apiKey)
        let (_, response) = try await firstAnswer(to: asCompletion, model: model, credentials: credentials) {
            provider,
            attempt in
            var embedding = request
            embedding.model = attempt.model
            embedding.apiKey = attempt.apiKey
            return try await provider.embed(embedding)
        }
        return response
    }

    /// Every provider's models, then one entry per alias. A provider that cannot list its models contributes
    /// those configured for it in the manifest, so one unreachable server does not empty the list.
    public func listModels() async -> [ModelInfo] {
        let configured = manifest.providers
        let listed = await withTaskGroup(of: (name: String, models: [ModelInfo]).self) { group in
            for (name, provider) in providers {
                group.addTask {
                    do {
                        return (name, try await provider.listModels())
                    } catch {
                        let models = configured[name]?.models ?? []
                        return (name, models.map { ModelInfo(id: "\(name):\($0)", provider: name) })
                    }
                }
            }
            var byProvider: [String: [ModelInfo]] = [:]
            for await result in group { byProvider[result.name] = result.models }
            return byProvider
        }

        var models = listed.keys.sorted().flatMap { listed[$0] ?? [] }
        for (name, alias) in manifest.aliases.sorted(by: { $0.key < $1.key }) {
            guard let target = Self.target(alias.model) else { continue }
            var entry = models.first { $0.id == alias.model } ?? ModelInfo(id: name, provider: target.provider)
            entry.id = name
            models.append(entry)
        }
        return models
    }

    /// The tools an alias turns on by default; none for anything that is not an alias.
    public func defaultTools(forAlias alias: String) -> [String] {
        manifest.aliases[alias]?.tools ?? []
    }

    // MARK: - Trying targets in order

    private func firstAnswer<Answer: Sendable>(
        to request: CompletionRequest,
        model: String?,
        credentials: @Sendable (String) async throws -> String?,
        _ call: (any ModelProvider, CompletionRequest) async throws -> Answer
    ) async throws -> (ModelTarget, Answer) {
        let targets = try resolve(model)
        var lastError: ProviderError?
        for (position, target) in targets.enumerated() {
            guard let provider = providers[target.provider] else { continue }
            var attempt = request
            attempt.model = target.model
            // A request's own API key belongs to the provider it was chosen for, the first target's; it must not
            // be sent to a fallback elsewhere.
            if target.provider != targets.first?.provider { attempt.apiKey = nil }
            if let own = try await credentials(target.provider) { attempt.apiKey = own }
            do {
                return (target, try await call(provider, attempt))
            } catch let error as ProviderError where Self.mayFallBack(after: error) {
                lastError = error
                if position + 1 < targets.count {
                    logger.warning(
                        "model failed, trying the next one",
                        metadata: [
                            "model": "\(target.id)", "next": "\(targets[position + 1].id)", "error": "\(error)",
                        ]
                    )
                }
            }
        }
        throw lastError ?? ProviderError.unknownModel(model ?? manifest.defaultModel)
    }

    /// Failures another provider may not have. Anything else (a bad request, a cancelled task) would fail the
    /// same way everywhere, or must not be retried at all.
    private static func mayFallBack(after error: ProviderError) -> Bool {
        if case .missingCredentials = error { return true }
        return error.isRetryable
    }

    /// `provider:model` split at the first `:`; the model part may contain more (`ollama:qwen2.5:7b`).
    private static func target(_ id: String) -> ModelTarget? {
        guard let colon = id.firstIndex(of: ":") else { return nil }
        let provider = String(id[..<colon])
        let model = String(id[id.index(after: colon)...])
        guard !provider.isEmpty, !model.isEmpty else { return nil }
        return ModelTarget(provider: provider, model: model)
    }
}
