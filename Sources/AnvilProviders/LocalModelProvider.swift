import AnvilCore
import Foundation

/// Anvil's built-in offline model, `local:anvil`: the default when no real provider is configured.
///
/// It is not a language model, and says so. It does three things, deterministically:
/// - when the conversation ends with tool results, it answers with what the tools returned;
/// - when the last user message clearly asks for one of the offered tools (their names and descriptions share
///   its words) and ``ArgumentExtractor`` finds every required argument in it, it calls that tool;
/// - when the request asks for structured output (a response schema with properties, and no tools), it answers
///   with the JSON object of what the extractors read from the last user message for those properties, which
///   may lack required ones: a language model would be needed to infer those;
/// - otherwise it explains what it is and how to configure a real provider.
///
/// It streams like a real provider (text word by word, tool calls in fragments, then usage), so the agent loop,
/// tools and streaming endpoints can be tried and tested offline. Its embeddings are hashed bags of words: crude,
/// but enough for offline vector search to find texts that share words.
public struct LocalModelProvider: ModelProvider {
    /// The provider name in model ids.
    public static let providerName = "local"
    /// The chat model: `local:anvil`.
    public static let modelName = "anvil"
    /// The embedding model: `local:anvil-embed`.
    public static let embeddingModelName = "anvil-embed"
    /// Enough buckets to keep unrelated words apart in short texts, small enough to store with every chunk.
    public static let embeddingDimensions = 256
    /// How much of each tool result an answer repeats. The whole result stays in the conversation.
    static let maxResultCharacters = 2_000

    public var name: String { Self.providerName }

    private let timeZone: TimeZone
    private let now: @Sendable () -> Date
    private let ranker = ToolRanker()

    /// - Parameters:
    ///   - timeZone: The zone relative dates in messages ("tomorrow") are read in.
    ///   - now: The clock relative dates count from; tests pass a fixed one.
    public init(timeZone: TimeZone = .current, now: @escaping @Sendable () -> Date = { Date() }) {
        self.timeZone = timeZone
        self.now = now
    }

    /// Answers from tool results, calls a clearly requested tool, or explains itself; see the type's notes.
    public func complete(_ request: CompletionRequest) async throws -> Completion {
        try reply(to: request).completion
    }

    /// Streams the same answer ``complete(_:)`` gives. The answer is decided before the stream is returned, so
    /// any failure is thrown here, before the first byte, as the protocol asks.
    public func stream(_ request: CompletionRequest) async throws -> CompletionStream {
        let reply = try reply(to: request)
        let (stream, continuation) = CompletionStream.makeStream()
        for event in reply.events { continuation.yield(event) }
        continuation.finish()
        return stream
    }

    /// Only `local:anvil`: the embedding model is not a chat model and is not listed.
    public func listModels() async throws -> [ModelInfo] {
        [
            ModelInfo(
                id: "\(Self.providerName):\(Self.modelName)",
                provider: Self.providerName,
                supportsTools: true,
                supportsStreaming: true,
                contextWindow: 32_768
            )
        ]
    }

    /// Hashed bag-of-words vectors: lowercased words and word pairs, hashed with FNV-1a into
    /// ``embeddingDimensions`` signed buckets and normalised to length 1. Texts sharing words point the same way.
    public func embed(_ request: EmbeddingRequest) async throws -> EmbeddingResponse {
        guard ["", Self.modelName, Self.embeddingModelName].contains(request.model) else {
            throw ProviderError.unknownModel("\(Self.providerName):\(request.model)")
        }
        return EmbeddingResponse(
            vectors: request.inputs.map(Self.embedding(of:)),
            usage: TokenUsage(promptTokens: request.inputs.map(Self.approximateTokens(in:)).reduce(0, +)),
            model: "\(Self.providerName):\(Self.embeddingModelName)"
        )
    }
}

// MARK: - Deciding the answer

extension LocalModelProvider {
    /// What the model says to one request.
    struct Reply: Sendable {
        enum Content: Sendable {
            case text(String)
            case toolCall(ToolCall)
        }

        let content: Content
        let usage: TokenUsage

        var finishReason: FinishReason {
            if case .toolCall = content { return .toolCalls }
            return .stop
        }

        var completion: Completion {
            let message: ModelMessage
            switch content {
            case .text(let text): message = .assistant(text)
            case .toolCall(let call): message = .assistant(nil, toolCalls: [call])
            }
            return Completion(
                message: message,
                finishReason: finishReason,
                usage: usage,
                model: LocalModelProvider.modelName
            )
        }

        /// Text word by word, each word with the space after it; a tool call as its id and name, then its
        /// arguments in two pieces, the way real providers split them.
        var events: [CompletionEvent] {
            var events: [CompletionEvent] = []
            switch content {
            case .text(let text):
                var word = ""
                for character in text {
                    if !character.isWhitespace, let last = word.last, last.isWhitespace {
                        events.append(.textDelta(word))
                        word = ""
                    }
                    word.append(character)
                }
                if !word.isEmpty { events.append(.textDelta(word)) }
            case .toolCall(let call):
                events.append(.toolCallDelta(ToolCallDelta(index: 0, id: call.id, name: call.name, arguments: "")))
                let middle = call.arguments.index(call.arguments.startIndex, offsetBy: call.arguments.count / 2)
                for piece in [call.arguments[..<middle], call.arguments[middle...]] where !piece.isEmpty {
                    events.append(.toolCallDelta(ToolCallDelta(index: 0, arguments: String(piece))))
                }
            }
            events.append(.usage(usage))
            events.append(.finished(finishReason))
            return events
        }
    }

    /// A tool the message seems to ask for but whose required arguments it does not give.
    struct UnfilledTool {
        let name: String
        let missing: [String]
    }

    func reply(to request: CompletionRequest) throws -> Reply {
        guard request.model.isEmpty || request.model == Self.modelName else {
            throw ProviderError.unknownModel("\(Self.providerName):\(request.model)")
        }
        let promptTokens = Self.approximateTokens(
            in: request.messages.map(Self.promptText(of:)).joined(separator: "\n"))
        let content: Reply.Content
        var unfilled: UnfilledTool?
        // Tool results come first even when a tool is forced: calling again would loop forever.
        if let answer = Self.answer(fromToolResultsIn: request.messages) {
            content = .text(answer)
        } else if request.tools.isEmpty, let schema = request.responseSchema,
            schema.objectValue?["properties"]?.objectValue?.isEmpty == false
        {
            let message = request.messages.last { $0.role == .user }?.text ?? ""
            let extractor = ArgumentExtractor(now: now(), timeZone: timeZone, fillsTextWithWholeMessage: false)
            content = .text(
                JSONValue.object(extractor.extractParameters(schema: schema, from: message).values).jsonText)
        } else if let call = try toolCall(for: request, unfilled: &unfilled) {
            content = .toolCall(call)
        } else {
            content = .text(Self.introduction(tools: request.tools, toolChoice: request.toolChoice, unfilled: unfilled))
        }
        let completionText: String
        switch content {
        case .text(let text): completionText = text
        case .toolCall(let call): completionText = call.name + " " + call.arguments
        }
        let usage = TokenUsage(promptTokens: promptTokens, completionTokens: Self.approximateTokens(in: completionText))
        return Reply(content: content, usage: usage)
    }

    /// The call the last user message asks for, if any. `unfilled` is set when the best clear match lacks
    /// required arguments, so the answer can say what was missing.
    private func toolCall(for request: CompletionRequest, unfilled: inout UnfilledTool?) throws -> ToolCall? {
        let tools = request.tools
        let message = request.messages.last { $0.role == .user }?.text ?? ""
        let extractor = ArgumentExtractor(now: now(), timeZone: timeZone)
        switch request.toolChoice {
        case .none:
            return nil
        case .named(let name):
            guard let tool = tools.first(where: { $0.name == name }) else {
                throw ProviderError.http(
                    status: 400,
                    message: "tool_choice names '\(name)', which is not among the offered tools",
                    type: "invalid_request_error"
                )
            }
            return Self.call(tool, extractor.extract(schema: tool.parameters, from: message))
        case .required:
            let ranked = ranker.rank(tools, for: message).map { candidate in
                (tool: candidate.tool, extraction: extractor.extract(schema: candidate.tool.parameters, from: message))
            }
            guard let chosen = ranked.first(where: { $0.extraction.isComplete }) ?? ranked.first else { return nil }
            return Self.call(chosen.tool, chosen.extraction)
        case .auto:
            for candidate in ranker.rank(tools, for: message) where candidate.score >= ToolRanker.clearMatch {
                let extraction = extractor.extract(schema: candidate.tool.parameters, from: message)
                if extraction.isComplete { return Self.call(candidate.tool, extraction) }
                if unfilled == nil { unfilled = UnfilledTool(name: candidate.tool.name, missing: extraction.missing) }
            }
            return nil
        }
    }

    private static func call(_ tool: ToolSpec, _ extraction: ArgumentExtraction) -> ToolCall {
        let suffix = String(UInt64.random(in: 0...0xFFFF_FFFF_FFFF), radix: 16)
        let id = "call_" + String(repeating: "0", count: 12 - suffix.count) + suffix
        return ToolCall(id: id, name: tool.name, arguments: JSONValue.object(extraction.arguments).jsonText)
    }

    /// When the conversation ends with tool results: what each tool returned, shortened.
    static func answer(fromToolResultsIn messages: [ModelMessage]) -> String? {
        guard messages.last?.role == .tool else { return nil }
        let results = messages.reversed().prefix { $0.role == .tool }.reversed()
        let calls = messages.last { $0.role == .assistant && !$0.toolCalls.isEmpty }?.toolCalls ?? []
        let toolNames = Dictionary(calls.map { ($0.id, $0.name) }) { first, _ in first }
        return results.map { result in
            let tool = result.name ?? result.toolCallID.flatMap { toolNames[$0] } ?? "the tool"
            let output = UntrustedToolOutput.unfence(result.text).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !output.isEmpty else { return "\(tool) returned nothing." }
            return "Here is what \(tool) returned:\n\n\(shortened(output))"
        }
        .joined(separator: "\n\n")
    }

    /// The first ``maxResultCharacters`` of `text`, cut at a word where possible.
    private static func shortened(_ text: String) -> String {
        guard text.count > maxResultCharacters else { return text }
        var kept = text.prefix(maxResultCharacters)
        if let space = kept.lastIndex(where: \.isWhitespace),
            kept.distance(from: kept.startIndex, to: space) > maxResultCharacters * 4 / 5
        {
            kept = kept[..<space]
        }
        return "\(kept)… (\(text.count - kept.count) more characters)"
    }

    /// The honest answer: what this model is, what it can do here and how to get a real one.
    static func introduction(tools: [ToolSpec], toolChoice: ToolChoice, unfilled: UnfilledTool? = nil) -> String {
        var paragraphs = [
            "I'm Anvil's built-in offline model, not a language model, so I can't understand or answer "
                + "free-form messages."
        ]
        let names = tools.map(\.name).joined(separator: ", ")
        if tools.isEmpty {
            paragraphs.append("No tools are enabled here, so there is nothing I can run for you.")
        } else if case .none = toolChoice {
            paragraphs.append("Tools are turned off for this message, so I can't run any of: \(names).")
        } else {
            paragraphs.append("I can run a tool when a message clearly asks for one. Tools enabled here: \(names).")
        }
        if let unfilled {
            let missing = unfilled.missing.joined(separator: ", ")
            paragraphs.append(
                "Your message looks like a job for \(unfilled.name), but I couldn't find its \(missing) in it."
            )
        }
        paragraphs.append(
            "To talk to a real model, configure a provider: set OPENAI_API_KEY (with OPENAI_BASE_URL for any "
                + "OpenAI-compatible server, such as Ollama or vLLM) or ANTHROPIC_API_KEY, or add one to "
                + "manifests/models.yaml."
        )
        return paragraphs.joined(separator: "\n\n")
    }

    private static func promptText(of message: ModelMessage) -> String {
        ([message.text] + message.toolCalls.map { "\($0.name) \($0.arguments)" }).joined(separator: "\n")
    }

    /// About ¾ of a word or 4 characters per token, whichever gives more: close enough for budgets and usage
    /// reports, and it never needs a tokenizer.
    static func approximateTokens(in text: String) -> Int {
        let words = text.split(whereSeparator: \.isWhitespace).count
        return max((words * 4 + 2) / 3, (text.count + 3) / 4)
    }
}

// MARK: - Embeddings

extension LocalModelProvider {
    static func embedding(of text: String) -> [Float] {
        let words = text.lowercased().split { !($0.isLetter || $0.isNumber) }
        var vector = [Float](repeating: 0, count: embeddingDimensions)
        func add(_ feature: String, weight: Float) {
            let hash = fnv1a(feature)
            let bucket = Int(hash % UInt64(embeddingDimensions))
            // A sign from another part of the hash keeps colliding features from always adding up.
            vector[bucket] += hash >> 63 == 0 ? weight : -weight
        }
        for word in words { add("w:\(word)", weight: 1) }
        for (first, second) in zip(words, words.dropFirst()) { add("b:\(first) \(second)", weight: 0.5) }
        let length = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard length > 0 else { return vector }
        return vector.map { $0 / length }
    }

    /// 64-bit FNV-1a: stable across runs and machines, unlike `Hasher`, so stored vectors stay comparable.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}

// MARK: - Ranking tools

extension LocalModelProvider {
    /// Scores how clearly a message asks for a tool, by the words it shares with the tool's name (worth most)
    /// and description, after light stemming and with a few synonyms ("fetch" for `browse`, "clock" for `time`).
    struct ToolRanker: Sendable {
        /// One word of the tool's name, or several of its description: below this the message is not asking.
        static let clearMatch = 2.0

        private static let synonymGroups: [[String]] = [
            ["time", "clock", "now", "hour", "date", "today"],
            // Not "web": it would tie every web_* tool to every verb here ("open the door" is no web search).
            [
                "browse", "fetch", "open", "read", "url", "page", "website", "site", "link", "visit", "download",
                "webpage",
            ],
            ["note", "memo", "jot", "remember"],
            ["search", "find", "look", "lookup", "query", "google"],
            ["weather", "forecast", "temperature", "rain"],
            ["calculate", "calculator", "compute", "math", "arithmetic"],
            ["summarize", "summarise", "summary"],
            ["translate", "translation"],
            ["remind", "reminder", "schedule", "calendar", "event", "meeting"],
            ["file", "document", "doc"],
            ["email", "mail", "inbox"],
        ]

        /// Words that say nothing about which tool is meant.
        private static let ignoredWords: Set<String> = [
            "a", "an", "the", "is", "are", "was", "were", "be", "been", "am", "it", "its", "this", "that", "these",
            "those", "what", "whats", "which", "who", "how", "when", "where", "why", "do", "does", "did", "can",
            "could", "would", "will", "should", "may", "might", "must", "please", "me", "my", "i", "im", "you",
            "your", "we", "our", "us", "they", "them", "to", "for", "of", "in", "on", "at", "by", "with", "from",
            "about", "into", "and", "or", "but", "if", "then", "so", "than", "too", "very", "just", "some", "any",
            "all", "s", "t", "d", "ll", "re", "ve", "m", "hi", "hey", "hello", "thanks", "thank", "ok", "okay",
            "want", "need", "like", "tell", "show", "give", "get", "let", "know", "make", "use", "run", "tool",
            "current", "new", "set", "list", "up", "out", "there", "here", "given", "returns", "return", "using",
        ]

        private let conceptsByStem: [String: Set<Int>]

        init() {
            var concepts: [String: Set<Int>] = [:]
            for (group, words) in Self.synonymGroups.enumerated() {
                for word in words { concepts[Self.stem(word), default: []].insert(group) }
            }
            conceptsByStem = concepts
        }

        /// The tools, best first; equal scores keep the order they were offered in.
        func rank(_ tools: [ToolSpec], for message: String) -> [(tool: ToolSpec, score: Double)] {
            let pieces = message.split(whereSeparator: \.isWhitespace)
            let addresses = pieces.filter(Self.looksLikeAddress)
            let words = Set(Self.words(in: pieces.filter { !Self.looksLikeAddress($0) }.joined(separator: " ")))
            return tools.enumerated()
                .map { offset, tool in
                    (offset: offset, tool: tool, score: score(tool, words: words, hasAddress: !addresses.isEmpty))
                }
                .sorted { $0.score > $1.score || ($0.score == $1.score && $0.offset < $1.offset) }
                .map { (tool: $0.tool, score: $0.score) }
        }

        private func score(_ tool: ToolSpec, words: Set<String>, hasAddress: Bool) -> Double {
            let nameWords = Set(Self.words(in: Self.splittingName(tool.name)))
            let descriptionWords = Set(Self.words(in: tool.description))
            let nameConcepts = concepts(of: nameWords)
            let descriptionConcepts = concepts(of: descriptionWords)
            var score = 0.0
            for word in words {
                let wordConcepts = conceptsByStem[word] ?? []
                if nameWords.contains(word) {
                    score += 3
                } else if !wordConcepts.isDisjoint(with: nameConcepts) {
                    score += 2
                } else if descriptionWords.contains(word) {
                    score += 1
                } else if !wordConcepts.isDisjoint(with: descriptionConcepts) {
                    score += 0.5
                }
            }
            // A bare link is a clear request for a tool that takes one.
            if hasAddress, Self.takesAddress(tool.parameters) { score += 2 }
            return score
        }

        private func concepts(of words: Set<String>) -> Set<Int> {
            words.reduce(into: []) { result, word in result.formUnion(conceptsByStem[word] ?? []) }
        }

        /// Lowercased, stemmed words, without the ones that say nothing about the tool.
        static func words(in text: String) -> [String] {
            text.lowercased()
                .split { !($0.isLetter || $0.isNumber) }
                .map(String.init)
                .filter { !ignoredWords.contains($0) && !$0.allSatisfy(\.isNumber) }
                .map(stem)
        }

        /// `web_browse`, `web-browse` and `webBrowse` all read "web browse".
        private static func splittingName(_ name: String) -> String {
            var result = ""
            var previous: Character?
            for character in name {
                if character == "_" || character == "-" || character == "." {
                    result.append(" ")
                } else {
                    if character.isUppercase, previous?.isLowercase == true { result.append(" ") }
                    result.append(character)
                }
                previous = character
            }
            return result
        }

        /// Strips plural and verb endings so "notes", "note" and "noted", or "browse" and "browsing", meet.
        static func stem(_ word: String) -> String {
            var word = word
            if word.hasSuffix("ies"), word.count > 4 {
                word = String(word.dropLast(3)) + "y"
            } else if word.hasSuffix("sses") {
                word.removeLast(2)
            } else if word.hasSuffix("es"), word.count > 4,
                ["s", "x", "z", "ch", "sh"].contains(where: { word.dropLast(2).hasSuffix($0) })
            {
                word.removeLast(2)
            } else if word.hasSuffix("s"), word.count > 3, !["ss", "us", "is"].contains(where: { word.hasSuffix($0) }) {
                word.removeLast()
            }
            if word.hasSuffix("ing"), word.count > 5 {
                word.removeLast(3)
            } else if word.hasSuffix("ed"), word.count > 4 {
                word.removeLast(2)
            }
            if word.hasSuffix("e"), word.count > 3 { word.removeLast() }
            return word
        }

        private static func looksLikeAddress(_ piece: Substring) -> Bool {
            let lowered = piece.lowercased()
            if lowered.contains("://") || lowered.hasPrefix("www.") { return true }
            let domain = #/^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(/\S*)?[.,!?]?$/#
            return lowered.wholeMatch(of: domain) != nil && lowered.contains(where: \.isLetter)
        }

        /// Whether the tool has a parameter for a link.
        private static func takesAddress(_ parameters: JSONValue) -> Bool {
            guard let properties = parameters.objectValue?["properties"]?.objectValue else { return false }
            return properties.contains { name, schema in
                let lowered = name.lowercased()
                let format = schema.objectValue?["format"]?.stringValue ?? ""
                return format == "uri" || format == "url" || lowered.contains("url") || lowered.contains("link")
            }
        }
    }
}
