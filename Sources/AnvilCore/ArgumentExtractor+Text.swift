import Foundation

extension ArgumentExtractor {
    /// Free text: quoted text ("…", '…', “…”, ‘…’) when there is some; else, for a property named like `query` or
    /// `content`, the message without its request phrase ("search the web for swift" gives "swift"); else, for a
    /// required property, the whole message.
    struct TextValue: ValueExtractor {
        let confidence = 0.9

        /// Names of properties that hold what the message is about rather than the message itself.
        private static let subjectNames: Set<String> = [
            "query", "q", "text", "content", "message", "topic", "prompt", "question", "keywords", "keyword",
            "search", "term", "terms", "body", "input",
        ]

        func handles(_ parameter: Parameter) -> Bool {
            parameter.isText
        }

        func value(for parameter: Parameter, in context: inout Context) -> JSONValue? {
            if let quoted = context.takeFirst(Self.quotations(in: context.text)) { return .string(quoted) }
            if let labelled = context.takeFirst(Self.labelledValues(for: parameter, in: context.text)) {
                context.confidence = 0.95
                return .string(labelled)
            }
            if parameter.nameWords.contains(where: Self.placeNames.contains),
                let place = context.takeFirst(Self.places(in: context.text))
            {
                context.confidence = 0.7
                return .string(place)
            }
            // What is left of the message is a fair guess for a tool's one free-text argument, not for a form field.
            guard context.fillsTextWithWholeMessage else { return nil }
            if parameter.nameWords.contains(where: Self.subjectNames.contains) {
                let subject = Self.strippingRequest(from: context.unusedText)
                context.confidence = 0.6
                return subject.isEmpty ? nil : .string(subject)
            }
            guard parameter.isRequired else { return nil }
            let message = context.text.trimmingCharacters(in: .whitespacesAndNewlines)
            context.confidence = 0.4
            return message.isEmpty ? nil : .string(message)
        }

        /// Names of properties that hold a place, which people write capitalised after a preposition.
        private static let placeNames: Set<String> = [
            "city", "town", "place", "location", "destination", "country", "origin", "venue", "region", "area",
            "neighborhood", "neighbourhood", "airport", "station", "address", "from", "to", "where",
        ]

        /// "city: Paris", "city is Paris", "city = Paris": the property's name written as a label, then the value
        /// up to the end of the clause.
        static func labelledValues(for parameter: Parameter, in text: String) -> [Found<String>] {
            guard !parameter.nameWords.isEmpty else { return [] }
            return text.matches(
                of: TextPatterns.labelled, ifPossible: Clues(text).hasAny([":", "=", " is ", "should be"])
            ).compactMap { match in
                let label = match.output.1.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
                guard
                    label.suffix(parameter.nameWords.count).elementsEqual(parameter.nameWords)
                        || label.joined() == parameter.joinedName
                else { return nil }
                let value = match.output.2.trimmingCharacters(in: .whitespaces)
                return value.isEmpty ? nil : Found(range: match.range, value: value)
            }
        }

        /// Capitalised names after a preposition of place: "in New York", "to São Paulo", "near Rio de Janeiro".
        /// "Near the Louvre" is left alone because "the" is not capitalised, and a name stops before a weekday or
        /// month ("in Berlin Friday").
        static func places(in text: String) -> [Found<String>] {
            let pattern =
                TextPatterns.place
            let calendarWords: Set<String> = [
                "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
                "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
            ]
            return text.matches(of: pattern, ifPossible: text.contains(where: \.isUppercase)).compactMap { match in
                var words: [String] = []
                for word in match.output.1.split(separator: " ") {
                    guard !calendarWords.contains(String(word)) else { break }
                    words.append(String(word))
                }
                while let last = words.last, last.first?.isLowercase == true { words.removeLast() }
                guard let first = words.first, first != "I" else { return nil }
                let value = words.joined(separator: " ")
                guard let range = text[match.range].range(of: value) else { return nil }
                return Found(range: range, value: value)
            }
        }

        /// Quoted passages, without their quotes. Straight single quotes count only at word edges, so the
        /// apostrophes in "what's" and "it's" do not pair up.
        static func quotations(in text: String) -> [Found<String>] {
            var found: [Found<String>] = []
            func add(_ range: Range<String.Index>, _ inner: Substring) {
                let value = inner.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !value.isEmpty, !found.contains(where: { $0.range.overlaps(range) }) else { return }
                found.append(Found(range: range, value: value))
            }
            for match in text.matches(of: TextPatterns.doubleQuoted, ifPossible: text.contains { "\"“‘".contains($0) })
            {
                if let inner = match.output.1 ?? match.output.2 ?? match.output.3 { add(match.range, inner) }
            }
            for match in text.matches(of: TextPatterns.singleQuoted, ifPossible: text.contains("'")) {
                let start = match.range.lowerBound
                let before = start > text.startIndex ? text[text.index(before: start)] : nil
                let after = match.range.upperBound < text.endIndex ? text[match.range.upperBound] : nil
                guard isQuoteEdge(before), isQuoteEdge(after) else { continue }
                add(match.range, match.output.1)
            }
            return found
        }

        private static func isQuoteEdge(_ character: Character?) -> Bool {
            guard let character else { return true }
            return !(character.isLetter || character.isNumber)
        }

        /// The message without the phrase that asks for something ("can you search the web for", "take a note:",
        /// "tell me about") and without trailing punctuation, leaving what the request is about.
        static func strippingRequest(from message: String) -> String {
            var subject = message.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            let requests = [
                TextPatterns.greeting,
                TextPatterns.politeRequest,
                TextPatterns.wish,
                TextPatterns.searchRequest,
                TextPatterns.aboutRequest,
                TextPatterns.noteRequest,
                TextPatterns.messageRequest,
            ]
            for request in requests {
                subject = subject.replacing(request, with: "", maxReplacements: 1)
            }
            subject = subject.replacing(TextPatterns.trailingPunctuation, with: "")
            subject = subject.replacing(TextPatterns.trailingPlease, with: "")
            return subject.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}

/// The regular expressions of this extractor, built once. A `Regex` compiles its program the first time it is
/// used, which costs far more than matching a short message, so building them on every call made extraction take
/// milliseconds. `Regex` is not marked `Sendable`, but a built one is never mutated and the standard library
/// initialises its compiled program atomically, so sharing these across tasks is safe.
enum TextPatterns {
    nonisolated(unsafe) static let place =
        #/
        \b(?:in|at|to|from|near|around|visiting|visit)\s+
        ((?:\p{Lu}[\p{L}'\-]*)(?:\s+(?:\p{Lu}[\p{L}'\-]*|de|da|del|do|du|la|le|upon))*)
        /#
    nonisolated(unsafe) static let doubleQuoted = #/"([^"\n]+)"|“([^”\n]+)”|‘([^’\n]+)’/#
    nonisolated(unsafe) static let singleQuoted = #/'([^'\n]+)'/#
    nonisolated(unsafe) static let greeting = #/^(?:hey|hi|hello|ok|okay)\b[,!.]?\s*/#.ignoresCase().wordBoundaryKind(
        .simple)
    nonisolated(unsafe) static let politeRequest =
        #/^(?:please\s+)?(?:(?:can|could|would|will)\s+you\s+)?(?:please\s+)?/#
        .ignoresCase().wordBoundaryKind(.simple)
    nonisolated(unsafe) static let wish = #/^i\s+(?:want|need|would\s+like|'d\s+like)\s+(?:you\s+)?to\s+/#
        .ignoresCase().wordBoundaryKind(.simple)
    nonisolated(unsafe) static let searchRequest =
        #/
        ^(?: search | find | look \s+ up | look \s+ for | lookup | google | query | research | check )
        (?: \s+ (?:the|my|our|a|an|for|me|some) )*
        (?: \s+ (?:web|internet|online|net|google|notes?|docs?|documents?|files?|wiki(?:pedia)?|memory
            |information|info) )?
        (?: \s+ (?:for|about|on|regarding|of) )? \b \s* [:,]? \s*
        /#.ignoresCase().wordBoundaryKind(.simple)
    nonisolated(unsafe) static let aboutRequest =
        #/
        ^(?: tell \s+ me \s+ (?:more \s+)? about | explain | describe | define | summari[sz]e
            | what \s+ (?:is|are|was|were) | what's | who \s+ (?:is|are|was|were) | who's ) \b \s*
        /#.ignoresCase().wordBoundaryKind(.simple)
    nonisolated(unsafe) static let noteRequest =
        #/
        ^(?: (?: take | make | add | create | write | save | jot ) \s+ (?:down \s+)? (?:a|an|this|the|my)? \s*
            (?:note|memo|reminder)s? | (?:note|write|jot) \s+ down | remember | note )
        (?: \s+ (?:that|saying|to \s+ self) )? \b \s* [:,\-]? \s*
        /#.ignoresCase().wordBoundaryKind(.simple)
    nonisolated(unsafe) static let messageRequest =
        #/^(?:send|post|write)\s+(?:a\s+)?(?:message|msg)\s+(?:saying|that)?\s*[:,]?\s*/#.ignoresCase()
        .wordBoundaryKind(.simple)
    nonisolated(unsafe) static let trailingPunctuation = #/[\s?.!,;:]+$/#
    nonisolated(unsafe) static let trailingPlease = #/\s+please$/#.ignoresCase()
    /// A label (a few words, or a name with `_` or `-`) followed by `:`, `=`, `is` or `should be`, and the
    /// value up to the end of the clause.
    nonisolated(unsafe) static let labelled =
        #/
        ([\p{L}][\p{L}\p{N}_\-]*(?:\ [\p{L}][\p{L}\p{N}_\-]*){0,3}?) \s*
        (?: : | = | \b is \b | \b should \s+ be \b ) \s* ([^,;\n.!?]+)
        /#
}
