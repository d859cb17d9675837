import Foundation
import Mustache
import OpenAPIKit

/// The `/docs` page: the OpenAPI document rendered as one self-contained HTML page.
///
/// It is built from the document values themselves, never from a second description of the API, so the page and
/// `/openapi.json` cannot disagree. It links no script, stylesheet or font, so it works on a server with no
/// network access.
struct DocsPage {
    let document: OpenAPI.Document

    /// Renders the page. Throws if a schema cannot be encoded or the template does not parse, both programming
    /// errors that surface at startup.
    func render() throws -> String {
        let template = try MustacheTemplate(string: Self.template)
        return template.render(try view())
    }

    // MARK: View model

    // Every field is non-optional: Mustache looks a missing (nil) name up in the enclosing contexts, which would
    // print an operation's description where a parameter has none. Fields named `...HTML` are already escaped by
    // `Self.html(_:)` and go into the template unescaped (`{{{...}}}`); everything else Mustache escapes.

    struct PageView {
        var title: String
        var version: String
        var descriptionHTML: String
        var openAPIVersion: String
        var tags: [TagView]
        var schemas: [SchemaView]
    }

    struct TagView {
        var name: String
        var anchor: String
        var tagDescriptionHTML: String
        var operations: [OperationView]
    }

    struct OperationView {
        var method: String
        var methodClass: String
        var path: String
        var operationID: String
        var summary: String
        var operationDescriptionHTML: String
        var isSecured: Bool
        var securitySchemes: String
        var hasParameters: Bool
        var parameters: [ParameterView]
        var hasRequestBody: Bool
        var requestBody: [BodyView]
        var responses: [ResponseView]
    }

    struct ParameterView {
        var name: String
        var location: String
        var requirement: String
        var parameterDescriptionHTML: String
        var schemaJSON: String
    }

    struct BodyView {
        var contentType: String
        var schemaName: String
        var hasSchemaName: Bool
        var schemaJSON: String
        /// The content's example: a stream's text as it is, anything else as JSON.
        var example: String
        var hasExample: Bool
    }

    struct ResponseView {
        var status: String
        var statusClass: String
        var responseDescriptionHTML: String
        var headers: String
        var hasBody: Bool
        var body: [BodyView]
    }

    struct SchemaView {
        var name: String
        var schemaJSON: String
    }

    private func view() throws -> PageView {
        let components = document.components
        var operationsByTag: [String: [OperationView]] = [:]
        for route in document.routes {
            for endpoint in route.pathItem.endpoints {
                let operation = try operationView(endpoint, path: route.path, components: components)
                for tag in endpoint.operation.tags ?? [] {
                    operationsByTag[tag, default: []].append(operation)
                }
            }
        }
        let tags = (document.tags ?? []).map { tag in
            TagView(
                name: tag.name,
                anchor: Self.anchor(tag.name),
                tagDescriptionHTML: Self.html(tag.description),
                operations: operationsByTag[tag.name] ?? []
            )
        }
        let schemas = try components.schemas.map { key, schema in
            SchemaView(name: key.rawValue, schemaJSON: try Self.prettyJSON(schema))
        }
        return PageView(
            title: document.info.title,
            version: document.info.version,
            descriptionHTML: Self.html(document.info.description),
            openAPIVersion: document.openAPIVersion.rawValue,
            tags: tags,
            schemas: schemas
        )
    }

    private func operationView(
        _ endpoint: OpenAPI.PathItem.Endpoint,
        path: OpenAPI.Path,
        components: OpenAPI.Components
    ) throws -> OperationView {
        let operation = endpoint.operation
        let parameters = try operation.parameters.compactMap { components[$0] }.map { parameter in
            let schema = parameter.schemaOrContent.schemaContextValue?.schema
            return ParameterView(
                name: parameter.name,
                location: parameter.location.rawValue,
                requirement: parameter.required ? "required" : "optional",
                parameterDescriptionHTML: Self.html(parameter.description),
                schemaJSON: try schema.map { try Self.prettyJSON($0) } ?? ""
            )
        }
        var requestBody: [BodyView] = []
        if let request = operation.requestBody.flatMap({ components[$0] }) {
            requestBody = try bodyViews(request.content, components: components)
        }
        let responses = try operation.responses.compactMap { status, either -> ResponseView? in
            guard let response = components[either] else { return nil }
            let body = try bodyViews(response.content, components: components)
            return ResponseView(
                status: status.rawValue,
                statusClass: "status-\(status.rawValue.prefix(1))xx",
                responseDescriptionHTML: Self.html(response.description),
                headers: (response.headers ?? [:]).keys.joined(separator: ", "),
                hasBody: !body.isEmpty,
                body: body
            )
        }
        let schemes = (operation.security ?? []).flatMap { requirement in requirement.keys.compactMap(\.name) }
        return OperationView(
            method: endpoint.method.rawValue,
            methodClass: endpoint.method.rawValue.lowercased(),
            path: path.rawValue,
            operationID: operation.operationId ?? "",
            summary: operation.summary ?? "",
            operationDescriptionHTML: Self.html(operation.description),
            isSecured: !schemes.isEmpty,
            securitySchemes: schemes.joined(separator: " or "),
            hasParameters: !parameters.isEmpty,
            parameters: parameters,
            hasRequestBody: !requestBody.isEmpty,
            requestBody: requestBody,
            responses: responses
        )
    }

    private func bodyViews(_ content: OpenAPI.Content.Map, components: OpenAPI.Components) throws -> [BodyView] {
        try content.compactMap { contentType, either -> BodyView? in
            guard let content = components[either], let schema = content.schema else { return nil }
            let schemaName: String
            if case .reference(let reference, _) = schema.value {
                schemaName = reference.name ?? ""
            } else {
                schemaName = ""
            }
            let example: String
            switch content.example?.value {
            case nil: example = ""
            case let text as String: example = text
            case .some: example = try content.example.map { try Self.prettyJSON($0) } ?? ""
            }
            return BodyView(
                contentType: contentType.rawValue,
                schemaName: schemaName,
                hasSchemaName: !schemaName.isEmpty,
                schemaJSON: try Self.prettyJSON(schema),
                example: example,
                hasExample: !example.isEmpty
            )
        }
    }

    private static func prettyJSON(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Escapes a description for HTML and turns its `code spans` (the one piece of CommonMark the document's
    /// descriptions use) into `<code>` elements.
    static func html(_ text: String?) -> String {
        var escaped = ""
        for character in text ?? "" {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        let spans = escaped.split(separator: "`", omittingEmptySubsequences: false)
        // An unmatched backtick leaves an even number of pieces; keep such text as it was written.
        guard spans.count % 2 == 1 else { return escaped }
        return spans.enumerated().map { index, span in index.isMultiple(of: 2) ? String(span) : "<code>\(span)</code>" }
            .joined()
    }

    private static func anchor(_ name: String) -> String {
        "tag-" + name.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
    }

    // MARK: Template

    private static let template = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} {{version}}</title>
        <style>
        body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d2330; }
        main { max-width: 980px; margin: 0 auto; padding: 1.5rem; }
        h1 { margin-bottom: 0.2rem; }
        h2 { border-bottom: 2px solid #dde2ea; padding-bottom: 0.3rem; margin-top: 2.5rem; }
        h4 { margin: 1rem 0 0.4rem; font-size: 0.9rem; text-transform: uppercase; color: #5a6475; }
        code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
        pre { background: #f5f7fa; border: 1px solid #e3e7ee; border-radius: 4px; padding: 0.6rem; overflow-x: auto; }
        nav a { margin-right: 1rem; } a { color: #2457c5; }
        .operation { border: 1px solid #dde2ea; border-radius: 6px; margin: 1rem 0; padding: 0.8rem 1rem; }
        .operation > header { display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: baseline; }
        .method { font-weight: 700; font-size: 0.8rem; color: #fff; border-radius: 3px; padding: 0.1rem 0.5rem; }
        .get { background: #2f7d4f; } .post { background: #2457c5; } .put { background: #8a5a00; }
        .patch { background: #6b46c1; } .delete { background: #b42318; }
        .path { font-weight: 600; } .summary { color: #3d4656; }
        .lock { font-size: 0.75rem; border: 1px solid #b8c0cc; border-radius: 3px; padding: 0 0.4rem; color: #5a6475; }
        table { border-collapse: collapse; width: 100%; }
        td, th { text-align: left; vertical-align: top; padding: 0.3rem; }
        tr + tr td { border-top: 1px solid #eef1f5; }
        .status { font-weight: 700; } .status-2xx { color: #2f7d4f; } .status-4xx { color: #8a5a00; }
        .status-5xx { color: #b42318; } .muted { color: #5a6475; font-size: 0.85rem; }
        .text { white-space: pre-line; }
        </style>
        </head>
        <body>
        <main>
        <h1>{{title}}</h1>
        <p class="muted">Version {{version}} · OpenAPI {{openAPIVersion}} ·
        <a href="/openapi.json">/openapi.json</a></p>
        <p>{{{descriptionHTML}}}</p>
        <nav>{{#tags}}<a href="#{{anchor}}">{{name}}</a>{{/tags}}<a href="#schemas">Schemas</a></nav>
        {{#tags}}
        <section id="{{anchor}}">
        <h2>{{name}}</h2>
        <p>{{{tagDescriptionHTML}}}</p>
        {{#operations}}
        <article class="operation" id="{{operationID}}">
        <header>
        <span class="method {{methodClass}}">{{method}}</span>
        <code class="path">{{path}}</code>
        <span class="summary">{{summary}}</span>
        {{#isSecured}}<span class="lock" title="Requires a credential">{{securitySchemes}}</span>{{/isSecured}}
        </header>
        <p class="text">{{{operationDescriptionHTML}}}</p>
        <p class="muted">operationId: <code>{{operationID}}</code></p>
        {{#hasParameters}}
        <h4>Parameters</h4>
        <table>
        <tr><th>Name</th><th>In</th><th></th><th>Description</th><th>Schema</th></tr>
        {{#parameters}}
        <tr><td><code>{{name}}</code></td><td>{{location}}</td><td>{{requirement}}</td>
        <td>{{{parameterDescriptionHTML}}}</td><td><pre>{{schemaJSON}}</pre></td></tr>
        {{/parameters}}
        </table>
        {{/hasParameters}}
        {{#hasRequestBody}}
        <h4>Request body</h4>
        {{#requestBody}}
        <p class="muted"><code>{{contentType}}</code>{{#hasSchemaName}} ·
        <a href="#schema-{{schemaName}}">{{schemaName}}</a>{{/hasSchemaName}}</p>
        <pre>{{schemaJSON}}</pre>
        {{/requestBody}}
        {{/hasRequestBody}}
        <h4>Responses</h4>
        <table>
        {{#responses}}
        <tr><td class="status {{statusClass}}">{{status}}</td>
        <td><div class="text">{{{responseDescriptionHTML}}}</div><div class="muted">Headers: {{headers}}</div>
        {{#hasBody}}{{#body}}<div class="muted"><code>{{contentType}}</code>{{#hasSchemaName}} ·
        <a href="#schema-{{schemaName}}">{{schemaName}}</a>{{/hasSchemaName}}</div>
        <pre>{{schemaJSON}}</pre>{{#hasExample}}<div class="muted">Example</div>
        <pre>{{example}}</pre>{{/hasExample}}{{/body}}{{/hasBody}}</td></tr>
        {{/responses}}
        </table>
        </article>
        {{/operations}}
        </section>
        {{/tags}}
        <section id="schemas">
        <h2>Schemas</h2>
        {{#schemas}}
        <h3 id="schema-{{name}}">{{name}}</h3>
        <pre>{{schemaJSON}}</pre>
        {{/schemas}}
        </section>
        </main>
        </body>
        </html>
        """
}
