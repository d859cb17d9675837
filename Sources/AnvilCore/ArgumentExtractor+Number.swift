import Foundation

extension ArgumentExtractor {
    /// Integers and numbers: digits ("42", "-3", "2.5", "1,000") and the words one to twenty, the first in the
    /// message that fits the property's type and bounds. Digits inside URLs, ISO dates and clock times are skipped.
    struct NumberValue: ValueExtractor {
        func handles(_ parameter: Parameter) -> Bool {
            parameter.type == "integer" || parameter.type == "number"
        }

        func value(for parameter: Parameter, in context: inout Context) -> JSONValue? {
            let fitting = Self.find(in: context).filter { Self.fits($0.value, parameter) }
            guard let number = context.takeFirst(fitting) else { return nil }
            if let integer = number.integer { return .integer(integer) }
            return .number(number.value)
        }

        /// A number as written: `integer` is set when it was written without a fraction.
        struct Number {
            let value: Double
            let integer: Int64?
        }

        private static func find(in context: Context) -> [Found<Number>] {
            let text = context.text
            var found: [Found<Number>] = []
            let digits = #/\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b|\b\d+(?:\.\d+)?\b/#.wordBoundaryKind(.simple)
            for match in text.matches(of: digits) where !context.isOpaque(match.range) {
                let written = match.output.filter { $0 != "," }
                guard var value = Double(written) else { continue }
                var integer = written.contains(".") ? nil : Int64(written)
                var range = match.range
                if isMinusSign(before: range.lowerBound, in: text) {
                    value = -value
                    integer = integer.map { -$0 }
                    range = text.index(before: range.lowerBound)..<range.upperBound
                }
                found.append(Found(range: range, value: Number(value: value, integer: integer)))
            }
            let words =
                #/
                \b (zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen
                    |fifteen|sixteen|seventeen|eighteen|nineteen|twenty) \b
                /#.ignoresCase().wordBoundaryKind(.simple)
            for match in text.matches(of: words) {
                guard let value = ArgumentExtractor.numberWordValue(match.output.1) else { continue }
                found.append(Found(range: match.range, value: Number(value: Double(value), integer: Int64(value))))
            }
            return found
        }

        /// A `-` right before the digits, not joining two words ("covid-19") or numbers ("3-5").
        private static func isMinusSign(before index: String.Index, in text: String) -> Bool {
            guard index > text.startIndex else { return false }
            let minus = text.index(before: index)
            guard text[minus] == "-" else { return false }
            guard minus > text.startIndex else { return true }
            let before = text[text.index(before: minus)]
            return !(before.isLetter || before.isNumber)
        }

        private static func fits(_ number: Number, _ parameter: Parameter) -> Bool {
            if parameter.type == "integer", number.integer == nil { return false }
            if let minimum = parameter.number("minimum"), number.value < minimum { return false }
            if let maximum = parameter.number("maximum"), number.value > maximum { return false }
            if let bound = parameter.number("exclusiveMinimum"), number.value <= bound { return false }
            if let bound = parameter.number("exclusiveMaximum"), number.value >= bound { return false }
            return true
        }
    }

    /// Yes or no: the property's own name in the message ("include images", or "without images" for false), or
    /// an explicit yes/no/true/false.
    struct BooleanValue: ValueExtractor {
        private static let negations: Set<String> = [
            "no", "not", "don't", "dont", "do not", "without", "never", "disable", "exclude", "skip", "off",
        ]

        func handles(_ parameter: Parameter) -> Bool {
            parameter.type == "boolean"
        }

        func value(for parameter: Parameter, in context: inout Context) -> JSONValue? {
            // The whole name, then its last word: "include_images" is also asked for as "no images".
            var phrases = [parameter.nameWords.joined(separator: " ")]
            if parameter.nameWords.count > 1, let last = parameter.nameWords.last { phrases.append(last) }
            for phrase in phrases {
                let mentions = context.wholeWordRanges(of: phrase, caseSensitive: false)
                if let mention = mentions.first(where: context.isFree) {
                    context.use(mention)
                    return .bool(!Self.isNegated(before: mention.lowerBound, in: context.text))
                }
            }
            let cue = #/\b(yes|yeah|yep|true|enabled?|no|nope|false|disabled?)\b/#.ignoresCase()
                .wordBoundaryKind(.simple)
            let cues = context.text.matches(of: cue).map { match in
                Found(
                    range: match.range,
                    value: ["yes", "yeah", "yep", "true", "enable", "enabled"]
                        .contains(match.output.1.lowercased()))
            }
            return context.takeFirst(cues).map(JSONValue.bool)
        }

        /// Whether one of the three words before a mention negates it.
        private static func isNegated(before index: String.Index, in text: String) -> Bool {
            let words = text[..<index].lowercased().split { !($0.isLetter || $0 == "'") }.suffix(3).map(String.init)
            if words.contains(where: negations.contains) { return true }
            return words.count >= 2 && negations.contains(words.suffix(2).joined(separator: " "))
        }
    }
}
