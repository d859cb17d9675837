import AnvilCore
import AnvilPluginKit
import Foundation
import Hummingbird
import Logging

/// The registered tools: listed with their schemas, and run directly for the caller under the same rules as in
/// the agent loop (schema validation, timeout, output cap).
struct ToolController {
    let tools: ToolRegistry
    let logger: Logger

    func addRoutes(to group: RouterGroup<AnvilRequestContext>) {
        group.get(use: list)
        group.post(":name/invoke", use: invoke)
    }

    struct ToolRepresentation: Encodable, Sendable {
        var name: String
        var description: String
        var source: String
        var origin: String?
        var parameters: JSONValue
        var timeoutSeconds: Double
        var maxOutputBytes: Int

        enum CodingKeys: String, CodingKey {
            case name, description, source, origin, parameters
            case timeoutSeconds = "timeout_seconds"
            case maxOutputBytes = "max_output_bytes"
        }

        init(_ tool: RegisteredTool) {
            name = tool.name
            description = tool.spec.description
            source = tool.source.kind
            origin = tool.source.origin
            parameters = tool.spec.parameters
            let timeout = tool.limits.timeout.components
            timeoutSeconds = Double(timeout.seconds) + Double(timeout.attoseconds) / 1e18
            maxOutputBytes = tool.limits.maxOutputBytes
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(description, forKey: .description)
            try container.encode(source, forKey: .source)
            try container.encode(origin, forKey: .origin)
            try container.encode(parameters, forKey: .parameters)
            try container.encode(timeoutSeconds, forKey: .timeoutSeconds)
            try container.encode(maxOutputBytes, forKey: .maxOutputBytes)
        }
    }

    struct InvokeRequest: Decodable {
        /// May be left out for a tool without required parameters, but not sent as `null`.
        var arguments: [String: JSONValue]?

        enum CodingKeys: String, CodingKey { case arguments }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            arguments = try container.decodeNonNullUpdate([String: JSONValue].self, forKey: .arguments)
        }
    }

    struct InvokeResponse: Encodable, Sendable {
        var tool: String
        var content: String
        var isError: Bool

        enum CodingKeys: String, CodingKey {
            case tool, content
            case isError = "is_error"
        }
    }

    @Sendable func list(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<PageRepresentation<ToolRepresentation>>
    {
        _ = try context.requireUser()
        return JSONResponse(PageRepresentation(Page.whole(tools.all)) { ToolRepresentation($0) })
    }

    /// Runs one tool. Arguments that do not match its schema are a 400 listing every violation; a tool that fails
    /// while running answers 200 with `is_error`, exactly as the model would see it.
    @Sendable func invoke(_ request: Request, context: AnvilRequestContext) async throws
        -> JSONResponse<InvokeResponse>
    {
        let caller = try context.requireUser()
        let name = try context.pathParameter("name")
        guard let tool = tools[name] else { throw APIError.notFound("Tool '\(name.prefix(64))'") }
        let body = try await request.decodeJSON(as: InvokeRequest.self, context: context)
        let arguments = JSONValue.object(body.arguments ?? [:])
        let violations = tool.schema.validate(arguments)
        guard violations.isEmpty else {
            throw APIError(
                status: .badRequest,
                code: "invalid_arguments",
                message: "The arguments do not match the tool's parameter schema.",
                details: [
                    "violations": .array(
                        violations.map { ["path": .string($0.path), "message": .string($0.message)] }
                    )
                ]
            )
        }
        var toolLogger = logger
        toolLogger[metadataKey: "request_id"] = .string(context.requestID)
        let output: ToolOutput
        do {
            output = try await ToolRunner.run(
                tool,
                arguments: body.arguments ?? [:],
                context: ToolContext(userID: caller.id, logger: toolLogger)
            )
        } catch let error as ToolInvocationError {
            output = .error(error.description)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            output = .error("The tool failed: \(error)")
        }
        return JSONResponse(InvokeResponse(tool: tool.name, content: output.content, isError: output.isError))
    }
}
