import AnvilPluginKit
import Foundation
import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    static let requestID = Self("X-Request-Id")!
    static let apiKey = Self("X-API-Key")!
}

/// Gives every request an id, echoed in `X-Request-Id` and attached to its log lines.
///
/// A client-supplied id is kept when it is short and printable, so a request can be traced across services;
/// anything else is replaced.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = AnvilRequestContext

    func handle(
        _ request: Request,
        context: AnvilRequestContext,
        next: (Request, AnvilRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        let requestID = Self.acceptable(request.headers[.requestID]) ?? UUID().uuidString.lowercased()
        context.requestID = requestID
        context.logger[metadataKey: "request_id"] = .string(requestID)
        var response = try await next(request, context)
        response.headers[.requestID] = requestID
        return response
    }

    private static func acceptable(_ value: String?) -> String? {
        guard let value, (1...128).contains(value.utf8.count) else { return nil }
        let allowed = value.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x5F || byte == 0x2E
        }
        return allowed ? value : nil
    }
}
