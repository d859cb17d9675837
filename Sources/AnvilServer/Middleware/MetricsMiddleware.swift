import AnvilPluginKit
import Foundation
import Hummingbird
import Prometheus

/// Counts requests by route, method and status, and records their latency, in the server's Prometheus registry.
///
/// The route label is the matched route pattern (`/api/v1/chats/{id}`), never the raw path, so the number of
/// series stays bounded whatever clients send.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = AnvilRequestContext
    let registry: PrometheusCollectorRegistry

    private static var requestsDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "anvil",
            metricName: "http_requests",
            unitName: "total",
            helpText: "HTTP requests handled, by route, method and status."
        )
    }
    private static var durationDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "anvil",
            metricName: "http_request_duration",
            unitName: "seconds",
            helpText: "Time to produce the response head, by route and method."
        )
    }
    private static let buckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30),
    ]

    func handle(
        _ request: Request,
        context: AnvilRequestContext,
        next: (Request, AnvilRequestContext) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let route = context.endpointPath.map(Self.openAPIStyle) ?? "unmatched"
        let method = request.method.rawValue
        registry.makeCounter(
            descriptor: Self.requestsDescriptor,
            labels: [("route", route), ("method", method), ("status", String(response.status.code))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.durationDescriptor,
            labels: [("route", route), ("method", method)],
            buckets: Self.buckets
        ).record(ContinuousClock.now - start)
        return response
    }

    /// `/api/v1/chats/:id` becomes `/api/v1/chats/{id}`, the spelling the OpenAPI document uses.
    static func openAPIStyle(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }.joined(separator: "/")
    }
}
