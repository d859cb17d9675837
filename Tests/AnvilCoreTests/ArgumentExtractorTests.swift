import AnvilCore
import Foundation
import Testing

@Suite("Argument extractor")
struct ArgumentExtractorTests {
    /// Saturday 31 January 2026, 10:00 UTC: the last day of a month, to catch month-end arithmetic.
    static let now = Date(timeIntervalSince1970: 1_769_853_600)
    static let utc = TimeZone(identifier: "UTC") ?? .gmt

    /// One message, one property, and what the property should be (`nil`: left out or reported missing).
    struct Case: Sendable, CustomTestStringConvertible {
        let text: String
        let property: JSONValue
        let expected: JSONValue?
        var testDescription: String { text }

        init(_ text: String, _ property: JSONValue, _ expected: JSONValue?) {
            self.text = text
            self.property = property
            self.expected = expected
        }
    }

    static func extract(_ property: JSONValue, from text: String, timeZone: TimeZone = utc, at now: Date = now)
        -> ArgumentExtraction
    {
        let schema: JSONValue = ["type": "object", "properties": ["value": property], "required": ["value"]]
        return ArgumentExtractor(now: now, timeZone: timeZone).extract(schema: schema, from: text)
    }

    static func check(_ testCase: Case, timeZone: TimeZone = utc) {
        let extraction = extract(testCase.property, from: testCase.text, timeZone: timeZone)
        #expect(extraction.arguments["value"] == testCase.expected)
        #expect(extraction.missing == (testCase.expected == nil ? ["value"] : []))
    }

    static let url: JSONValue = ["type": "string", "format": "uri"]

    @Test(
        "URLs",
        arguments: [
            Case("fetch https://example.com", url, "https://example.com"),
            Case("read https://example.com/a?b=1.", url, "https://example.com/a?b=1"),
            Case("open example.com/docs/intro please", url, "https://example.com/docs/intro"),
            Case("go to www.swift.org, thanks", url, "https://www.swift.org"),
            Case(
                "see (https://en.wikipedia.org/wiki/Swift_(programming_language))", url,
                "https://en.wikipedia.org/wiki/Swift_(programming_language)"
            ),
            Case("first http://a.example.org then https://b.example.org", url, "http://a.example.org"),
            Case("mail bob@example.com", url, nil),
            Case("summarise notes.md for me", url, nil),
            Case("tell me a joke", url, nil),
        ]
    )
    func urls(_ testCase: Case) {
        Self.check(testCase)
    }

    @Test("a property named like a link is a URL without a format")
    func urlByName() {
        let extraction = Self.extract(["type": "string"], from: "open swift.org")
        #expect(extraction.arguments["value"] == "open swift.org")
        let schema: JSONValue = ["type": "object", "properties": ["page_url": ["type": "string"]]]
        let byName = ArgumentExtractor(now: Self.now, timeZone: Self.utc).extract(
            schema: schema, from: "open swift.org")
        #expect(byName.arguments == ["page_url": "https://swift.org"])
    }

    static let date: JSONValue = ["type": "string", "format": "date"]

    @Test(
        "dates relative to Saturday 31 January 2026",
        arguments: [
            Case("on 2026-03-05", date, "2026-03-05"),
            Case("March 5th", date, "2026-03-05"),
            Case("on the 5th of march", date, "2026-03-05"),
            Case("5 March 2027", date, "2027-03-05"),
            Case("Dec. 24, 2026", date, "2026-12-24"),
            Case("January 15", date, "2027-01-15"),
            Case("today", date, "2026-01-31"),
            Case("tomorrow", date, "2026-02-01"),
            Case("yesterday", date, "2026-01-30"),
            Case("the day after tomorrow", date, "2026-02-02"),
            Case("in 3 days", date, "2026-02-03"),
            Case("in three weeks", date, "2026-02-21"),
            Case("in a month", date, "2026-02-28"),
            Case("2 weeks ago", date, "2026-01-17"),
            Case("next week", date, "2026-02-07"),
            Case("next Friday", date, "2026-02-06"),
            Case("on Saturday", date, "2026-01-31"),
            Case("next saturday", date, "2026-02-07"),
            Case("last Sunday", date, "2026-01-25"),
            Case("by the end of the month", date, "2026-01-31"),
            Case("end of next month", date, "2026-02-28"),
            Case("February 30", date, nil),
            Case("some day", date, nil),
        ]
    )
    func dates(_ testCase: Case) {
        Self.check(testCase)
    }

    @Test("the calendar day comes from the time zone, not UTC")
    func dayInTimeZone() throws {
        let paris = try #require(TimeZone(identifier: "Europe/Paris"))
        let lateEvening = Date(timeIntervalSince1970: 1_769_902_200)  // 2026-01-31 23:30 UTC, 00:30 in Paris
        let today = Self.extract(Self.date, from: "today", timeZone: paris, at: lateEvening)
        #expect(today.arguments["value"] == "2026-02-01")
        let tomorrow = Self.extract(Self.date, from: "tomorrow", timeZone: Self.utc, at: lateEvening)
        #expect(tomorrow.arguments["value"] == "2026-02-01")
    }

    @Test(
        "date-times carry the time zone's offset",
        arguments: [
            Case("tomorrow at 3pm", ["type": "string", "format": "date-time"], "2026-02-01T15:00:00+01:00"),
            Case("today at 9:30 a.m.", ["type": "string", "format": "date-time"], "2026-01-31T09:30:00+01:00"),
            Case("friday at noon", ["type": "string", "format": "date-time"], "2026-02-06T12:00:00+01:00"),
            Case("at 18:45", ["type": "string", "format": "date-time"], "2026-01-31T18:45:00+01:00"),
            Case("in 2 hours", ["type": "string", "format": "date-time"], "2026-01-31T13:00:00+01:00"),
            Case("2026-07-01T09:30", ["type": "string", "format": "date-time"], "2026-07-01T09:30:00+02:00"),
            Case("next Monday", ["type": "string", "format": "date-time"], "2026-02-02T00:00:00+01:00"),
        ]
    )
    func dateTimes(_ testCase: Case) throws {
        Self.check(testCase, timeZone: try #require(TimeZone(identifier: "Europe/Paris")))
    }

    @Test(
        "numbers",
        arguments: [
            Case("give me 5 results", ["type": "integer"], 5),
            Case("three results please", ["type": "integer"], 3),
            Case("set it to 21.5 degrees", ["type": "number"], 21.5),
            Case("about 2.5 or 3", ["type": "integer"], 3),
            Case("move it by -4", ["type": "integer"], -4),
            Case("budget 1,000,000", ["type": "integer"], 1_000_000),
            Case("show 50 or 7", ["type": "integer", "maximum": 10], 7),
            Case("fetch https://example.com/page/42", ["type": "integer"], nil),
            Case("meet on 2026-03-05 at 10:30", ["type": "integer"], nil),
            Case("no numbers here", ["type": "integer"], nil),
        ]
    )
    func numbers(_ testCase: Case) {
        Self.check(testCase)
    }

    @Test(
        "booleans",
        arguments: [
            Case("yes", ["type": "boolean"], true),
            Case("false", ["type": "boolean"], false),
            Case("nope", ["type": "boolean"], false),
            Case("maybe", ["type": "boolean"], nil),
        ]
    )
    func booleans(_ testCase: Case) {
        Self.check(testCase)
    }

    @Test("a boolean named in the message is true unless negated")
    func booleanByName() {
        let schema: JSONValue = ["type": "object", "properties": ["include_images": ["type": "boolean"]]]
        let extractor = ArgumentExtractor(now: Self.now, timeZone: Self.utc)
        #expect(
            extractor.extract(schema: schema, from: "search cats, include images").arguments["include_images"] == true)
        #expect(
            extractor.extract(schema: schema, from: "search cats without images").arguments["include_images"] == false)
        #expect(extractor.extract(schema: schema, from: "search cats").arguments["include_images"] == nil)
    }

    static let units: JSONValue = ["type": "string", "enum": ["celsius", "fahrenheit", "kelvin"]]
    static let priority: JSONValue = ["type": "string", "enum": ["high", "high_priority", "low"]]

    @Test(
        "enum values: exact, any case, then closest spelling",
        arguments: [
            Case("weather in celsius", units, "celsius"),
            Case("weather in Fahrenheit please", units, "fahrenheit"),
            Case("weather in farenheit", units, "fahrenheit"),
            // Swapped neighbouring letters are one slip, so this is one edit from "kelvin"; two slips are not.
            Case("weather in KELVNI", units, "kelvin"),
            Case("weather in KLEVNI", units, nil),
            Case("in kelvn", units, "kelvin"),
            Case("weather in Paris", units, nil),
            Case("mark it high priority", priority, "high_priority"),
            Case("mark it high", priority, "high"),
            Case("retry 3 times", ["type": "integer", "enum": [1, 3, 5]], 3),
        ]
    )
    func enums(_ testCase: Case) {
        Self.check(testCase)
    }

    @Test(
        "time zones",
        arguments: [
            Case("what time is it in Europe/Paris", ["type": "string"], "Europe/Paris"),
            Case("time in america/new_york", ["type": "string"], "America/New_York"),
            Case("what time is it in New York?", ["type": "string"], "America/New_York"),
            Case("the time in tokyo", ["type": "string"], "Asia/Tokyo"),
            Case("now in UTC", ["type": "string"], "UTC"),
            Case("what time is it", ["type": "string"], nil),
        ]
    )
    func timeZones(_ testCase: Case) {
        let schema: JSONValue = ["type": "object", "properties": ["timezone": testCase.property]]
        let extraction = ArgumentExtractor(now: Self.now, timeZone: Self.utc).extract(
            schema: schema, from: testCase.text)
        #expect(extraction.arguments["timezone"] == testCase.expected)
        #expect(extraction.missing.isEmpty)
    }

    @Test(
        "quoted text",
        arguments: [
            Case(#"create a note titled "Groceries" now"#, ["type": "string"], "Groceries"),
            Case("rename it to “Q3 plan”", ["type": "string"], "Q3 plan"),
            Case("call it 'draft one', it's fine", ["type": "string"], "draft one"),
            Case("what's the title? it's late", ["type": "string"], "what's the title? it's late"),
        ]
    )
    func quotedText(_ testCase: Case) {
        Self.check(testCase)
    }

    @Test(
        "a query is the message without the request phrase",
        arguments: [
            ("search the web for swift concurrency", "swift concurrency"),
            ("Can you please look up the weather in Paris?", "weather in Paris"),
            ("find me information about structured concurrency", "structured concurrency"),
            ("tell me about the Swift actors proposal.", "the Swift actors proposal"),
            ("hey, search my notes for tax forms please", "tax forms"),
            ("swift testing traits", "swift testing traits"),
        ]
    )
    func queries(_ text: String, _ expected: String) {
        let schema: JSONValue = ["type": "object", "properties": ["query": ["type": "string"]], "required": ["query"]]
        let extraction = ArgumentExtractor(now: Self.now, timeZone: Self.utc).extract(schema: schema, from: text)
        #expect(extraction.arguments["query"] == .string(expected))
    }

    @Test("a note's content is the message without 'take a note'")
    func noteContent() {
        let schema: JSONValue = [
            "type": "object", "properties": ["content": ["type": "string"]], "required": ["content"],
        ]
        let extractor = ArgumentExtractor(now: Self.now, timeZone: Self.utc)
        #expect(extractor.extract(schema: schema, from: "take a note: buy milk").arguments["content"] == "buy milk")
        #expect(
            extractor.extract(schema: schema, from: "remember that the gate code is 4521").arguments["content"]
                == "the gate code is 4521")
        #expect(extractor.extract(schema: schema, from: "search").missing == ["content"])
    }

    @Test("required properties are filled first and each piece of the message is used once")
    func requiredFirst() {
        let schema: JSONValue = [
            "type": "object",
            "properties": [
                "offset": ["type": "integer"],
                "count": ["type": "integer"],
                "limit": ["type": "integer"],
            ],
            "required": ["count", "limit"],
        ]
        let extraction = ArgumentExtractor(now: Self.now, timeZone: Self.utc).extract(
            schema: schema, from: "4, 8 and 15")
        #expect(extraction.arguments == ["count": 4, "limit": 8, "offset": 15])
        #expect(extraction.missing.isEmpty)
    }

    @Test("missing required properties are reported; defaults fill them; optional ones are left out")
    func missingAndDefaults() {
        let schema: JSONValue = [
            "type": "object",
            "properties": [
                "url": ["type": "string", "format": "uri"],
                "units": ["type": "string", "enum": ["metric", "imperial"], "default": "metric"],
                "days": ["type": "integer"],
                "when": ["type": "string", "format": "date"],
            ],
            "required": ["url", "units", "absent"],
        ]
        let extraction = ArgumentExtractor(now: Self.now, timeZone: Self.utc).extract(
            schema: schema, from: "tell me a joke")
        #expect(extraction.arguments == ["units": "metric"])
        #expect(extraction.missing == ["url", "absent"])
        #expect(!extraction.isComplete)
    }

    @Test("a schema without properties gives no arguments")
    func emptySchema() {
        let extractor = ArgumentExtractor(now: Self.now, timeZone: Self.utc)
        #expect(extractor.extract(schema: ["type": "object"], from: "hello") == ArgumentExtraction())
        #expect(extractor.extract(schema: "not a schema", from: "hello") == ArgumentExtraction())
    }
}
