import Foundation
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// Reads the text out of an upload: plain text and Markdown as they are, HTML through ``HTMLTextStripper``, and
/// PDF through `pdftotext` (poppler) when it is installed.
public struct TextExtractor: Sendable {
    /// The media types the library reads, after ``normalizedMediaType(_:)``.
    public static let supportedMediaTypes = ["text/plain", "text/markdown", "text/html", "application/pdf"]

    /// Where `pdftotext` is, or `nil` when this machine has none.
    public let pdfToTextPath: String?

    /// Looks `pdftotext` up on `PATH` unless a path is given.
    public init(pdfToTextPath: String? = Self.findOnPath("pdftotext")) {
        self.pdfToTextPath = pdfToTextPath
    }

    /// The extracted text, with line ends normalised to `\n`.
    public func extract(_ data: Data, mimeType: String) async throws -> String {
        let text: String
        switch Self.normalizedMediaType(mimeType) {
        case "text/plain", "text/markdown":
            text = Self.decode(data)
        case "text/html":
            text = HTMLTextStripper().text(of: Self.decode(data))
        case "application/pdf":
            text = try await extractPDF(data).replacingOccurrences(of: "\u{0C}", with: "\n\n")
        default:
            throw RAGSearchError.unsupportedMediaType(mimeType)
        }
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// The bare media type in lower case, with common aliases folded (`text/x-markdown`, `application/xhtml+xml`).
    public static func normalizedMediaType(_ mimeType: String) -> String {
        let bare = mimeType.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        let type = bare.trimmingCharacters(in: .whitespaces).lowercased()
        switch type {
        case "text/x-markdown", "text/md": return "text/markdown"
        case "application/xhtml+xml": return "text/html"
        case "": return "text/plain"
        default: return type
        }
    }

    /// UTF-8 (a byte-order mark dropped); bytes that are not UTF-8 are read as Latin-1, which never fails.
    static func decode(_ data: Data) -> String {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let text = String(data: bytes, encoding: .utf8) { return text }
        return String(decoding: bytes.map { UInt16($0) }, as: UTF16.self)
    }

    /// Runs `pdftotext` on a temporary copy of the upload; the call is one short-lived process with files, no
    /// pipes to drain. It goes through swift-subprocess like every child process of the server, whose reaping of
    /// children Foundation's `Process` does not share.
    func extractPDF(_ data: Data) async throws -> String {
        guard let tool = pdfToTextPath else { throw RAGSearchError.extractorUnavailable("pdftotext") }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("anvil-pdf-\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.pdf")
        let output = directory.appendingPathComponent("out.txt")
        try data.write(to: input)
        let status: TerminationStatus
        do {
            status = try await Subprocess.run(
                .path(FilePath(tool)),
                arguments: ["-enc", "UTF-8", "-q", input.path, output.path],
                input: .none,
                output: .discarded,
                error: .discarded
            ).terminationStatus
        } catch {
            throw RAGSearchError.extractorUnavailable("pdftotext (\(error))")
        }
        guard status.isSuccess else {
            throw RAGSearchError.extractionFailed("pdftotext exited with \(status); the file may not be a PDF")
        }
        return Self.decode(try Data(contentsOf: output))
    }

    /// The first executable named `name` in the directories of `PATH`.
    public static func findOnPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
