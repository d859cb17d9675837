import AnvilCore
import Foundation

/// `manifests/plugins/<id>.yaml`: whether a compiled-in plugin is on, its settings, and how its tools run.
///
/// ```yaml
/// enabled: true
/// config:
///   allow: ["127.0.0.1"]
/// tools:
///   web_browse:
///     timeout_seconds: 40
///     max_output_bytes: 32768
///     default: true
/// ```
///
/// A plugin without a manifest is enabled with its defaults, so a fresh checkout runs every plugin.
public struct PluginManifest: Sendable, Hashable {
    public var enabled: Bool
    /// The `config` object with the plugin schema's defaults filled in.
    public var configuration: JSONValue
    /// Settings for single tools, by tool name.
    public var tools: [String: ToolSettings]

    /// How one tool runs; `nil` fields keep the plugin's defaults.
    public struct ToolSettings: Sendable, Hashable {
        public var timeout: Duration?
        public var maxOutputBytes: Int?
        /// Whether chats that name no tools are offered this one.
        public var offeredByDefault: Bool?

        public init(timeout: Duration? = nil, maxOutputBytes: Int? = nil, offeredByDefault: Bool? = nil) {
            self.timeout = timeout
            self.maxOutputBytes = maxOutputBytes
            self.offeredByDefault = offeredByDefault
        }

        /// `limits` with what these settings change.
        public func applied(to limits: ToolLimits) -> ToolLimits {
            var limits = limits
            if let timeout { limits.timeout = timeout }
            if let maxOutputBytes { limits.maxOutputBytes = maxOutputBytes }
            return limits
        }
    }

    /// The schema of the settings every tool accepts, shared by plugin, HTTP and MCP manifests.
    public static let toolSettingsProperties: [String: JSONValue] = [
        "timeout_seconds": [
            "type": "number", "exclusiveMinimum": 0, "maximum": 3600,
            "description": "Longest a call may run, in seconds.",
        ],
        "max_output_bytes": [
            "type": "integer", "minimum": 64, "maximum": 16_777_216,
            "description": "Longer output is cut, with a note saying so.",
        ],
        "default": [
            "type": "boolean",
            "description": "Whether chats that name no tools are offered this tool.",
        ],
    ]

    static func manifestSchema(configuration: JSONValue) -> JSONValue {
        [
            "type": "object",
            "additionalProperties": false,
            "properties": [
                "enabled": ["type": "boolean"],
                "config": configuration,
                "tools": [
                    "type": "object",
                    "additionalProperties": [
                        "type": "object",
                        "additionalProperties": false,
                        "properties": .object(toolSettingsProperties),
                    ],
                ],
            ],
        ]
    }

    /// Checks `document` (the parsed file) against the manifest shape and the plugin's configuration schema.
    ///
    /// - Throws: ``ManifestErrors`` listing every problem, each naming `file` and the key.
    public init(document: JSONValue, configurationSchema: JSONValue, file: String) throws {
        let schema: JSONSchema
        do {
            schema = try JSONSchema(Self.manifestSchema(configuration: configurationSchema))
        } catch {
            throw ManifestErrors([
                ManifestError(
                    file: file, key: "config", problem: "the plugin's configuration schema is invalid: \(error)")
            ])
        }
        let violations = schema.validate(document)
        guard violations.isEmpty else {
            throw ManifestErrors(ManifestError.violations(violations, file: file, prefix: ""))
        }
        let object = document.objectValue ?? [:]
        enabled = object["enabled"].flatMap { if case .bool(let value) = $0 { value } else { nil } } ?? true
        configuration = Self.applyingDefaults(of: configurationSchema, to: object["config"] ?? .object([:]))
        tools = Self.toolSettings(object["tools"])
    }

    /// The manifest of a plugin that has no file: enabled, with every default.
    public init(defaultsOf configurationSchema: JSONValue) {
        enabled = true
        configuration = Self.applyingDefaults(of: configurationSchema, to: .object([:]))
        tools = [:]
    }

    static func toolSettings(_ value: JSONValue?) -> [String: ToolSettings] {
        guard let object = value?.objectValue else { return [:] }
        return object.compactMapValues { settings in
            guard let settings = settings.objectValue else { return nil }
            return ToolSettings(object: settings)
        }
    }

    /// `value` with the `default` of every property `schema` declares and `value` lacks, recursively through
    /// nested objects.
    public static func applyingDefaults(of schema: JSONValue, to value: JSONValue) -> JSONValue {
        guard case .object(var object) = value,
            let properties = schema.objectValue?["properties"]?.objectValue
        else { return value }
        for (name, propertySchema) in properties {
            if let present = object[name] {
                object[name] = applyingDefaults(of: propertySchema, to: present)
            } else if let defaultValue = propertySchema.objectValue?["default"] {
                object[name] = applyingDefaults(of: propertySchema, to: defaultValue)
            }
        }
        return .object(object)
    }
}

extension PluginManifest.ToolSettings {
    /// Reads the settings of a validated manifest object.
    public init(object: [String: JSONValue]) {
        switch object["timeout_seconds"] {
        case .integer(let seconds): timeout = .seconds(seconds)
        case .number(let seconds): timeout = .milliseconds(Int64((seconds * 1000).rounded()))
        default: timeout = nil
        }
        if case .integer(let bytes) = object["max_output_bytes"] {
            maxOutputBytes = Int(bytes)
        } else {
            maxOutputBytes = nil
        }
        if case .bool(let flag) = object["default"] { offeredByDefault = flag } else { offeredByDefault = nil }
    }
}
