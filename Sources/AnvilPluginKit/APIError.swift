import AnvilCore
import AnvilStore
import Foundation
import HTTPTypes
import Hummingbird

/// The one error shape every endpoint answers with:
/// `{"error": "<machine_code>", "message": "<human text>", "details": {...}}`.
public struct APIError: Error, Sendable, HTTPResponseError {
    public var status: HTTPResponse.Status
    /// A stable machine-readable code clients can branch on.
    public var code: String
    public var message: String
    public var details: [String: JSONValue]?
    public var headers: HTTPFields = [:]

    public init(
        status: HTTPResponse.Status,
        code: String,
        message: String,
        details: [String: JSONValue]? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }

    public static func invalidRequest(_ message: String, details: [String: JSONValue]? = nil) -> APIError {
        APIError(status: .badRequest, code: "invalid_request", message: message, details: details)
    }

    /// A request field failed validation; `field` names it the way the client wrote it.
    public static func invalidField(_ field: String, _ message: String) -> APIError {
        APIError(status: .badRequest, code: "invalid_request", message: message, details: ["field": .string(field)])
    }

    public static func invalidQuery(_ parameter: String, _ message: String) -> APIError {
        APIError(
            status: .badRequest,
            code: "invalid_query_parameter",
            message: message,
            details: ["parameter": .string(parameter)]
        )
    }

    public static func unauthorized(_ message: String = "Authentication required.") -> APIError {
        var error = APIError(status: .unauthorized, code: "unauthorized", message: message)
        error.headers[.wwwAuthenticate] = "Bearer"
        return error
    }

    public static func forbidden(_ message: String) -> APIError {
        APIError(status: .forbidden, code: "forbidden", message: message)
    }

    /// Used for missing resources and for other users' resources alike, so existence never leaks.
    public static func notFound(_ resource: String) -> APIError {
        APIError(status: .notFound, code: "not_found", message: "\(resource) not found.")
    }

    public static func conflict(_ message: String) -> APIError {
        APIError(status: .conflict, code: "conflict", message: message)
    }

    public static func payloadTooLarge(limit: Int) -> APIError {
        APIError(
            status: .contentTooLarge,
            code: "payload_too_large",
            message: "The request body is larger than the \(limit)-byte limit.",
            details: ["limit_bytes": .integer(Int64(limit))]
        )
    }

    public static func serviceUnavailable(_ message: String) -> APIError {
        APIError(status: .serviceUnavailable, code: "service_unavailable", message: message)
    }

    public static let unexpected = APIError(
        status: .internalServerError,
        code: "internal_error",
        message: "The server failed to handle the request. It has been logged."
    )

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = ErrorBody(error: code, message: message, details: details)
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        let data = try APIJSON.encoder.encode(body)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    struct ErrorBody: Encodable {
        var error: String
        var message: String
        var details: [String: JSONValue]?
    }
}
