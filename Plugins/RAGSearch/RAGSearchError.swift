/// What went wrong with a document, in terms the server can map to a status and a message.
public enum RAGSearchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The media type is not one the library can read.
    case unsupportedMediaType(String)
    /// The program that reads this media type is not installed on this machine (for example `pdftotext`).
    case extractorUnavailable(String)
    /// The content could not be read as its media type says.
    case extractionFailed(String)
    /// No document by this id belongs to the user.
    case documentNotFound(String)
    /// The request itself cannot work (an empty title, a non-positive `k`, ...).
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .unsupportedMediaType(let type): "unsupported media type '\(type)'"
        case .extractorUnavailable(let tool): "\(tool) is not installed on this server"
        case .extractionFailed(let reason): "could not read the document: \(reason)"
        case .documentNotFound(let id): "no document '\(id)'"
        case .invalidRequest(let reason): reason
        }
    }
}
