import AnvilCore
import Foundation
import Hummingbird

/// The JSON coders of the API: ISO 8601 timestamps with milliseconds, built once and shared.
///
/// Keys are spelled out in each type's `CodingKeys` rather than converted by a key strategy, because a strategy
/// would also rewrite the keys of user-supplied dictionaries such as chat metadata.
public enum APIJSON {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(timestampStyle))
        }
        return encoder
    }()

    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? timestampStyle.parse(text) { return date }
            if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "Expected an ISO 8601 date-time such as 2026-01-31T12:00:00Z."
            )
        }
        return decoder
    }()

    public static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Decodes a request body, turning every way it can be wrong into a 400 that says where.
    public static func decode<Value: Decodable>(_ type: Value.Type, from buffer: ByteBuffer) throws -> Value {
        guard buffer.readableBytes > 0 else {
            throw APIError.invalidRequest("The request body must be a JSON object.")
        }
        do {
            return try decoder.decode(type, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw APIError.invalidRequest(describe(error), details: location(of: error))
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.invalidRequest("The request body is not valid JSON.")
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
            .joined(separator: ".")
            .replacingOccurrences(of: ".[", with: "[")
    }

    private static func location(of error: DecodingError) -> [String: JSONValue]? {
        let codingPath: [any CodingKey]
        switch error {
        case .keyNotFound(let key, let context): codingPath = context.codingPath + [key]
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            codingPath = context.codingPath
        @unknown default: return nil
        }
        return codingPath.isEmpty ? nil : ["field": .string(path(codingPath))]
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return "Missing required field '\(field)'."
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            let expected = jsonTypeName(type)
            return field.isEmpty
                ? "The request body must be a JSON object." : "Field '\(field)' must be \(expected)."
        case .valueNotFound(let type, let context):
            return "Field '\(path(context.codingPath))' must be \(jsonTypeName(type)), not null."
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "The request body is not valid JSON." }
            return "Field '\(path(context.codingPath))' is invalid: \(context.debugDescription)"
        @unknown default:
            return "The request body is invalid."
        }
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt8.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        default: "of the documented type"
        }
    }
}

extension Request {
    /// Collects the body (up to the context's limit) and decodes it as JSON with ``APIJSON``.
    public func decodeJSON<Value: Decodable>(as type: Value.Type, context: AnvilRequestContext) async throws -> Value {
        var request = self
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.payloadTooLarge(limit: context.maxUploadSize)
        }
        return try APIJSON.decode(type, from: buffer)
    }
}

/// A response body encoded with ``APIJSON`` and a status.
public struct JSONResponse<Body: Encodable & Sendable>: ResponseGenerator {
    public var status: HTTPResponse.Status = .ok
    public var body: Body

    public init(status: HTTPResponse.Status = .ok, _ body: Body) {
        self.status = status
        self.body = body
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try APIJSON.encoder.encode(body)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
