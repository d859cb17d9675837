import Foundation

extension ArgumentExtractor {
    /// Free text: quoted text ("…", '…', “…”, ‘…’) when there is some; else, for a property named like `query` or
    /// `content`, the message without its request phrase ("search the web for swift" gives "swift"); else, for a
    /// required property, the whole message.
    struct TextValue: ValueExtractor {
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
            if parameter.nameWords.contains(where: Self.subjectNames.contains) {
                let subject = Self.strippingRequest(from: context.unusedText)
                return subject.isEmpty ? nil : .string(subject)
            }
            guard parameter.isRequired else { return nil }
            let message = context.text.trimmingCharacters(in: .whitespacesAndNewlines)
            return message.isEmpty ? nil : .string(message)
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
            for match in text.matches(of: #/"([^"\n]+)"|“([^”\n]+)”|‘([^’\n]+)’/#) {
                if let inner = match.output.1 ?? match.output.2 ?? match.output.3 { add(match.range, inner) }
            }
            for match in text.matches(of: #/'([^'\n]+)'/#) {
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
                #/^(?:hey|hi|hello|ok|okay)\b[,!.]?\s*/#.ignoresCase(),
                #/^(?:please\s+)?(?:(?:can|could|would|will)\s+you\s+)?(?:please\s+)?/#.ignoresCase(),
                #/^i\s+(?:want|need|would\s+like|'d\s+like)\s+(?:you\s+)?to\s+/#.ignoresCase(),
                #/
                ^(?: search | find | look \s+ up | look \s+ for | lookup | google | query | research | check )
                (?: \s+ (?:the|my|our|a|an|for|me|some) )*
                (?: \s+ (?:web|internet|online|net|google|notes?|docs?|documents?|files?|wiki(?:pedia)?|memory
                    |information|info) )?
                (?: \s+ (?:for|about|on|regarding|of) )? \b \s* [:,]? \s*
                /#.ignoresCase(),
                #/
                ^(?: tell \s+ me \s+ (?:more \s+)? about | explain | describe | define | summari[sz]e
                    | what \s+ (?:is|are|was|were) | what's | who \s+ (?:is|are|was|were) | who's ) \b \s*
                /#.ignoresCase(),
                #/
                ^(?: (?: take | make | add | create | write | save | jot ) \s+ (?:down \s+)? (?:a|an|this|the|my)? \s*
                    (?:note|memo|reminder)s? | (?:note|write|jot) \s+ down | remember | note )
                (?: \s+ (?:that|saying|to \s+ self) )? \b \s* [:,\-]? \s*
                /#.ignoresCase(),
                #/^(?:send|post|write)\s+(?:a\s+)?(?:message|msg)\s+(?:saying|that)?\s*[:,]?\s*/#.ignoresCase(),
            ]
            for request in requests {
                subject = subject.replacing(request.wordBoundaryKind(.simple), with: "", maxReplacements: 1)
            }
            subject = subject.replacing(#/[\s?.!,;:]+$/#, with: "")
            subject = subject.replacing(#/\s+please$/#.ignoresCase(), with: "")
            return subject.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
