/// Which slice of a list to return.
public struct PageRequest: Sendable, Hashable {
    public static let defaultLimit = 20
    public static let maximumLimit = 100

    public var limit: Int
    public var offset: Int

    public init(limit: Int = PageRequest.defaultLimit, offset: Int = 0) {
        self.limit = limit
        self.offset = offset
    }
}

/// A slice of a list with the total it was taken from.
public struct Page<Element: Sendable>: Sendable {
    public var items: [Element]
    public var total: Int
    public var limit: Int
    public var offset: Int

    public init(items: [Element], total: Int, limit: Int, offset: Int) {
        self.items = items
        self.total = total
        self.limit = limit
        self.offset = offset
    }

    /// A list that is always returned whole, in the page shape every list endpoint uses.
    public static func whole(_ items: [Element]) -> Page {
        Page(items: items, total: items.count, limit: max(items.count, 1), offset: 0)
    }

    /// The same page with each element transformed, e.g. into its API representation.
    public func map<Other>(_ transform: (Element) throws -> Other) rethrows -> Page<Other> {
        Page<Other>(items: try items.map(transform), total: total, limit: limit, offset: offset)
    }
}

extension Page: Equatable where Element: Equatable {}
