/// One field of a PATCH body, which distinguishes "not sent" (leave unchanged) from `null` (clear) and a value.
public enum FieldUpdate<Value: Sendable>: Sendable {
    case unchanged
    case clear
    case set(Value)

    /// The new value after applying this update to `current`.
    public func applied(to current: Value?) -> Value? {
        switch self {
        case .unchanged: current
        case .clear: nil
        case .set(let value): value
        }
    }

    /// The value when one was sent, for validation.
    public var newValue: Value? {
        if case .set(let value) = self { return value }
        return nil
    }
}

extension KeyedDecodingContainer {
    /// Decodes a PATCH field: absent is `.unchanged`, `null` is `.clear`, anything else must be a `Value`.
    public func decodeUpdate<Value: Decodable & Sendable>(_ type: Value.Type, forKey key: Key) throws -> FieldUpdate<
        Value
    > {
        guard contains(key) else { return .unchanged }
        if try decodeNil(forKey: key) { return .clear }
        return .set(try decode(type, forKey: key))
    }

    /// Decodes a PATCH field that may be omitted but never set to `null`.
    public func decodeNonNullUpdate<Value: Decodable & Sendable>(_ type: Value.Type, forKey key: Key) throws -> Value? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) {
            throw DecodingError.valueNotFound(
                type,
                .init(codingPath: codingPath + [key], debugDescription: "\(key.stringValue) cannot be null")
            )
        }
        return try decode(type, forKey: key)
    }
}
