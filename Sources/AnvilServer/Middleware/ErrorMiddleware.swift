import AnvilPluginKit
import AnvilStore
import Hummingbird
import Logging

/// Turns every error a handler throws into the API's JSON error shape. This is the one place where errors meet
/// HTTP statuses; anything unexpected becomes a logged 500 that reveals nothing internal.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AnvilRequestContext
    let routes: RouteTable

    func handle(
        _ request: Request,
        context: AnvilRequestContext,
        next: (Request, AnvilRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = Self.apiError(for: error, request: request, context: context, routes: routes)
            return try apiError.response(from: request, context: context)
        }
    }

    static func apiError(
        for error: any Error,
        request: Request,
        context: AnvilRequestContext,
        routes: RouteTable
    ) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as HTTPError:
            if error.status == .notFound, let allowed = routes.allowedMethods(for: request.uri.path) {
                var notAllowed = APIError(
                    status: .methodNotAllowed,
                    code: "method_not_allowed",
                    message:
                        "\(request.method) is not allowed on \(request.uri.path); use \(allowed.joined(separator: ", "))."
                )
                notAllowed.headers[.allow] = allowed.joined(separator: ", ")
                return notAllowed
            }
            return apiError(for: error, request: request, context: context)
        case let error as StoreError:
            switch error {
            case .conflict:
                return .conflict("The resource already exists.")
            case .notFound:
                return .notFound("Resource")
            case .unavailable:
                context.logger.error("database unavailable", metadata: ["error": "\(error)"])
                return .serviceUnavailable("The database is unavailable. Try again shortly.")
            case .invalidConfiguration, .corruptData, .database:
                context.logger.error("store error", metadata: ["error": "\(error)"])
                return .unexpected
            }
        default:
            context.logger.error(
                "unhandled error",
                metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"]
            )
            return .unexpected
        }
    }

    /// Hummingbird's own errors: unmatched routes, bodies over the limit, and the like.
    private static func apiError(for error: HTTPError, request: Request, context: AnvilRequestContext) -> APIError {
        switch error.status {
        case .notFound:
            return APIError(
                status: .notFound,
                code: "not_found",
                message: "No route matches \(request.method) \(request.uri.path)."
            )
        case .methodNotAllowed:
            return APIError(
                status: .methodNotAllowed,
                code: "method_not_allowed",
                message: "\(request.method) is not allowed on \(request.uri.path)."
            )
        case .contentTooLarge:
            return .payloadTooLarge(limit: context.maxUploadSize)
        case .unauthorized:
            return .unauthorized(error.body ?? "Authentication required.")
        default:
            if error.status.code >= 500 {
                context.logger.error("server error", metadata: ["error": "\(error)"])
                return .unexpected
            }
            let code = error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            return APIError(
                status: error.status,
                code: error.status == .badRequest ? "invalid_request" : code,
                message: error.body ?? error.status.reasonPhrase
            )
        }
    }
}
