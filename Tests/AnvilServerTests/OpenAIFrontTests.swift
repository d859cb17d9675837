import AnvilCore
import AnvilTestSupport
import Foundation
import HTTPTypes
import Testing

@Suite("OpenAI-compatible front with the offline model")
struct OpenAIFrontTests {
    @Test("chat completions, server-side tools, models and embeddings", arguments: TestDatabase.available)
    func front(engine: TestDatabase) async throws {
        try await withTestApp(engine, setup: .live) { api in
            let session = try await api.register()
            let key = try #require(
                try await api.send(.post, "/api/v1/auth/api-keys", json: ["name": "sdk"], auth: session.auth)["key"]?
                    .stringValue
            )
            let plain = try await api.send(
                .post,
                "/v1/chat/completions",
                json: ["model": "local:anvil", "messages": [["role": "user", "content": "hello"]]],
                auth: .bearer(key)
            )
            #expect(plain.status == .ok, "\(plain.text)")
            #expect(plain["object"] == "chat.completion")
            #expect(plain["id"]?.stringValue?.hasPrefix("chatcmpl-") == true)
            #expect(plain["choices"]?.arrayValue?.first?.objectValue?["finish_reason"] == "stop")

            let withTools = try await api.send(
                .post,
                "/v1/chat/completions",
                json: [
                    "model": "local:anvil", "anvil_tools": ["current_time"],
                    "messages": [["role": "user", "content": "what time is it in Europe/Paris"]],
                ],
                auth: .bearer(key)
            )
            let content = withTools["choices"]?.arrayValue?.first?.objectValue?["message"]?.objectValue?["content"]?
                .stringValue
            #expect(content?.contains("Europe/Paris") == true, "\(withTools.text)")

            let streamed = try await api.send(
                .post,
                "/v1/chat/completions",
                json: [
                    "model": "local:anvil", "anvil_tools": ["current_time"], "stream": true,
                    "stream_options": ["include_usage": true],
                    "messages": [["role": "user", "content": "what time is it in Europe/Paris"]],
                ],
                auth: .bearer(key)
            )
            #expect(streamed.text.hasSuffix("data: [DONE]\n\n"))
            let chunks = serverSentEvents(streamed.text).map(\.data).filter { $0 != .string("[DONE]") }
            #expect(chunks.allSatisfy { $0.objectValue?["object"] == "chat.completion.chunk" })
            let streamedText = chunks.compactMap {
                $0.objectValue?["choices"]?.arrayValue?.first?.objectValue?["delta"]?.objectValue?["content"]?
                    .stringValue
            }.joined()
            #expect(streamedText.contains("Europe/Paris"))
            #expect(chunks.last?.objectValue?["usage"]?.objectValue?["total_tokens"] != nil)

            let both = try await api.send(
                .post,
                "/v1/chat/completions",
                json: [
                    "model": "local:anvil", "anvil_tools": ["current_time"],
                    "tools": [["type": "function", "function": ["name": "x"]]],
                    "messages": [["role": "user", "content": "hi"]],
                ],
                auth: .bearer(key)
            )
            #expect(both.status == .badRequest)
            let noModel = try await api.send(.post, "/v1/chat/completions", json: ["messages": []], auth: .bearer(key))
            #expect(noModel.status == .badRequest)
            #expect(try await api.send(.post, "/v1/chat/completions", json: [:]).status == .unauthorized)

            let models = try await api.send(.get, "/v1/models", auth: .bearer(key))
            #expect(models["object"] == "list")
            #expect(models["data"]?.arrayValue?.contains { $0.objectValue?["id"] == "local:anvil" } == true)

            let floats = try await api.send(
                .post,
                "/v1/embeddings",
                json: ["model": "local:anvil-embed", "input": ["hello world", "goodbye"]],
                auth: .bearer(key)
            )
            #expect(floats.status == .ok, "\(floats.text)")
            let vectors = try #require(floats["data"]?.arrayValue)
            #expect(vectors.count == 2)
            #expect(vectors[1].objectValue?["index"] == 1)
            let first = try #require(vectors[0].objectValue?["embedding"]?.arrayValue)
            #expect(first.count == 256)
            let base64 = try await api.send(
                .post,
                "/v1/embeddings",
                json: ["model": "local:anvil-embed", "input": "hello world", "encoding_format": "base64"],
                auth: .bearer(key)
            )
            let encoded = try #require(base64["data"]?.arrayValue?.first?.objectValue?["embedding"]?.stringValue)
            let decoded = try #require(Data(base64Encoded: encoded))
            #expect(decoded.count == 256 * 4)
            let firstFloat = decoded.prefix(4).withUnsafeBytes {
                Float(bitPattern: UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)))
            }
            if case .number(let expected) = first[0] {
                #expect(abs(Double(firstFloat) - expected) < 1e-6)
            } else if case .integer(let expected) = first[0] {
                #expect(Double(firstFloat) == Double(expected))
            }
            let badFormat = try await api.send(
                .post,
                "/v1/embeddings",
                json: ["model": "local:anvil-embed", "input": "x", "encoding_format": "hex"],
                auth: .bearer(key)
            )
            #expect(badFormat.status == .badRequest)
        }
    }
}
