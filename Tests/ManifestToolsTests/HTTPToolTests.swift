import AnvilCore
import AnvilPluginKit
import AnvilTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import ManifestTools
import Testing

@Suite("HTTP tools declared in manifests")
struct HTTPToolTests {
    /// A fixture API: echoes what it received as JSON, and answers errors on request.
    static func routes(_ recorder: RequestRecorder, paths: PathLog) -> (Router<BasicRequestContext>) -> Void {
        { router in
            router.get("v1/weather/:city") { request, context in
                try await recorder.record(request)
                await paths.add(request.uri.path)
                let city = context.parameters.get("city") ?? ""
                return FakeUpstream.json(#"{"city": "\#(city)", "temperature_c": 18}"#)
            }
            router.post("v1/notes") { request, _ in
                try await recorder.record(request)
                return FakeUpstream.json(#"{"id": "n1"}"#, status: .created)
            }
            router.get("v1/missing") { request, _ in
                try await recorder.record(request)
                return FakeUpstream.json(#"{"error": "no such thing"}"#, status: .notFound)
            }
        }
    }

    @Test("a GET tool fills the URL template, sends the other arguments as query parameters and env headers")
    func getTool() async throws {
        let recorder = RequestRecorder()
        let paths = PathLog()
        try await FakeUpstream.run(configure: Self.routes(recorder, paths: paths)) { baseURL, _ in
            let manifest = """
                type: http
                name: weather
                description: Current weather for a city.
                url: \(baseURL)/weather/{city}
                headers:
                  Authorization: "Bearer ${WEATHER_TOKEN}"
                parameters:
                  type: object
                  properties:
                    city: {type: string}
                    units: {type: string, enum: [metric, imperial]}
                    days: {type: integer}
                  required: [city]
                allow: ["127.0.0.1"]
                timeout_seconds: 5
                """
            try await withManifests(tools: ["weather.yaml": manifest]) { fixture in
                let declared = try await fixture.load(environment: ["WEATHER_TOKEN": "s3cret"])
                #expect(declared.tools.map(\.tool.spec.name) == ["weather"])
                #expect(declared.tools.first?.source == .httpManifest("weather.yaml"))
                let output = try await declared.run(
                    "weather", #"{"city": "São Paulo/x", "units": "metric", "days": 2}"#)
                #expect(!output.isError)
                #expect(output.content.contains(#""temperature_c": 18"#))
                let request = try #require(await recorder.last)
                #expect(request.headers["authorization"] == "Bearer s3cret")
                #expect(request.query == "days=2&units=metric")
                #expect(await paths.all.last == "/v1/weather/S%C3%A3o%20Paulo%2Fx")
            }
        }
    }

    @Test("a POST tool sends its arguments as a JSON body, and an API error reaches the model with its body")
    func postToolAndErrors() async throws {
        let recorder = RequestRecorder()
        try await FakeUpstream.run(configure: Self.routes(recorder, paths: PathLog())) { baseURL, _ in
            let create = """
                type: http
                name: create_remote_note
                description: Create a note in the remote service.
                method: POST
                url: \(baseURL)/notes
                parameters:
                  type: object
                  properties:
                    title: {type: string}
                    tags: {type: array, items: {type: string}}
                  required: [title]
                allow: ["127.0.0.0/8"]
                """
            let missing = """
                type: http
                name: missing_thing
                description: Always 404.
                url: \(baseURL)/missing
                allow: ["127.0.0.1"]
                """
            try await withManifests(tools: ["create.yaml": create, "missing.yaml": missing]) { fixture in
                let declared = try await fixture.load()
                let output = try await declared.run("create_remote_note", #"{"title": "Milk", "tags": ["shop"]}"#)
                #expect(output.content == #"{"id": "n1"}"#)
                let request = try #require(await recorder.last)
                #expect(request.body == ["title": "Milk", "tags": ["shop"]])
                #expect(request.headers["content-type"] == "application/json")

                let failure = try await declared.run("missing_thing", "{}")
                #expect(failure.isError)
                #expect(failure.content.contains("HTTP 404"))
                #expect(failure.content.contains("no such thing"))

                await #expect(throws: ToolInvocationError.self) {
                    _ = try await declared.run("create_remote_note", #"{"tags": "not-an-array"}"#)
                }
            }
        }
    }

    @Test("an HTTP tool is refused loopback and metadata addresses unless its manifest allows them")
    func ssrfGuard() async throws {
        try await FakeUpstream.run(configure: Self.routes(RequestRecorder(), paths: PathLog())) { baseURL, _ in
            let manifest = """
                type: http
                name: internal
                description: Not allowed.
                url: \(baseURL)/weather/{city}
                parameters: {type: object, properties: {city: {type: string}}, required: [city]}
                """
            let metadata = """
                type: http
                name: metadata
                description: Cloud metadata.
                url: http://169.254.169.254/latest/meta-data/
                """
            try await withManifests(tools: ["internal.yaml": manifest, "metadata.yaml": metadata]) { fixture in
                let declared = try await fixture.load()
                let output = try await declared.run("internal", #"{"city": "x"}"#)
                #expect(output.isError)
                #expect(output.content.contains("loopback"))
                let metadataOutput = try await declared.run("metadata", "{}")
                #expect(metadataOutput.isError)
                #expect(metadataOutput.content.contains("169.254.169.254"))
            }
        }
    }

    @Test(
        "bad manifests stop loading with the file, the key and the problem",
        arguments: [
            ("type: http\nname: x\ndescription: d\nurl: http://a.test/\nsurprise: 1\n", "surprise", "unknown key"),
            ("type: http\nname: x\ndescription: d\nurl: ftp://a.test/\n", "url", "pattern"),
            ("type: http\nname: x\ndescription: d\nurl: http://a.test/\nmethod: 7\n", "method", "must be one of"),
            ("type: http\nname: x\ndescription: d\nurl: http://a.test/{id}\n", "url", "{id}"),
            (
                "type: http\nname: x\ndescription: d\nurl: http://a.test/\nheaders: {X-Key: \"${NOPE_UNSET}\"}\n",
                "headers.X-Key", "NOPE_UNSET is not set"
            ),
            (
                "type: http\nname: x\ndescription: d\nurl: http://a.test/\nparameters: {type: 12}\n", "parameters",
                "not a usable JSON Schema"
            ),
            (
                "type: http\nname: x\ndescription: d\nurl: http://a.test/\ntimeout_seconds: \"soon\"\n",
                "timeout_seconds", "expected number"
            ),
            ("type: smtp\nname: x\n", "type", "expected 'http' or 'mcp'"),
            ("type: mcp\nname: x\n", "command", "give 'command'"),
            ("type: mcp\nname: x\ncommand: a\nurl: http://b/\n", "url", "not both"),
            ("type: http\nname: [unclosed\n", "", "invalid YAML"),
        ]
    )
    func badManifests(yaml: String, key: String, problem: String) async throws {
        try await withManifests(tools: ["bad.yaml": yaml]) { fixture in
            do {
                _ = try await fixture.load()
                Issue.record("loading succeeded")
            } catch let error as ManifestErrors {
                let first = try #require(error.errors.first)
                #expect(first.file.hasSuffix("tools/bad.yaml"))
                #expect(first.key == key)
                #expect(first.problem.contains(problem), "\(first)")
            } catch let error as ManifestError {
                #expect(error.file.hasSuffix("tools/bad.yaml"))
                #expect(error.key == key)
                #expect(error.problem.contains(problem), "\(error)")
            }
        }
    }
}

/// The paths a fixture route was called with, as sent.
actor PathLog {
    private(set) var all: [String] = []
    func add(_ path: String) { all.append(path) }
}
