import AnvilCore
import Foundation
import Testing

@Suite("Prompt templates")
struct PromptTemplateTests {
    static let restaurant = """
        Find {{cuisine: enum(italian|thai|any) = any # Kind of food}} restaurants in {{city # The city to search}}
        for {{guests: integer(1..20) = 2}} people on {{date: date}}, budget {{budget: money?}}.
        Notes: {{notes: text?}} Again, in {{city}}.
        """

    @Test("a template compiles into its parameters in order of first use")
    func parameters() throws {
        let template = try PromptTemplate(Self.restaurant)
        #expect(template.parameters.map(\.name) == ["cuisine", "city", "guests", "date", "budget", "notes"])
        let cuisine = try #require(template.parameter(named: "cuisine"))
        #expect(cuisine.type == .choice(["italian", "thai", "any"]))
        #expect(cuisine.defaultValue == "any")
        #expect(!cuisine.isRequired)
        #expect(cuisine.description == "Kind of food")
        let city = try #require(template.parameter(named: "city"))
        #expect(city.type == .string && city.isRequired && city.description == "The city to search")
        let guests = try #require(template.parameter(named: "guests"))
        #expect(guests.type == .integer && guests.minimum == 1 && guests.maximum == 20 && guests.defaultValue == 2)
        #expect(guests.line == 2 && guests.column == 7)
        #expect(template.parameter(named: "budget")?.isRequired == false)
        #expect(template.parameter(named: "budget")?.minimum == 0)
        #expect(template.parameter(named: "notes")?.type == .text)
    }

    @Test("the JSON Schema has types, formats, bounds, enums, defaults, descriptions and the required list")
    func jsonSchema() throws {
        let schema = try PromptTemplate(Self.restaurant).jsonSchema
        let object = try #require(schema.objectValue)
        #expect(object["$schema"] == "https://json-schema.org/draft/2020-12/schema")
        #expect(object["required"] == ["city", "date"])
        #expect(object["additionalProperties"] == false)
        let properties = try #require(object["properties"]?.objectValue)
        #expect(
            properties["cuisine"] == [
                "type": "string", "enum": ["italian", "thai", "any"], "default": "any", "title": "Cuisine",
                "description": "Kind of food",
            ])
        #expect(
            properties["guests"] == ["type": "integer", "minimum": 1, "maximum": 20, "default": 2, "title": "Guests"])
        #expect(properties["date"] == ["type": "string", "format": "date", "title": "Date"])
        #expect(properties["budget"] == ["type": "number", "minimum": 0, "x-anvil-type": "money", "title": "Budget"])
        // The schema is one our own validator compiles, and it accepts what it should.
        let compiled = try JSONSchema(schema)
        #expect(compiled.isValid(["city": "Rome", "date": "2026-03-05", "guests": 4]))
        #expect(!compiled.isValid(["city": "Rome", "date": "2026-02-30"]))
        #expect(!compiled.isValid(["city": "Rome", "date": "2026-03-05", "guests": 21]))
        #expect(!compiled.isValid(["city": "Rome", "date": "2026-03-05", "extra": 1]))
    }

    @Test(
        "every type maps to its JSON Schema",
        arguments: [
            ("{{a}}", ["type": "string", "title": "A"]),
            ("{{a: text}}", ["type": "string", "x-anvil-type": "text", "title": "A"]),
            ("{{a: number(0.5..)}}", ["type": "number", "minimum": 0.5, "title": "A"]),
            ("{{a: boolean = yes}}", ["type": "boolean", "default": true, "title": "A"]),
            ("{{a: datetime}}", ["type": "string", "format": "date-time", "title": "A"]),
            ("{{a: time}}", ["type": "string", "format": "time", "title": "A"]),
            ("{{a: email}}", ["type": "string", "format": "email", "title": "A"]),
            ("{{a: url}}", ["type": "string", "format": "uri", "title": "A"]),
            ("{{start_date: date}}", ["type": "string", "format": "date", "title": "Start date"]),
        ] as [(String, JSONValue)]
    )
    func typeSchemas(source: String, expected: JSONValue) throws {
        let template = try PromptTemplate(source)
        #expect(template.parameters.first?.jsonSchema == expected)
    }

    @Test("form hints give a widget, label, order and placeholder per field")
    func form() throws {
        let fields = try PromptTemplate(Self.restaurant).formFields
        #expect(fields.map(\.widget) == ["radio", "text", "number", "date", "currency", "textarea"])
        #expect(fields.map(\.order) == [0, 1, 2, 3, 4, 5])
        #expect(fields[1].label == "City" && fields[1].placeholder == "The city to search" && fields[1].required)
        #expect(fields[0].options == ["italian", "thai", "any"] && fields[0].placeholder == "any")
        #expect(fields[2].placeholder == "2" && fields[2].step == 1 && fields[2].maximum == 20)
        #expect(fields[3].placeholder == "YYYY-MM-DD")
    }

    @Test("rendering fills placeholders and applies defaults")
    func render() throws {
        let template = try PromptTemplate(Self.restaurant)
        let text = try template.render(["city": "Rome", "date": "2026-03-05", "budget": 80.5, "notes": .null])
        #expect(
            text == """
                Find any restaurants in Rome
                for 2 people on 2026-03-05, budget 80.5.
                Notes:  Again, in Rome.
                """)
        #expect(try PromptTemplate("{{ok: boolean}}").render(["ok": true]) == "yes")
        #expect(try PromptTemplate(#"a \{{literal}} {{b}}"#).render(["b": "x"]) == "a {{literal}} x")
    }

    @Test("a missing required value is an error, never empty text")
    func renderMissing() throws {
        let template = try PromptTemplate(Self.restaurant)
        let error = #expect(throws: PromptRenderError.self) { try template.render(["city": "Rome"]) }
        #expect(error?.missing == ["date"])
        let nullCity = #expect(throws: PromptRenderError.self) {
            try template.render(["city": .null, "date": "2026-03-05"])
        }
        #expect(nullCity?.missing == ["city"])
    }

    @Test("values that break their parameter's schema and unknown names are reported with paths")
    func renderInvalid() throws {
        let template = try PromptTemplate(Self.restaurant)
        let error = #expect(throws: PromptRenderError.self) {
            try template.render(["city": "Rome", "date": "March", "guests": 50, "colour": "red"])
        }
        #expect(error?.missing == [])
        #expect(error?.invalid.map(\.path) == ["$.colour", "$.guests", "$.date"])
    }

    // MARK: Malformed templates

    struct Malformed: Sendable, CustomTestStringConvertible {
        let source: String
        let line: Int
        let column: Int
        let messageContains: String
        var testDescription: String { source }
    }

    @Test(
        "malformed templates are errors with the line, the column and what was expected",
        arguments: [
            Malformed(source: "Hi {{", line: 1, column: 4, messageContains: "never closed"),
            Malformed(source: "Hi {{name", line: 1, column: 4, messageContains: "never closed"),
            Malformed(source: "Hi {{}}", line: 1, column: 6, messageContains: "parameter name"),
            Malformed(source: "Hi {{1abc}}", line: 1, column: 6, messageContains: "parameter name"),
            Malformed(source: "a\nb {{x: integr}}", line: 2, column: 8, messageContains: "unknown type 'integr'"),
            Malformed(source: "{{x: integer = two}}", line: 1, column: 16, messageContains: "not a valid default"),
            Malformed(source: "{{x: enum(a|b) = c}}", line: 1, column: 18, messageContains: "not a valid default"),
            Malformed(source: "{{x: enum(a||b)}}", line: 1, column: 13, messageContains: "enum value is empty"),
            Malformed(source: "{{x: enum(a|a)}}", line: 1, column: 13, messageContains: "listed twice"),
            Malformed(source: "{{x: enum}}", line: 1, column: 10, messageContains: "needs its values"),
            Malformed(source: "{{x: enum(a|b}}", line: 1, column: 14, messageContains: "in the enum values"),
            Malformed(source: "{{x: integer(5..1)}}", line: 1, column: 14, messageContains: "above the high"),
            Malformed(source: "{{x: integer(1.5..)}}", line: 1, column: 14, messageContains: "not a valid bound"),
            Malformed(source: "{{x: date = tomorrow}}", line: 1, column: 13, messageContains: "not a valid default"),
            Malformed(source: "{{x #}}", line: 1, column: 6, messageContains: "description after '#' is empty"),
            Malformed(source: "{{x y}}", line: 1, column: 5, messageContains: "unexpected 'y'"),
            Malformed(source: "{{x: text = \"open}}", line: 1, column: 20, messageContains: "never closed"),
            Malformed(source: "{{x: text}} {{x: integer}}", line: 1, column: 13, messageContains: "already declared"),
            Malformed(source: "{{x:}}", line: 1, column: 5, messageContains: "type must follow"),
        ]
    )
    func malformed(_ testCase: Malformed) throws {
        let error = #expect(throws: PromptTemplateError.self) { try PromptTemplate(testCase.source) }
        let issue = try #require(error?.issues.first)
        #expect(issue.line == testCase.line, "\(issue)")
        #expect(issue.column == testCase.column, "\(issue)")
        #expect(issue.message.contains(testCase.messageContains), "\(issue)")
    }

    @Test("every problem is reported, not just the first")
    func severalProblems() throws {
        let error = #expect(throws: PromptTemplateError.self) {
            try PromptTemplate("{{a: nope}} fine {{b}}\n{{c: integer = x}} {{")
        }
        #expect(error?.issues.map(\.line) == [1, 2, 2])
        #expect(error?.issues.first?.expected?.contains("integer") == true)
    }

    @Test("an expected-token hint names what would have been valid")
    func expectedHint() throws {
        let error = #expect(throws: PromptTemplateError.self) { try PromptTemplate("{{x y}}") }
        #expect(error?.issues.first?.expected == "':', '?', '=', '#' or '}}'")
    }

    // MARK: Round trips

    @Test(
        "the normal form compiles back to the same template",
        arguments: [
            restaurant,
            "no placeholders at all",
            #"escaped \{{ braces }} and {{x}}"#,
            #"{{q: text = "say \"hi\" # now" # With quotes}}"#,
            "{{n: number(..9.5) = 1.25}} {{m: money(10..) = 20}} {{b: bool = false}} {{t: time?}}",
            "{{a?}} {{b: enum(x y|z) = \"x y\"}} {{c: url = https://example.com/a?b=1}}",
        ]
    )
    func roundTrip(source: String) throws {
        let template = try PromptTemplate(source)
        let again = try PromptTemplate(template.canonicalSource)
        #expect(again.segments == template.segments)
        #expect(Self.withoutPositions(again.parameters) == Self.withoutPositions(template.parameters))
        #expect(again.canonicalSource == template.canonicalSource)
    }

    @Test("generated templates round-trip through their normal form", arguments: 0..<200)
    func generatedRoundTrip(seed: Int) throws {
        var generator = SeededGenerator(seed: UInt64(seed) &+ 0x9E37_79B9)
        let source = TemplateGenerator.template(using: &generator)
        let template = try PromptTemplate(source)
        let again = try PromptTemplate(template.canonicalSource)
        #expect(again.segments == template.segments, "\(source)")
        #expect(Self.withoutPositions(again.parameters) == Self.withoutPositions(template.parameters), "\(source)")
    }

    @Test("random text never crashes the compiler", arguments: 0..<200)
    func randomText(seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed) &* 7919 &+ 1)
        let alphabet = Array("{}{}:?=#|()\"\\ az09._-\n")
        let source = String(
            (0..<Int.random(in: 0...40, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator) ?? "a"
            })
        do {
            let template = try PromptTemplate(source)
            #expect(try PromptTemplate(template.canonicalSource).segments == template.segments)
        } catch {
            #expect(!error.issues.isEmpty)
            for issue in error.issues {
                #expect(issue.line >= 1 && issue.column >= 1)
            }
        }
    }

    static func withoutPositions(_ parameters: [PromptParameter]) -> [PromptParameter] {
        parameters.map { parameter in
            var copy = parameter
            copy.line = 0
            copy.column = 0
            return copy
        }
    }
}

/// A small deterministic random source, so generated cases are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed == 0 ? 0x1234_5678 : seed
    }

    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}

/// Builds valid templates from random choices.
enum TemplateGenerator {
    static let words = ["Find", "a table", "in", "for", "on", "please", "{ brace }", "} }", "#tag", "q?", "a=b"]

    static func template(using generator: inout SeededGenerator) -> String {
        var text = ""
        var declared: [String] = []
        for _ in 0..<Int.random(in: 1...6, using: &generator) {
            text += (words.randomElement(using: &generator) ?? "") + " "
            if Bool.random(using: &generator), let name = declared.randomElement(using: &generator) {
                text += "{{\(name)}}"
            } else {
                let name = "p\(declared.count)_" + String(Int.random(in: 0...99, using: &generator))
                declared.append(name)
                text += "{{" + placeholder(name, using: &generator) + "}}"
            }
            if Int.random(in: 0..<5, using: &generator) == 0 { text += "\n" }
        }
        return text
    }

    static func placeholder(_ name: String, using generator: inout SeededGenerator) -> String {
        let types: [(String, [String])] = [
            ("", ["\"hello world\"", "plain"]),
            ("string", ["x", "\"two words\""]),
            ("text", ["\"a # b\""]),
            ("integer", ["3", "-7"]),
            ("integer(1..10)", ["5"]),
            ("number", ["2.5", "4"]),
            ("money", ["19.99"]),
            ("boolean", ["true", "no"]),
            ("date", ["2028-02-29"]),
            ("datetime", ["2026-03-05T19:00:00Z"]),
            ("time", ["19:00:00+01:00"]),
            ("email", ["a@example.com"]),
            ("url", ["https://example.com"]),
            ("enum(red|green|dark blue)", ["green", "\"dark blue\""]),
        ]
        let (type, defaults) = types.randomElement(using: &generator) ?? ("", [])
        var text = name
        if !type.isEmpty { text += ": " + type }
        switch Int.random(in: 0..<3, using: &generator) {
        case 0: text += type.isEmpty ? "?" : "?"
        case 1: text += " = " + (defaults.randomElement(using: &generator) ?? "x")
        default: break
        }
        if Bool.random(using: &generator) { text += " # Some words: about it?" }
        return text
    }
}
