import AnvilPluginKit
import OpenAPIKit

extension APIDocument {
    /// A plugin's operation as a documented endpoint under `/api/v1`, with the responses every authenticated
    /// database-backed operation has.
    static func pluginEndpoint(_ operation: PluginAPI.Operation, tag: PluginAPI.Tag?) -> Endpoint {
        var validates = false
        let parameters: [Either<OpenAPI.Reference<OpenAPI.Parameter>, OpenAPI.Parameter>] = operation.parameters.map {
            parameter in
            switch parameter {
            case .limit:
                validates = true
                return SharedParameter.limit.reference
            case .offset:
                validates = true
                return SharedParameter.offset.reference
            case .path(let name, let description):
                return .b(.path(name: name, schema: .string(minLength: 1), description: description))
            case .query(let name, let schema, let description, let required):
                validates = true
                return .b(.query(name: name, required: required, schema: schema, description: description))
            }
        }
        let requestBody: OpenAPI.Request? = operation.body.map { body in
            switch body {
            case .json(let schema):
                OpenAPI.Request(
                    description: "A JSON object.",
                    content: [.json: .content(OpenAPI.Content(schema: schema))],
                    required: true
                )
            case .content(let contents, let description):
                OpenAPI.Request(
                    description: description,
                    content: OpenAPI.Content.Map(
                        contents.map {
                            (
                                $0.0,
                                Either<OpenAPI.Reference<OpenAPI.Content>, OpenAPI.Content>.content(
                                    OpenAPI.Content(schema: $0.1))
                            )
                        },
                        uniquingKeysWith: { first, _ in first }
                    ),
                    required: true
                )
            }
        }
        let responses = operation.responses.map { response -> (status: Int, response: OpenAPI.Response) in
            guard let (contentType, schema) = response.content else {
                return (response.status, emptyResponse(response.description))
            }
            return (
                response.status,
                OpenAPI.Response(
                    description: response.description,
                    headers: standardHeaders,
                    content: [contentType: .content(OpenAPI.Content(schema: schema))]
                )
            )
        }
        let errors = operation.errors.compactMap { status in
            SharedResponse.allCases.first {
                $0.statusCode == status && $0 != .badModelRequest && $0 != .providerUnavailable
            }
        }
        return endpoint(
            operation.method,
            apiBasePath + operation.path,
            id: operation.id,
            tagName: tag?.name ?? "Plugins",
            summary: operation.summary,
            description: operation.description,
            access: .signedIn,
            usesDatabase: true,
            parameters: parameters,
            validatesParameters: validates,
            requestBody: requestBody,
            responses: responses,
            errors: errors
        )
    }
}
