import AnvilCore
import ArgumentParser
import Foundation

/// `anvil prompt ...`: compile templates, read values out of text and render, offline.
struct PromptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompt",
        abstract: "Compile prompt templates, extract their values from text, and render them.",
        discussion: "FILE is a template file (see docs/prompts.md), or - for standard input.",
        subcommands: [Compile.self, Extract.self, Render.self]
    )

    /// `anvil prompt compile FILE`
    struct Compile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compile a template and print its parameters, JSON Schema and form hints as JSON.",
            discussion: "Prints each error as FILE:LINE:COLUMN and exits with 1 when the template does not compile."
        )

        @Argument(help: "The template file, or - for standard input.")
        var file: String

        func run() async throws {
            let template = try PromptCommand.compiled(file)
            let parameters: [JSONValue] = template.parameters.map(PromptCommand.describe)
            let form = try JSONDecoder().decode(
                JSONValue.self, from: try JSONEncoder().encode(template.formFields))
            print(
                try PromptCommand.prettyJSON([
                    "template": .string(template.canonicalSource),
                    "parameters": .array(parameters),
                    "schema": template.jsonSchema,
                    "form": form,
                ]))
        }
    }

    /// `anvil prompt extract FILE --text TEXT`
    struct Extract: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read a template's values out of text with the deterministic extractors and print them as JSON."
        )

        @Argument(help: "The template file, or - for standard input.")
        var file: String

        @Option(help: "The text to read values from.")
        var text: String

        @Option(help: "The IANA time zone relative dates are read in.")
        var timezone: String = TimeZone.current.identifier

        @Option(help: "The moment relative dates count from, as an ISO 8601 date-time; defaults to now.")
        var now: String?

        func run() async throws {
            let template = try PromptCommand.compiled(file)
            guard let zone = TimeZone(identifier: timezone) else {
                throw ValidationError("Unknown time zone '\(timezone)'; use an IANA name such as Europe/Paris.")
            }
            var reference = Date()
            if let now {
                guard let parsed = try? Date.ISO8601FormatStyle().parse(now) else {
                    throw ValidationError("--now must be an ISO 8601 date-time such as 2026-03-05T12:00:00Z.")
                }
                reference = parsed
            }
            let result = ParameterExtractor(now: reference, timeZone: zone)
                .extract(schema: template.jsonSchema, from: text)
            var spans: [String: JSONValue] = [:]
            for (name, span) in result.spans {
                spans[name] = [
                    "start": .integer(Int64(span.start)), "end": .integer(Int64(span.end)), "text": .string(span.text),
                ]
            }
            print(
                try PromptCommand.prettyJSON([
                    "values": .object(result.values),
                    "missing": .array(result.missing.map(JSONValue.string)),
                    "invalid": .array(
                        result.invalid.map { ["path": .string($0.path), "message": .string($0.message)] }),
                    "confidence": .object(result.confidence.mapValues { .number(($0 * 1000).rounded() / 1000) }),
                    "spans": .object(spans),
                    "sources": .object(result.sources.mapValues { .string($0.rawValue) }),
                ]))
        }
    }

    /// `anvil prompt render FILE --values JSON`
    struct Render: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fill a template with values given as a JSON object and print the prompt.",
            discussion: "Exits with 1 when a required value is missing or a value does not fit its parameter."
        )

        @Argument(help: "The template file, or - for standard input.")
        var file: String

        @Option(help: "The values as a JSON object.")
        var values: String = "{}"

        func run() async throws {
            let template = try PromptCommand.compiled(file)
            guard let decoded = try? JSONDecoder().decode(JSONValue.self, from: Data(values.utf8)),
                let object = decoded.objectValue
            else { throw ValidationError("--values must be a JSON object.") }
            do {
                print(try template.render(object))
            } catch {
                FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
                throw ExitCode.failure
            }
        }
    }

    /// The template in `file`, compiled; compile errors go to standard error as `FILE:LINE:COLUMN: error: ...`.
    static func compiled(_ file: String) throws -> PromptTemplate {
        let source: String
        if file == "-" {
            source = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("Cannot read '\(file)'.")
            }
            source = String(decoding: data, as: UTF8.self)
        }
        do {
            return try PromptTemplate(source)
        } catch {
            for issue in error.issues {
                let expected = issue.expected.map { " (expected \($0))" } ?? ""
                FileHandle.standardError.write(
                    Data("\(file):\(issue.line):\(issue.column): error: \(issue.message)\(expected)\n".utf8))
            }
            throw ExitCode.failure
        }
    }

    static func describe(_ parameter: PromptParameter) -> JSONValue {
        var entry: [String: JSONValue] = [
            "name": .string(parameter.name),
            "type": .string(parameter.type.keyword),
            "required": .bool(parameter.isRequired),
            "line": .integer(Int64(parameter.line)),
            "column": .integer(Int64(parameter.column)),
        ]
        if let value = parameter.defaultValue { entry["default"] = value }
        if let description = parameter.description { entry["description"] = .string(description) }
        if case .choice(let choices) = parameter.type { entry["options"] = .array(choices.map(JSONValue.string)) }
        if let minimum = parameter.minimum { entry["minimum"] = .number(minimum) }
        if let maximum = parameter.maximum { entry["maximum"] = .number(maximum) }
        return .object(entry)
    }

    static func prettyJSON(_ value: JSONValue) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
