import AnvilCore
import Foundation

/// Turns OpenAI chat-completion chunks (`data: {json}` … `data: [DONE]`) into completion events.
///
/// Only choice 0 is followed. Tool-call fragments are passed on with their index and, when present, id and
/// name; joining them (including servers that reuse one index for several calls) is ``CompletionAccumulator``'s
/// job. With `include_usage` the usage arrives in a last chunk whose `choices` is empty.
struct OpenAIStreamDecoder: ServerSentEventDecoder {
    private var sawFinishReason = false

    mutating func decode(
        _ event: ServerSentEvent,
        json: JSONDecoder,
        emit: (CompletionEvent) -> Void
    ) throws -> Bool {
        if event.data == "[DONE]" { return true }
        let chunk: OpenAIWire.Chunk
        do {
            chunk = try json.decode(OpenAIWire.Chunk.self, from: Data(event.data.utf8))
        } catch {
            throw ProviderError.invalidResponse("cannot decode a stream chunk: \(error)")
        }
        if let error = chunk.error {
            throw ProviderError.http(
                status: error.code?.status ?? 500,
                message: error.message ?? "the stream failed",
                type: error.type
            )
        }
        if let choice = chunk.choices?.first(where: { ($0.index ?? 0) == 0 }) {
            if let delta = choice.delta {
                if let text = delta.content?.value, !text.isEmpty { emit(.textDelta(text)) }
                for (position, call) in (delta.toolCalls ?? []).enumerated() {
                    // A few servers leave out `index`; their calls are numbered by position instead.
                    let fragment = ToolCallDelta(
                        index: call.index ?? position,
                        id: call.id,
                        name: call.function?.name,
                        arguments: call.function?.arguments?.text ?? ""
                    )
                    emit(.toolCallDelta(fragment))
                }
            }
            if let reason = OpenAIWire.finishReason(choice.finishReason) {
                sawFinishReason = true
                emit(.finished(reason))
            }
        }
        if let usage = chunk.usage { emit(.usage(usage.tokenUsage)) }
        return false
    }

    func finish(sawEndMarker: Bool) throws {
        // Servers that omit `[DONE]` still say why they stopped; a stream with neither was cut off.
        guard sawEndMarker || sawFinishReason else {
            throw ProviderError.connection("the stream ended before the answer was complete")
        }
    }
}
