import AnvilCore

/// Every list endpoint answers with this shape: `{data, total, limit, offset}`.
public struct PageRepresentation<Item: Encodable & Sendable>: Encodable, Sendable {
    public var data: [Item]
    public var total: Int
    public var limit: Int
    public var offset: Int

    public init<Element>(_ page: Page<Element>, transform: (Element) -> Item) {
        data = page.items.map(transform)
        total = page.total
        limit = page.limit
        offset = page.offset
    }
}
