import AnvilPluginKit
import Hummingbird

/// Applies the configured body size limit. A declared `Content-Length` over the limit is refused at once,
/// before anything is read; chunked bodies are stopped at the limit when they are collected.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = AnvilRequestContext
    let limit: Int

    func handle(
        _ request: Request,
        context: AnvilRequestContext,
        next: (Request, AnvilRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.maxUploadSize = limit
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw APIError.payloadTooLarge(limit: limit)
        }
        return try await next(request, context)
    }
}
