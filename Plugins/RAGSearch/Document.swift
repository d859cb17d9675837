import AnvilCore
import AnvilStore
import Foundation

/// A stored document: what was uploaded and how it was indexed. The original bytes and the extracted text are
/// read separately, because listings never need them.
public struct Document: Sendable, Hashable {
    public var id: String
    public var ownerID: String
    public var title: String
    /// The media type it was uploaded as, without parameters (`text/markdown`, `application/pdf`).
    public var mimeType: String
    public var metadata: JSONValue
    /// Size of the original upload in bytes.
    public var byteSize: Int
    /// Length of the extracted text in Unicode scalars (the unit of chunk offsets).
    public var textLength: Int
    public var chunkCount: Int
    public var createdAt: Date
    public var updatedAt: Date
}

/// A document as uploaded: its bytes and what they are.
public struct DocumentUpload: Sendable, Hashable {
    public var title: String
    public var mimeType: String
    public var content: Data
    public var metadata: JSONValue

    public init(title: String, mimeType: String, content: Data, metadata: JSONValue = .object([:])) {
        self.title = title
        self.mimeType = mimeType
        self.content = content
        self.metadata = metadata
    }

    /// A text upload (`text/plain`, `text/markdown` or `text/html`), stored as UTF-8.
    public init(title: String, text: String, mimeType: String = "text/plain", metadata: JSONValue = .object([:])) {
        self.init(title: title, mimeType: mimeType, content: Data(text.utf8), metadata: metadata)
    }
}

/// The original bytes of a document, for download.
public struct DocumentContent: Sendable, Hashable {
    public var title: String
    public var mimeType: String
    public var data: Data
}

/// One stored chunk of a document's extracted text.
public struct DocumentChunk: Sendable, Hashable {
    public var id: String
    public var documentID: String
    /// 0-based position of the chunk in its document.
    public var index: Int
    /// Where the chunk lies in the document's extracted text, in Unicode scalars (code points), end exclusive.
    public var startOffset: Int
    public var endOffset: Int
    /// The headings the chunk sits under, outermost first, joined by " > "; `nil` before any heading.
    public var section: String?
    public var text: String
}

/// A search in one user's documents.
public struct DocumentSearchRequest: Sendable, Hashable {
    public var query: String
    /// The number of chunks to return, 1...``DocumentLibrary/maxResults``.
    public var k: Int
    /// When set, only these documents are searched.
    public var documentIDs: [String]?
    /// The rankings to use; `nil` means hybrid when an embedder is configured and full text otherwise.
    public var mode: SearchMode?

    public init(query: String, k: Int = 5, documentIDs: [String]? = nil, mode: SearchMode? = nil) {
        self.query = query
        self.k = k
        self.documentIDs = documentIDs
        self.mode = mode
    }
}

/// A ranked chunk with what a citation needs: the document, where the chunk lies in it, and its text.
public struct DocumentSearchResult: Sendable, Hashable {
    public var documentID: String
    public var documentTitle: String
    public var chunkID: String
    public var chunkIndex: Int
    public var startOffset: Int
    public var endOffset: Int
    public var section: String?
    public var text: String
    /// Higher is better; comparable only within one result list.
    public var score: Double
}
