import AnvilCore
import AnvilPluginKit
import Foundation
import HTTPTypes

/// How failed runs are reported: before the first byte as an HTTP error, after it as an `error` stream event,
/// both with the API's error shape.
enum RunFailure {
    /// The API error for a provider failure: 502 when the provider answered with an error, 503 when it could not
    /// be reached or is rate limiting, 504 when it was too slow, 400 for what the caller can fix.
    static func apiError(for error: any Error) -> APIError {
        let providerError: ProviderError
        switch error {
        case AgentError.providerFailed(let underlying as ProviderError, _, _):
            providerError = underlying
        case let underlying as ProviderError:
            providerError = underlying
        case let error as APIError:
            return error
        default:
            return APIError(
                status: .badGateway,
                code: "provider_error",
                message: "The model provider failed: \(error)"
            )
        }
        switch providerError {
        case .http(let status, let message, let type):
            var details: [String: JSONValue] = ["provider_status": .integer(Int64(status))]
            if let type { details["provider_error_type"] = .string(type) }
            if status == 429 {
                return APIError(
                    status: .serviceUnavailable,
                    code: "provider_rate_limited",
                    message: "The model provider is rate limiting requests: \(message)",
                    details: details
                )
            }
            return APIError(
                status: .badGateway,
                code: "provider_error",
                message: "The model provider answered \(status): \(message)",
                details: details
            )
        case .connection(let reason):
            return APIError(
                status: .serviceUnavailable,
                code: "provider_unavailable",
                message: "The model provider cannot be reached: \(reason)"
            )
        case .timeout:
            return APIError(
                status: .gatewayTimeout,
                code: "provider_timeout",
                message: "The model provider did not answer in time."
            )
        case .invalidResponse(let reason):
            return APIError(
                status: .badGateway,
                code: "provider_error",
                message: "The model provider sent an invalid answer: \(reason)"
            )
        case .unsupported(let what):
            return APIError(status: .badRequest, code: "unsupported", message: "Not supported by this model: \(what).")
        case .unknownModel(let model):
            return APIError(
                status: .badRequest,
                code: "unknown_model",
                message: "Unknown model '\(model)'. List the available models with GET /api/v1/models.",
                details: ["field": "model"]
            )
        case .missingCredentials(let provider):
            return APIError(
                status: .badRequest,
                code: "missing_provider_key",
                message: "No API key is configured for provider '\(provider)'. Set one with PUT "
                    + "/api/v1/auth/provider-keys/\(provider) or in the server's environment.",
                details: ["provider": .string(provider)]
            )
        }
    }
}
