import HTTPTypes

/// The paths the API serves and the methods each allows, so that a known path called with the wrong method is
/// answered 405 with an `Allow` header instead of 404. Built from the OpenAPI document's endpoints, which tests
/// keep equal to the registered routes.
struct RouteTable: Sendable {
    private struct Route: Sendable {
        var segments: [Substring]
        var methods: Set<String>
    }

    private let routes: [Route]

    /// - Parameter endpoints: methods (upper case) and OpenAPI-style paths such as `/api/v1/chats/{id}`.
    init(endpoints: [(method: String, path: String)]) {
        var byPath: [String: Set<String>] = [:]
        for endpoint in endpoints { byPath[endpoint.path, default: []].insert(endpoint.method.uppercased()) }
        routes = byPath.map { path, methods in
            Route(segments: path.split(separator: "/"), methods: methods)
        }
    }

    /// The methods allowed on `path`, sorted; `nil` when no route has this path.
    ///
    /// Where a literal segment and a parameter both match (`/documents/search` and `/documents/{id}`), the literal
    /// wins, as it does in the router: the request is served by the literal route or not at all.
    func allowedMethods(for path: String) -> [String]? {
        let segments = path.split(separator: "/")
        let matching = routes.filter { route in
            route.segments.count == segments.count
                && zip(route.segments, segments).allSatisfy { pattern, segment in
                    pattern.hasPrefix("{") || pattern == segment
                }
        }
        guard !matching.isEmpty else { return nil }
        let specificity = { (route: Route) in route.segments.map { $0.hasPrefix("{") ? 0 : 1 } }
        let best = matching.map(specificity).max { $0.lexicographicallyPrecedes($1) } ?? []
        return matching.filter { specificity($0) == best }
            .reduce(into: Set<String>()) { $0.formUnion($1.methods) }.sorted()
    }
}
