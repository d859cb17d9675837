import AnvilPluginKit

/// A manifest string that may name environment variables, such as `Bearer ${WEATHER_TOKEN}`: secrets stay in the
/// environment and out of files that are committed.
struct EnvironmentTemplate: Sendable, Hashable {
    let text: String

    /// Replaces each `${NAME}` with the variable's value; `$$` is a literal `$`.
    ///
    /// - Throws: ``ManifestError`` naming `key` when a variable is unset or a reference is malformed, so a missing
    ///   secret stops startup instead of sending an empty credential.
    func expanded(with environment: [String: String], file: String, key: String) throws -> String {
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            guard character == "$", next < text.endIndex else {
                result.append(character)
                index = next
                continue
            }
            if text[next] == "$" {
                result.append("$")
                index = text.index(after: next)
                continue
            }
            guard text[next] == "{", let close = text[next...].firstIndex(of: "}") else {
                result.append(character)
                index = next
                continue
            }
            let name = String(text[text.index(after: next)..<close])
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw ManifestError(
                    file: file, key: key, problem: "'${\(name)}' is not a valid environment variable reference")
            }
            guard let value = environment[name] else {
                throw ManifestError(file: file, key: key, problem: "environment variable \(name) is not set")
            }
            result += value
            index = text.index(after: close)
        }
        return result
    }
}
