import Foundation

extension ArgumentExtractor {
    /// One of a property's `enum` values mentioned in the message: written exactly, then in any case (with `_` and
    /// `-` read as spaces), then misspelt by an edit or two ("farenheit" for `fahrenheit`). A property with a
    /// single allowed value gets it without a mention.
    struct ChoiceValue: ValueExtractor {
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
                if let value = context.takeFirst(mentions) { return value }
            }

            if let value = context.takeFirst(Self.closeSpellings(of: named, in: context)) { return value }
            if values.count == 1, parameter.isRequired { return values[0] }
            return nil
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
            let words = context.text.matches(of: #/[\p{L}\p{N}][\p{L}\p{N}'_\-]*/#).map(\.range)
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

        /// Levenshtein distance, giving up (returning `limit + 1`) once every path is over `limit`.
        static func editDistance(_ source: [Character], _ target: [Character], limit: Int) -> Int {
            if abs(source.count - target.count) > limit { return limit + 1 }
            if source.isEmpty || target.isEmpty { return max(source.count, target.count) }
            var previous = Array(0...target.count)
            var current = previous
            for i in 1...source.count {
                current[0] = i
                var rowMinimum = current[0]
                for j in 1...target.count {
                    let substitution = previous[j - 1] + (source[i - 1] == target[j - 1] ? 0 : 1)
                    current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
                    rowMinimum = min(rowMinimum, current[j])
                }
                if rowMinimum > limit { return limit + 1 }
                swap(&previous, &current)
            }
            return previous[target.count]
        }
    }
}
