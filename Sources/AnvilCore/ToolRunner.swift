import Foundation

/// Why a tool call could not run. Each case reads well when handed back to a model as the call's result.
public enum ToolInvocationError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownTool(String, available: [String])
    case malformedArguments(String)
    case invalidArguments([SchemaViolation])
    case timedOut(Duration)

    public var description: String {
        switch self {
        case .unknownTool(let name, let available):
            "Unknown tool '\(name)'. Available tools: \(available.isEmpty ? "none" : available.joined(separator: ", "))."
        case .malformedArguments(let reason):
            "The arguments are not a JSON object: \(reason)."
        case .invalidArguments(let violations):
            "The arguments do not match the tool's schema: "
                + violations.map(\.description).joined(separator: "; ") + "."
        case .timedOut(let limit):
            "The tool did not finish within \(limit.formatted(.units(allowed: [.seconds, .milliseconds])))."
        }
    }
}

/// Runs tool calls under the shared rules: arguments parsed and validated against the schema first, a timeout,
/// and an output cap. Every failure becomes an error result, so the model always gets an answer to its call.
public enum ToolRunner {
    /// Parses and validates `arguments` (JSON text) for `tool`.
    public static func validatedArguments(_ arguments: String, for tool: RegisteredTool) throws -> [String: JSONValue] {
        let text = arguments.trimmingCharacters(in: .whitespacesAndNewlines)
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data((text.isEmpty ? "{}" : text).utf8))
        } catch {
            throw ToolInvocationError.malformedArguments("not valid JSON")
        }
        guard case .object(let object) = value else {
            throw ToolInvocationError.malformedArguments("got \(value.typeName)")
        }
        let violations = tool.schema.validate(value)
        guard violations.isEmpty else { throw ToolInvocationError.invalidArguments(violations) }
        return object
    }

    /// Runs one call and always returns an output: the tool's, or an error result describing what went wrong.
    public static func run(_ call: ToolCall, in tools: [String: RegisteredTool], context: ToolContext) async
        -> ToolOutput
    {
        guard let tool = tools[call.name] else {
            return .error(ToolInvocationError.unknownTool(call.name, available: tools.keys.sorted()).description)
        }
        do {
            let arguments = try validatedArguments(call.arguments, for: tool)
            let output = try await run(tool, arguments: arguments, context: context)
            return output
        } catch let error as ToolInvocationError {
            return .error(error.description)
        } catch is CancellationError {
            return .error("The tool call was cancelled.")
        } catch {
            context.logger.debug("tool failed", metadata: ["tool": "\(call.name)", "error": "\(error)"])
            return .error("The tool failed: \(error)")
        }
    }

    /// Runs `tool` with already validated arguments under its timeout and output cap.
    public static func run(
        _ tool: RegisteredTool,
        arguments: [String: JSONValue],
        context: ToolContext
    ) async throws -> ToolOutput {
        let limits = tool.limits
        let output = try await withThrowingTaskGroup(of: ToolOutput?.self) { group in
            group.addTask { try await tool.tool.call(arguments: arguments, context: context) }
            group.addTask {
                try await Task.sleep(for: limits.timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let output = first else {
                throw ToolInvocationError.timedOut(limits.timeout)
            }
            return output
        }
        return capped(output, maxBytes: limits.maxOutputBytes)
    }

    /// Cuts output longer than `maxBytes` on a character boundary and says how much was kept.
    public static func capped(_ output: ToolOutput, maxBytes: Int) -> ToolOutput {
        let total = output.content.utf8.count
        guard total > maxBytes else { return output }
        let scalars = output.content.unicodeScalars
        var end = scalars.startIndex
        var used = 0
        while end < scalars.endIndex {
            let width = UTF8.width(scalars[end])
            if used + width > maxBytes { break }
            used += width
            end = scalars.index(after: end)
        }
        let kept = String(scalars[..<end])
        return ToolOutput(
            content: kept + "\n[output truncated: \(kept.utf8.count) of \(total) bytes shown]",
            isError: output.isError
        )
    }
}
