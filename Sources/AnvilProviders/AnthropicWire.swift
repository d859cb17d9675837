import AnvilCore
import Foundation

/// The JSON shapes of Anthropic's Messages API (`/v1/messages`, `/v1/models`).
enum AnthropicWire {
    /// `max_tokens` is required by Anthropic; this is sent when the request leaves it open.
    static let defaultMaxTokens = 4096
    /// The tool a structured-output request forces; its input is the answer. Anthropic has no `response_format`,
    /// and a forced tool with the schema as its input schema is the way its documentation gives for JSON output.
    static let structuredOutputTool = "structured_output"

    // MARK: Requests

    struct MessagesRequest: Encodable {
        var model: String
        var maxTokens: Int
        var system: String?
        var messages: [Message]
        var tools: [Tool]?
        var toolChoice: JSONValue?
        var temperature: Double?
        var stream: Bool?

        enum CodingKeys: String, CodingKey {
            case model, system, messages, tools, temperature, stream
            case maxTokens = "max_tokens"
            case toolChoice = "tool_choice"
        }

        /// System messages are hoisted into `system`; tool results become `tool_result` blocks of a user message,
        /// and consecutive messages of one role are merged so that several results of one turn share a message.
        init(_ request: CompletionRequest, stream: Bool) {
            model = request.model
            maxTokens = request.maxTokens ?? AnthropicWire.defaultMaxTokens
            let systemText = request.messages.filter { $0.role == .system }.map(\.text).filter { !$0.isEmpty }
            system = systemText.isEmpty ? nil : systemText.joined(separator: "\n\n")
            messages = []
            for message in request.messages where message.role != .system {
                let blocks = Block.blocks(of: message)
                guard !blocks.isEmpty else { continue }
                let role = message.role == .assistant ? "assistant" : "user"
                if let last = messages.indices.last, messages[last].role == role {
                    messages[last].content += blocks
                } else {
                    messages.append(Message(role: role, content: blocks))
                }
            }
            if !request.tools.isEmpty {
                tools = request.tools.map {
                    Tool(name: $0.name, description: $0.description, inputSchema: $0.parameters)
                }
                toolChoice =
                    switch request.toolChoice {
                    case .auto: ["type": "auto"]
                    case .none: ["type": "none"]
                    case .required: ["type": "any"]
                    case .named(let name): ["type": "tool", "name": .string(name)]
                    }
            }
            if let schema = request.responseSchema, request.tools.isEmpty, !stream {
                tools = [
                    Tool(
                        name: AnthropicWire.structuredOutputTool,
                        description: "Give the answer as this tool's input, which follows the required JSON Schema.",
                        inputSchema: schema
                    )
                ]
                toolChoice = ["type": "tool", "name": .string(AnthropicWire.structuredOutputTool)]
            }
            temperature = request.temperature
            self.stream = stream ? true : nil
        }
    }

    struct Message: Encodable {
        var role: String
        var content: [Block]
    }

    enum Block: Encodable {
        case text(String)
        case image(ImageSource)
        case toolUse(id: String, name: String, input: JSONValue)
        case toolResult(toolUseID: String, content: String)

        static func blocks(of message: ModelMessage) -> [Block] {
            switch message.role {
            case .tool:
                return [.toolResult(toolUseID: message.toolCallID ?? "", content: message.text)]
            case .system, .user, .assistant:
                // Anthropic rejects empty text blocks.
                var blocks: [Block] = message.content.compactMap { part in
                    switch part {
                    case .text(let text): text.isEmpty ? nil : .text(text)
                    case .imageURL(let url, _): .image(ImageSource(url: url))
                    }
                }
                for call in message.toolCalls {
                    // The arguments are the model's own JSON text; anything else than an object becomes `{}`.
                    let input = JSONValue(jsonText: call.arguments).flatMap { $0.objectValue.map(JSONValue.object) }
                    blocks.append(.toolUse(id: call.id, name: call.name, input: input ?? [:]))
                }
                return blocks
            }
        }

        private enum CodingKeys: String, CodingKey {
            case type, text, source, id, name, input, content
            case toolUseID = "tool_use_id"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .text(let text):
                try container.encode("text", forKey: .type)
                try container.encode(text, forKey: .text)
            case .image(let source):
                try container.encode("image", forKey: .type)
                try container.encode(source, forKey: .source)
            case .toolUse(let id, let name, let input):
                try container.encode("tool_use", forKey: .type)
                try container.encode(id, forKey: .id)
                try container.encode(name, forKey: .name)
                try container.encode(input, forKey: .input)
            case .toolResult(let toolUseID, let content):
                try container.encode("tool_result", forKey: .type)
                try container.encode(toolUseID, forKey: .toolUseID)
                if !content.isEmpty { try container.encode(content, forKey: .content) }
            }
        }
    }

    /// A `data:` URL travels as base64 with its media type; any other URL is passed for Anthropic to fetch.
    enum ImageSource: Encodable {
        case base64(mediaType: String, data: String)
        case url(String)

        init(url: String) {
            if url.hasPrefix("data:"), let comma = url.firstIndex(of: ",") {
                let header = url[url.index(url.startIndex, offsetBy: 5)..<comma]
                if header.hasSuffix(";base64") {
                    self = .base64(
                        mediaType: String(header.dropLast(";base64".count)),
                        data: String(url[url.index(after: comma)...])
                    )
                    return
                }
            }
            self = .url(url)
        }

        private enum CodingKeys: String, CodingKey {
            case type, url, data
            case mediaType = "media_type"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .base64(let mediaType, let data):
                try container.encode("base64", forKey: .type)
                try container.encode(mediaType, forKey: .mediaType)
                try container.encode(data, forKey: .data)
            case .url(let url):
                try container.encode("url", forKey: .type)
                try container.encode(url, forKey: .url)
            }
        }
    }

    struct Tool: Encodable {
        var name: String
        var description: String
        var inputSchema: JSONValue

        enum CodingKeys: String, CodingKey {
            case name, description
            case inputSchema = "input_schema"
        }
    }

    // MARK: Responses

    struct MessageResponse: Decodable {
        var model: String?
        var content: [ContentBlock]?
        var stopReason: String?
        var usage: Usage?

        enum CodingKeys: String, CodingKey {
            case model, content, usage
            case stopReason = "stop_reason"
        }
    }

    struct ContentBlock: Decodable {
        var type: String
        var text: String?
        var id: String?
        var name: String?
        var input: JSONValue?
    }

    struct Usage: Decodable {
        var inputTokens: Int?
        var outputTokens: Int?
        var cacheCreationInputTokens: Int?
        var cacheReadInputTokens: Int?

        enum CodingKeys: String, CodingKey {
            case inputTokens = "input_tokens"
            case outputTokens = "output_tokens"
            case cacheCreationInputTokens = "cache_creation_input_tokens"
            case cacheReadInputTokens = "cache_read_input_tokens"
        }

        /// Anthropic counts cached prompt tokens apart from `input_tokens`; the prompt is all of them.
        var promptTokens: Int? {
            guard inputTokens != nil || cacheCreationInputTokens != nil || cacheReadInputTokens != nil else {
                return nil
            }
            return (inputTokens ?? 0) + (cacheCreationInputTokens ?? 0) + (cacheReadInputTokens ?? 0)
        }
    }

    /// Any event of the stream; which fields are present depends on `type`.
    struct StreamEvent: Decodable {
        struct Delta: Decodable {
            var type: String?
            var text: String?
            var partialJSON: String?
            var stopReason: String?

            enum CodingKeys: String, CodingKey {
                case type, text
                case partialJSON = "partial_json"
                case stopReason = "stop_reason"
            }
        }

        var type: String
        var message: MessageResponse?
        var index: Int?
        var contentBlock: ContentBlock?
        var delta: Delta?
        var usage: Usage?
        var error: ErrorEnvelope.Detail?

        enum CodingKeys: String, CodingKey {
            case type, message, index, delta, usage, error
            case contentBlock = "content_block"
        }
    }

    struct ModelList: Decodable {
        struct Model: Decodable {
            var id: String
        }

        var data: [Model]
        var hasMore: Bool?
        var lastID: String?

        enum CodingKeys: String, CodingKey {
            case data
            case hasMore = "has_more"
            case lastID = "last_id"
        }
    }

    static func finishReason(_ value: String?) -> FinishReason? {
        switch value {
        case nil: nil
        case "max_tokens", "model_context_window_exceeded": .length
        case "tool_use": .toolCalls
        case "refusal": .contentFilter
        default: .stop
        }
    }

    /// The status an in-stream `error` event would have had as a response, so that callers can treat it alike.
    static func status(ofErrorType type: String?) -> Int {
        switch type {
        case "invalid_request_error": 400
        case "authentication_error": 401
        case "permission_error": 403
        case "not_found_error": 404
        case "request_too_large": 413
        case "rate_limit_error": 429
        case "overloaded_error": 529
        default: 500
        }
    }
}
