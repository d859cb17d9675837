import AnvilCore
import AnvilPluginKit
import Foundation

/// The request and response shapes of OpenAI's chat completions API, as clients such as the official SDKs send
/// and expect them. Fields Anvil does not use are accepted and ignored.
enum OpenAIWire {
    struct ChatRequest: Decodable {
        var model: String
        var messages: [Message]
        var tools: [ToolDefinition]?
        var toolChoice: ToolChoiceValue?
        var temperature: Double?
        var maxTokens: Int?
        var maxCompletionTokens: Int?
        var stream: Bool?
        var streamOptions: StreamOptions?
        var n: Int?
        var responseFormat: JSONValue?
        /// Anvil's own server-side tools to run for this request, by name.
        var anvilTools: [String]?

        enum CodingKeys: String, CodingKey {
            case model, messages, tools, temperature, stream, n
            case toolChoice = "tool_choice"
            case maxTokens = "max_tokens"
            case maxCompletionTokens = "max_completion_tokens"
            case streamOptions = "stream_options"
            case responseFormat = "response_format"
            case anvilTools = "anvil_tools"
        }
    }

    struct StreamOptions: Decodable {
        var includeUsage: Bool?

        enum CodingKeys: String, CodingKey {
            case includeUsage = "include_usage"
        }
    }

    struct ToolDefinition: Decodable {
        var type: String
        var function: Function

        struct Function: Decodable {
            var name: String
            var description: String?
            var parameters: JSONValue?
        }
    }

    /// `"auto"`, `"none"`, `"required"` or `{"type": "function", "function": {"name": ...}}`.
    struct ToolChoiceValue: Decodable {
        var choice: ToolChoice

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                switch text {
                case "auto": choice = .auto
                case "none": choice = .none
                case "required": choice = .required
                default:
                    throw DecodingError.dataCorruptedError(
                        in: container,
                        debugDescription: "expected auto, none, required or a function"
                    )
                }
            } else {
                let named = try container.decode(Named.self)
                choice = .named(named.function.name)
            }
        }

        struct Named: Decodable {
            var function: Function
            struct Function: Decodable { var name: String }
        }
    }

    /// A message in OpenAI's format; `content` is a string or an array of typed parts.
    struct Message: Decodable {
        var role: String
        var content: [ContentPart]?
        var name: String?
        var toolCalls: [WireToolCall]?
        var toolCallID: String?

        enum CodingKeys: String, CodingKey {
            case role, content, name
            case toolCalls = "tool_calls"
            case toolCallID = "tool_call_id"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            role = try container.decode(String.self, forKey: .role)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            toolCalls = try container.decodeIfPresent([WireToolCall].self, forKey: .toolCalls)
            toolCallID = try container.decodeIfPresent(String.self, forKey: .toolCallID)
            let contentIsAbsent = try !container.contains(.content) || container.decodeNil(forKey: .content)
            if contentIsAbsent {
                content = nil
            } else if let text = try? container.decode(String.self, forKey: .content) {
                content = [.text(text)]
            } else {
                content = try container.decode([WirePart].self, forKey: .content).map(\.part)
            }
        }

        func modelMessage() throws -> ModelMessage {
            guard let role = MessageRole(rawValue: role == "developer" ? "system" : role) else {
                throw APIError.invalidField("messages", "Unknown message role '\(role)'.")
            }
            if role == .tool, toolCallID == nil {
                throw APIError.invalidField("messages", "A tool message needs tool_call_id.")
            }
            return ModelMessage(
                role: role,
                content: content ?? [],
                toolCalls: (toolCalls ?? []).map {
                    ToolCall(id: $0.id, name: $0.function.name, arguments: $0.function.arguments)
                },
                toolCallID: toolCallID,
                name: name
            )
        }
    }

    struct WirePart: Decodable {
        var part: ContentPart

        enum CodingKeys: String, CodingKey {
            case type, text
            case imageURL = "image_url"
        }

        struct ImageURL: Decodable {
            var url: String
            var detail: String?
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let type = try container.decode(String.self, forKey: .type)
            switch type {
            case "text":
                part = .text(try container.decode(String.self, forKey: .text))
            case "image_url":
                let image = try container.decode(ImageURL.self, forKey: .imageURL)
                part = .imageURL(url: image.url, detail: image.detail)
            default:
                throw DecodingError.dataCorruptedError(
                    forKey: .type,
                    in: container,
                    debugDescription: "unsupported content part type '\(type)'"
                )
            }
        }
    }

    struct WireToolCall: Codable, Sendable {
        var id: String
        var type: String = "function"
        var function: Function

        struct Function: Codable, Sendable {
            var name: String
            var arguments: String
        }

        init(_ call: ToolCall) {
            id = call.id
            function = Function(name: call.name, arguments: call.arguments)
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            type = try container.decodeIfPresent(String.self, forKey: .type) ?? "function"
            function = try container.decode(Function.self, forKey: .function)
        }

        enum CodingKeys: String, CodingKey { case id, type, function }
    }

    // MARK: Responses

    struct ChatCompletion: Encodable, Sendable {
        var id: String
        var object = "chat.completion"
        var created: Int
        var model: String
        var choices: [Choice]
        var usage: Usage
        var systemFingerprint: String? = nil

        struct Choice: Encodable, Sendable {
            var index = 0
            var message: ResponseMessage
            var logprobs: JSONValue? = nil
            var finishReason: String

            enum CodingKeys: String, CodingKey {
                case index, message, logprobs
                case finishReason = "finish_reason"
            }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(index, forKey: .index)
                try container.encode(message, forKey: .message)
                try container.encodeNil(forKey: .logprobs)
                try container.encode(finishReason, forKey: .finishReason)
            }
        }

        enum CodingKeys: String, CodingKey {
            case id, object, created, model, choices, usage
            case systemFingerprint = "system_fingerprint"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(object, forKey: .object)
            try container.encode(created, forKey: .created)
            try container.encode(model, forKey: .model)
            try container.encode(choices, forKey: .choices)
            try container.encode(usage, forKey: .usage)
            try container.encode(systemFingerprint, forKey: .systemFingerprint)
        }
    }

    struct ResponseMessage: Encodable, Sendable {
        var role = "assistant"
        var content: String?
        var toolCalls: [WireToolCall]?
        var refusal: String? = nil

        enum CodingKeys: String, CodingKey {
            case role, content, refusal
            case toolCalls = "tool_calls"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(role, forKey: .role)
            try container.encode(content, forKey: .content)
            try container.encodeIfPresent(toolCalls, forKey: .toolCalls)
            try container.encode(refusal, forKey: .refusal)
        }
    }

    /// OpenAI's usage object has the same keys as Anvil's.
    typealias Usage = UsageRepresentation

    /// One `chat.completion.chunk`.
    struct Chunk: Encodable, Sendable {
        var id: String
        var object = "chat.completion.chunk"
        var created: Int
        var model: String
        var choices: [ChunkChoice]
        var usage: Usage?

        enum CodingKeys: String, CodingKey { case id, object, created, model, choices, usage }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(object, forKey: .object)
            try container.encode(created, forKey: .created)
            try container.encode(model, forKey: .model)
            try container.encode(choices, forKey: .choices)
            try container.encodeIfPresent(usage, forKey: .usage)
        }
    }

    struct ChunkChoice: Encodable, Sendable {
        var index = 0
        var delta: Delta
        var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case index, delta, logprobs
            case finishReason = "finish_reason"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(delta, forKey: .delta)
            try container.encodeNil(forKey: .logprobs)
            try container.encode(finishReason, forKey: .finishReason)
        }
    }

    struct Delta: Encodable, Sendable {
        var role: String?
        var content: String?
        var toolCalls: [ToolCallChunk]?

        enum CodingKeys: String, CodingKey {
            case role, content
            case toolCalls = "tool_calls"
        }
    }

    struct ToolCallChunk: Encodable, Sendable {
        var index: Int
        var id: String?
        var type: String?
        var function: FunctionChunk

        struct FunctionChunk: Encodable, Sendable {
            var name: String?
            var arguments: String
        }
    }

    struct ModelList: Encodable, Sendable {
        var object = "list"
        var data: [ModelEntry]
    }

    struct ModelEntry: Encodable, Sendable {
        var id: String
        var object = "model"
        var created: Int
        var ownedBy: String

        enum CodingKeys: String, CodingKey {
            case id, object, created
            case ownedBy = "owned_by"
        }
    }

    struct EmbeddingRequest: Decodable {
        var model: String
        var input: [String]
        var encodingFormat: String?

        enum CodingKeys: String, CodingKey {
            case model, input
            case encodingFormat = "encoding_format"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            model = try container.decode(String.self, forKey: .model)
            encodingFormat = try container.decodeIfPresent(String.self, forKey: .encodingFormat)
            if let single = try? container.decode(String.self, forKey: .input) {
                input = [single]
            } else {
                input = try container.decode([String].self, forKey: .input)
            }
        }
    }

    struct EmbeddingList: Encodable, Sendable {
        var object = "list"
        var data: [Embedding]
        var model: String
        var usage: EmbeddingUsage
    }

    struct Embedding: Encodable, Sendable {
        var object = "embedding"
        var index: Int
        var embedding: EmbeddingValue
    }

    /// Floats, or base64 of little-endian float32s when the client asks for `encoding_format: base64`.
    enum EmbeddingValue: Encodable, Sendable {
        case floats([Float])
        case base64(String)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .floats(let values): try container.encode(values)
            case .base64(let text): try container.encode(text)
            }
        }
    }

    struct EmbeddingUsage: Encodable, Sendable {
        var promptTokens: Int
        var totalTokens: Int

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case totalTokens = "total_tokens"
        }
    }
}
