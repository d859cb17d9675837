import AnvilCore
import AnvilProviders
import Foundation
import Testing

/// A provider that answers with its own name, or fails before the first byte with a chosen error.
private struct FakeProvider: ModelProvider {
    let name: String
    var failure: ProviderError?
    /// What `listModels` returns; `nil` makes listing fail.
    var models: [ModelInfo]? = []

    func complete(_ request: CompletionRequest) async throws -> Completion {
        if let failure { throw failure }
        return Completion(
            message: .assistant("\(name) answered as \(request.model)\(request.apiKey == nil ? "" : " with a key")"),
            finishReason: .stop,
            usage: nil,
            model: request.model
        )
    }

    func stream(_ request: CompletionRequest) async throws -> CompletionStream {
        if let failure { throw failure }
        let (stream, continuation) = CompletionStream.makeStream()
        continuation.yield(.textDelta("\(name) streamed as \(request.model)"))
        continuation.yield(.finished(.stop))
        continuation.finish()
        return stream
    }

    func listModels() async throws -> [ModelInfo] {
        guard let models else { throw ProviderError.connection("refused") }
        return models
    }

    func embed(_ request: EmbeddingRequest) async throws -> EmbeddingResponse {
        throw ProviderError.unsupported("embeddings")
    }
}

@Suite("Model router")
struct ModelRouterTests {
    static let manifest = ModelsManifest(
        defaultModel: "local:anvil",
        providers: [
            "ollama": .init(kind: .openAI, baseURL: "http://127.0.0.1:11434/v1", models: ["llama3.2", "qwen2.5:7b"])
        ],
        aliases: [
            "smart": .init(
                model: "openai:gpt-4o",
                fallbacks: ["groq:llama-3.3-70b", "ollama:llama3.2", "local:anvil"],
                tools: ["web_search", "current_time"]
            )
        ]
    )

    static func router(
        openAI: ProviderError? = nil,
        ollama: ProviderError? = nil,
        manifest: ModelsManifest = manifest
    ) -> ModelRouter {
        ModelRouter(
            providers: [
                "openai": FakeProvider(
                    name: "openai",
                    failure: openAI,
                    models: [ModelInfo(id: "openai:gpt-4o", provider: "openai", supportsVision: true)]
                ),
                "ollama": FakeProvider(name: "ollama", failure: ollama, models: nil),
                "local": LocalModelProvider(),
            ],
            manifest: manifest
        )
    }

    static let request = CompletionRequest(model: "", messages: [.user("hello")])

    @Test("no model means the default model")
    func defaultModel() throws {
        #expect(try Self.router().resolve(nil) == [ModelTarget(provider: "local", model: "anvil")])
        #expect(try Self.router().resolve("  ").map(\.id) == ["local:anvil"])
        let aliased = ModelsManifest(defaultModel: "smart", aliases: Self.manifest.aliases)
        #expect(
            try Self.router(manifest: aliased).resolve(nil).map(\.id)
                == ["openai:gpt-4o", "ollama:llama3.2", "local:anvil"]
        )
    }

    @Test("an alias is its model and then its configured fallbacks")
    func alias() throws {
        let targets = try Self.router().resolve("smart")
        #expect(targets.map(\.id) == ["openai:gpt-4o", "ollama:llama3.2", "local:anvil"])
        #expect(Self.router().defaultTools(forAlias: "smart") == ["web_search", "current_time"])
        #expect(Self.router().defaultTools(forAlias: "openai:gpt-4o").isEmpty)
    }

    @Test("provider:model ids keep any further colons in the model")
    func qualifiedIDs() throws {
        #expect(
            try Self.router().resolve("ollama:qwen2.5:7b") == [ModelTarget(provider: "ollama", model: "qwen2.5:7b")])
        #expect(ModelTarget(provider: "openai", model: "gpt-4o").id == "openai:gpt-4o")
    }

    @Test("an unknown provider is an unknown model")
    func unknownProvider() {
        #expect(throws: ProviderError.unknownModel("mistral:large")) { try Self.router().resolve("mistral:large") }
        #expect(throws: ProviderError.unknownModel("openai:")) { try Self.router().resolve("openai:") }
    }

    @Test("a bare name explains how to name models")
    func bareName() throws {
        let error = try #require(throws: ModelRouterError.self) { try Self.router().resolve("gpt-4o") }
        #expect(
            error == .unqualifiedModel(name: "gpt-4o", providers: ["local", "ollama", "openai"], aliases: ["smart"]))
        #expect(error.description.contains("'provider:model'"))
        #expect(error.description.contains("smart"))
    }

    @Test(
        "falls back when the first target fails before the first byte with a retryable error",
        arguments: [
            ProviderError.http(status: 503, message: "overloaded", type: nil),
            .http(status: 429, message: "slow down", type: "rate_limit_error"),
            .timeout,
            .connection("refused"),
            .missingCredentials(provider: "openai"),
        ]
    )
    func fallback(_ failure: ProviderError) async throws {
        let router = Self.router(openAI: failure)
        let (target, completion) = try await router.complete(Self.request, model: "smart")
        #expect(target.id == "ollama:llama3.2")
        #expect(completion.message.text == "ollama answered as llama3.2")

        let (streamTarget, stream) = try await router.stream(Self.request, model: "smart")
        var accumulator = CompletionAccumulator()
        for try await event in stream { accumulator.add(event) }
        #expect(streamTarget.id == "ollama:llama3.2")
        #expect(accumulator.partialText == "ollama streamed as llama3.2")
    }

    @Test("the first target that works answers")
    func firstTarget() async throws {
        let (target, completion) = try await Self.router().complete(Self.request, model: "smart")
        #expect(target.id == "openai:gpt-4o")
        #expect(completion.message.text == "openai answered as gpt-4o")
    }

    @Test("a request's own API key is not sent to a fallback on another provider")
    func apiKeyStaysWithItsProvider() async throws {
        var request = Self.request
        request.apiKey = "sk-user"
        let (_, first) = try await Self.router().complete(request, model: "smart")
        #expect(first.message.text == "openai answered as gpt-4o with a key")
        let (_, fallback) = try await Self.router(openAI: .timeout).complete(request, model: "smart")
        #expect(fallback.message.text == "ollama answered as llama3.2")
    }

    @Test("a non-retryable error is not sent to the fallbacks")
    func noFallback() async throws {
        let badRequest = ProviderError.http(status: 400, message: "bad tool schema", type: "invalid_request_error")
        let router = Self.router(openAI: badRequest)
        await #expect(throws: badRequest) { try await router.complete(Self.request, model: "smart") }
        await #expect(throws: badRequest) { try await router.stream(Self.request, model: "smart") }
    }

    @Test("when every target fails, the last error is thrown")
    func allFail() async throws {
        let manifest = ModelsManifest(aliases: ["pair": .init(model: "openai:gpt-4o", fallbacks: ["ollama:llama3.2"])])
        let router = Self.router(openAI: .timeout, ollama: .connection("refused"), manifest: manifest)
        await #expect(throws: ProviderError.connection("refused")) {
            try await router.complete(Self.request, model: "pair")
        }
    }

    @Test("lists every provider's models, configured ones for providers that cannot list, then aliases")
    func listModels() async {
        let models = await Self.router().listModels()
        #expect(
            models.map(\.id) == ["local:anvil", "ollama:llama3.2", "ollama:qwen2.5:7b", "openai:gpt-4o", "smart"]
        )
        let smart = models.last
        #expect(smart?.provider == "openai")
        #expect(smart?.supportsVision == true)
    }

    @Test("the provider registered under a name")
    func providerNamed() {
        #expect(Self.router().provider(named: "local")?.name == "local")
        #expect(Self.router().provider(named: "groq") == nil)
    }
}

// MARK: - The manifest

extension ModelRouterTests {
    @Suite("Models manifest")
    struct ManifestTests {
        static let full = """
            # A full manifest.
            default_model: smart
            providers:
              openai:
                models: [gpt-4o-mini]
                timeout_seconds: 30
                api_key_env: WORK_OPENAI_KEY
              groq:
                kind: openai
                base_url: https://api.groq.com/openai/v1/
                api_key_env: GROQ_API_KEY
                headers: {X-Team: anvil}
                max_retries: 4
              local: {}
            aliases:
              smart:
                model: openai:gpt-4o
                fallbacks: [groq:llama-3.3-70b, local:anvil]
                tools: [web_search]
            """

        @Test("the shipped manifest loads and defaults to the offline model")
        func shippedManifest() throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
            let manifest = try ModelsManifest.load(from: root.appendingPathComponent("manifests/models.yaml"))
            #expect(manifest == ModelsManifest(defaultModel: "local:anvil"))
        }

        @Test("a full manifest")
        func fullManifest() throws {
            let manifest = try ModelsManifest(yaml: Self.full)
            #expect(manifest.defaultModel == "smart")
            #expect(
                manifest.providers["openai"]
                    == .init(
                        kind: .openAI,
                        apiKeyEnvironmentVariable: "WORK_OPENAI_KEY",
                        models: ["gpt-4o-mini"],
                        timeoutSeconds: 30
                    ))
            #expect(manifest.providers["groq"]?.headers == ["X-Team": "anvil"])
            #expect(manifest.providers["groq"]?.maxRetries == 4)
            #expect(manifest.providers["local"]?.kind == .local)
            #expect(
                manifest.aliases["smart"]
                    == .init(
                        model: "openai:gpt-4o",
                        fallbacks: ["groq:llama-3.3-70b", "local:anvil"],
                        tools: ["web_search"]
                    ))
            #expect(try ModelsManifest(yaml: "# only comments\n") == ModelsManifest())
        }

        @Test(
            "errors name the file, the key path and the problem",
            arguments: [
                (
                    "providers:\n  ollama:\n    kind: openai\n    base_url: http://localhost:11434/v1\n    baseurl: x\n",
                    "providers.ollama.baseurl", "unknown key 'baseurl'"
                ),
                ("default_modle: local:anvil\n", "default_modle", "unknown key 'default_modle'"),
                (
                    "providers:\n  groq:\n    kind: openai\n    base_url: https://api.groq.com/openai/v1\n    api_key: gsk\n",
                    "providers.groq.api_key", "name the variable with api_key_env"
                ),
                ("providers:\n  ollama:\n    kind: ollama\n", "providers.ollama.kind", "must be one of openai"),
                ("providers:\n  vllm:\n    kind: openai\n", "providers.vllm.base_url", "is required"),
                ("providers:\n  x:\n    kind: openai\n    base_url: ftp://x\n", "providers.x.base_url", "http://"),
                (
                    "providers:\n  openai:\n    max_retries: many\n", "providers.openai.max_retries",
                    "must be an integer"
                ),
                ("aliases:\n  smart:\n    fallbacks: [local:anvil]\n", "aliases.smart.model", "is required"),
                (
                    "aliases:\n  smart:\n    model: openai:gpt-4o\n    fallbacks: [local:anvil, gpt-4o]\n",
                    "aliases.smart.fallbacks[1]", "must be 'provider:model'"
                ),
                ("default_model: gpt-4o\n", "default_model", "must be 'provider:model' or an alias"),
                ("providers:\n  Big:\n    kind: openai\n", "providers.Big", "lowercase"),
                ("- a list\n", "top level", "must be a mapping"),
            ]
        )
        func errors(_ yaml: String, _ keyPath: String, _ problem: String) throws {
            let error = try #require(throws: ModelsManifestError.self) {
                try ModelsManifest(yaml: yaml, file: "manifests/models.yaml")
            }
            #expect(error.description.hasPrefix("manifests/models.yaml: \(keyPath): "))
            #expect(error.description.contains(problem))
        }

        @Test("files that cannot be read or parsed are named")
        func unreadableAndInvalidFiles() throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("anvil-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }

            let missing = directory.appendingPathComponent("missing.yaml")
            let unreadable = try #require(throws: ModelsManifestError.self) { try ModelsManifest.load(from: missing) }
            #expect(unreadable.description.hasPrefix("\(missing.path): cannot read the file"))

            let broken = directory.appendingPathComponent("models.yaml")
            try Data("providers:\n  ollama: [unclosed\n".utf8).write(to: broken)
            let syntax = try #require(throws: ModelsManifestError.self) { try ModelsManifest.load(from: broken) }
            guard case .syntax(let file, let line, _, _) = syntax else {
                Issue.record("expected a syntax error, got \(syntax)")
                return
            }
            #expect(file == broken.path)
            #expect(line >= 2)
        }

        @Test("the environment adds openai and anthropic, and wins over the manifest for them")
        func environmentMerge() throws {
            let manifest = try ModelsManifest(yaml: Self.full)
            let settings = try manifest.providerSettings(environment: [
                "OPENAI_API_KEY": "sk-env",
                "OPENAI_BASE_URL": "http://127.0.0.1:11434/v1/",
                "WORK_OPENAI_KEY": "sk-manifest",
                "ANTHROPIC_BASE_URL": "https://proxy.example.com/",
                "GROQ_API_KEY": "gsk-1",
            ])
            #expect(settings.map(\.name) == ["anthropic", "groq", "local", "openai"])
            let byName = Dictionary(uniqueKeysWithValues: settings.map { ($0.name, $0) })

            let openAI = try #require(byName["openai"])
            #expect(openAI.kind == .openAI)
            #expect(openAI.apiKey == "sk-env")
            #expect(openAI.baseURL == "http://127.0.0.1:11434/v1")
            #expect(openAI.models == ["gpt-4o-mini"])
            #expect(openAI.readTimeout == .seconds(30))

            let anthropic = try #require(byName["anthropic"])
            #expect(anthropic.kind == .anthropic)
            #expect(anthropic.baseURL == "https://proxy.example.com/v1")
            #expect(anthropic.apiKey == nil)

            let groq = try #require(byName["groq"])
            #expect(groq.baseURL == "https://api.groq.com/openai/v1")
            #expect(groq.apiKey == "gsk-1")
            #expect(groq.headers == ["X-Team": "anvil"])
            #expect(groq.maxRetries == 4)
            #expect(byName["local"]?.kind == .local)
        }

        @Test("without variables only the manifest's providers and local exist")
        func environmentDefaults() throws {
            #expect(try ModelsManifest().providerSettings(environment: [:]).map(\.name) == ["local"])

            let settings = try ModelsManifest().providerSettings(environment: [
                "ANTHROPIC_API_KEY": "sk-ant", "OPENAI_API_KEY": "",
            ])
            #expect(settings.map(\.name) == ["anthropic", "local"])
            #expect(settings.first?.baseURL == "https://api.anthropic.com/v1")
            #expect(settings.first?.apiKey == "sk-ant")

            let manifest = try ModelsManifest(yaml: Self.full)
            let openAI = try manifest.providerSettings(environment: ["WORK_OPENAI_KEY": "sk-manifest"])
                .first { $0.name == "openai" }
            #expect(openAI?.baseURL == "https://api.openai.com/v1")
            #expect(openAI?.apiKey == "sk-manifest")

            let keyed = try ModelsManifest().providerSettings(environment: [
                "ANTHROPIC_BASE_URL": "https://a.example/v1"
            ])
            #expect(keyed.first?.baseURL == "https://a.example/v1")
        }

        @Test("an unusable base URL in the environment names the variable")
        func badEnvironment() {
            #expect(
                throws: ModelsManifestError.invalidEnvironment(
                    variable: "OPENAI_BASE_URL",
                    problem: "must be an http:// or https:// URL"
                )
            ) {
                try ModelsManifest().providerSettings(environment: ["OPENAI_BASE_URL": "localhost:11434"])
            }
        }
    }
}
