import Foundation

/// Reads template source into segments and parameters, collecting every problem with its position.
///
/// A hand-written scanner over characters: the grammar is tiny, and it lets each error say exactly what was
/// expected where. After a problem inside a placeholder it skips to that placeholder's `}}` and goes on, so one
/// compile reports all the mistakes.
struct PromptTemplateParser {
    static let maximumNameLength = 64
    static let maximumParameters = PromptTemplate.maximumParameters
    static let maximumChoices = 100

    private let characters: [Character]
    private var index = 0
    private var line = 1
    private var column = 1
    private(set) var issues: [PromptTemplateError.Issue] = []

    init(source: String) {
        characters = Array(source)
    }

    struct Result {
        var segments: [PromptTemplate.Segment]
        var parameters: [PromptParameter]
    }

    /// A placeholder as written, before names are matched up.
    private struct Placeholder {
        var parameter: PromptParameter
        /// Whether anything beyond the name was written (type, `?`, default or description).
        var isDeclaration: Bool
    }

    private struct Failure: Error {}

    mutating func parse() -> Result {
        var segments: [PromptTemplate.Segment] = []
        var literal = ""
        var declared: [String: PromptParameter] = [:]
        var order: [String] = []
        var referenced: [(name: String, line: Int, column: Int)] = []

        while index < characters.count {
            if peek("\\{{") {
                advance(3)
                literal += "{{"
                continue
            }
            if peek("{{") {
                if !literal.isEmpty { segments.append(.literal(literal)) }
                literal = ""
                let startLine = line
                let startColumn = column
                advance(2)
                guard let placeholder = parsePlaceholder(openedAt: startLine, startColumn) else { continue }
                let name = placeholder.parameter.name
                segments.append(.placeholder(name: name))
                if !order.contains(name) { order.append(name) }
                if placeholder.isDeclaration {
                    if let earlier = declared[name], earlier != placeholder.parameter {
                        issue(
                            "parameter '\(name)' is already declared at line \(earlier.line), column \(earlier.column)",
                            expected: "a plain {{\(name)}} for later uses",
                            line: startLine,
                            column: startColumn
                        )
                    } else if declared[name] == nil {
                        declared[name] = placeholder.parameter
                    }
                } else {
                    referenced.append((name, startLine, startColumn))
                }
                continue
            }
            literal.append(characters[index])
            advance(1)
        }
        if !literal.isEmpty { segments.append(.literal(literal)) }

        var parameters: [PromptParameter] = []
        for name in order {
            if let parameter = declared[name] {
                parameters.append(parameter)
            } else if let first = referenced.first(where: { $0.name == name }) {
                parameters.append(
                    PromptParameter(
                        name: name, type: .string, isRequired: true, line: first.line, column: first.column))
            }
        }
        if parameters.count > Self.maximumParameters {
            let extra = parameters[Self.maximumParameters]
            issue(
                "a template may have at most \(Self.maximumParameters) parameters",
                line: extra.line,
                column: extra.column
            )
        }
        return Result(segments: segments, parameters: parameters)
    }

    // MARK: Placeholders

    /// Reads from after `{{` to after `}}`; `nil` (with issues recorded) when the placeholder is malformed.
    private mutating func parsePlaceholder(openedAt openLine: Int, _ openColumn: Int) -> Placeholder? {
        do {
            let placeholder = try placeholderBody(openLine, openColumn)
            return placeholder
        } catch {
            skipPastClose()
            return nil
        }
    }

    private mutating func placeholderBody(_ openLine: Int, _ openColumn: Int) throws(Failure) -> Placeholder {
        skipSpaces()
        let nameLine = line
        let nameColumn = column
        guard index < characters.count else {
            throw fail(
                "this placeholder is never closed", expected: "a name and '}}'", line: openLine, column: openColumn)
        }
        guard let name = readIdentifier() else {
            throw fail(
                "a placeholder must start with a parameter name",
                expected: "a name: a letter or '_', then letters, digits or '_'")
        }
        guard name.count <= Self.maximumNameLength else {
            throw fail(
                "the name '\(name.prefix(20))…' is longer than \(Self.maximumNameLength) characters",
                line: nameLine, column: nameColumn)
        }
        var parameter = PromptParameter(
            name: name, type: .string, isRequired: true, line: nameLine, column: nameColumn)
        var isDeclaration = false
        var isOptional = false

        if peek("?") {
            advance(1)
            isOptional = true
            isDeclaration = true
        }
        skipSpaces()
        if peek(":") {
            advance(1)
            isDeclaration = true
            skipSpaces()
            try readType(into: &parameter)
            if peek("?") {
                advance(1)
                isOptional = true
            }
            skipSpaces()
        }
        if peek("=") {
            advance(1)
            isDeclaration = true
            skipSpaces()
            parameter.defaultValue = try readDefault(for: parameter)
            skipSpaces()
        }
        if peek("#") {
            advance(1)
            isDeclaration = true
            let description = readDescription()
            guard !description.isEmpty else {
                throw fail("the description after '#' is empty", expected: "a few words describing '\(name)'")
            }
            parameter.description = description
        }
        guard peek("}}") else {
            if index >= characters.count {
                throw fail("this placeholder is never closed", expected: "'}}'", line: openLine, column: openColumn)
            }
            throw fail(
                "unexpected '\(characters[index])' in the placeholder for '\(name)'",
                expected: "':', '?', '=', '#' or '}}'")
        }
        advance(2)
        parameter.isRequired = !isOptional && parameter.defaultValue == nil
        return Placeholder(parameter: parameter, isDeclaration: isDeclaration)
    }

    private mutating func readType(into parameter: inout PromptParameter) throws(Failure) {
        let typeLine = line
        let typeColumn = column
        guard let keyword = readIdentifier() else {
            throw fail(
                "a type must follow ':'",
                expected: "one of " + PromptParameterType.keywords.joined(separator: ", "))
        }
        switch keyword.lowercased() {
        case "string", "str": parameter.type = .string
        case "text": parameter.type = .text
        case "integer", "int": parameter.type = .integer
        case "number", "decimal": parameter.type = .number
        case "money": parameter.type = .money
        case "boolean", "bool": parameter.type = .boolean
        case "date": parameter.type = .date
        case "datetime": parameter.type = .dateTime
        case "time": parameter.type = .time
        case "email": parameter.type = .email
        case "url", "uri": parameter.type = .url
        case "enum": parameter.type = .choice(try readChoices())
        default:
            throw fail(
                "unknown type '\(keyword)'",
                expected: "one of " + PromptParameterType.keywords.joined(separator: ", "),
                line: typeLine,
                column: typeColumn)
        }
        if parameter.type == .money { parameter.minimum = 0 }
        if parameter.type.isNumeric, peek("(") {
            try readBounds(into: &parameter)
        }
    }

    /// `(a|b|c)` after `enum`.
    private mutating func readChoices() throws(Failure) -> [String] {
        guard peek("(") else { throw fail("'enum' needs its values", expected: "'(' as in enum(red|green|blue)") }
        advance(1)
        var choices: [String] = []
        var current = ""
        var valueLine = line
        var valueColumn = column
        func finish() throws(Failure) {
            let value = current.trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty else {
                throw fail("an enum value is empty", expected: "a value between '|' separators")
            }
            guard !choices.contains(value) else {
                throw fail("the enum value '\(value)' is listed twice", line: valueLine, column: valueColumn)
            }
            choices.append(value)
            current = ""
        }
        while index < characters.count {
            let character = characters[index]
            if character == ")" {
                try finish()
                advance(1)
                guard choices.count <= Self.maximumChoices else {
                    throw fail("an enum may have at most \(Self.maximumChoices) values")
                }
                return choices
            }
            if character == "|" {
                try finish()
                advance(1)
                valueLine = line
                valueColumn = column
                continue
            }
            if character == "}" || character == "\n" || character == "(" {
                throw fail("unexpected '\(character)' in the enum values", expected: "'|' or ')'")
            }
            current.append(character)
            advance(1)
        }
        throw fail("the enum values are never closed", expected: "')'")
    }

    /// `(1..20)`, `(0..)` or `(..100)` after a numeric type.
    private mutating func readBounds(into parameter: inout PromptParameter) throws(Failure) {
        advance(1)
        skipSpaces()
        let lowerPosition = (line, column)
        let lower = readNumberText()
        skipSpaces()
        guard peek("..") else { throw fail("bounds are written low..high", expected: "'..'") }
        advance(2)
        skipSpaces()
        let upperPosition = (line, column)
        let upper = readNumberText()
        skipSpaces()
        guard peek(")") else { throw fail("the bounds are never closed", expected: "')'") }
        advance(1)
        let integerOnly = parameter.type == .integer
        func value(_ text: String, at position: (Int, Int)) throws(Failure) -> Double? {
            guard !text.isEmpty else { return nil }
            guard let number = Double(text), number.isFinite, !integerOnly || Int64(text) != nil else {
                throw fail(
                    "'\(text)' is not a valid bound", expected: integerOnly ? "an integer" : "a number",
                    line: position.0, column: position.1)
            }
            return number
        }
        let minimum = try value(lower, at: lowerPosition)
        let maximum = try value(upper, at: upperPosition)
        if lower.isEmpty, upper.isEmpty { throw fail("bounds need a low or a high end", expected: "a number") }
        if let minimum, let maximum, minimum > maximum {
            throw fail(
                "the low bound \(lower) is above the high bound \(upper)", line: lowerPosition.0,
                column: lowerPosition.1)
        }
        if let minimum { parameter.minimum = minimum }
        if let maximum { parameter.maximum = maximum }
    }

    /// A default: a quoted string or a bare word, converted to the parameter's type.
    private mutating func readDefault(for parameter: PromptParameter) throws(Failure) -> JSONValue {
        let valueLine = line
        let valueColumn = column
        let text: String
        if peek("\"") {
            text = try readQuoted()
        } else {
            var bare = ""
            while index < characters.count, !characters[index].isWhitespace, !peek("}}"), characters[index] != "#" {
                bare.append(characters[index])
                advance(1)
            }
            guard !bare.isEmpty else {
                throw fail("'=' must be followed by a default value", expected: "a value or a \"quoted text\"")
            }
            text = bare
        }
        guard let value = PromptTemplate.value(text, as: parameter) else {
            throw fail(
                "'\(text)' is not a valid default for '\(parameter.name)'",
                expected: PromptTemplate.expectation(for: parameter),
                line: valueLine,
                column: valueColumn)
        }
        return value
    }

    private mutating func readQuoted() throws(Failure) -> String {
        advance(1)
        var text = ""
        while index < characters.count {
            let character = characters[index]
            if character == "\\", index + 1 < characters.count, "\"\\".contains(characters[index + 1]) {
                text.append(characters[index + 1])
                advance(2)
                continue
            }
            if character == "\"" {
                advance(1)
                return text
            }
            if character == "\n" { break }
            text.append(character)
            advance(1)
        }
        throw fail("the quoted default is never closed", expected: "'\"'")
    }

    /// Everything after `#` up to `}}`, trimmed.
    private mutating func readDescription() -> String {
        var text = ""
        while index < characters.count, !peek("}}") {
            text.append(characters[index])
            advance(1)
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: Scanning

    private mutating func readIdentifier() -> String? {
        guard index < characters.count, characters[index].isASCII,
            characters[index].isLetter || characters[index] == "_"
        else { return nil }
        var name = ""
        while index < characters.count, characters[index].isASCII,
            characters[index].isLetter || characters[index].isNumber || characters[index] == "_"
        {
            name.append(characters[index])
            advance(1)
        }
        return name
    }

    private mutating func readNumberText() -> String {
        var text = ""
        while index < characters.count, characters[index].isASCII,
            characters[index].isNumber || characters[index] == "-" || characters[index] == "+"
                || (characters[index] == "." && !peek(".."))
        {
            text.append(characters[index])
            advance(1)
        }
        return text
    }

    private func peek(_ text: String) -> Bool {
        var position = index
        for character in text {
            guard position < characters.count, characters[position] == character else { return false }
            position += 1
        }
        return true
    }

    private mutating func advance(_ count: Int) {
        for _ in 0..<count where index < characters.count {
            if characters[index] == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
    }

    private mutating func skipSpaces() {
        while index < characters.count, characters[index] == " " || characters[index] == "\t" { advance(1) }
    }

    /// After a malformed placeholder: on to just past its `}}`, or to the end.
    private mutating func skipPastClose() {
        while index < characters.count, !peek("}}") { advance(1) }
        advance(2)
    }

    private mutating func issue(_ message: String, expected: String? = nil, line: Int, column: Int) {
        issues.append(.init(line: line, column: column, message: message, expected: expected))
    }

    /// Records a problem at the current position (or the given one) and returns the error that unwinds the
    /// placeholder.
    private mutating func fail(
        _ message: String,
        expected: String? = nil,
        line: Int? = nil,
        column: Int? = nil
    ) -> Failure {
        issue(message, expected: expected, line: line ?? self.line, column: column ?? self.column)
        return Failure()
    }
}
