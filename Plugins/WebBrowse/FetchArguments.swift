import AnvilCore

/// The arguments both fetch tools take, already validated against `schema` by the runner; read defensively anyway
/// because a tool can be called directly.
struct FetchArguments {
    static let characterRange = 500...50_000

    var url: String
    var maxCharacters: Int

    init(_ arguments: [String: JSONValue], configuration: BrowseConfiguration) throws {
        guard let url = arguments["url"]?.stringValue?.trimmingASCIIWhitespace(), !url.isEmpty else {
            throw BrowseError.unsupportedScheme(url: "")
        }
        self.url = url
        let requested: Int? =
            switch arguments["max_characters"] {
            case .integer(let value): Int(clamping: value)
            // Clamped before converting: Int(Double) traps on values out of Int's range.
            case .number(let value) where value.isFinite: Int(min(max(value, -1e9), 1e9))
            default: nil
            }
        maxCharacters =
            requested.map { min(max($0, Self.characterRange.lowerBound), Self.characterRange.upperBound) }
            ?? max(configuration.maxOutputCharacters, Self.characterRange.lowerBound)
    }

    static func schema(urlDescription: String, defaultCharacters: Int) -> JSONValue {
        [
            "type": "object",
            "properties": [
                "url": ["type": "string", "format": "uri", "description": .string(urlDescription)],
                "max_characters": [
                    "type": "integer",
                    "minimum": .integer(Int64(characterRange.lowerBound)),
                    "maximum": .integer(Int64(characterRange.upperBound)),
                    "description": .string(
                        "The most characters to return (default \(defaultCharacters)). Longer text is cut, saying so."
                    ),
                ],
            ],
            "required": ["url"],
            "additionalProperties": false,
        ]
    }
}
