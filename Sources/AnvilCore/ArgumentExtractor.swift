import Foundation

/// The arguments read out of a message for one tool, and the required ones the message gave no value for.
public struct ArgumentExtraction: Sendable, Hashable {
    /// Values by property name, ready to be encoded as a tool call's arguments.
    public var arguments: [String: JSONValue]
    /// Required properties that could not be filled, in the order the schema's `required` list gives them.
    public var missing: [String]

    public init(arguments: [String: JSONValue] = [:], missing: [String] = []) {
        self.arguments = arguments
        self.missing = missing
    }

    /// Whether every required property has a value, so a call with these arguments can pass validation.
    public var isComplete: Bool { missing.isEmpty }
}

/// Reads tool arguments out of a plain message, guided by the tool's JSON Schema, without a language model.
///
/// The built-in offline model uses it to turn "fetch example.com" into `{"url": "https://example.com"}`. Each
/// kind of value has its own small extractor (URLs, dates, numbers, enum choices, ...) and the first one that
/// handles a property decides its value, so a stronger extractor for one kind can replace the current one without
/// touching the others. A piece of the message that gave one property its value is not used again for another,
/// and required properties choose first. The result depends only on the inputs, `now` and `timeZone` included.
public struct ArgumentExtractor: Sendable {
    /// The moment relative dates ("tomorrow", "in 3 days") count from.
    public var now: Date
    /// The time zone that decides which calendar day `now` is in and the offset of date-times.
    public var timeZone: TimeZone
    /// Whether a required text property with no better evidence takes the whole message. Right for a tool's
    /// one free-text argument ("search for ..."); wrong for a form field such as a city, which is better left
    /// missing for the user or a model to fill.
    public var fillsTextWithWholeMessage: Bool

    /// In priority order: properties whose extractor comes first are filled first, so the specific kinds (a URL,
    /// a date) take their part of the message before a number or free text could claim it.
    private let valueExtractors: [any ValueExtractor] = [
        ChoiceValue(), TimeZoneValue(), EmailValue(), URLValue(), DateValue(), BooleanValue(), NumberValue(),
        TextValue(),
    ]

    public init(now: Date = Date(), timeZone: TimeZone = .current, fillsTextWithWholeMessage: Bool = true) {
        self.now = now
        self.timeZone = timeZone
        self.fillsTextWithWholeMessage = fillsTextWithWholeMessage
    }

    /// Fills the properties of `schema` (a JSON Schema object) from `text`.
    ///
    /// Required properties are filled first; a required property without evidence takes its `default`, or is
    /// reported in ``ArgumentExtraction/missing``. Optional properties without evidence are left out, so the tool
    /// applies its own defaults.
    public func extract(schema: JSONValue, from text: String) -> ArgumentExtraction {
        let detailed = extractParameters(schema: schema, from: text, fillingOptionalDefaults: false)
        return ArgumentExtraction(arguments: detailed.values, missing: detailed.missing)
    }

    /// Fills the properties of `schema` from `text` and says, for each value, where in the text it was found and
    /// how sure the extractor is.
    ///
    /// Values are checked against the schema afterwards: a value that breaks it is moved to
    /// ``ParameterExtraction/invalid`` (and a required one is also reported missing), so ``ParameterExtraction/values``
    /// always validates. With `fillingOptionalDefaults`, optional properties without evidence take their `default`.
    public func extractParameters(
        schema: JSONValue,
        from text: String,
        fillingOptionalDefaults: Bool = true
    ) -> ParameterExtraction {
        guard let object = schema.objectValue else { return ParameterExtraction() }
        let properties = object["properties"]?.objectValue ?? [:]
        var requiredNames: [String] = []
        if case .array(let names) = object["required"] {
            for case .string(let name) in names where !requiredNames.contains(name) { requiredNames.append(name) }
        }

        let plan = properties.map { name, schema in
            let parameter = Parameter(name: name, schema: schema, isRequired: requiredNames.contains(name))
            return (parameter: parameter, extractor: valueExtractors.firstIndex { $0.handles(parameter) })
        }
        .sorted { lhs, rhs in
            let left = Self.fillingOrder(lhs.parameter, lhs.extractor, requiredNames)
            let right = Self.fillingOrder(rhs.parameter, rhs.extractor, requiredNames)
            return left.lexicographicallyPrecedes(right) || (left == right && lhs.parameter.name < rhs.parameter.name)
        }

        var context = Context(text: text, now: now, timeZone: timeZone)
        context.fillsTextWithWholeMessage = fillsTextWithWholeMessage
        var result = ParameterExtraction()
        var unfilled: Set<String> = []
        for (parameter, extractor) in plan {
            let usedBefore = context.usedCount
            context.confidence = 1
            if let extractor, let value = valueExtractors[extractor].value(for: parameter, in: &context) {
                result.values[parameter.name] = value
                result.sources[parameter.name] = .text
                result.confidence[parameter.name] = context.confidence * valueExtractors[extractor].confidence
                if let span = context.span(since: usedBefore) { result.spans[parameter.name] = span }
            } else if let fallback = parameter.defaultValue, parameter.isRequired || fillingOptionalDefaults {
                result.values[parameter.name] = fallback
                result.sources[parameter.name] = .default
                result.confidence[parameter.name] = 1
            } else if parameter.isRequired {
                unfilled.insert(parameter.name)
            }
        }
        // A value that breaks its own property schema is reported rather than returned.
        for (name, value) in result.values.sorted(by: { $0.key < $1.key }) {
            guard let propertySchema = properties[name], let compiled = try? JSONSchema(propertySchema) else {
                continue
            }
            let violations = compiled.validate(value)
            guard !violations.isEmpty else { continue }
            result.invalid += violations.map {
                SchemaViolation(path: "$." + name + $0.path.dropFirst(), message: $0.message)
            }
            result.values[name] = nil
            result.confidence[name] = nil
            result.spans[name] = nil
            result.sources[name] = nil
            if requiredNames.contains(name) { unfilled.insert(name) }
        }
        // A required name the schema does not describe can never be filled.
        result.missing = requiredNames.filter { unfilled.contains($0) || properties[$0] == nil }
        return result
    }

    /// Required before optional, then by extractor priority, then required properties in their listed order.
    private static func fillingOrder(_ parameter: Parameter, _ extractor: Int?, _ required: [String]) -> [Int] {
        [
            parameter.isRequired ? 0 : 1,
            extractor ?? Int.max,
            required.firstIndex(of: parameter.name) ?? Int.max,
        ]
    }
}

// MARK: - The pieces the value extractors share

extension ArgumentExtractor {
    /// One kind of value that can be read out of a message.
    protocol ValueExtractor: Sendable {
        /// Whether this extractor is the one for the property, judged by its type, format and name.
        func handles(_ parameter: Parameter) -> Bool
        /// The property's value, marking the part of the message it came from as used; `nil` without evidence.
        /// An extractor that is less sure of a reading than usual lowers `context.confidence`.
        func value(for parameter: Parameter, in context: inout Context) -> JSONValue?
        /// How often a value this extractor finds is the one meant, from 0 to 1.
        var confidence: Double { get }
    }

    /// One property of the schema, with the facts extractors decide by.
    struct Parameter: Sendable {
        let name: String
        let schema: [String: JSONValue]
        let isRequired: Bool
        /// The name in lowercase words: `startDate`, `start_date` and `start-date` all give `["start", "date"]`.
        let nameWords: [String]
        /// The JSON type; for a list such as `["string", "null"]`, the first that is not `null`.
        let type: String?
        let format: String?

        init(name: String, schema: JSONValue, isRequired: Bool) {
            self.name = name
            self.schema = schema.objectValue ?? [:]
            self.isRequired = isRequired
            self.nameWords = Self.words(of: name)
            switch self.schema["type"] {
            case .string(let type):
                self.type = type
            case .array(let types):
                self.type = types.lazy.compactMap(\.stringValue).first { $0 != "null" }
            default:
                self.type = nil
            }
            self.format = self.schema["format"]?.stringValue?.lowercased()
        }

        var enumValues: [JSONValue] {
            if case .array(let values) = schema["enum"] { return values }
            return []
        }

        var defaultValue: JSONValue? { schema["default"] }

        /// Whether the property holds text, which is also what a schema without a type most often means.
        var isText: Bool { type == nil || type == "string" }

        /// The name's words run together, so `time_zone` and `timeZone` both read `timezone`.
        var joinedName: String { nameWords.joined() }

        /// A numeric keyword such as `minimum`, when the schema gives one.
        func number(_ keyword: String) -> Double? {
            switch schema[keyword] {
            case .integer(let value): Double(value)
            case .number(let value): value
            default: nil
            }
        }

        static func words(of name: String) -> [String] {
            var words: [String] = []
            var current = ""
            var previous: Character?
            let characters = Array(name)
            for (offset, character) in characters.enumerated() {
                guard character.isLetter || character.isNumber else {
                    if !current.isEmpty { words.append(current) }
                    current = ""
                    previous = nil
                    continue
                }
                let next = offset + 1 < characters.count ? characters[offset + 1] : nil
                let startsWord =
                    character.isUppercase
                    && (previous?.isLowercase == true || previous?.isNumber == true
                        || (previous?.isUppercase == true && next?.isLowercase == true))
                if startsWord, !current.isEmpty {
                    words.append(current)
                    current = ""
                }
                current.append(contentsOf: character.lowercased())
                previous = character
            }
            if !current.isEmpty { words.append(current) }
            return words
        }
    }

    /// Cheap facts about a message that tell whether a pattern can match at all. A regular-expression scan costs
    /// tens of microseconds even on a short message, and most patterns need a digit, a `:` or a word such as a
    /// month name that most messages do not have, so a scan is skipped when its clue is missing.
    struct Clues {
        let lowercased: String
        let hasDigit: Bool
        let hasMonthName: Bool

        private static let monthPrefixes = [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ]

        init(_ text: String) {
            lowercased = text.lowercased()
            hasDigit = text.utf8.contains { $0 >= 0x30 && $0 <= 0x39 }
            let lowercased = self.lowercased
            hasMonthName = Self.monthPrefixes.contains { lowercased.contains($0) }
        }

        func has(_ piece: String) -> Bool {
            lowercased.contains(piece)
        }

        func hasAny(_ pieces: [String]) -> Bool {
            pieces.contains { lowercased.contains($0) }
        }
    }

    /// Each kind of thing found in a message, found once on first need: several parameters read the same dates,
    /// times and numbers, and each scan runs several regular expressions. A class so that the context's
    /// non-mutating readers can fill it; it lives only as long as one extraction.
    final class Findings {
        var urls: [Found<String>]?
        var emails: [Found<String>]?
        var dateMentions: [Found<DateValue.Mention>]?
        var times: [Found<DateValue.TimeOfDay>]?
        var numbers: [Bool: [Found<NumberValue.Number>]] = [:]
        var opaque: [Range<String.Index>]?
    }

    /// A value found in the message, and where.
    struct Found<Value> {
        let range: Range<String.Index>
        let value: Value
    }

    /// The message being read, and which parts of it have already given a property its value.
    struct Context {
        let text: String
        let now: Date
        let timeZone: TimeZone
        let calendar: Calendar
        /// What was found in the message so far, shared by the extractors that need the same kind.
        private let findings = Findings()
        private(set) var used: [Range<String.Index>] = []
        /// How sure the running extractor is of its current reading, multiplied into its own confidence.
        var confidence: Double = 1
        var fillsTextWithWholeMessage = true

        init(text: String, now: Date, timeZone: TimeZone) {
            self.text = text
            self.now = now
            self.timeZone = timeZone
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            self.calendar = calendar
        }

        /// The web addresses in the message.
        var urls: [Found<String>] {
            if let urls = findings.urls { return urls }
            let urls = URLValue.find(in: text)
            findings.urls = urls
            return urls
        }

        var emails: [Found<String>] {
            if let emails = findings.emails { return emails }
            let emails = EmailValue.find(in: text)
            findings.emails = emails
            return emails
        }

        /// Date phrases, resolved from `now`.
        var dateMentions: [Found<DateValue.Mention>] {
            if let mentions = findings.dateMentions { return mentions }
            let mentions = DateValue.mentions(in: self)
            findings.dateMentions = mentions
            return mentions
        }

        /// Times of day.
        var times: [Found<DateValue.TimeOfDay>] {
            if let times = findings.times { return times }
            let times = DateValue.times(in: text)
            findings.times = times
            return times
        }

        /// Numbers, with amounts of money when `money` is set.
        func numbers(money: Bool) -> [Found<NumberValue.Number>] {
            if let numbers = findings.numbers[money] { return numbers }
            let numbers = NumberValue.find(in: self, money: money)
            findings.numbers[money] = numbers
            return numbers
        }

        /// Spans whose digits belong to something else (URLs, emails, dates, clock times), so they are not numbers.
        var opaque: [Range<String.Index>] {
            if let opaque = findings.opaque { return opaque }
            let opaque = urls.map(\.range) + DateValue.opaqueSpans(in: text, times: times) + emails.map(\.range)
            findings.opaque = opaque
            return opaque
        }

        var usedCount: Int { used.count }

        /// The part of the message covering every span used since `count` spans were used.
        func span(since count: Int) -> TextSpan? {
            let added = used[count...]
            guard let lower = added.map(\.lowerBound).min(), let upper = added.map(\.upperBound).max() else {
                return nil
            }
            return TextSpan(lower..<upper, in: text)
        }

        func isFree(_ range: Range<String.Index>) -> Bool {
            !used.contains { $0.overlaps(range) }
        }

        func isOpaque(_ range: Range<String.Index>) -> Bool {
            opaque.contains { $0.overlaps(range) }
        }

        mutating func use(_ range: Range<String.Index>) {
            used.append(range)
        }

        /// The first value, by position in the message, whose span is still free; its span becomes used. Of two
        /// values starting at the same place the longer wins, so "high" does not hide "high priority".
        mutating func takeFirst<Value>(_ candidates: [Found<Value>]) -> Value? {
            let sorted = candidates.sorted { lhs, rhs in
                lhs.range.lowerBound == rhs.range.lowerBound
                    ? lhs.range.upperBound > rhs.range.upperBound : lhs.range.lowerBound < rhs.range.lowerBound
            }
            guard let found = sorted.first(where: { isFree($0.range) }) else { return nil }
            use(found.range)
            return found.value
        }

        /// The message with used parts blanked out, for extractors that read what is left.
        var unusedText: String {
            guard !used.isEmpty else { return text }
            var result = ""
            var index = text.startIndex
            for range in used.sorted(by: { $0.lowerBound < $1.lowerBound }) where range.lowerBound >= index {
                result += text[index..<range.lowerBound]
                result += " "
                index = range.upperBound
            }
            result += text[index...]
            return result
        }

        /// Where `phrase` occurs in the message as whole words.
        func wholeWordRanges(of phrase: String, caseSensitive: Bool) -> [Range<String.Index>] {
            guard !phrase.isEmpty else { return [] }
            // A plain search: building a `Regex` for each phrase would compile it on every call.
            var ranges: [Range<String.Index>] = []
            var start = text.startIndex
            let options: String.CompareOptions = caseSensitive ? [] : [.caseInsensitive]
            while start < text.endIndex,
                let found = text.range(of: phrase, options: options, range: start..<text.endIndex)
            {
                if Self.isWordBounded(found, in: text) { ranges.append(found) }
                start = found.upperBound > found.lowerBound ? text.index(after: found.lowerBound) : text.endIndex
            }
            return ranges
        }

        /// Whether the characters either side of `range` do not continue a word.
        static func isWordBounded(_ range: Range<String.Index>, in text: String) -> Bool {
            let before = range.lowerBound > text.startIndex ? text[text.index(before: range.lowerBound)] : nil
            let after = range.upperBound < text.endIndex ? text[range.upperBound] : nil
            return !isWordCharacter(before) && !isWordCharacter(after)
        }

        private static func isWordCharacter(_ character: Character?) -> Bool {
            guard let character else { return false }
            return character.isLetter || character.isNumber || character == "_"
        }
    }

    /// Small numbers people spell out. Shared by the number and date extractors ("in three days").
    static func numberWordValue(_ word: some StringProtocol) -> Int? {
        switch word.lowercased() {
        case "zero": 0
        case "a", "an", "one": 1
        case "two": 2
        case "three": 3
        case "four": 4
        case "five": 5
        case "six": 6
        case "seven": 7
        case "eight": 8
        case "nine": 9
        case "ten": 10
        case "eleven": 11
        case "twelve": 12
        case "thirteen": 13
        case "fourteen": 14
        case "fifteen": 15
        case "sixteen": 16
        case "seventeen": 17
        case "eighteen": 18
        case "nineteen": 19
        case "twenty": 20
        default: nil
        }
    }
}

extension String {
    /// The matches of `regex`, or none without scanning when `possible` is false (see ``ArgumentExtractor/Clues``).
    func matches<Output>(of regex: Regex<Output>, ifPossible possible: Bool) -> [Regex<Output>.Match] {
        possible ? matches(of: regex) : []
    }
}
