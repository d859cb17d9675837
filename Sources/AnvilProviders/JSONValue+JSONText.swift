import AnvilCore
import Foundation

extension JSONValue {
    /// Parses JSON text, such as the arguments a model wrote for a tool call; `nil` when it is not JSON.
    init?(jsonText: String) {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(jsonText.utf8)) else { return nil }
        self = value
    }

    /// Compact JSON text with sorted keys, so the same value always gives the same arguments string.
    var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Only non-finite numbers fail to encode, and JSON text decoded from a provider never contains them.
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
