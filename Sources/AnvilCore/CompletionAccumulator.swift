/// Folds streamed ``CompletionEvent``s into the ``Completion`` they add up to.
///
/// Tool-call fragments are joined by their index. Some servers reuse one index for several calls; a fragment
/// that carries a new id at a known index therefore starts a new call instead of extending the old one.
public struct CompletionAccumulator: Sendable {
    private struct PartialCall: Sendable {
        var id: String
        var name: String
        var arguments: String
    }

    private var text = ""
    private var calls: [PartialCall] = []
    private var slotByIndex: [Int: Int] = [:]
    public private(set) var usage: TokenUsage?
    public private(set) var finishReason: FinishReason?

    public init() {}

    /// The text received so far.
    public var partialText: String { text }

    public mutating func add(_ event: CompletionEvent) {
        switch event {
        case .textDelta(let delta):
            text += delta
        case .toolCallDelta(let delta):
            add(delta)
        case .usage(let usage):
            self.usage = usage
        case .finished(let reason):
            finishReason = reason
        }
    }

    private mutating func add(_ delta: ToolCallDelta) {
        let newID = delta.id.flatMap { $0.isEmpty ? nil : $0 }
        if let slot = slotByIndex[delta.index], newID == nil || newID == calls[slot].id {
            if let name = delta.name, calls[slot].name.isEmpty { calls[slot].name = name }
            calls[slot].arguments += delta.arguments
            return
        }
        let id = newID ?? "call_\(calls.count)"
        calls.append(PartialCall(id: id, name: delta.name ?? "", arguments: delta.arguments))
        slotByIndex[delta.index] = calls.count - 1
    }

    /// The tool calls received so far, in the order they started.
    public var toolCalls: [ToolCall] {
        calls.map { ToolCall(id: $0.id, name: $0.name, arguments: $0.arguments.isEmpty ? "{}" : $0.arguments) }
    }

    /// The completion these events describe. A stream that ended without saying why is treated as stopped,
    /// or as asking for tools when it produced tool calls.
    public func completion(model: String) -> Completion {
        let calls = toolCalls
        let reason = finishReason ?? (calls.isEmpty ? .stop : .toolCalls)
        return Completion(
            message: .assistant(text.isEmpty && !calls.isEmpty ? nil : text, toolCalls: calls),
            finishReason: reason,
            usage: usage,
            model: model
        )
    }
}
