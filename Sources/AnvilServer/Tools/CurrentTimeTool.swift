import AnvilCore
import Foundation

/// Tells the current date and time in a time zone: the smallest useful tool, built in so an agent run with a
/// tool call can be tried with no configuration.
struct CurrentTimeTool: Tool {
    let spec = ToolSpec(
        name: "current_time",
        description: "Get the current date and time, optionally in a given IANA time zone such as Europe/Paris.",
        parameters: [
            "type": "object",
            "properties": [
                "timezone": [
                    "type": "string",
                    "description": "An IANA time zone name, e.g. Europe/Paris or America/New_York. Defaults to UTC.",
                ]
            ],
            "additionalProperties": false,
        ]
    )

    let now: @Sendable () -> Date

    init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    func call(arguments: [String: JSONValue], context: ToolContext) async throws -> ToolOutput {
        let name = arguments["timezone"]?.stringValue ?? "UTC"
        guard let zone = TimeZone(identifier: name) else {
            return .error("Unknown time zone '\(name)'. Use an IANA name such as Europe/Paris.")
        }
        let date = now()
        var style = Date.ISO8601FormatStyle(timeZone: zone)
        style = style.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .colon)
        let weekday = date.formatted(
            Date.FormatStyle(timeZone: zone).weekday(.wide).locale(Locale(identifier: "en_US")))
        return ToolOutput(content: "\(date.formatted(style)) (\(weekday), \(name))")
    }
}
