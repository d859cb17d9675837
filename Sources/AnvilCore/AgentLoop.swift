import Foundation
import Logging

/// The bounds of one agent run. When one is reached the loop stops offering tools and asks the model once more
/// for a final answer, so the user always gets a clean reply that says which limit was hit.
public struct AgentLimits: Sendable, Hashable {
    /// Model calls that may request tools.
    public var maxRounds: Int
    /// Tool calls executed in one run.
    public var maxToolCalls: Int
    /// Time after which no new round starts with tools.
    public var wallTime: Duration
    /// Tool calls of one round run at most this many at a time.
    public var maxConcurrentTools: Int
    /// Tokens the run may use before it must wrap up; `nil` for no bound.
    public var tokenBudget: Int?

    public init(
        maxRounds: Int = 8,
        maxToolCalls: Int = 32,
        wallTime: Duration = .seconds(300),
        maxConcurrentTools: Int = 4,
        tokenBudget: Int? = nil
    ) {
        self.maxRounds = maxRounds
        self.maxToolCalls = maxToolCalls
        self.wallTime = wallTime
        self.maxConcurrentTools = maxConcurrentTools
        self.tokenBudget = tokenBudget
    }
}

/// Which limit ended the tool use of a run.
public enum AgentLimit: String, Sendable, Hashable, Codable {
    case maxRounds = "max_rounds"
    case maxToolCalls = "max_tool_calls"
    case wallTime = "wall_time"
    case tokenBudget = "token_budget"

    var explanation: String {
        switch self {
        case .maxRounds: "the maximum number of tool rounds for one message was reached"
        case .maxToolCalls: "the maximum number of tool calls for one message was reached"
        case .wallTime: "the time allowed for one message ran out"
        case .tokenBudget: "the token budget for this message was used up"
        }
    }
}

/// What a run reports as it goes, in order. Streaming endpoints turn these into SSE events.
public enum AgentEvent: Sendable, Hashable {
    /// A model call starts producing an assistant message.
    case assistantStarted(round: Int)
    case textDelta(String)
    /// A complete tool call the model asked for.
    case toolCall(ToolCall)
    case toolResult(ToolCall, ToolOutput)
    /// Tokens used by one model call.
    case usage(TokenUsage)
    case limitReached(AgentLimit)
}

/// Where a run commits the messages it produces, in the order they happen. A message is committed as soon as it
/// is complete, so a later failure never loses it.
public protocol AgentTranscript: Sendable {
    func commitAssistant(_ message: ModelMessage, usage: TokenUsage, model: String, status: MessageStatus) async throws
    func commitToolResult(_ message: ModelMessage, output: ToolOutput) async throws
}

/// The outcome of a completed run.
public struct AgentRun: Sendable {
    /// Every assistant and tool message the run produced, in order; the last is the final answer.
    public var messages: [ModelMessage]
    public var usage: TokenUsage
    public var limit: AgentLimit?
    public var model: String
    public var rounds: Int

    public var finalMessage: ModelMessage? { messages.last }
}

/// The first model call of a run, already accepted by the provider. Opening it before answering the client lets
/// a server report a provider that is down with a proper HTTP status instead of inside a stream.
public struct OpenedRound: Sendable {
    let request: CompletionRequest
    let stream: CompletionStream
}

/// How a run failed after it started.
public enum AgentError: Error, Sendable {
    /// The provider failed. `partialText` is what had streamed before it did (already committed as incomplete).
    case providerFailed(any Error, partialText: String, beforeFirstByte: Bool)
}

/// The agent loop: ask the model, run the tools it asks for (validated, concurrently, bounded), feed the results
/// back, and repeat until it answers without tools or a limit is reached.
///
/// It knows nothing of HTTP or databases: the model comes in as a ``ModelProvider``, tools as
/// ``RegisteredTool``s, and what it produces goes out through an ``AgentTranscript`` and an event callback.
public struct AgentLoop: Sendable {
    public var provider: any ModelProvider
    /// The request every round starts from: model, sampling settings, key. Messages and tools are set per round.
    public var template: CompletionRequest
    public var tools: [RegisteredTool]
    public var limits: AgentLimits
    public var toolContext: ToolContext

    public init(
        provider: any ModelProvider,
        template: CompletionRequest,
        tools: [RegisteredTool],
        limits: AgentLimits = AgentLimits(),
        toolContext: ToolContext
    ) {
        self.provider = provider
        self.template = template
        self.tools = tools
        self.limits = limits
        self.toolContext = toolContext
    }

    /// Starts the first model call of a run over `conversation`; pass the result to ``run(conversation:opened:transcript:events:)``.
    ///
    /// - Throws: ``AgentError/providerFailed(_:partialText:beforeFirstByte:)`` when the provider fails.
    public func open(conversation: [ModelMessage]) async throws -> OpenedRound {
        let request = roundRequest(messages: conversation, limit: nil)
        do {
            return OpenedRound(request: request, stream: try await provider.stream(request))
        } catch {
            throw AgentError.providerFailed(error, partialText: "", beforeFirstByte: true)
        }
    }

    /// Runs the loop over `conversation` (system prompt, history and the new user message).
    ///
    /// - Parameter opened: the first model call, when ``open(conversation:)`` already started it.
    public func run(
        conversation: [ModelMessage],
        opened: OpenedRound? = nil,
        transcript: any AgentTranscript,
        events: @Sendable (AgentEvent) async -> Void = { _ in }
    ) async throws -> AgentRun {
        let clock = ContinuousClock()
        let start = clock.now
        let toolsByName = Dictionary(tools.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var messages = conversation
        var produced: [ModelMessage] = []
        var usage = TokenUsage()
        var toolCallsRun = 0
        var toolRounds = 0
        var round = 0
        var limit: AgentLimit?
        var model = template.model

        while true {
            if limit == nil, !tools.isEmpty {
                limit = reachedLimit(
                    toolRounds: toolRounds,
                    toolCalls: toolCallsRun,
                    elapsed: clock.now - start,
                    usage: usage
                )
                if let limit, round > 0 { await events(.limitReached(limit)) }
            }
            let offerTools = !tools.isEmpty && limit == nil
            let request: CompletionRequest
            let stream: CompletionStream
            if round == 0, let opened {
                (request, stream) = (opened.request, opened.stream)
            } else {
                request = roundRequest(messages: messages, limit: limit)
                do {
                    stream = try await provider.stream(request)
                } catch {
                    throw AgentError.providerFailed(error, partialText: "", beforeFirstByte: true)
                }
            }
            round += 1
            await events(.assistantStarted(round: round))
            let completion = try await streamRound(request, stream: stream, transcript: transcript, events: events)
            model = completion.model
            let roundUsage = completion.usage ?? Self.estimatedUsage(request: request, completion: completion)
            usage = usage + roundUsage
            await events(.usage(roundUsage))

            var assistant = completion.message
            if !offerTools { assistant.toolCalls = [] }
            try await transcript.commitAssistant(assistant, usage: roundUsage, model: model, status: .complete)
            messages.append(assistant)
            produced.append(assistant)
            guard !assistant.toolCalls.isEmpty else {
                return AgentRun(messages: produced, usage: usage, limit: limit, model: model, rounds: round)
            }

            toolRounds += 1
            for call in assistant.toolCalls { await events(.toolCall(call)) }
            let allowed = max(0, limits.maxToolCalls - toolCallsRun)
            let runnable = Array(assistant.toolCalls.prefix(allowed))
            var outputs = await runTools(runnable, tools: toolsByName)
            toolCallsRun += runnable.count
            if runnable.count < assistant.toolCalls.count {
                limit = .maxToolCalls
                await events(.limitReached(.maxToolCalls))
                outputs += Array(
                    repeating: .error("Not run: \(AgentLimit.maxToolCalls.explanation)."),
                    count: assistant.toolCalls.count - runnable.count
                )
            }
            for (call, output) in zip(assistant.toolCalls, outputs) {
                let message = ModelMessage.tool(callID: call.id, name: call.name, content: output.content)
                try await transcript.commitToolResult(message, output: output)
                messages.append(message)
                produced.append(message)
                await events(.toolResult(call, output))
            }
            try Task.checkCancellation()
        }
    }

    /// The request for one round: tools offered until a limit is reached, then withdrawn with a note saying why.
    private func roundRequest(messages: [ModelMessage], limit: AgentLimit?) -> CompletionRequest {
        var request = template
        request.messages = UntrustedToolOutput.marking(messages)
        request.tools = tools.map(\.spec)
        if let limit, !tools.isEmpty {
            request.toolChoice = .none
            request.messages.append(
                .system(
                    "Limit reached: \(limit.explanation). Do not call any tools. Answer the user now with what "
                        + "you have so far, and tell them that \(limit.explanation)."
                )
            )
        }
        return request
    }

    private func reachedLimit(toolRounds: Int, toolCalls: Int, elapsed: Duration, usage: TokenUsage) -> AgentLimit? {
        if toolRounds >= limits.maxRounds { return .maxRounds }
        if toolCalls >= limits.maxToolCalls { return .maxToolCalls }
        if elapsed >= limits.wallTime { return .wallTime }
        if let budget = limits.tokenBudget, usage.totalTokens >= budget { return .tokenBudget }
        return nil
    }

    /// Streams one model call, forwarding text as it arrives. A failure after some text commits that text as an
    /// incomplete message before it is reported.
    private func streamRound(
        _ request: CompletionRequest,
        stream: CompletionStream,
        transcript: any AgentTranscript,
        events: @Sendable (AgentEvent) async -> Void
    ) async throws -> Completion {
        var accumulator = CompletionAccumulator()
        do {
            for try await event in stream {
                accumulator.add(event)
                if case .textDelta(let text) = event, !text.isEmpty { await events(.textDelta(text)) }
            }
            try Task.checkCancellation()
        } catch {
            let partial = accumulator.partialText
            if !partial.isEmpty {
                try? await transcript.commitAssistant(
                    .assistant(partial),
                    usage: accumulator.usage ?? TokenUsage(),
                    model: request.model,
                    status: .incomplete
                )
            }
            if error is CancellationError { throw error }
            throw AgentError.providerFailed(error, partialText: partial, beforeFirstByte: false)
        }
        return accumulator.completion(model: request.model)
    }

    /// Runs calls concurrently, at most `maxConcurrentTools` at a time; results come back in call order.
    private func runTools(_ calls: [ToolCall], tools: [String: RegisteredTool]) async -> [ToolOutput] {
        guard !calls.isEmpty else { return [] }
        let width = max(1, limits.maxConcurrentTools)
        let context = toolContext
        return await withTaskGroup(of: (Int, ToolOutput).self) { group in
            var results = [ToolOutput?](repeating: nil, count: calls.count)
            var next = 0
            func startNext() {
                guard next < calls.count else { return }
                let index = next
                let call = calls[index]
                next += 1
                group.addTask { (index, await ToolRunner.run(call, in: tools, context: context)) }
            }
            for _ in 0..<min(width, calls.count) { startNext() }
            while let (index, output) = await group.next() {
                results[index] = output
                startNext()
            }
            return results.map { $0 ?? .error("The tool call did not run.") }
        }
    }

    /// A rough count (four characters a token) for providers that report no usage, so budgets still hold.
    static func estimatedUsage(request: CompletionRequest, completion: Completion) -> TokenUsage {
        let promptCharacters = request.messages.reduce(0) { $0 + $1.text.count }
        let completionCharacters =
            completion.message.text.count + completion.message.toolCalls.reduce(0) { $0 + $1.arguments.count }
        return TokenUsage(
            promptTokens: (promptCharacters + 3) / 4,
            completionTokens: (completionCharacters + 3) / 4
        )
    }
}
