import AnvilCore
import Foundation
import Hummingbird

/// What a streamed run sends, before it becomes an SSE frame.
enum RunStreamEvent: Sendable {
    case messageCreated(ChatMessage)
    case agent(AgentEvent)
}

/// Streams an agent run as server-sent events:
/// `message.created`, `delta`, `tool_call`, `tool_result`, `usage`, `done`, and `error` when the run fails.
///
/// The run and the writer are two child tasks joined by a channel. When the client goes away the write fails or
/// the request is cancelled; either way the group is cancelled, which cancels the run and its upstream request.
/// Whatever was committed before that stays committed.
enum RunStreamer {
    static func stream(
        _ prepared: PreparedRun,
        service: ChatRunService,
        first: [RunStreamEvent],
        chat: Chat?,
        writer: inout any ResponseBodyWriter
    ) async throws {
        for event in first { try await writer.write(try frame(for: event)) }
        let outcome = await StreamPump.run(writer: &writer, frame: frame(for:)) { emit in
            prepared.transcript.observe { message in emit(.messageCreated(message)) }
            return try await service.execute(prepared) { emit(.agent($0)) }
        }
        switch outcome {
        case .success(let run):
            try await writer.write(
                try ServerSentEvents.frame(
                    event: "done",
                    data: DonePayload(
                        usage: UsageRepresentation(run.usage),
                        limitReached: run.limit,
                        model: run.model,
                        messageIDs: prepared.transcript.messages.map(\.id),
                        chatID: chat?.id
                    )
                )
            )
        case .failure(let error) where error is CancellationError:
            throw error
        case .failure(let error):
            let apiError = RunFailure.apiError(for: error)
            try await writer.write(
                try ServerSentEvents.frame(
                    event: "error",
                    data: ErrorPayload(error: apiError.code, message: apiError.message, details: apiError.details)
                )
            )
        }
    }

    static func frame(for event: RunStreamEvent) throws -> ByteBuffer {
        switch event {
        case .messageCreated(let message):
            return try ServerSentEvents.frame(event: "message.created", data: MessageRepresentation(message: message))
        case .agent(let event):
            switch event {
            case .assistantStarted(let round):
                return try ServerSentEvents.frame(event: "round.started", data: ["round": round])
            case .textDelta(let text):
                return try ServerSentEvents.frame(event: "delta", data: ["content": text])
            case .toolCall(let call):
                return try ServerSentEvents.frame(
                    event: "tool_call",
                    data: ["id": call.id, "name": call.name, "arguments": call.arguments]
                )
            case .toolResult(let call, let output):
                return try ServerSentEvents.frame(
                    event: "tool_result",
                    data: ToolResultPayload(
                        toolCallID: call.id,
                        name: call.name,
                        content: output.content,
                        isError: output.isError
                    )
                )
            case .usage(let usage):
                return try ServerSentEvents.frame(event: "usage", data: UsageRepresentation(usage))
            case .limitReached(let limit):
                return try ServerSentEvents.frame(event: "limit_reached", data: ["limit": limit.rawValue])
            }
        }
    }

    struct DonePayload: Encodable {
        var usage: UsageRepresentation
        var limitReached: AgentLimit?
        var model: String
        var messageIDs: [String]
        var chatID: String?

        enum CodingKeys: String, CodingKey {
            case usage, model
            case limitReached = "limit_reached"
            case messageIDs = "message_ids"
            case chatID = "chat_id"
        }
    }

    struct ToolResultPayload: Encodable {
        var toolCallID: String
        var name: String
        var content: String
        var isError: Bool

        enum CodingKeys: String, CodingKey {
            case name, content
            case toolCallID = "tool_call_id"
            case isError = "is_error"
        }
    }

    struct ErrorPayload: Encodable {
        var error: String
        var message: String
        var details: [String: JSONValue]?
    }
}
