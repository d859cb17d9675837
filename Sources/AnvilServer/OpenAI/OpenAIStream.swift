import AnvilCore
import AnvilPluginKit
import Foundation
import Hummingbird

/// Writes one completion in OpenAI's formats: a `chat.completion` object, or `chat.completion.chunk` events
/// ending with `data: [DONE]`. The first chunk carries the role, a tool call's first chunk its id and name with
/// empty arguments, later ones argument pieces; with `include_usage` the last chunk has no choices and the usage.
struct OpenAIStream: Sendable {
    let id: String
    let created: Int
    let model: String
    let includeUsage: Bool

    func completion(message: ModelMessage, finishReason: FinishReason, usage: TokenUsage)
        -> JSONResponse<OpenAIWire.ChatCompletion>
    {
        let text = message.text
        return JSONResponse(
            OpenAIWire.ChatCompletion(
                id: id,
                created: created,
                model: model,
                choices: [
                    .init(
                        message: OpenAIWire.ResponseMessage(
                            content: text.isEmpty && !message.toolCalls.isEmpty ? nil : text,
                            toolCalls: message.toolCalls.isEmpty
                                ? nil : message.toolCalls.map(OpenAIWire.WireToolCall.init)
                        ),
                        finishReason: (message.toolCalls.isEmpty ? finishReason : .toolCalls).rawValue
                    )
                ],
                usage: OpenAIWire.Usage(usage)
            )
        )
    }

    /// Relays a provider stream. A failure mid-stream ends the stream with an error event instead of `[DONE]`,
    /// so a client never mistakes a cut answer for a whole one.
    func relay(
        _ upstream: CompletionStream,
        usageRecorder: UsageRecorder,
        writer: inout any ResponseBodyWriter
    ) async throws {
        try await writer.write(chunk(OpenAIWire.Delta(role: "assistant", content: "")))
        let outcome = await StreamPump.run(writer: &writer, frame: chunk(for:)) { emit in
            var accumulator = CompletionAccumulator()
            for try await event in upstream {
                accumulator.add(event)
                if case .textDelta = event { emit(event) }
                if case .toolCallDelta = event { emit(event) }
            }
            return accumulator
        }
        switch outcome {
        case .success(let accumulator):
            let usage = accumulator.usage ?? TokenUsage()
            usageRecorder.record(usage)
            let reason = accumulator.finishReason ?? (accumulator.toolCalls.isEmpty ? .stop : .toolCalls)
            try await finishStream(reason: reason, usage: usage, writer: &writer)
        case .failure(let error) where error is CancellationError:
            throw error
        case .failure(let error):
            try await writeError(error, writer: &writer)
        }
    }

    private func textChunk(_ text: String) throws -> ByteBuffer {
        try chunk(OpenAIWire.Delta(content: text))
    }

    private func chunk(for event: CompletionEvent) throws -> ByteBuffer {
        switch event {
        case .textDelta(let text):
            return try chunk(OpenAIWire.Delta(content: text))
        case .toolCallDelta(let delta):
            let piece = OpenAIWire.ToolCallChunk(
                index: delta.index,
                id: delta.id,
                type: delta.id == nil ? nil : "function",
                function: .init(name: delta.name, arguments: delta.arguments)
            )
            return try chunk(OpenAIWire.Delta(toolCalls: [piece]))
        case .usage, .finished:
            return ByteBuffer()
        }
    }

    /// Streams an agent run with server-side tools: the text of every round as content, then one finish.
    func streamAgentRun(
        _ prepared: PreparedRun,
        service: ChatRunService,
        writer: inout any ResponseBodyWriter
    ) async throws {
        try await writer.write(chunk(OpenAIWire.Delta(role: "assistant", content: "")))
        let outcome = await StreamPump.run(writer: &writer, frame: textChunk(_:)) { emit in
            try await service.execute(prepared) { event in
                if case .textDelta(let text) = event { emit(text) }
            }
        }
        switch outcome {
        case .success(let run):
            try await finishStream(reason: .stop, usage: run.usage, writer: &writer)
        case .failure(let error) where error is CancellationError:
            throw error
        case .failure(let error):
            try await writeError(error, writer: &writer)
        }
    }

    private func finishStream(reason: FinishReason, usage: TokenUsage, writer: inout any ResponseBodyWriter)
        async throws
    {
        try await writer.write(
            try ServerSentEvents.frame(
                event: nil,
                data: OpenAIWire.Chunk(
                    id: id,
                    created: created,
                    model: model,
                    choices: [.init(delta: OpenAIWire.Delta(), finishReason: reason.rawValue)]
                )
            )
        )
        if includeUsage {
            try await writer.write(
                try ServerSentEvents.frame(
                    event: nil,
                    data: OpenAIWire.Chunk(id: id, created: created, model: model, choices: [], usage: .init(usage))
                )
            )
        }
        try await writer.write(ServerSentEvents.frame(data: "[DONE]"))
    }

    private func writeError(_ error: any Error, writer: inout any ResponseBodyWriter) async throws {
        let apiError = RunFailure.apiError(for: error)
        try await writer.write(
            try ServerSentEvents.frame(
                event: "error",
                data: RunStreamer.ErrorPayload(
                    error: apiError.code, message: apiError.message, details: apiError.details)
            )
        )
    }

    private func chunk(_ delta: OpenAIWire.Delta) throws -> ByteBuffer {
        try ServerSentEvents.frame(
            event: nil,
            data: OpenAIWire.Chunk(
                id: id, created: created, model: model, choices: [.init(delta: delta, finishReason: nil)])
        )
    }
}
