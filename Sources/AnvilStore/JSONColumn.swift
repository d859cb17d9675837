import AnvilCore
import Foundation

/// Encodes and decodes the JSON kept in TEXT columns (metadata, tool lists, tool calls), identically on both
/// engines.
enum JSONColumn {
    static func encode<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from text: String?, column: String) throws -> Value? {
        guard let text else { return nil }
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError.corruptData("column \(column) does not hold valid JSON")
        }
    }
}
