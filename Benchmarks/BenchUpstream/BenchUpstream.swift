import Foundation
import Hummingbird
import Logging

/// A fast stand-in for an OpenAI-compatible provider, for measuring what Anvil adds on top of a provider call.
///
/// Every answer is built once at startup; a request costs only reading its body and writing the prepared bytes,
/// so the numbers measured through Anvil are Anvil's, not the fake's. It speaks the real formats: a
/// `chat.completion` object, or `chat.completion.chunk` events ending in the usage chunk and `data: [DONE]`.
@main
struct BenchUpstream {
    static func main() async throws {
        let arguments = CommandLine.arguments
        let port = arguments.count > 1 ? Int(arguments[1]) ?? 19090 : 19090
        let completion = ByteBuffer(
            string: #"{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"bench","#
                + #""choices":[{"index":0,"message":{"role":"assistant","#
                + #""content":"The quick brown fox jumps over the lazy dog.","refusal":null},"#
                + #""logprobs":null,"finish_reason":"stop"}],"#
                + #""usage":{"prompt_tokens":12,"completion_tokens":10,"total_tokens":22},"system_fingerprint":"fp_bench"}"#
        )
        var stream = ""
        let head =
            #"data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"bench","#
            + #""choices":[{"index":0,"delta":"#
        stream += head + #"{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}"# + "\n\n"
        for word in ["The ", "quick ", "brown ", "fox ", "jumps ", "over ", "the ", "lazy ", "dog."] {
            stream += head + #"{"content":"\#(word)"},"logprobs":null,"finish_reason":null}]}"# + "\n\n"
        }
        stream += head + #"{},"logprobs":null,"finish_reason":"stop"}]}"# + "\n\n"
        stream +=
            #"data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"bench","#
            + #""choices":[],"usage":{"prompt_tokens":12,"completion_tokens":10,"total_tokens":22}}"#
            + "\n\n" + "data: [DONE]\n\n"
        let streamBody = ByteBuffer(string: stream)
        let models = ByteBuffer(
            string:
                #"{"object":"list","data":[{"id":"bench","object":"model","created":1700000000,"owned_by":"bench"}]}"#
        )

        let router = Router()
        router.post("v1/chat/completions") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let streaming = body.readableBytesView.firstRange(of: Array(#""stream":true"#.utf8)) != nil
            return Response(
                status: .ok,
                headers: [.contentType: streaming ? "text/event-stream" : "application/json"],
                body: .init(byteBuffer: streaming ? streamBody : completion)
            )
        }
        router.get("v1/models") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: models))
        }
        var logger = Logger(label: "bench-upstream")
        logger.logLevel = .error
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "bench-upstream"),
            logger: logger
        )
        try await app.runService()
    }
}
