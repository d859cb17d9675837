import AnvilCore
import Foundation
import Yams

/// `manifests/models.yaml`: which providers exist, how to reach them, the default model and named aliases.
///
/// Keys are spelled as in the file (`default_model`, `base_url`, ...). Unknown keys are errors rather than being
/// ignored, because a misspelt `base_url` would otherwise silently send requests to the wrong place. API keys are
/// never written here: a provider names the environment variable that holds its key.
public struct ModelsManifest: Sendable, Hashable, Codable {
    /// The model used when a request names none: a `provider:model` id or an alias.
    public var defaultModel: String
    /// Providers by the name used before `:` in model ids.
    public var providers: [String: Provider]
    /// Short names for a model with its fallbacks, such as `fast` or `smart`.
    public var aliases: [String: Alias]

    public init(
        defaultModel: String = "local:anvil",
        providers: [String: Provider] = [:],
        aliases: [String: Alias] = [:]
    ) {
        self.defaultModel = defaultModel
        self.providers = providers
        self.aliases = aliases
    }

    /// One provider entry.
    public struct Provider: Sendable, Hashable, Codable {
        /// The wire protocol. May be left out for the providers named `openai`, `anthropic` and `local`.
        public var kind: ProviderKind
        /// The API root, e.g. `http://127.0.0.1:11434/v1`. Only `openai` and `anthropic` have defaults.
        public var baseURL: String?
        /// The environment variable holding the API key.
        public var apiKeyEnvironmentVariable: String?
        public var headers: [String: String]
        /// Models to list when the provider cannot list them itself.
        public var models: [String]
        /// Time allowed for a whole call, or between two chunks of a stream.
        public var timeoutSeconds: Double?
        /// Attempts after the first for failures before the first byte.
        public var maxRetries: Int?

        public init(
            kind: ProviderKind,
            baseURL: String? = nil,
            apiKeyEnvironmentVariable: String? = nil,
            headers: [String: String] = [:],
            models: [String] = [],
            timeoutSeconds: Double? = nil,
            maxRetries: Int? = nil
        ) {
            self.kind = kind
            self.baseURL = baseURL
            self.apiKeyEnvironmentVariable = apiKeyEnvironmentVariable
            self.headers = headers
            self.models = models
            self.timeoutSeconds = timeoutSeconds
            self.maxRetries = maxRetries
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case kind
            case baseURL = "base_url"
            case apiKeyEnvironmentVariable = "api_key_env"
            case headers, models
            case timeoutSeconds = "timeout_seconds"
            case maxRetries = "max_retries"
        }

        /// Decodes one entry, named by the key above it, rejecting unknown keys and unusable values.
        public init(from decoder: any Decoder) throws {
            let name = decoder.codingPath.last?.stringValue ?? ""
            if !decoder.codingPath.isEmpty, !ProviderKeyStatus.isValidProviderName(name) {
                throw ModelsManifest.invalid(
                    "provider names are lowercase letters, digits, '-' and '_', starting with a letter",
                    at: decoder.codingPath
                )
            }
            try ModelsManifest.rejectUnknownKeys(in: decoder, allowed: CodingKeys.self) { key in
                key == "api_key" ? "API keys are read from the environment: name the variable with api_key_env" : nil
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let kind = try container.decodeIfPresent(String.self, forKey: .kind) {
                guard let parsed = ProviderKind(rawValue: kind) else {
                    throw ModelsManifest.invalid(
                        "must be one of openai, anthropic, local (found '\(kind)')",
                        at: decoder.codingPath + [CodingKeys.kind]
                    )
                }
                self.kind = parsed
            } else if let implied = ModelsManifest.reservedKinds[name] {
                self.kind = implied
            } else {
                throw ModelsManifest.invalid(
                    "is required: one of openai, anthropic, local",
                    at: decoder.codingPath + [CodingKeys.kind]
                )
            }
            baseURL = try container.decodeIfPresent(String.self, forKey: .baseURL)
            apiKeyEnvironmentVariable = try container.decodeIfPresent(String.self, forKey: .apiKeyEnvironmentVariable)
            headers = try container.decodeIfPresent([String: String].self, forKey: .headers) ?? [:]
            models = try container.decodeIfPresent([String].self, forKey: .models) ?? []
            timeoutSeconds = try container.decodeIfPresent(Double.self, forKey: .timeoutSeconds)
            maxRetries = try container.decodeIfPresent(Int.self, forKey: .maxRetries)
            try validate(name: name, at: decoder.codingPath)
        }

        private func validate(name: String, at path: [any CodingKey]) throws {
            if let reserved = ModelsManifest.reservedKinds[name], reserved != kind {
                throw ModelsManifest.invalid(
                    "the provider named '\(name)' must be of kind \(reserved.rawValue)",
                    at: path + [CodingKeys.kind]
                )
            }
            if kind == .local, name != LocalModelProvider.providerName {
                throw ModelsManifest.invalid(
                    "kind local is only for the built-in provider named 'local'",
                    at: path + [CodingKeys.kind]
                )
            }
            if let baseURL {
                guard ModelsManifest.isHTTPURL(baseURL) else {
                    throw ModelsManifest.invalid(
                        "must be an http:// or https:// URL (found '\(baseURL)')",
                        at: path + [CodingKeys.baseURL]
                    )
                }
            } else if kind != .local, ModelsManifest.defaultBaseURL(for: name) == nil {
                throw ModelsManifest.invalid(
                    "is required for a provider other than openai and anthropic",
                    at: path + [CodingKeys.baseURL]
                )
            }
            if let variable = apiKeyEnvironmentVariable, variable.isEmpty || variable.contains(where: \.isWhitespace) {
                throw ModelsManifest.invalid(
                    "must name an environment variable, such as GROQ_API_KEY",
                    at: path + [CodingKeys.apiKeyEnvironmentVariable]
                )
            }
            if let timeoutSeconds, !(timeoutSeconds > 0 && timeoutSeconds <= 3600) {
                throw ModelsManifest.invalid(
                    "must be more than 0 and at most 3600 seconds",
                    at: path + [CodingKeys.timeoutSeconds]
                )
            }
            if let maxRetries, !(0...10).contains(maxRetries) {
                throw ModelsManifest.invalid("must be from 0 to 10", at: path + [CodingKeys.maxRetries])
            }
        }
    }

    /// A short name for a model, with the models to try when it fails and the tools it turns on.
    public struct Alias: Sendable, Hashable, Codable {
        /// `provider:model`.
        public var model: String
        /// `provider:model` ids tried in order when the model fails before answering.
        public var fallbacks: [String]
        /// Tools enabled server-side by default when a request names this alias.
        public var tools: [String]

        public init(model: String, fallbacks: [String] = [], tools: [String] = []) {
            self.model = model
            self.fallbacks = fallbacks
            self.tools = tools
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case model, fallbacks, tools
        }

        /// Decodes one alias, rejecting unknown keys and model ids without a provider.
        public init(from decoder: any Decoder) throws {
            if let name = decoder.codingPath.last?.stringValue, name.isEmpty || name.contains(":") {
                throw ModelsManifest.invalid("alias names must not be empty or contain ':'", at: decoder.codingPath)
            }
            try ModelsManifest.rejectUnknownKeys(in: decoder, allowed: CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            model = try container.decode(String.self, forKey: .model)
            fallbacks = try container.decodeIfPresent([String].self, forKey: .fallbacks) ?? []
            tools = try container.decodeIfPresent([String].self, forKey: .tools) ?? []
            guard ModelsManifest.isQualifiedModelID(model) else {
                throw ModelsManifest.invalid(
                    "must be 'provider:model', such as openai:gpt-4o-mini (found '\(model)')",
                    at: decoder.codingPath + [CodingKeys.model]
                )
            }
            for (index, fallback) in fallbacks.enumerated() where !ModelsManifest.isQualifiedModelID(fallback) {
                throw ModelsManifest.invalid(
                    "must be 'provider:model', such as local:anvil (found '\(fallback)')",
                    at: decoder.codingPath + [CodingKeys.fallbacks, IndexKey(index)]
                )
            }
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case defaultModel = "default_model"
        case providers, aliases
    }

    /// Decodes the whole manifest; missing sections are empty and the default model is `local:anvil`.
    public init(from decoder: any Decoder) throws {
        try Self.rejectUnknownKeys(in: decoder, allowed: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        defaultModel = try container.decodeIfPresent(String.self, forKey: .defaultModel) ?? "local:anvil"
        providers = try container.decodeIfPresent([String: Provider].self, forKey: .providers) ?? [:]
        aliases = try container.decodeIfPresent([String: Alias].self, forKey: .aliases) ?? [:]

        guard aliases[defaultModel] != nil || Self.isQualifiedModelID(defaultModel) else {
            throw Self.invalid(
                "must be 'provider:model' or an alias (found '\(defaultModel)')",
                at: [CodingKeys.defaultModel]
            )
        }
    }
}

// MARK: - Loading

extension ModelsManifest {
    /// Reads and checks a manifest file. A file with nothing but comments is the default manifest.
    /// `models.yaml` from `directory`, or the built-in defaults (the offline model only) when there is none.
    public static func loadIfPresent(directory: String) throws -> ModelsManifest {
        let url = URL(fileURLWithPath: directory).appendingPathComponent("models.yaml")
        guard FileManager.default.fileExists(atPath: url.path) else {
            return try ModelsManifest(yaml: "default_model: local:anvil\n", file: "(built-in defaults)")
        }
        return try load(from: url)
    }

    public static func load(from url: URL) throws -> ModelsManifest {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ModelsManifestError.unreadable(file: url.path, reason: error.localizedDescription)
        }
        return try ModelsManifest(yaml: text, file: url.path)
    }

    /// Parses manifest text; `file` only names the source in errors.
    public init(yaml: String, file: String = "models.yaml") throws {
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                self.init()
                return
            }
            self = try YAMLDecoder().decode(ModelsManifest.self, from: node)
        } catch let error as YamlError {
            throw ModelsManifestError(file: file, yamlError: error)
        } catch let error as DecodingError {
            throw ModelsManifestError(file: file, decodingError: error)
        }
    }
}

// MARK: - Provider settings

extension ModelsManifest {
    /// The providers to build: those in the manifest, `openai` and `anthropic` when their environment variables are
    /// set, and always `local`. For `openai` and `anthropic` the environment wins over the manifest.
    ///
    /// `OPENAI_API_KEY` and `OPENAI_BASE_URL` configure `openai`; `ANTHROPIC_API_KEY` and `ANTHROPIC_BASE_URL`
    /// configure `anthropic`. `ANTHROPIC_BASE_URL` is given without `/v1`, as Anthropic's own SDKs expect it, so
    /// `/v1` is appended here.
    public func providerSettings(environment: [String: String]) throws -> [ProviderSettings] {
        func variable(_ name: String?) -> String? {
            guard let name, let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty
            else { return nil }
            return value
        }

        var settings: [String: ProviderSettings] = [:]
        for (name, entry) in providers {
            guard let baseURL = entry.baseURL ?? Self.defaultBaseURL(for: name) ?? (entry.kind == .local ? "" : nil)
            else {
                throw ModelsManifestError.invalid(
                    file: "models manifest",
                    keyPath: "providers.\(name).base_url",
                    problem: "is required for a provider other than openai and anthropic"
                )
            }
            settings[name] = ProviderSettings(
                name: name,
                kind: entry.kind,
                baseURL: Self.trimmingTrailingSlashes(baseURL),
                apiKey: variable(entry.apiKeyEnvironmentVariable),
                headers: entry.headers,
                models: entry.models,
                readTimeout: entry.timeoutSeconds.map { .seconds($0) } ?? .seconds(120),
                maxRetries: entry.maxRetries ?? 2
            )
        }

        let fromEnvironment: [(name: String, kind: ProviderKind, key: String, url: String, suffix: String)] = [
            ("openai", .openAI, "OPENAI_API_KEY", "OPENAI_BASE_URL", ""),
            ("anthropic", .anthropic, "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "/v1"),
        ]
        for (name, kind, keyVariable, urlVariable, suffix) in fromEnvironment {
            let key = variable(keyVariable)
            let url = variable(urlVariable)
            guard key != nil || url != nil else { continue }
            var provider =
                settings[name]
                ?? ProviderSettings(name: name, kind: kind, baseURL: Self.defaultBaseURL(for: name) ?? "")
            if let key { provider.apiKey = key }
            if let url {
                guard Self.isHTTPURL(url) else {
                    throw ModelsManifestError.invalidEnvironment(
                        variable: urlVariable,
                        problem: "must be an http:// or https:// URL"
                    )
                }
                let root = Self.trimmingTrailingSlashes(url)
                provider.baseURL = suffix.isEmpty || root.hasSuffix(suffix) ? root : root + suffix
            }
            settings[name] = provider
        }

        let local = LocalModelProvider.providerName
        if settings[local] == nil {
            settings[local] = ProviderSettings(
                name: local, kind: .local, baseURL: "", models: [LocalModelProvider.modelName])
        }
        return settings.values.sorted { $0.name < $1.name }
    }
}

// MARK: - Checks shared by the entries

extension ModelsManifest {
    /// Names that imply their kind, so `openai: {models: [...]}` needs no `kind:`.
    static let reservedKinds: [String: ProviderKind] = ["openai": .openAI, "anthropic": .anthropic, "local": .local]

    static func defaultBaseURL(for name: String) -> String? {
        switch name {
        case "openai": "https://api.openai.com/v1"
        case "anthropic": "https://api.anthropic.com/v1"
        default: nil
        }
    }

    /// `provider:model` with both parts present. The model part may itself contain `:` (`ollama:qwen2.5:7b`).
    static func isQualifiedModelID(_ id: String) -> Bool {
        guard let colon = id.firstIndex(of: ":") else { return false }
        return colon != id.startIndex && id.index(after: colon) != id.endIndex
    }

    static func isHTTPURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host else {
            return false
        }
        return (scheme == "http" || scheme == "https") && !host.isEmpty
    }

    private static func trimmingTrailingSlashes(_ url: String) -> String {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    /// Throws when the mapping being decoded has keys the entry does not know, naming the first such key.
    fileprivate static func rejectUnknownKeys<Keys: CodingKey & CaseIterable & RawRepresentable<String>>(
        in decoder: any Decoder,
        allowed: Keys.Type,
        hint: (String) -> String? = { _ in nil }
    ) throws {
        let container = try decoder.container(keyedBy: NameKey.self)
        let known = Set(Keys.allCases.map(\.rawValue))
        guard let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) else {
            return
        }
        let expected = Keys.allCases.map(\.rawValue).joined(separator: ", ")
        throw invalid(
            hint(unknown) ?? "unknown key '\(unknown)' (expected one of: \(expected))",
            at: decoder.codingPath + [NameKey(unknown)]
        )
    }

    fileprivate static func invalid(_ problem: String, at path: [any CodingKey]) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: path, debugDescription: problem))
    }

    /// A mapping key read by name: provider and alias names, and keys being checked.
    fileprivate struct NameKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// A position in a list, for key paths such as `aliases.smart.fallbacks[1]`.
    fileprivate struct IndexKey: CodingKey {
        let intValue: Int?
        var stringValue: String { intValue.map(String.init) ?? "" }
        init(_ index: Int) { intValue = index }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { self.intValue = intValue }
    }
}

// MARK: - Errors

/// Why a models manifest could not be used. Every case names where the problem is, so it can be fixed from the
/// message alone.
public enum ModelsManifestError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    /// The text is not valid YAML.
    case syntax(file: String, line: Int, column: Int, problem: String)
    /// A key is unknown, missing, of the wrong type or has a value that cannot be used. `keyPath` reads like
    /// `providers.ollama.base_url` or `aliases.smart.fallbacks[1]`.
    case invalid(file: String, keyPath: String, problem: String)
    /// An environment variable that configures a provider has a value that cannot be used.
    case invalidEnvironment(variable: String, problem: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "\(file): cannot read the file: \(reason)"
        case .syntax(let file, let line, let column, let problem): "\(file):\(line):\(column): invalid YAML: \(problem)"
        case .invalid(let file, let keyPath, let problem):
            "\(file): \(keyPath.isEmpty ? "top level" : keyPath): \(problem)"
        case .invalidEnvironment(let variable, let problem): "environment variable \(variable): \(problem)"
        }
    }

    init(file: String, yamlError: YamlError) {
        switch yamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            self = .syntax(file: file, line: mark.line, column: mark.column, problem: problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            self = .syntax(
                file: file,
                line: context.mark.line,
                column: context.mark.column,
                problem: "duplicate keys \(duplicates.map { "'\($0)'" }.joined(separator: ", "))"
            )
        default:
            self = .syntax(file: file, line: 0, column: 0, problem: "\(yamlError)")
        }
    }

    init(file: String, decodingError: DecodingError) {
        func keyPath(_ path: [any CodingKey]) -> String {
            path.reduce(into: "") { result, key in
                if let index = key.intValue, key.stringValue == String(index) || key.stringValue.hasPrefix("Index ") {
                    result += "[\(index)]"
                } else {
                    result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
        }
        switch decodingError {
        case .typeMismatch(let type, let context):
            self = .invalid(file: file, keyPath: keyPath(context.codingPath), problem: "must be \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            self = .invalid(file: file, keyPath: keyPath(context.codingPath), problem: "must be \(Self.describe(type))")
        case .keyNotFound(let key, let context):
            self = .invalid(file: file, keyPath: keyPath(context.codingPath + [key]), problem: "is required")
        case .dataCorrupted(let context):
            self = .invalid(file: file, keyPath: keyPath(context.codingPath), problem: context.debugDescription)
        @unknown default:
            self = .invalid(file: file, keyPath: "", problem: "\(decodingError)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is [String].Type: "a list of strings"
        case is [String: String].Type: "a mapping of strings to strings"
        default: "a mapping"
        }
    }
}
