import AnvilPluginKit
import AnvilStore
import Hummingbird
import Prometheus

/// Operational endpoints: liveness, readiness, metrics and the API description. None needs a credential.
struct OpsController {
    let store: Store
    let registry: PrometheusCollectorRegistry
    let documentation: APIDocumentation

    func addRoutes(to router: Router<AnvilRequestContext>) {
        router.get("health", use: health)
        router.get("ready", use: ready)
        router.get("metrics", use: metrics)
        router.get("openapi.json", use: openAPI)
        router.get("docs", use: docs)
    }

    struct Status: Encodable, Sendable {
        var status: String
        var checks: [String: String]?
    }

    @Sendable func health(_ request: Request, context: AnvilRequestContext) async throws -> JSONResponse<Status> {
        JSONResponse(Status(status: "ok"))
    }

    /// Ready when the database answers; 503 otherwise so a load balancer stops sending traffic.
    @Sendable func ready(_ request: Request, context: AnvilRequestContext) async throws -> JSONResponse<Status> {
        do {
            try await store.ping()
            return JSONResponse(Status(status: "ready", checks: ["database": "ok"]))
        } catch {
            context.logger.warning("readiness check failed", metadata: ["error": "\(error)"])
            return JSONResponse(
                status: .serviceUnavailable,
                Status(status: "unavailable", checks: ["database": "unreachable"])
            )
        }
    }

    @Sendable func metrics(_ request: Request, context: AnvilRequestContext) async throws -> Response {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16_384)
        registry.emit(into: &buffer)
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: buffer))
        )
    }

    @Sendable func openAPI(_ request: Request, context: AnvilRequestContext) async throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: documentation.json)
        )
    }

    @Sendable func docs(_ request: Request, context: AnvilRequestContext) async throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: documentation.html)
        )
    }
}
