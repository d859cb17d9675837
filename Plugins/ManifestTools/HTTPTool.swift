import AnvilCore
import Foundation
import WebBrowse

/// A tool that calls an HTTP API described in a manifest (`type: http`): arguments fill the URL template's
/// `{placeholders}`, and the rest go to the query string or a JSON body. The response becomes the tool's result.
struct HTTPTool: Tool {
    let spec: ToolSpec
    let declaration: HTTPToolDeclaration
    let fetcher: CurlFetcher

    func call(arguments: [String: JSONValue], context: ToolContext) async throws -> ToolOutput {
        let request = try declaration.request(for: arguments)
        let result: FetchResult
        do {
            result = try await fetcher.fetch(request)
        } catch let error as BrowseError {
            return .error("The \(spec.name) request failed: \(error.description)")
        }
        var text = String(decoding: result.body, as: UTF8.self)
        if result.isTruncated { text += "\n[The response was cut at \(result.body.count) bytes.]" }
        guard (200..<300).contains(result.status) else {
            let body = text.isEmpty ? "" : "\n\n\(text)"
            return .error("The API answered HTTP \(result.status).\(body)")
        }
        return ToolOutput(content: text.isEmpty ? "(HTTP \(result.status), empty response)" : text)
    }
}

/// The request side of an HTTP tool manifest, checked at startup.
struct HTTPToolDeclaration: Sendable {
    /// Where arguments that are not in the URL's path go.
    enum ArgumentPlacement: String, Sendable {
        case query, body
    }

    let method: String
    /// The URL with `{name}` placeholders, each a property of the parameter schema.
    let urlTemplate: String
    /// Header values with `${VAR}` already replaced from the environment.
    let headers: [FetchRequest.Header]
    let placement: ArgumentPlacement
    /// The placeholders of `urlTemplate`, in order.
    let pathParameters: [String]

    /// The request for one call's (validated) arguments.
    func request(for arguments: [String: JSONValue]) throws -> FetchRequest {
        var url = ""
        var remaining = arguments
        var index = urlTemplate.startIndex
        while index < urlTemplate.endIndex {
            if urlTemplate[index] == "{", let close = urlTemplate[index...].firstIndex(of: "}") {
                let name = String(urlTemplate[urlTemplate.index(after: index)..<close])
                guard let value = remaining.removeValue(forKey: name) else {
                    throw HTTPToolError.missingPathArgument(name)
                }
                url += Self.percentEncoded(Self.plainText(value), allowed: .urlPathAllowed.subtracting(["/"]))
                index = urlTemplate.index(after: close)
            } else {
                url.append(urlTemplate[index])
                index = urlTemplate.index(after: index)
            }
        }
        var headers = self.headers
        var body: [UInt8]?
        if !remaining.isEmpty {
            switch placement {
            case .query:
                let pairs = remaining.sorted { $0.key < $1.key }.flatMap { name, value in
                    Self.queryValues(value).map {
                        Self.percentEncoded(name, allowed: .urlQueryValueAllowed) + "="
                            + Self.percentEncoded($0, allowed: .urlQueryValueAllowed)
                    }
                }
                url += (url.contains("?") ? "&" : "?") + pairs.joined(separator: "&")
            case .body:
                body = Array(JSONValue.object(remaining).compactJSON.utf8)
            }
        }
        if body == nil, placement == .body, method != "GET", method != "HEAD", method != "DELETE" {
            body = Array("{}".utf8)
        }
        if body != nil, !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            headers.append(FetchRequest.Header("Content-Type", "application/json"))
        }
        if !headers.contains(where: { $0.name.lowercased() == "accept" }) {
            headers.append(FetchRequest.Header("Accept", "application/json, text/*;q=0.9, */*;q=0.5"))
        }
        return FetchRequest(url: url, method: method, headers: headers, body: body, returnsErrorResponses: true)
    }

    /// A value as it appears in a URL: strings as they are, other values as JSON.
    static func plainText(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .integer(let number): String(number)
        case .number(let number):
            number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .null: ""
        case .array, .object: value.compactJSON
        }
    }

    /// An array becomes a repeated parameter (`tag=a&tag=b`); anything else one value.
    static func queryValues(_ value: JSONValue) -> [String] {
        if case .array(let items) = value { return items.map(plainText) }
        return [plainText(value)]
    }

    static func percentEncoded(_ text: String, allowed: CharacterSet) -> String {
        text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

extension CharacterSet {
    /// What may appear unescaped in a query value: `&`, `=`, `+` and `#` are escaped so values cannot add
    /// parameters of their own.
    static let urlQueryValueAllowed = CharacterSet.urlQueryAllowed.subtracting(["&", "=", "+", "#", "?"])
}

enum HTTPToolError: Error, CustomStringConvertible {
    case missingPathArgument(String)

    var description: String {
        switch self {
        case .missingPathArgument(let name): "The URL needs a value for '\(name)'."
        }
    }
}

extension JSONValue {
    /// Compact JSON text with sorted keys.
    var compactJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "null"
    }
}
