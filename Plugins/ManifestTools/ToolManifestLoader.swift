import AnvilCore
import AnvilPluginKit
import Foundation
import Logging
import MCP
import WebBrowse

/// Reads `manifests/tools/*.yaml`: HTTP tools (`type: http`) and MCP servers (`type: mcp`). Every file is checked
/// before any server is started, and all problems are reported together, each with its file and key.
public struct ToolManifestLoader: DeclaredToolLoader {
    public init() {}

    public func load(manifestsDirectory: URL, context: PluginContext) async throws -> DeclaredTools {
        var errors: [ManifestError] = []
        var httpTools: [ToolRegistration] = []
        var servers: [(declaration: MCPServerDeclaration, settings: PluginManifest.ToolSettings, file: String)] = []
        for file in try ManifestYAML.files(in: manifestsDirectory.appendingPathComponent("tools")) {
            do {
                let document = try ManifestYAML.load(file)
                switch document.objectValue?["type"] {
                case .string("http"):
                    httpTools.append(try Self.httpTool(document, file: file.path, environment: context.environment))
                case .string("mcp"):
                    let declaration = try Self.mcpServer(document, file: file.path, environment: context.environment)
                    servers.append((declaration, Self.settings(document), file.path))
                case .some(let other):
                    errors.append(
                        ManifestError(
                            file: file.path, key: "type", problem: "expected 'http' or 'mcp', got \(other.compactJSON)")
                    )
                case nil:
                    errors.append(ManifestError(file: file.path, key: "type", problem: "missing; use 'http' or 'mcp'"))
                }
            } catch let error as ManifestError {
                errors.append(error)
            } catch let error as ManifestErrors {
                errors.append(contentsOf: error.errors)
            }
        }
        guard errors.isEmpty else { throw ManifestErrors(errors) }

        var declared = DeclaredTools(tools: httpTools)
        for server in servers {
            let found = try await Self.start(
                server.declaration, settings: server.settings, file: server.file, logger: context.logger)
            declared.tools += found.tools
            declared.services += found.services
        }
        return declared
    }

    // MARK: - HTTP tools

    static let httpSchema: JSONValue = [
        "type": "object",
        "additionalProperties": false,
        "required": ["type", "name", "description", "url"],
        "properties": .object(
            [
                "type": ["const": "http"],
                "name": ["type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"],
                "description": ["type": "string", "minLength": 1, "maxLength": 4096],
                "method": ["enum": ["GET", "POST", "PUT", "PATCH", "DELETE"]],
                "url": ["type": "string", "pattern": "^https?://"],
                "headers": ["type": "object", "additionalProperties": ["type": "string"]],
                "parameters": ["type": "object"],
                "arguments": ["enum": ["query", "body"]],
                "allow": ["type": "array", "items": ["type": "string", "minLength": 1]],
                "max_response_bytes": ["type": "integer", "minimum": 1024, "maximum": 104_857_600],
            ].merging(PluginManifest.toolSettingsProperties) { first, _ in first }
        ),
    ]

    static func httpTool(_ document: JSONValue, file: String, environment: [String: String]) throws -> ToolRegistration
    {
        try validate(document, against: httpSchema, file: file)
        let object = document.objectValue ?? [:]
        let name = object["name"]?.stringValue ?? ""
        let url = object["url"]?.stringValue ?? ""
        let method = object["method"]?.stringValue ?? "GET"
        let parameters = object["parameters"] ?? ["type": "object", "properties": [:]]
        do {
            _ = try AnvilCore.JSONSchema(parameters)
        } catch {
            throw ManifestError(file: file, key: "parameters", problem: "not a usable JSON Schema: \(error)")
        }
        let properties = parameters.objectValue?["properties"]?.objectValue ?? [:]
        var required: [String] = []
        if case .array(let names) = parameters.objectValue?["required"] {
            required = names.compactMap(\.stringValue)
        }
        let placeholders = Self.placeholders(in: url)
        for placeholder in placeholders {
            guard properties[placeholder] != nil, required.contains(placeholder) else {
                throw ManifestError(
                    file: file,
                    key: "url",
                    problem: "the placeholder {\(placeholder)} must be a required property of 'parameters'"
                )
            }
        }
        var headers: [FetchRequest.Header] = []
        for (header, value) in (object["headers"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            let expanded = try EnvironmentTemplate(text: value.stringValue ?? "")
                .expanded(with: environment, file: file, key: "headers.\(header)")
            let field = FetchRequest.Header(header, expanded)
            guard field.isValid else {
                throw ManifestError(file: file, key: "headers.\(header)", problem: "not a valid header name or value")
            }
            headers.append(field)
        }
        let placement: HTTPToolDeclaration.ArgumentPlacement =
            object["arguments"]?.stringValue.flatMap(HTTPToolDeclaration.ArgumentPlacement.init(rawValue:))
            ?? (method == "GET" || method == "DELETE" ? .query : .body)
        let allowEntries = (object["allow"]?.arrayValue ?? []).compactMap(\.stringValue)
        let allowList: AllowList
        do {
            allowList = try AllowList(entries: allowEntries).merging(
                try AllowList(
                    entries: environment[BrowseConfiguration.allowListVariable].map {
                        $0.split(separator: ",").map(String.init)
                    } ?? []
                )
            )
        } catch {
            throw ManifestError(file: file, key: "allow", problem: "\(error)")
        }
        let settings = Self.settings(document)
        var fetchConfiguration = BrowseConfiguration(allowList: allowList)
        if case .integer(let bytes) = object["max_response_bytes"] { fetchConfiguration.maxBodyBytes = Int(bytes) }
        let limits = settings.applied(to: ToolLimits())
        fetchConfiguration.totalTimeout = limits.timeout
        let tool = HTTPTool(
            spec: ToolSpec(name: name, description: object["description"]?.stringValue ?? "", parameters: parameters),
            declaration: HTTPToolDeclaration(
                method: method,
                urlTemplate: url,
                headers: headers,
                placement: placement,
                pathParameters: placeholders
            ),
            fetcher: CurlFetcher(configuration: fetchConfiguration)
        )
        return ToolRegistration(
            tool: tool,
            source: .httpManifest(URL(fileURLWithPath: file).lastPathComponent),
            limits: limits.adding(seconds: 1),
            offeredByDefault: settings.offeredByDefault ?? true
        )
    }

    static func placeholders(in template: String) -> [String] {
        var names: [String] = []
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    // MARK: - MCP servers

    static let mcpSchema: JSONValue = [
        "type": "object",
        "additionalProperties": false,
        "required": ["type", "name"],
        "properties": .object(
            [
                "type": ["const": "mcp"],
                "name": ["type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"],
                "command": ["type": "string", "minLength": 1],
                "args": ["type": "array", "items": ["type": "string"]],
                "env": ["type": "object", "additionalProperties": ["type": "string"]],
                "working_directory": ["type": "string", "minLength": 1],
                "url": ["type": "string", "pattern": "^https?://"],
                "headers": ["type": "object", "additionalProperties": ["type": "string"]],
                "tool_prefix": ["type": "string", "pattern": "^[A-Za-z0-9_-]{0,32}$"],
                "startup_timeout_seconds": ["type": "number", "exclusiveMinimum": 0, "maximum": 600],
            ].merging(PluginManifest.toolSettingsProperties) { first, _ in first }
        ),
    ]

    static func mcpServer(_ document: JSONValue, file: String, environment: [String: String]) throws
        -> MCPServerDeclaration
    {
        try validate(document, against: mcpSchema, file: file)
        let object = document.objectValue ?? [:]
        let endpoint: MCPServerDeclaration.Endpoint
        switch (object["command"]?.stringValue, object["url"]?.stringValue) {
        case (let command?, nil):
            for key in ["headers"] where object[key] != nil {
                throw ManifestError(file: file, key: key, problem: "only for servers reached by 'url'")
            }
            var variables: [String: String] = [:]
            for (name, value) in object["env"]?.objectValue ?? [:] {
                variables[name] = try EnvironmentTemplate(text: value.stringValue ?? "")
                    .expanded(with: environment, file: file, key: "env.\(name)")
            }
            let arguments = (object["args"]?.arrayValue ?? []).compactMap(\.stringValue)
            endpoint = .command(
                command,
                arguments: arguments,
                environment: variables,
                workingDirectory: object["working_directory"]?.stringValue
            )
        case (nil, let url?):
            for key in ["args", "env", "working_directory"] where object[key] != nil {
                throw ManifestError(file: file, key: key, problem: "only for servers started by 'command'")
            }
            guard let endpointURL = URL(string: url) else {
                throw ManifestError(file: file, key: "url", problem: "not a valid URL")
            }
            var headers: [String: String] = [:]
            for (name, value) in object["headers"]?.objectValue ?? [:] {
                headers[name] = try EnvironmentTemplate(text: value.stringValue ?? "")
                    .expanded(with: environment, file: file, key: "headers.\(name)")
            }
            endpoint = .http(endpointURL, headers: headers)
        case (.some, .some):
            throw ManifestError(file: file, key: "url", problem: "give either 'command' or 'url', not both")
        case (nil, nil):
            throw ManifestError(
                file: file, key: "command", problem: "give 'command' (stdio) or 'url' (streamable HTTP)")
        }
        var startupTimeout = Duration.seconds(30)
        switch object["startup_timeout_seconds"] {
        case .integer(let seconds): startupTimeout = .seconds(seconds)
        case .number(let seconds): startupTimeout = .milliseconds(Int64(seconds * 1000))
        default: break
        }
        return MCPServerDeclaration(
            name: object["name"]?.stringValue ?? "",
            endpoint: endpoint,
            toolPrefix: object["tool_prefix"]?.stringValue ?? "",
            startupTimeout: startupTimeout
        )
    }

    /// Starts the server once to list its tools, then hands it to a supervisor that keeps it running.
    static func start(
        _ declaration: MCPServerDeclaration,
        settings: PluginManifest.ToolSettings,
        file: String,
        logger: Logger
    ) async throws -> DeclaredTools {
        let listed: [MCP.Tool]
        do {
            listed = try await listTools(declaration, logger: logger)
        } catch {
            throw ManifestErrors([
                ManifestError(
                    file: file, problem: "could not list the tools of MCP server '\(declaration.name)': \(error)")
            ])
        }
        let connection = MCPServerConnection(name: declaration.name)
        var registrations: [ToolRegistration] = []
        for tool in listed {
            let name = declaration.toolPrefix + tool.name
            guard ChatRules.isValidToolName(name) else {
                throw ManifestErrors([
                    ManifestError(
                        file: file,
                        key: "tool_prefix",
                        problem:
                            "the server's tool '\(tool.name)' would be registered as '\(name)', which is not a valid tool name"
                    )
                ])
            }
            var parameters = tool.inputSchema.jsonValue
            if case .object(var schema) = parameters, schema["type"] == nil {
                schema["type"] = "object"
                parameters = .object(schema)
            }
            registrations.append(
                ToolRegistration(
                    tool: MCPTool(
                        spec: ToolSpec(name: name, description: tool.description ?? tool.name, parameters: parameters),
                        remoteName: tool.name,
                        connection: connection
                    ),
                    source: .mcpServer(declaration.name),
                    limits: settings.applied(to: ToolLimits()),
                    offeredByDefault: settings.offeredByDefault ?? true
                )
            )
        }
        let supervisor = MCPServerSupervisor(declaration: declaration, connection: connection, logger: logger)
        return DeclaredTools(tools: registrations, services: [supervisor])
    }

    /// Every tool the server lists, following its pagination.
    static func listTools(_ declaration: MCPServerDeclaration, logger: Logger) async throws -> [MCP.Tool] {
        let box = ListedTools()
        do {
            _ = try await MCPSession.run(declaration, logger: logger) { client in
                var cursor: String?
                var tools: [MCP.Tool] = []
                repeat {
                    let page = try await client.listTools(cursor: cursor)
                    tools += page.tools
                    cursor = page.nextCursor
                } while cursor != nil && tools.count < 10_000
                await box.set(tools)
                // Stops the probe's process; the supervisor starts the server for good.
                throw ProbeFinished()
            }
        } catch is ProbeFinished {}
        return await box.tools
    }

    private struct ProbeFinished: Error {}

    private actor ListedTools {
        var tools: [MCP.Tool] = []
        func set(_ tools: [MCP.Tool]) { self.tools = tools }
    }

    // MARK: - Shared

    static func validate(_ document: JSONValue, against schema: JSONValue, file: String) throws {
        let violations = (try? AnvilCore.JSONSchema(schema))?.validate(document) ?? []
        guard violations.isEmpty else {
            throw ManifestErrors(ManifestError.violations(violations, file: file, prefix: ""))
        }
    }

    static func settings(_ document: JSONValue) -> PluginManifest.ToolSettings {
        PluginManifest.ToolSettings(object: document.objectValue ?? [:])
    }
}

extension ToolLimits {
    /// These limits with a little more time, so an inner timeout with a clearer message fires first.
    func adding(seconds: Int64) -> ToolLimits {
        ToolLimits(timeout: timeout + .seconds(seconds), maxOutputBytes: maxOutputBytes)
    }
}
