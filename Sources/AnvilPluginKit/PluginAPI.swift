import OpenAPIKit

/// A JSON Schema as the OpenAPI document spells it; named apart from AnvilCore's validator of the same name.
public typealias APISchema = OpenAPIKit.JSONSchema

/// The OpenAPI description of a plugin's routes: the operations, the schemas they reference, and the tag they are
/// listed under. The server adds the responses every authenticated operation has (401, 500, 503), and 400 and 413
/// for operations with a body.
public struct PluginAPI {
    public var tag: Tag?
    /// Component schemas by name, referenced from operations with ``APISchema/reference(_:required:)``. Names are
    /// global to the document, so prefix them when they could clash (`Note`, `NotePage`).
    public var schemas: [(name: String, schema: APISchema)]
    public var operations: [Operation]

    public init(tag: Tag? = nil, schemas: [(name: String, schema: APISchema)] = [], operations: [Operation] = []) {
        self.tag = tag
        self.schemas = schemas
        self.operations = operations
    }

    /// A group of operations on the docs page.
    public struct Tag: Sendable {
        public var name: String
        public var description: String

        public init(name: String, description: String) {
            self.name = name
            self.description = description
        }
    }

    /// One route: its method, its path under `/api/v1` in OpenAPI style (`/notes/{id}`), and what it answers.
    public struct Operation {
        public var method: OpenAPI.HttpMethod
        public var path: String
        public var id: String
        public var summary: String
        public var description: String
        public var parameters: [Parameter]
        public var body: Body?
        public var responses: [Response]
        /// Error statuses particular to the operation, such as 404 or 409; each refers to the shared response.
        public var errors: [Int]

        public init(
            _ method: OpenAPI.HttpMethod,
            _ path: String,
            id: String,
            summary: String,
            description: String,
            parameters: [Parameter] = [],
            body: Body? = nil,
            responses: [Response],
            errors: [Int] = []
        ) {
            self.method = method
            self.path = path
            self.id = id
            self.summary = summary
            self.description = description
            self.parameters = parameters
            self.body = body
            self.responses = responses
            self.errors = errors
        }
    }

    /// A path or query parameter.
    public enum Parameter {
        /// The shared `limit` and `offset` of paginated lists.
        case limit, offset
        /// A path segment such as `{id}`; ids are only looked up, so a malformed one is simply not found.
        case path(String, description: String)
        /// A query parameter the server checks, answering 400 when it is malformed.
        case query(String, APISchema, description: String, required: Bool = false)
    }

    /// A request body.
    public enum Body {
        /// A JSON object of the given schema.
        case json(APISchema)
        /// Any of several content types, such as JSON or a multipart upload.
        case content([(OpenAPI.ContentType, APISchema)], description: String)
    }

    /// A successful response.
    public struct Response {
        public var status: Int
        public var description: String
        /// The body's content type and schema; `nil` for an empty body.
        public var content: (OpenAPI.ContentType, APISchema)?

        public init(_ status: Int, _ description: String, json schema: APISchema) {
            self.status = status
            self.description = description
            self.content = (.json, schema)
        }

        public init(_ status: Int, _ description: String, content: (OpenAPI.ContentType, APISchema)? = nil) {
            self.status = status
            self.description = description
            self.content = content
        }
    }
}

extension APISchema {
    /// A reference to the component schema `name`.
    public static func reference(_ name: String, required: Bool = true, description: String? = nil) -> APISchema {
        .reference(.component(named: name), required: required, description: description)
    }
}
