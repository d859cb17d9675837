import AnvilCore
import Hummingbird

/// Strict reading of query parameters: a value that is present but malformed is a 400 naming the parameter,
/// never silently replaced by a default.
extension Request {
    public func pageRequest() throws -> PageRequest {
        let query = uri.queryParameters
        let limit = try integerParameter("limit", in: 1...PageRequest.maximumLimit, query: query)
        let offset = try integerParameter("offset", in: 0...Int(Int32.max), query: query)
        return PageRequest(limit: limit ?? PageRequest.defaultLimit, offset: offset ?? 0)
    }

    public func booleanParameter(_ name: String) throws -> Bool? {
        guard let value = uri.queryParameters[Substring(name)] else { return nil }
        switch value.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw APIError.invalidQuery(name, "Query parameter '\(name)' must be true or false.")
        }
    }

    private func integerParameter(_ name: String, in range: ClosedRange<Int>, query: Parameters) throws -> Int? {
        guard let value = query[Substring(name)] else { return nil }
        guard let number = Int(value), range.contains(number) else {
            throw APIError.invalidQuery(
                name,
                "Query parameter '\(name)' must be an integer from \(range.lowerBound) to \(range.upperBound)."
            )
        }
        return number
    }
}

extension AnvilRequestContext {
    /// A path parameter that the route guarantees is present.
    public func pathParameter(_ name: String) throws -> String {
        guard let value = parameters.get(name) else {
            throw APIError.invalidRequest("Missing path parameter '\(name)'.")
        }
        return value
    }
}
