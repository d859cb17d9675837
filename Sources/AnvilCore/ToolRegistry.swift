import Foundation

/// A tool with its compiled argument schema, its origin and its limits.
public struct RegisteredTool: Sendable {
    public let tool: any Tool
    public let schema: JSONSchema
    public let source: ToolSource
    public let limits: ToolLimits
    /// Whether runs that name no tools offer this one.
    public let offeredByDefault: Bool

    public var name: String { tool.spec.name }
    public var spec: ToolSpec { tool.spec }
}

/// A tool to add to a registry, with where it comes from and its limits.
public struct ToolRegistration: Sendable {
    public var tool: any Tool
    public var source: ToolSource
    public var limits: ToolLimits
    /// Whether runs that name no tools offer this one; manifests turn it off for tools only some chats need.
    public var offeredByDefault: Bool

    public init(
        tool: any Tool,
        source: ToolSource,
        limits: ToolLimits = ToolLimits(),
        offeredByDefault: Bool = true
    ) {
        self.tool = tool
        self.source = source
        self.limits = limits
        self.offeredByDefault = offeredByDefault
    }
}

/// Every tool the server knows, by unique name. Built once at startup; read concurrently afterwards.
public struct ToolRegistry: Sendable {
    public private(set) var tools: [String: RegisteredTool] = [:]
    /// Registration order, so listings are stable.
    public private(set) var names: [String] = []

    public init() {}

    /// Adds a tool, compiling its schema. A duplicate name or an invalid schema is an error naming the tool.
    public mutating func register(
        _ tool: any Tool,
        source: ToolSource,
        limits: ToolLimits = ToolLimits(),
        offeredByDefault: Bool = true
    ) throws {
        let name = tool.spec.name
        guard ChatRules.isValidToolName(name) else {
            throw ToolRegistryError.invalidName(name)
        }
        if let existing = tools[name] {
            throw ToolRegistryError.duplicateName(name, existing: existing.source, new: source)
        }
        let schema: JSONSchema
        do {
            schema = try JSONSchema(tool.spec.parameters)
        } catch {
            throw ToolRegistryError.invalidSchema(name, "\(error)")
        }
        tools[name] = RegisteredTool(
            tool: tool,
            schema: schema,
            source: source,
            limits: limits,
            offeredByDefault: offeredByDefault
        )
        names.append(name)
    }

    public mutating func register(_ registration: ToolRegistration) throws {
        try register(
            registration.tool,
            source: registration.source,
            limits: registration.limits,
            offeredByDefault: registration.offeredByDefault
        )
    }

    public subscript(name: String) -> RegisteredTool? { tools[name] }

    /// All tools in registration order.
    public var all: [RegisteredTool] { names.compactMap { tools[$0] } }

    /// The tools runs offer when they name none, in registration order.
    public var defaultNames: [String] { names.filter { tools[$0]?.offeredByDefault == true } }

    /// The named tools, in the order given; unknown names are reported.
    public func select(_ requested: [String]) throws -> [RegisteredTool] {
        try requested.map { name in
            guard let tool = tools[name] else { throw ToolRegistryError.unknownTool(name) }
            return tool
        }
    }
}

public enum ToolRegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidName(String)
    case duplicateName(String, existing: ToolSource, new: ToolSource)
    case invalidSchema(String, String)
    case unknownTool(String)

    public var description: String {
        switch self {
        case .invalidName(let name):
            "tool name '\(name)' must be 1-64 letters, digits, '_' or '-'"
        case .duplicateName(let name, let existing, let new):
            "tool '\(name)' from \(new.kind) \(new.origin ?? "") clashes with the one from \(existing.kind) \(existing.origin ?? "")"
        case .invalidSchema(let name, let reason):
            "tool '\(name)' has an invalid parameter schema: \(reason)"
        case .unknownTool(let name):
            "unknown tool '\(name)'"
        }
    }
}
