import Foundation

extension ArgumentExtractor {
    /// Email addresses, for properties with the `email` format or named like `email`, in lowercase domain form.
    struct EmailValue: ValueExtractor {
        let confidence = 0.98
        private static let nameWords: Set<String> = ["email", "mail", "e-mail", "address"]

        func handles(_ parameter: Parameter) -> Bool {
            guard parameter.isText else { return false }
            if let format = parameter.format { return format == "email" || format == "idn-email" }
            return parameter.nameWords.contains("email") || parameter.nameWords.contains("mail")
        }

        func value(for parameter: Parameter, in context: inout Context) -> JSONValue? {
            context.takeFirst(context.emails).map(JSONValue.string)
        }

        /// Every address in `text`, in order, with the domain in lowercase and trailing punctuation left out.
        static func find(in text: String) -> [Found<String>] {
            let pattern = EmailPatterns.address
            return text.matches(of: pattern, ifPossible: text.contains("@")).compactMap { match in
                let written = String(match.output)
                guard let at = written.firstIndex(of: "@"), !written.hasPrefix("."), !written.contains("..") else {
                    return nil
                }
                let value = written[..<at] + written[at...].lowercased()
                return Found(range: match.range, value: String(value))
            }
        }
    }
}

/// The regular expressions of this extractor, built once. A `Regex` compiles its program the first time it is
/// used, which costs far more than matching a short message, so building them on every call made extraction take
/// milliseconds. `Regex` is not marked `Sendable`, but a built one is never mutated and the standard library
/// initialises its compiled program atomically, so sharing these across tasks is safe.
enum EmailPatterns {
    nonisolated(unsafe) static let address = #/[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}/#
}
