import AnvilCore
import AnvilStore
import Foundation
import Hummingbird
import ServiceLifecycle

/// Creates the compiled-in plugins from their manifests at startup and gathers what they contribute.
public enum PluginHost {
    /// Loads `manifests/plugins/*.yaml` from `manifestsDirectory` and creates every enabled plugin of `types`.
    ///
    /// - Throws: ``ManifestErrors`` when a manifest names no compiled-in plugin, breaks its schema or configures a
    ///   tool the plugin does not have; an error naming the plugin when its initializer throws.
    public static func load(
        _ types: [any ToolPlugin.Type],
        manifestsDirectory: URL,
        context: PluginContext
    ) async throws -> LoadedPlugins {
        let directory = manifestsDirectory.appendingPathComponent("plugins")
        var errors: [ManifestError] = []
        var typesByID: [String: any ToolPlugin.Type] = [:]
        for type in types {
            if typesByID[type.id] != nil {
                throw ManifestErrors([
                    ManifestError(file: "(compiled plugins)", problem: "two plugins share the id '\(type.id)'")
                ])
            }
            typesByID[type.id] = type
        }

        var manifests: [String: (manifest: PluginManifest, file: String)] = [:]
        for file in try ManifestYAML.files(in: directory) {
            let id = file.deletingPathExtension().lastPathComponent
            guard let type = typesByID[id] else {
                errors.append(
                    ManifestError(
                        file: file.path,
                        problem: "no compiled-in plugin is called '\(id)'; known plugins: "
                            + typesByID.keys.sorted().joined(separator: ", ")
                    )
                )
                continue
            }
            if manifests[id] != nil {
                errors.append(ManifestError(file: file.path, problem: "plugin '\(id)' already has a manifest"))
                continue
            }
            do {
                let document = try ManifestYAML.load(file)
                manifests[id] = (
                    try PluginManifest(
                        document: document,
                        configurationSchema: type.configurationSchema,
                        file: file.path
                    ), file.path
                )
            } catch let error as ManifestError {
                errors.append(error)
            } catch let error as ManifestErrors {
                errors.append(contentsOf: error.errors)
            }
        }
        guard errors.isEmpty else { throw ManifestErrors(errors) }

        var loaded = LoadedPlugins()
        for type in types {
            let entry = manifests[type.id]
            let manifest = entry?.manifest ?? PluginManifest(defaultsOf: type.configurationSchema)
            guard manifest.enabled else {
                context.logger.info("plugin disabled by its manifest", metadata: ["plugin": "\(type.id)"])
                continue
            }
            let file = entry?.file ?? directory.appendingPathComponent("\(type.id).yaml").path
            let plugin = try await instantiate(type, manifest: manifest, file: file, context: context)
            let toolNames = Set(plugin.tools.map(\.spec.name))
            for name in manifest.tools.keys.sorted() where !toolNames.contains(name) {
                errors.append(
                    ManifestError(
                        file: file,
                        key: "tools.\(name)",
                        problem: "plugin '\(type.id)' has no tool called '\(name)'; its tools: "
                            + toolNames.sorted().joined(separator: ", ")
                    )
                )
            }
            loaded.append(plugin, manifest: manifest)
        }
        guard errors.isEmpty else { throw ManifestErrors(errors) }
        return loaded
    }

    private static func instantiate<Plugin: ToolPlugin>(
        _ type: Plugin.Type,
        manifest: PluginManifest,
        file: String,
        context: PluginContext
    ) async throws -> Plugin {
        let configuration: Plugin.Configuration
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            let data = try JSONEncoder().encode(manifest.configuration)
            configuration = try decoder.decode(Plugin.Configuration.self, from: data)
        } catch let error as DecodingError {
            throw ManifestErrors([ManifestError(file: file, key: "config", problem: error.manifestDescription)])
        }
        var context = context
        context.logger[metadataKey: "plugin"] = "\(Plugin.id)"
        do {
            return try await Plugin(configuration: configuration, context: context)
        } catch let error as ManifestErrors {
            throw error
        } catch {
            throw ManifestErrors([ManifestError(file: file, key: "config", problem: "\(error)")])
        }
    }
}

/// The enabled plugins and everything they contribute, in the order the executable lists them.
public struct LoadedPlugins: Sendable {
    public private(set) var plugins: [any ToolPlugin] = []
    /// Their tools, with the limits and default-set membership their manifests give.
    public private(set) var tools: [ToolRegistration] = []
    public private(set) var migrations: [Migration] = []

    public init() {}

    mutating func append<Plugin: ToolPlugin>(_ plugin: Plugin, manifest: PluginManifest) {
        plugins.append(plugin)
        migrations += Plugin.migrations
        for tool in plugin.tools {
            let settings = manifest.tools[tool.spec.name] ?? PluginManifest.ToolSettings()
            tools.append(
                ToolRegistration(
                    tool: tool,
                    source: .plugin(Plugin.id),
                    limits: settings.applied(to: Plugin.defaultToolLimits),
                    offeredByDefault: settings.offeredByDefault ?? true
                )
            )
        }
    }

    /// Every plugin's background services.
    public var services: [any Service] { plugins.flatMap(\.services) }

    /// Adds every plugin's routes to the authenticated `/api/v1` group.
    public func addRoutes(to routes: RouterGroup<AnvilRequestContext>) {
        for plugin in plugins { plugin.addRoutes(to: routes) }
    }

    /// Every plugin's API description, for the OpenAPI document.
    public var apis: [PluginAPI] { plugins.map(\.api) }
}

extension DecodingError {
    /// What went wrong, for a configuration that passed its schema but not its Swift type: a bug in the plugin's
    /// schema, reported so that its author can see the mismatch.
    var manifestDescription: String {
        switch self {
        case .keyNotFound(let key, _): "missing required key '\(key.stringValue)'"
        case .typeMismatch(let type, let context):
            "\(context.codingPath.map(\.stringValue).joined(separator: ".")): expected \(type)"
        case .valueNotFound(let type, let context):
            "\(context.codingPath.map(\.stringValue).joined(separator: ".")): expected \(type), got null"
        case .dataCorrupted(let context): context.debugDescription
        @unknown default: "invalid configuration"
        }
    }
}
