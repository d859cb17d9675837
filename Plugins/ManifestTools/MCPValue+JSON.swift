import AnvilCore
import Foundation
import MCP

extension MCP.Value {
    /// The same value in MCP's representation; binary data is never produced from JSON.
    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .integer(let number): self = .int(Int(number))
        case .number(let number): self = .double(number)
        case .string(let text): self = .string(text)
        case .array(let items): self = .array(items.map(MCP.Value.init))
        case .object(let members): self = .object(members.mapValues(MCP.Value.init))
        }
    }

    /// The value as JSON; binary data becomes a base64 string.
    var jsonValue: JSONValue {
        switch self {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .integer(Int64(number))
        case .double(let number): .number(number)
        case .string(let text): .string(text)
        case .data(_, let data): .string(data.base64EncodedString())
        case .array(let items): .array(items.map(\.jsonValue))
        case .object(let members): .object(members.mapValues(\.jsonValue))
        }
    }
}

extension [MCP.Tool.Content] {
    /// The content of a tool result as text for a model: text parts as they are, other parts described.
    var text: String {
        map { part in
            switch part {
            case .text(let text, _, _):
                text
            case .image(_, let mimeType, _, _):
                "[image (\(mimeType)) omitted]"
            case .audio(_, let mimeType, _, _):
                "[audio (\(mimeType)) omitted]"
            case .resource(let resource, _, _):
                resource.text ?? "[resource \(resource.uri) omitted]"
            case .resourceLink(let uri, let name, _, let description, _, _):
                "[\(name)](\(uri))" + (description.map { ": \($0)" } ?? "")
            }
        }
        .joined(separator: "\n")
    }
}
