import AnvilCore
import Foundation

/// Turns Anthropic's stream (`message_start`, `content_block_*`, `message_delta`, `message_stop`, `ping`,
/// `error`) into completion events.
///
/// Content blocks are numbered across text and tool use; tool calls get their own dense numbering so that
/// ``ToolCallDelta/index`` counts calls, as it does for OpenAI. The `input_json_delta` pieces of each block are
/// passed on as argument fragments and also kept, so a block whose input came whole in `content_block_start`
/// (as some Anthropic-compatible servers send it) still yields its arguments at `content_block_stop`.
struct AnthropicStreamDecoder: ServerSentEventDecoder {
    private struct ToolBlock {
        var call: Int
        var startInput: JSONValue?
        var arguments = ""
    }

    private var toolBlocks: [Int: ToolBlock] = [:]
    private var callCount = 0
    private var usage = TokenUsage()
    private var sawStopReason = false

    mutating func decode(
        _ event: ServerSentEvent,
        json: JSONDecoder,
        emit: (CompletionEvent) -> Void
    ) throws -> Bool {
        let message: AnthropicWire.StreamEvent
        do {
            message = try json.decode(AnthropicWire.StreamEvent.self, from: Data(event.data.utf8))
        } catch {
            throw ProviderError.invalidResponse("cannot decode a stream event: \(error)")
        }
        switch message.type {
        case "message_start":
            if let start = message.message?.usage {
                usage.promptTokens = start.promptTokens ?? 0
                usage.completionTokens = start.outputTokens ?? 0
            }
        case "content_block_start":
            guard let index = message.index, let block = message.contentBlock else { break }
            if block.type == "tool_use" {
                let call = callCount
                callCount += 1
                toolBlocks[index] = ToolBlock(call: call, startInput: block.input)
                emit(.toolCallDelta(ToolCallDelta(index: call, id: block.id, name: block.name, arguments: "")))
            } else if block.type == "text", let text = block.text, !text.isEmpty {
                emit(.textDelta(text))
            }
        case "content_block_delta":
            guard let delta = message.delta else { break }
            switch delta.type {
            case "text_delta":
                if let text = delta.text, !text.isEmpty { emit(.textDelta(text)) }
            case "input_json_delta":
                guard let index = message.index, var block = toolBlocks[index],
                    let piece = delta.partialJSON, !piece.isEmpty
                else { break }
                block.arguments += piece
                toolBlocks[index] = block
                emit(.toolCallDelta(ToolCallDelta(index: block.call, arguments: piece)))
            default:
                // Thinking, signatures and citations are not part of the answer Anvil keeps.
                break
            }
        case "content_block_stop":
            guard let index = message.index, let block = toolBlocks.removeValue(forKey: index) else { break }
            if block.arguments.isEmpty, let input = block.startInput, input.objectValue?.isEmpty == false {
                emit(.toolCallDelta(ToolCallDelta(index: block.call, arguments: input.jsonText)))
            }
        case "message_delta":
            if let delivered = message.usage {
                if let prompt = delivered.promptTokens { usage.promptTokens = prompt }
                if let output = delivered.outputTokens { usage.completionTokens = output }
                emit(.usage(usage))
            }
            if let reason = AnthropicWire.finishReason(message.delta?.stopReason) {
                sawStopReason = true
                emit(.finished(reason))
            }
        case "message_stop":
            return true
        case "error":
            let error = message.error
            throw ProviderError.http(
                status: AnthropicWire.status(ofErrorType: error?.type),
                message: error?.message ?? "the stream failed",
                type: error?.type
            )
        default:
            // `ping`, and event types added later, which Anthropic asks clients to ignore.
            break
        }
        return false
    }

    func finish(sawEndMarker: Bool) throws {
        guard sawEndMarker || sawStopReason else {
            throw ProviderError.connection("the stream ended before the answer was complete")
        }
    }
}
