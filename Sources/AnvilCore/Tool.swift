import Foundation
import Logging

/// What a tool may know about the call it is running for. Tools touch only the data of `userID`.
public struct ToolContext: Sendable {
    public var userID: String
    public var chatID: String?
    public var logger: Logger

    public init(userID: String, chatID: String? = nil, logger: Logger = Logger(label: "anvil.tool")) {
        self.userID = userID
        self.chatID = chatID
        self.logger = logger
    }
}

/// A tool's answer: text for the model, and whether it describes a failure.
public struct ToolOutput: Sendable, Hashable {
    public var content: String
    public var isError: Bool

    public init(content: String, isError: Bool = false) {
        self.content = content
        self.isError = isError
    }

    public static func error(_ message: String) -> ToolOutput {
        ToolOutput(content: message, isError: true)
    }
}

/// A function the model can call. Arguments arrive already validated against `spec.parameters`.
public protocol Tool: Sendable {
    var spec: ToolSpec { get }
    /// Runs the tool. Thrown errors become error results the model can read, so throw errors that say what went
    /// wrong in words a model can act on.
    func call(arguments: [String: JSONValue], context: ToolContext) async throws -> ToolOutput
}

/// Where a registered tool comes from.
public enum ToolSource: Sendable, Hashable {
    case builtIn
    case plugin(String)
    case httpManifest(String)
    case mcpServer(String)

    /// The kind, as the API shows it.
    public var kind: String {
        switch self {
        case .builtIn: "builtin"
        case .plugin: "plugin"
        case .httpManifest: "http"
        case .mcpServer: "mcp"
        }
    }

    /// The plugin, manifest or server name, when there is one.
    public var origin: String? {
        switch self {
        case .builtIn: nil
        case .plugin(let name), .httpManifest(let name), .mcpServer(let name): name
        }
    }
}

/// The limits every call of one tool runs under.
public struct ToolLimits: Sendable, Hashable {
    public var timeout: Duration
    /// Longer output is cut, with a note saying so.
    public var maxOutputBytes: Int

    public init(timeout: Duration = .seconds(30), maxOutputBytes: Int = 64 * 1024) {
        self.timeout = timeout
        self.maxOutputBytes = maxOutputBytes
    }
}
