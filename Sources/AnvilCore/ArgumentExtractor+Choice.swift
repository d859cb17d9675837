import Foundation

extension ArgumentExtractor {
    /// One of a property's `enum` values mentioned in the message: written exactly, then in any case (with `_` and
    /// `-` read as spaces), then misspelt by an edit or two ("farenheit" for `fahrenheit`). A property with a
    /// single allowed value gets it without a mention.
    struct ChoiceValue: ValueExtractor {
        let confidence = 1.0

        func handles(_ parameter: Parameter) -> Bool {
            !parameter.enumValues.isEmpty
        }

        func value(for parameter: Parameter, in context: inout Context) -> JSONValue? {
            let values = parameter.enumValues
            let named = values.compactMap { value in value.stringValue.map { (value: value, text: $0) } }

            for caseSensitive in [true, false] {
                var mentions: [Found<JSONValue>] = []
                for (value, text) in named {
                    var spellings = [text]
                    let spaced = Self.spaced(text)
                    if spaced != text { spellings.append(spaced) }
                    for spelling in spellings {
                        for range in context.wholeWordRanges(of: spelling, caseSensitive: caseSensitive) {
                            mentions.append(Found(range: range, value: value))
                        }
                    }
                }
                mentions += numberMentions(of: values, in: context)
                mentions.removeAll { Self.isNegated($0.range, in: context.text) }
                if let value = context.takeFirst(mentions) {
                    context.confidence = caseSensitive ? 1 : 0.95
                    return value
                }
            }

            let close = Self.closeSpellings(of: named, in: context).filter {
                !Self.isNegated($0.range, in: context.text)
            }
            if let value = context.takeFirst(close) {
                context.confidence = 0.7
                return value
            }
            if values.count == 1, parameter.isRequired {
                context.confidence = 0.5
                return values[0]
            }
            return nil
        }

        /// Whether the word right before a mention negates it: "not urgent, low" asks for `low`.
        private static func isNegated(_ range: Range<String.Index>, in text: String) -> Bool {
            guard let before = text[..<range.lowerBound].lowercased().split(whereSeparator: \.isWhitespace).last
            else { return false }
            return ["not", "no", "non", "isn't", "without", "never"].contains(String(before))
        }

        /// Numeric enum values written as digits.
        private func numberMentions(of values: [JSONValue], in context: Context) -> [Found<JSONValue>] {
            values.flatMap { value -> [Found<JSONValue>] in
                let written: String
                switch value {
                case .integer(let integer): written = String(integer)
                case .number(let number): written = String(number)
                default: return []
                }
                return context.wholeWordRanges(of: written, caseSensitive: true).map { Found(range: $0, value: value) }
            }
        }

        /// Runs of words within a small edit distance of a value, closest first. Values shorter than four letters
        /// are left out: too many short words are one edit away from each other.
        private static func closeSpellings(
            of named: [(value: JSONValue, text: String)],
            in context: Context
        ) -> [Found<JSONValue>] {
            let words = context.text.matches(of: ChoicePatterns.word).map(\.range)
            var best: [(distance: Int, found: Found<JSONValue>)] = []
            for (value, text) in named {
                let target = Array(spaced(text).lowercased())
                guard target.count >= 4 else { continue }
                let allowed = target.count >= 8 ? 2 : 1
                let width = spaced(text).split(separator: " ").count
                guard width >= 1, words.count >= width else { continue }
                for start in 0...(words.count - width) {
                    let range = words[start].lowerBound..<words[start + width - 1].upperBound
                    let candidate = context.text[range].split(whereSeparator: \.isWhitespace).joined(separator: " ")
                    let distance = editDistance(Array(spaced(candidate).lowercased()), target, limit: allowed)
                    if distance <= allowed { best.append((distance, Found(range: range, value: value))) }
                }
            }
            // Only the closest spellings compete; among them the earliest in the message wins.
            guard let closest = best.map(\.distance).min() else { return [] }
            return best.filter { $0.distance == closest }.map(\.found)
        }

        private static func spaced(_ text: String) -> String {
            String(text.map { $0 == "_" || $0 == "-" ? " " : $0 })
        }

        /// Edit distance counting a swap of two neighbouring letters as one edit ("indain" for `indian`), as
        /// typing slips are; gives up (returning `limit + 1`) once every path is over `limit`.
        static func editDistance(_ source: [Character], _ target: [Character], limit: Int) -> Int {
            if abs(source.count - target.count) > limit { return limit + 1 }
            if source.isEmpty || target.isEmpty { return max(source.count, target.count) }
            var beforePrevious = Array(repeating: 0, count: target.count + 1)
            var previous = Array(0...target.count)
            var current = previous
            var previousRowMinimum = 0
            for i in 1...source.count {
                current[0] = i
                var rowMinimum = current[0]
                for j in 1...target.count {
                    let substitution = previous[j - 1] + (source[i - 1] == target[j - 1] ? 0 : 1)
                    current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
                    if i > 1, j > 1, source[i - 1] == target[j - 2], source[i - 2] == target[j - 1] {
                        current[j] = min(current[j], beforePrevious[j - 2] + 1)
                    }
                    rowMinimum = min(rowMinimum, current[j])
                }
                // A swap reaches back two rows, so both must be over the limit to give up.
                if rowMinimum > limit, previousRowMinimum > limit { return limit + 1 }
                previousRowMinimum = rowMinimum
                (beforePrevious, previous, current) = (previous, current, beforePrevious)
            }
            return previous[target.count]
        }
    }
}

/// The regular expressions of this extractor, built once. A `Regex` compiles its program the first time it is
/// used, which costs far more than matching a short message, so building them on every call made extraction take
/// milliseconds. `Regex` is not marked `Sendable`, but a built one is never mutated and the standard library
/// initialises its compiled program atomically, so sharing these across tasks is safe.
enum ChoicePatterns {
    nonisolated(unsafe) static let word = #/[\p{L}\p{N}][\p{L}\p{N}'_\-]*/#
}
