import Foundation

extension ArgumentExtractor {
    /// Integers and numbers: digits ("42", "-3", "2.5", "1,000"), number words ("two", "twenty-five", "a dozen")
    /// and money ("$1,200", "€30", "45 dollars", "2.5k"). Digits inside URLs, email addresses, dates and clock times
    /// are skipped.
    ///
    /// Among the numbers that fit the property's type and bounds, the one followed by a unit named like the
    /// property wins ("2 nights for 4 guests" gives `guests` 4); for money, an amount written as money wins;
    /// otherwise the first in the message.
    struct NumberValue: ValueExtractor {
        let confidence = 0.9

        private static let moneyWords: Set<String> = [
            "price", "budget", "cost", "amount", "fee", "salary", "spend", "spending", "total", "money", "rent",
            "payment", "fare", "tip", "deposit", "income", "limit",
        ]

        /// Units people write after a count that name what the property counts, by the property's name word.
        private static let unitSynonyms: [String: Set<String>] = [
            "guest": ["guest", "people", "person", "persons", "adult", "diner", "pax", "of us", "attendee"],
            "people": ["guest", "people", "person", "persons", "adult", "diner", "pax", "of us", "attendee"],
            "person": ["guest", "people", "person", "persons", "adult", "diner", "pax", "of us"],
            "party": ["guest", "people", "person", "persons", "adult", "pax", "of us"],
            "size": ["guest", "people", "person", "persons", "adult", "pax", "of us"],
            "attendee": ["attendee", "people", "person", "guest"],
            "traveler": ["traveler", "traveller", "people", "person", "adult", "passenger"],
            "passenger": ["passenger", "people", "person", "adult", "traveler", "traveller"],
            "seat": ["seat", "ticket", "people", "person"],
            "ticket": ["ticket", "seat"],
            "duration": ["minute", "min", "hour", "day", "night", "week"],
            "minute": ["minute", "min"],
            "hour": ["hour", "hr"],
            "distance": ["km", "kilometer", "kilometre", "mile", "mi", "meter", "metre", "m"],
            "weight": ["kg", "kilo", "kilogram", "lb", "pound", "g", "gram"],
            "temperature": ["degree", "°", "°c", "°f"],
            "result": ["result", "item", "hit", "link"],
            "item": ["item", "result", "piece"],
            "room": ["room", "bedroom"],
            "bedroom": ["bedroom", "room", "bed"],
            "count": [],
            "limit": ["result", "item"],
            "age": ["year", "yr", "years old"],
            "year": ["year", "yr"],
            "star": ["star"],
            "rating": ["star", "point"],
        ]

        /// Pieces of the number words the word pattern reads, so the scan is skipped for messages without any.
        private static let numberWords = [
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
            "teen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "couple",
            "dozen", "pair",
        ]
        private static let currencySymbols = ["$", "€", "£", "¥"]
        private static let currencyWords = [
            "dollar", "buck", "usd", "eur", "gbp", "pound", "quid", "chf", "franc",
        ]

        /// Words that often follow a number without saying what it counts.
        private static let notUnits: Set<String> = [
            "at", "on", "in", "for", "and", "or", "to", "with", "please", "by", "the", "a", "an", "from", "next",
            "this", "tomorrow", "today", "tonight", "but", "max", "maximum", "min", "minimum", "total", "is", "are",
            "if", "so", "then", "thanks", "around", "about", "near", "before", "after", "between", "under", "over",
        ]

        func handles(_ parameter: Parameter) -> Bool {
            parameter.type == "integer" || parameter.type == "number"
        }

        func value(for parameter: Parameter, in context: inout Context) -> JSONValue? {
            let isMoney = Self.isMoney(parameter)
            let fitting = context.numbers(money: isMoney).filter { Self.fits($0.value, parameter) }
            let units = Self.units(for: parameter)
            let preferred: [Found<Number>]
            let named = fitting.filter { found in found.value.unit.map { units.contains($0) } ?? false }
            if !named.isEmpty {
                preferred = named
            } else if isMoney, case let money = fitting.filter({ $0.value.isMoney }), !money.isEmpty {
                preferred = money
            } else {
                // A count with another thing's unit ("3 nights" for guests) or an amount of money for a count is
                // only a last resort.
                let plain = fitting.filter { !$0.value.isMoney && ($0.value.unit == nil || units.isEmpty) }
                preferred = plain.isEmpty ? fitting : plain
                context.confidence = plain.isEmpty ? 0.5 : 0.75
            }
            guard let number = context.takeFirst(preferred) else { return nil }
            if number.isWord { context.confidence *= 0.95 }
            if let integer = number.integer { return .integer(integer) }
            return .number(number.value)
        }

        /// A number as written: `integer` is set when it is whole; `unit` is the word after it, singular.
        struct Number {
            let value: Double
            let integer: Int64?
            var unit: String? = nil
            var isMoney = false
            var isWord = false
        }

        static func isMoney(_ parameter: Parameter) -> Bool {
            parameter.schema["x-anvil-type"]?.stringValue == "money"
                || parameter.nameWords.contains(where: moneyWords.contains)
        }

        /// The units that name what the property counts: its own name words and their synonyms, singular.
        private static func units(for parameter: Parameter) -> Set<String> {
            var units = Set<String>()
            for word in parameter.nameWords {
                let singular = singularized(word)
                units.insert(singular)
                units.formUnion(unitSynonyms[singular] ?? unitSynonyms[word] ?? [])
            }
            if parameter.nameWords.contains("count") || parameter.nameWords.contains("number") {
                units.remove("count")
                units.remove("number")
            }
            return units
        }

        private static func singularized(_ word: String) -> String {
            if word == "people" || word == "pax" { return word }
            if word.hasSuffix("ies"), word.count > 4 { return String(word.dropLast(3)) + "y" }
            if word.hasSuffix("s"), !word.hasSuffix("ss"), word.count > 3 { return String(word.dropLast()) }
            return word
        }

        /// Every number in the message, and amounts of money when `money` is set, in order.
        static func find(in context: Context, money: Bool) -> [Found<Number>] {
            let text = context.text
            let clues = Clues(text)
            var found: [Found<Number>] = []
            if money {
                // Amounts of money, then the plain numbers (found once and shared) outside them.
                found = moneyAmounts(in: text, clues: clues)
                let amounts = found.map(\.range)
                found += context.numbers(money: false).filter { number in
                    !amounts.contains { $0.overlaps(number.range) }
                }
                return found.sorted { $0.range.lowerBound < $1.range.lowerBound }
            }
            let digits = NumberPatterns.digits
            for match in text.matches(of: digits, ifPossible: clues.hasDigit) where !context.isOpaque(match.range) {
                guard !found.contains(where: { $0.range.overlaps(match.range) }) else { continue }
                let written = match.output.filter { $0 != "," }
                guard var value = Double(written) else { continue }
                var integer = written.contains(".") ? nil : Int64(written)
                var range = match.range
                if isMinusSign(before: range.lowerBound, in: text) {
                    value = -value
                    integer = integer.map { -$0 }
                    range = text.index(before: range.lowerBound)..<range.upperBound
                }
                var number = Number(value: value, integer: integer)
                number.unit = unit(after: match.range.upperBound, in: text)
                found.append(Found(range: range, value: number))
            }
            let words =
                NumberPatterns.words
            for match in text.matches(of: words, ifPossible: clues.hasAny(numberWords)) {
                let (_, phrase, tens, ones, single) = match.output
                let value: Int?
                if let phrase {
                    value = phrase.lowercased().contains("dozen") ? 12 : 2
                } else if let tens {
                    value = tensValue(tens).map { $0 + (ones.flatMap(ArgumentExtractor.numberWordValue) ?? 0) }
                } else if let single {
                    value = single.lowercased() == "hundred" ? 100 : ArgumentExtractor.numberWordValue(single)
                } else {
                    value = nil
                }
                guard let value, !found.contains(where: { $0.range.overlaps(match.range) }) else { continue }
                // "one" in "the one with..." is rarely a count; it still counts before a unit.
                let unit = unit(after: match.range.upperBound, in: text)
                if match.output.0.lowercased() == "one", unit == nil { continue }
                found.append(
                    Found(
                        range: match.range,
                        value: Number(value: Double(value), integer: Int64(value), unit: unit, isWord: true)))
            }
            return found.sorted { $0.range.lowerBound < $1.range.lowerBound }
        }

        private static func tensValue(_ word: some StringProtocol) -> Int? {
            let tens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
            return tens.firstIndex(of: word.lowercased()).map { ($0 + 2) * 10 }
        }

        /// Amounts written as money: "$1,200.50", "€ 30", "£5k", "45 dollars", "30 EUR", "twenty bucks" is left
        /// to the number words.
        private static func moneyAmounts(in text: String, clues: Clues) -> [Found<Number>] {
            guard clues.hasDigit else { return [] }
            var found: [Found<Number>] = []
            let amounts: [(range: Range<String.Index>, written: Substring, isThousands: Bool)] =
                text.matches(
                    of: NumberPatterns.symbolFirst, ifPossible: clues.hasAny(currencySymbols + ["us", "eur", "gbp"])
                ).map { ($0.range, $0.output.1, $0.output.2 != nil) }
                + text.matches(of: NumberPatterns.unitAfter, ifPossible: clues.hasAny(currencySymbols + currencyWords))
                .map { ($0.range, $0.output.1, $0.output.2 != nil) }
                + text.matches(of: NumberPatterns.thousands, ifPossible: clues.has("k")).map {
                    ($0.range, $0.output.1, true)
                }
            for (range, written, isThousands) in amounts {
                guard !found.contains(where: { $0.range.overlaps(range) }),
                    var value = Double(written.filter { $0 != "," })
                else { continue }
                if isThousands { value *= 1000 }
                let integer = value == value.rounded() && abs(value) < 1e15 ? Int64(value) : nil
                var end = range.upperBound
                while end > range.lowerBound, text[text.index(before: end)].isWhitespace {
                    end = text.index(before: end)
                }
                found.append(
                    Found(range: range.lowerBound..<end, value: Number(value: value, integer: integer, isMoney: true)))
            }
            return found
        }

        /// The word right after a number, lowercased and singular: "4 guests" gives "guest", "3 of us" "of us".
        private static func unit(after index: String.Index, in text: String) -> String? {
            let rest = text[index...].prefix(24)
            guard let match = rest.prefixMatch(of: NumberPatterns.unitWord) else {
                return nil
            }
            let word = match.output.1.lowercased()
            guard !notUnits.contains(word) else { return nil }
            return singularized(word)
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
        let confidence = 0.8

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
            let cue = NumberPatterns.cue
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

/// The regular expressions of this extractor, built once. A `Regex` compiles its program the first time it is
/// used, which costs far more than matching a short message, so building them on every call made extraction take
/// milliseconds. `Regex` is not marked `Sendable`, but a built one is never mutated and the standard library
/// initialises its compiled program atomically, so sharing these across tasks is safe.
enum NumberPatterns {
    nonisolated(unsafe) static let digits = #/\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b|\b\d+(?:\.\d+)?\b/#.wordBoundaryKind(
        .simple)
    nonisolated(unsafe) static let words =
        #/
        \b (?: (a \s+ couple (?: \s+ of)? | a \s+ dozen | a \s+ pair \s+ of)
        | (twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety) (?: [\-\s] (one|two|three|four|five|six|seven
            |eight|nine) )?
        | (zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen
            |fifteen|sixteen|seventeen|eighteen|nineteen|hundred) ) \b
        /#.ignoresCase().wordBoundaryKind(.simple)
    nonisolated(unsafe) static let unitWord = #/\s*(of us|years old|[%°][cf]?|[A-Za-z]+)/#.ignoresCase()
    nonisolated(unsafe) static let cue =
        #/\b(yes|yeah|yep|true|enabled?|no|nope|false|disabled?)\b/#.ignoresCase()
        .wordBoundaryKind(.simple)
    nonisolated(unsafe) static let symbolFirst =
        #/(?:[$€£¥]|US\$|USD|EUR|GBP)\s?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s?(k\b)?/#.ignoresCase()
    nonisolated(unsafe) static let unitAfter =
        #/
        (\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?) \s?(k)?\s?
        (?:\$|€|£|dollars?|bucks|usd|eur|euros?|gbp|pounds?|quid|chf|francs?) (?![A-Za-z])
        /#.ignoresCase()
    nonisolated(unsafe) static let thousands = #/(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)k\b/#.ignoresCase()
}
