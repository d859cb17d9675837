import OpenAPIKit

import enum AnvilCore.ChatRules

extension APIDocument {
    /// `ToolController`'s routes.
    static var toolEndpoints: [Endpoint] {
        [
            endpoint(
                .get,
                "\(apiBasePath)/tools",
                id: "listTools",
                tag: .tools,
                summary: "List tools",
                description: """
                    Every tool the agent loop can offer a model: built-in ones and those of plugins, with where each \
                    comes from, its parameter JSON Schema and the limits it runs under. A chat's `tools` field and a \
                    message's `tools` choose among these names.
                    """,
                usesDatabase: false,
                responses: [(200, jsonResponse("All tools.", .toolPage))]
            ),
            endpoint(
                .post,
                "\(apiBasePath)/tools/{name}/invoke",
                id: "invokeTool",
                tag: .tools,
                summary: "Run a tool",
                description: """
                    Runs one tool for the caller with the same rules as in the agent loop: the arguments are \
                    validated against the tool's schema (a 400 `invalid_arguments` lists every violation in \
                    `details.violations`), and the call runs under the tool's timeout and output cap. A tool that \
                    fails while running answers 200 with `is_error: true` and the message the model would read. An \
                    unknown tool is a 404.
                    """,
                usesDatabase: false,
                parameters: [.toolName],
                body: .invokeToolRequest,
                responses: [(200, jsonResponse("What the tool returned.", .toolResult))],
                errors: [.notFound]
            ),
        ]
    }

}

extension APIDocument.Schema {
    static var toolSchema: JSONSchema {
        .object(
            description: "A tool a model can call.",
            properties: [
                "name": .string(description: "The tool's unique name.", pattern: "^[A-Za-z0-9_-]{1,64}$"),
                "description": .string(description: "What the tool does, as the model reads it."),
                "source": .string(
                    description: "Where the tool comes from.",
                    allowedValues: ["builtin", "plugin", "http", "mcp"]
                ),
                "origin": .string(
                    nullable: true,
                    description: "The plugin, manifest or MCP server that contributes it; `null` for built-in tools."
                ),
                "parameters": .object(description: "The JSON Schema of the tool's arguments."),
                "timeout_seconds": .number(
                    description: "Longest a call may run.",
                    minimum: (0, exclusive: true)
                ),
                "max_output_bytes": .integer(
                    description: "Longer output is cut, with a note saying so.",
                    minimum: (1, exclusive: false)
                ),
            ]
        )
    }

    static var invokeToolRequestSchema: JSONSchema {
        .object(
            description: "The arguments to run a tool with.",
            properties: [
                "arguments": .object(
                    required: false,
                    description: "The arguments, matching the tool's `parameters` schema; leave out for none."
                )
            ]
        )
    }

    static var toolResultSchema: JSONSchema {
        .object(
            description: "The result of running a tool.",
            properties: [
                "tool": .string(description: "The tool that ran."),
                "content": .string(description: "What the tool returned, as a model would read it."),
                "is_error": .boolean(description: "Whether `content` describes a failure."),
            ]
        )
    }
}
