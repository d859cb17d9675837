import Foundation

extension ArgumentExtractor {
    /// Web addresses: `http(s)://` links, and bare domains such as `example.com/docs`, which get `https://`.
    struct URLValue: ValueExtractor {
        let confidence = 0.95

        private static let nameWords: Set<String> = [
            "url", "uri", "link", "href", "website", "site", "homepage", "webpage", "endpoint",
        ]
        private static let formats: Set<String> = ["uri", "url", "iri", "uri-reference", "iri-reference"]

        /// Top-level domains accepted on bare domains. A list rather than "any letters", because file names such
        /// as `notes.md` or `main.py` look just like domains.
        private static let topLevelDomains: Set<String> = [
            "com", "org", "net", "edu", "gov", "mil", "int", "io", "dev", "app", "ai", "co", "me", "tv", "info", "biz",
            "xyz", "tech", "site", "online", "blog", "cloud", "page", "news", "wiki", "gg", "fm", "ly", "to", "so",
            "uk", "de", "fr", "es", "it", "nl", "be", "ch", "at", "se", "no", "dk", "fi", "pl", "pt", "ie", "ru", "jp",
            "cn", "kr", "in", "au", "nz", "ca", "us", "br", "mx", "ar", "za", "eu",
        ]

        func handles(_ parameter: Parameter) -> Bool {
            guard parameter.isText else { return false }
            if let format = parameter.format { return Self.formats.contains(format) }
            return parameter.nameWords.contains { Self.nameWords.contains($0) } || parameter.joinedName.hasSuffix("url")
        }

        func value(for parameter: Parameter, in context: inout Context) -> JSONValue? {
            context.takeFirst(context.urls).map(JSONValue.string)
        }

        /// Every web address in `text`, in order, with bare domains given `https://`.
        static func find(in text: String) -> [Found<String>] {
            let explicit = URLPatterns.explicit
            var found: [Found<String>] = []
            for match in text.matches(of: explicit, ifPossible: text.lowercased().contains("http")) {
                let range = trimmedRange(match.range, in: text)
                let candidate = String(text[range])
                guard let url = URL(string: candidate), url.host?.isEmpty == false else { continue }
                found.append(Found(range: range, value: candidate))
            }

            let bare =
                URLPatterns.bare
            for match in text.matches(of: bare, ifPossible: text.contains(".")) {
                let range = trimmedRange(match.range, in: text)
                guard Self.topLevelDomains.contains(match.output.1.lowercased()),
                    !found.contains(where: { $0.range.overlaps(range) }),
                    !isInsideAddressOrPath(range, in: text)
                else { continue }
                let candidate = "https://" + text[range]
                guard URL(string: candidate) != nil else { continue }
                found.append(Found(range: range, value: candidate))
            }
            return found.sorted { $0.range.lowerBound < $1.range.lowerBound }
        }

        /// Drops sentence punctuation that follows a link ("see example.com.") and an unbalanced closing bracket.
        private static func trimmedRange(_ range: Range<String.Index>, in text: String) -> Range<String.Index> {
            var end = range.upperBound
            while end > range.lowerBound {
                let last = text[text.index(before: end)]
                let span = text[range.lowerBound..<end]
                let unbalanced =
                    (last == ")" && span.filter { $0 == "(" }.count < span.filter { $0 == ")" }.count)
                    || (last == "]" && !span.contains("["))
                guard ".,;:!?'\"}".contains(last) || unbalanced else { break }
                end = text.index(before: end)
            }
            return range.lowerBound..<end
        }

        /// An email address's domain or a file path's segment is not a link of its own.
        private static func isInsideAddressOrPath(_ range: Range<String.Index>, in text: String) -> Bool {
            if range.lowerBound > text.startIndex {
                let before = text[text.index(before: range.lowerBound)]
                if "@./\\:".contains(before) { return true }
            }
            if range.upperBound < text.endIndex, text[range.upperBound] == "@" { return true }
            return false
        }
    }
}

/// The regular expressions of this extractor, built once. A `Regex` compiles its program the first time it is
/// used, which costs far more than matching a short message, so building them on every call made extraction take
/// milliseconds. `Regex` is not marked `Sendable`, but a built one is never mutated and the standard library
/// initialises its compiled program atomically, so sharing these across tasks is safe.
enum URLPatterns {
    nonisolated(unsafe) static let explicit = #/https?://[^\s<>"'“”‘’]+/#.ignoresCase()
    nonisolated(unsafe) static let bare =
        #/
        \b (?: [a-z0-9] (?:[a-z0-9-]{0,61}[a-z0-9])? \. )+ ([a-z]{2,12}) \b
        (?: : \d{1,5} )? (?: / [^\s<>"'“”‘’]* )?
        /#.ignoresCase().wordBoundaryKind(.simple)
}
