import AnvilCore
import Foundation

/// The JSON shapes of OpenAI's chat completions, models and embeddings endpoints, as many servers speak them.
///
/// Requests are written exactly as OpenAI documents them; responses are read leniently (optional fields, text that
/// may come as a string or a list of parts, arguments as a string or an object) because "OpenAI-compatible"
/// servers differ in the details.
enum OpenAIWire {
    // MARK: Requests

    struct ChatRequest: Encodable {
        var model: String
        var messages: [Message]
        var tools: [Tool]?
        var toolChoice: ToolChoiceValue?
        var temperature: Double?
        var maxTokens: Int?
        var responseFormat: ResponseFormat?
        var stream: Bool?
        var streamOptions: StreamOptions?

        enum CodingKeys: String, CodingKey {
            case model, messages, tools, temperature, stream
            case toolChoice = "tool_choice"
            case maxTokens = "max_tokens"
            case responseFormat = "response_format"
            case streamOptions = "stream_options"
        }

        init(_ request: CompletionRequest, stream: Bool) {
            model = request.model
            messages = request.messages.map(Message.init)
            if !request.tools.isEmpty {
                tools = request.tools.map(Tool.init)
                toolChoice = ToolChoiceValue(request.toolChoice)
            }
            temperature = request.temperature
            maxTokens = request.maxTokens
            responseFormat = request.responseSchema.map(ResponseFormat.init)
            if stream {
                self.stream = true
                streamOptions = StreamOptions(includeUsage: true)
            }
        }
    }

    struct StreamOptions: Encodable {
        var includeUsage: Bool

        enum CodingKeys: String, CodingKey {
            case includeUsage = "include_usage"
        }
    }

    struct Message: Encodable {
        var role: MessageRoleName
        var content: Content?
        var toolCalls: [ToolCallValue]
        var toolCallID: String?

        enum CodingKeys: String, CodingKey {
            case role, content
            case toolCalls = "tool_calls"
            case toolCallID = "tool_call_id"
        }

        init(_ message: ModelMessage) {
            role = MessageRoleName(message.role)
            toolCalls = message.toolCalls.map {
                ToolCallValue(
                    id: $0.id, type: "function", function: FunctionCall(name: $0.name, arguments: $0.arguments))
            }
            toolCallID = message.role == .tool ? message.toolCallID : nil
            let hasImages = message.content.contains { if case .imageURL = $0 { true } else { false } }
            if hasImages && message.role == .user {
                content = .parts(message.content.map(Part.init))
            } else if message.content.isEmpty && !toolCalls.isEmpty {
                content = nil
            } else {
                content = .text(message.text)
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(role, forKey: .role)
            // OpenAI documents `content: null` for an assistant message that only calls tools.
            try container.encode(content, forKey: .content)
            if !toolCalls.isEmpty { try container.encode(toolCalls, forKey: .toolCalls) }
            try container.encodeIfPresent(toolCallID, forKey: .toolCallID)
        }
    }

    /// The role as OpenAI spells it; kept apart from ``MessageRole`` so a new core role cannot silently change
    /// what is sent.
    struct MessageRoleName: Encodable {
        var value: String

        init(_ role: MessageRole) {
            switch role {
            case .system: value = "system"
            case .user: value = "user"
            case .assistant: value = "assistant"
            case .tool: value = "tool"
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(value)
        }
    }

    enum Content: Encodable {
        case text(String)
        case parts([Part])

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .parts(let parts): try container.encode(parts)
            }
        }
    }

    enum Part: Encodable {
        case text(String)
        case image(url: String, detail: String?)

        init(_ part: ContentPart) {
            switch part {
            case .text(let text): self = .text(text)
            case .imageURL(let url, let detail): self = .image(url: url, detail: detail)
            }
        }

        private enum CodingKeys: String, CodingKey {
            case type, text
            case imageURL = "image_url"
        }

        private struct ImageURL: Encodable {
            var url: String
            var detail: String?
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .text(let text):
                try container.encode("text", forKey: .type)
                try container.encode(text, forKey: .text)
            case .image(let url, let detail):
                try container.encode("image_url", forKey: .type)
                try container.encode(ImageURL(url: url, detail: detail), forKey: .imageURL)
            }
        }
    }

    struct ToolCallValue: Codable {
        var id: String
        var type: String
        var function: FunctionCall

        init(id: String, type: String, function: FunctionCall) {
            self.id = id
            self.type = type
            self.function = function
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decodeIfPresent(String.self, forKey: .id) ?? ""
            type = try container.decodeIfPresent(String.self, forKey: .type) ?? "function"
            function = try container.decode(FunctionCall.self, forKey: .function)
        }
    }

    struct FunctionCall: Codable {
        var name: String
        var arguments: String

        init(name: String, arguments: String) {
            self.name = name
            self.arguments = arguments
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            arguments = try container.decodeIfPresent(Arguments.self, forKey: .arguments)?.text ?? "{}"
        }
    }

    struct Tool: Encodable {
        struct Function: Encodable {
            var name: String
            var description: String
            var parameters: JSONValue
        }

        var type = "function"
        var function: Function

        init(_ spec: ToolSpec) {
            function = Function(name: spec.name, description: spec.description, parameters: spec.parameters)
        }
    }

    enum ToolChoiceValue: Encodable {
        case mode(String)
        case function(name: String)

        init(_ choice: ToolChoice) {
            switch choice {
            case .auto: self = .mode("auto")
            case .none: self = .mode("none")
            case .required: self = .mode("required")
            case .named(let name): self = .function(name: name)
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .mode(let mode):
                try container.encode(mode)
            case .function(let name):
                let value: JSONValue = ["type": "function", "function": ["name": .string(name)]]
                try container.encode(value)
            }
        }
    }

    struct ResponseFormat: Encodable {
        struct Schema: Encodable {
            var name = "response"
            var schema: JSONValue
            var strict = false
        }

        var type = "json_schema"
        var jsonSchema: Schema

        enum CodingKeys: String, CodingKey {
            case type
            case jsonSchema = "json_schema"
        }

        init(_ schema: JSONValue) {
            jsonSchema = Schema(schema: schema)
        }
    }

    struct EmbeddingRequest: Encodable {
        var model: String
        var input: [String]
        var encodingFormat = "float"

        enum CodingKeys: String, CodingKey {
            case model, input
            case encodingFormat = "encoding_format"
        }
    }

    // MARK: Responses

    struct ChatResponse: Decodable {
        var model: String?
        var choices: [Choice]
        var usage: Usage?
    }

    struct Choice: Decodable {
        var index: Int?
        var message: ResponseMessage?
        var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case index, message
            case finishReason = "finish_reason"
        }
    }

    struct ResponseMessage: Decodable {
        var content: Text?
        var toolCalls: [ToolCallValue]?

        enum CodingKeys: String, CodingKey {
            case content
            case toolCalls = "tool_calls"
        }
    }

    struct Usage: Decodable {
        var promptTokens: Int?
        var completionTokens: Int?

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
        }

        var tokenUsage: TokenUsage {
            TokenUsage(promptTokens: promptTokens ?? 0, completionTokens: completionTokens ?? 0)
        }
    }

    struct Chunk: Decodable {
        var model: String?
        var choices: [ChunkChoice]?
        var usage: Usage?
        var error: StreamError?
    }

    struct ChunkChoice: Decodable {
        var index: Int?
        var delta: Delta?
        var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case index, delta
            case finishReason = "finish_reason"
        }
    }

    struct Delta: Decodable {
        var content: Text?
        var toolCalls: [ToolCallFragment]?

        enum CodingKeys: String, CodingKey {
            case content
            case toolCalls = "tool_calls"
        }
    }

    struct ToolCallFragment: Decodable {
        struct Function: Decodable {
            var name: String?
            var arguments: Arguments?
        }

        var index: Int?
        var id: String?
        var function: Function?
    }

    /// An error some servers send inside the stream (OpenRouter, vLLM) after the 200 head.
    struct StreamError: Decodable {
        var message: String?
        var type: String?
        var code: Code?

        /// `code` is a number on some servers and a string on others.
        struct Code: Decodable {
            var status: Int?

            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                status = (try? container.decode(Int.self)) ?? (try? container.decode(String.self)).flatMap { Int($0) }
            }
        }
    }

    struct ModelList: Decodable {
        struct Model: Decodable {
            var id: String
        }

        var data: [Model]
    }

    struct EmbeddingResponse: Decodable {
        struct Item: Decodable {
            var index: Int?
            var embedding: Vector
        }

        var model: String?
        var data: [Item]
        var usage: Usage?
    }

    /// An embedding as a JSON array of numbers, or as base64 of little-endian float32 values.
    enum Vector: Decodable {
        case floats([Float])
        case base64(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .base64(text)
            } else {
                self = .floats(try container.decode([Float].self))
            }
        }

        func floats() throws(ProviderError) -> [Float] {
            switch self {
            case .floats(let values):
                return values
            case .base64(let text):
                guard let data = Data(base64Encoded: text), data.count % 4 == 0 else {
                    throw ProviderError.invalidResponse("embedding is not base64 of float32 values")
                }
                return data.withUnsafeBytes { bytes in
                    (0..<(bytes.count / 4)).map { position in
                        Float(
                            bitPattern: UInt32(
                                littleEndian: bytes.loadUnaligned(fromByteOffset: position * 4, as: UInt32.self)))
                    }
                }
            }
        }
    }

    /// Message text that is a string on most servers and a list of `{"type": "text", "text"}` parts on some.
    struct Text: Decodable {
        var value: String

        private struct Piece: Decodable {
            var text: String?
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                value = ""
            } else if let text = try? container.decode(String.self) {
                value = text
            } else {
                value = try container.decode([Piece].self).compactMap(\.text).joined()
            }
        }
    }

    /// Tool-call arguments: JSON text as OpenAI sends them, or an object as a few servers do.
    struct Arguments: Decodable {
        var text: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self.text = text
            } else {
                let value = try container.decode(JSONValue.self)
                self.text = value.jsonText
            }
        }
    }

    static func finishReason(_ value: String?) -> FinishReason? {
        switch value {
        case nil: nil
        case "length": .length
        case "tool_calls", "function_call": .toolCalls
        case "content_filter": .contentFilter
        default: .stop
        }
    }
}
