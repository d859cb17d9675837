import AnvilCore
import Foundation

/// The labelled extraction cases in `Tests/Fixtures/extraction-cases.json`, and how the extractors score on them.
/// Shared by the accuracy test and the `anvil-bench-prompts` benchmark so both judge a case the same way.
public struct ExtractionCaseSet: Sendable {
    public struct Reference: Sendable, Decodable {
        public var now: String
        public var timezone: String
    }

    public struct Case: Sendable, Decodable {
        public var kind: String
        public var template: String
        public var reference: String
        public var text: String
        /// Expected values by parameter; `null` means the parameter must be left unfilled.
        public var expected: [String: JSONValue]
        /// `held-out` for cases written after the extractors and reported apart; `nil` for the main set.
        public var set: String?

        /// Whether the case belongs to the held-out set, which estimates accuracy on unseen phrasings.
        public var isHeldOut: Bool { self.set == "held-out" }
    }

    /// One case as run: everything needed to extract, prepared once.
    public struct PreparedCase: Sendable {
        public var labelled: Case
        public var template: PromptTemplate
        public var schema: JSONValue
        public var now: Date
        public var timeZone: TimeZone
    }

    public struct Outcome: Sendable {
        public var prepared: PreparedCase
        public var extraction: ParameterExtraction
        /// Parameters whose value differs from the label, as `name: expected X, got Y`.
        public var mismatches: [String]
        public var passed: Bool { mismatches.isEmpty }
    }

    private struct File: Decodable {
        var references: [String: Reference]
        var templates: [String: String]
        var cases: [Case]
    }

    public let cases: [PreparedCase]

    /// The fixture file next to this package's `Tests` directory.
    public static var defaultURL: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/extraction-cases.json")
    }

    public init(contentsOf url: URL = ExtractionCaseSet.defaultURL) throws {
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
        var templates: [String: PromptTemplate] = [:]
        for (key, source) in file.templates { templates[key] = try PromptTemplate(source) }
        cases = try file.cases.map { labelled in
            guard let template = templates[labelled.template], let reference = file.references[labelled.reference],
                let now = try? Date.ISO8601FormatStyle().parse(reference.now),
                let zone = TimeZone(identifier: reference.timezone)
            else { throw ExtractionCaseSetError.badCase(labelled.text) }
            return PreparedCase(
                labelled: labelled, template: template, schema: template.jsonSchema, now: now, timeZone: zone)
        }
    }

    /// Runs the deterministic extractor on one case and compares it with the label.
    public static func run(_ prepared: PreparedCase) -> Outcome {
        let extraction = ParameterExtractor(now: prepared.now, timeZone: prepared.timeZone)
            .extract(schema: prepared.schema, from: prepared.labelled.text)
        var mismatches: [String] = []
        for (name, expected) in prepared.labelled.expected.sorted(by: { $0.key < $1.key }) {
            let actual = extraction.values[name]
            let matches = expected == .null ? actual == nil : actual.map { same($0, expected) } ?? false
            if !matches {
                mismatches.append("\(name): expected \(describe(expected)), got \(actual.map(describe) ?? "nothing")")
            }
        }
        return Outcome(prepared: prepared, extraction: extraction, mismatches: mismatches)
    }

    /// Share of passing cases per kind, from 0 to 1, and the count of cases per kind.
    public static func accuracy(of outcomes: [Outcome]) -> [String: (passed: Int, total: Int)] {
        var result: [String: (passed: Int, total: Int)] = [:]
        for outcome in outcomes {
            var entry = result[outcome.prepared.labelled.kind] ?? (0, 0)
            entry.total += 1
            if outcome.passed { entry.passed += 1 }
            result[outcome.prepared.labelled.kind] = entry
        }
        return result
    }

    /// Numbers compare by value, so `100` and `100.0` are the same amount.
    private static func same(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.integer(let a), .number(let b)), (.number(let b), .integer(let a)): Double(a) == b
        default: lhs == rhs
        }
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): "\"\(text)\""
        case .integer(let number): String(number)
        case .number(let number): String(number)
        case .bool(let flag): String(flag)
        case .null: "nothing"
        default: "\(value)"
        }
    }
}

public enum ExtractionCaseSetError: Error {
    case badCase(String)
}
