import Foundation

/// One searchable item in the index: a note, a memory, a document chunk. Entries are keyed by collection, owner
/// and item, so each plugin keeps its items in a collection of its own and every search is one owner's.
public struct SearchEntry: Sendable, Hashable {
    /// The kind of item, such as `notes`, `memories` or `document_chunks`.
    public var collection: String
    /// The user the item belongs to; only this user's searches can return it.
    public var ownerID: String
    /// The item's identifier in its owning table.
    public var itemID: String
    /// An optional grouping key, such as the document a chunk belongs to; searches can be limited to groups and a
    /// whole group can be removed at once.
    public var groupID: String?
    /// A short title, searched together with the text.
    public var title: String
    /// The searchable text.
    public var text: String
    /// The text's embedding, when an embedding model is configured.
    public var embedding: [Float]?

    public init(
        collection: String,
        ownerID: String,
        itemID: String,
        groupID: String? = nil,
        title: String = "",
        text: String,
        embedding: [Float]? = nil
    ) {
        self.collection = collection
        self.ownerID = ownerID
        self.itemID = itemID
        self.groupID = groupID
        self.title = title
        self.text = text
        self.embedding = embedding
    }
}

/// Which rankings a search uses.
public enum SearchMode: String, Sendable, Hashable, CaseIterable {
    /// Full text alone, with BM25 ranking.
    case fullText = "full_text"
    /// Cosine similarity of embeddings alone; needs a query embedding.
    case vector
    /// Both, fused by reciprocal rank; needs a query embedding.
    case hybrid
}

/// A search in one owner's entries of one collection.
public struct SearchQuery: Sendable, Hashable {
    public var collection: String
    public var ownerID: String
    /// What the user typed. Any text is a valid query: it is split into words that are matched with OR, so no
    /// query syntax ever reaches the engine.
    public var text: String
    /// The embedding of `text`, for vector and hybrid searches.
    public var embedding: [Float]?
    /// The most hits to return.
    public var limit: Int
    /// When set, only entries in these groups are searched.
    public var groupIDs: [String]?
    /// The rankings to use; `nil` means hybrid when an embedding is given and full text otherwise.
    public var mode: SearchMode?

    public init(
        collection: String,
        ownerID: String,
        text: String,
        embedding: [Float]? = nil,
        limit: Int = 10,
        groupIDs: [String]? = nil,
        mode: SearchMode? = nil
    ) {
        self.collection = collection
        self.ownerID = ownerID
        self.text = text
        self.embedding = embedding
        self.limit = limit
        self.groupIDs = groupIDs
        self.mode = mode
    }

    /// The mode actually used: the requested one, or the best one the query allows.
    public var effectiveMode: SearchMode {
        if let mode { return mode }
        return embedding == nil ? .fullText : .hybrid
    }
}

/// One ranked result.
public struct SearchHit: Sendable, Hashable {
    public var itemID: String
    public var groupID: String?
    /// Higher is better. BM25 for full text, cosine similarity for vectors, the fused reciprocal-rank score for
    /// hybrid searches; comparable only within one result list.
    public var score: Double
    /// The 1-based rank in the full-text ranking, when the item was found there.
    public var fullTextRank: Int?
    /// The 1-based rank in the vector ranking, when the item was found there.
    public var vectorRank: Int?

    public init(itemID: String, groupID: String?, score: Double, fullTextRank: Int? = nil, vectorRank: Int? = nil) {
        self.itemID = itemID
        self.groupID = groupID
        self.score = score
        self.fullTextRank = fullTextRank
        self.vectorRank = vectorRank
    }
}
