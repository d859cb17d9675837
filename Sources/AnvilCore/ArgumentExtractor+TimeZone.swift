import Foundation

extension ArgumentExtractor {
    /// IANA time zone names for properties named like `timezone`, `time_zone` or `tz`: written out
    /// ("Europe/Paris", in any case), `UTC`/`GMT`, or a zone's city ("in New York" gives `America/New_York`).
    struct TimeZoneValue: ValueExtractor {
        let confidence = 0.9

        /// The regions whose zones are named after a city people would say.
        private static let cityRegions: Set<String> = [
            "africa", "america", "antarctica", "asia", "atlantic", "australia", "europe", "indian", "pacific",
        ]

        func handles(_ parameter: Parameter) -> Bool {
            guard parameter.isText else { return false }
            return parameter.joinedName.contains("timezone") || parameter.nameWords.contains("tz")
                || parameter.nameWords == ["zone"] || parameter.format == "timezone"
        }

        func value(for parameter: Parameter, in context: inout Context) -> JSONValue? {
            let text = context.text
            let identifiers = TimeZone.knownTimeZoneIdentifiers
            let byLowercasedName = Dictionary(identifiers.map { ($0.lowercased(), $0) }) { first, _ in first }
            var found: [Found<String>] = []

            for match in text.matches(of: TimeZonePatterns.identifier) {
                if let identifier = byLowercasedName[match.output.lowercased()] {
                    found.append(Found(range: match.range, value: identifier))
                }
            }
            for match in text.matches(of: TimeZonePatterns.utc)
            where !found.contains(where: { $0.range.overlaps(match.range) }) {
                found.append(Found(range: match.range, value: match.output.1.uppercased()))
            }

            var byCity: [String: String] = [:]
            for identifier in identifiers {
                let parts = identifier.split(separator: "/")
                guard parts.count >= 2, let city = parts.last, Self.cityRegions.contains(parts[0].lowercased()) else {
                    continue
                }
                let name = city.replacingOccurrences(of: "_", with: " ").lowercased()
                if byCity[name] == nil { byCity[name] = identifier }
            }
            let words = text.matches(of: TimeZonePatterns.word).map(\.range)
            for start in words.indices {
                // Longest first, so "New York" wins over a zone named "York".
                for width in stride(from: min(3, words.count - start), through: 1, by: -1) {
                    let range = words[start].lowerBound..<words[start + width - 1].upperBound
                    let name = text[range].split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
                    guard let identifier = byCity[name], !found.contains(where: { $0.range.overlaps(range) }) else {
                        continue
                    }
                    found.append(Found(range: range, value: identifier))
                    break
                }
            }
            return context.takeFirst(found).map(JSONValue.string)
        }
    }
}

/// The regular expressions of this extractor, built once. A `Regex` compiles its program the first time it is
/// used, which costs far more than matching a short message, so building them on every call made extraction take
/// milliseconds. `Regex` is not marked `Sendable`, but a built one is never mutated and the standard library
/// initialises its compiled program atomically, so sharing these across tasks is safe.
enum TimeZonePatterns {
    nonisolated(unsafe) static let identifier = #/[A-Za-z]+(?:/[A-Za-z0-9_+\-]+)+/#
    nonisolated(unsafe) static let utc = #/\b(UTC|GMT)\b/#.ignoresCase().wordBoundaryKind(.simple)
    nonisolated(unsafe) static let word = #/[A-Za-z]+(?:['\-][A-Za-z]+)*/#
}
