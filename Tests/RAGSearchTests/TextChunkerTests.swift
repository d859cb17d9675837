import Foundation
import RAGSearch
import Testing

@Suite("Chunking text along its structure")
struct TextChunkerTests {
    /// The text between a chunk's offsets, counted in Unicode scalars.
    func slice(_ text: String, _ chunk: TextChunk) -> String {
        slice(text, chunk.startOffset, chunk.endOffset)
    }

    func slice(_ text: String, _ start: Int, _ end: Int) -> String {
        let scalars = Array(text.unicodeScalars)
        return String(String.UnicodeScalarView(scalars[start..<end]))
    }

    func sentences(_ count: Int, prefix: String) -> String {
        (1...count).map { "\(prefix) sentence number \($0) says something short." }.joined(separator: " ")
    }

    @Test("each chunk is exactly the text between its offsets, even with accents and emoji")
    func offsets() {
        let text = """
            # Café ☕️ notes

            \(sentences(12, prefix: "Crème brûlée 🍮"))

            ## Second part

            \(sentences(12, prefix: "Naïve façade"))
            """
        let chunks = TextChunker(options: ChunkingOptions(maxCharacters: 300, overlapCharacters: 80)).chunks(of: text)
        #expect(chunks.count > 4)
        for chunk in chunks {
            #expect(slice(text, chunk) == chunk.text)
            #expect(chunk.text.unicodeScalars.count <= 300)
            #expect(chunk.text == chunk.text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(zip(chunks, chunks.dropFirst()).allSatisfy { $0.startOffset < $1.startOffset })
    }

    @Test("consecutive chunks of one section share whole sentences")
    func overlap() throws {
        let text = sentences(30, prefix: "Plain")
        let chunks = TextChunker(options: ChunkingOptions(maxCharacters: 250, overlapCharacters: 100)).chunks(of: text)
        #expect(chunks.count > 3)
        for (previous, next) in zip(chunks, chunks.dropFirst()) {
            #expect(next.startOffset < previous.endOffset, "chunks overlap")
            let shared = slice(text, next.startOffset, previous.endOffset)
            #expect(shared.hasPrefix("Plain sentence number"), "overlap starts at a sentence: \(shared)")
            #expect(shared.hasSuffix("."))
            #expect(shared.unicodeScalars.count <= 100)
        }
        // Without overlap the chunks tile the text.
        let tiled = TextChunker(options: ChunkingOptions(maxCharacters: 250, overlapCharacters: 0)).chunks(of: text)
        for (previous, next) in zip(tiled, tiled.dropFirst()) {
            #expect(next.startOffset >= previous.endOffset)
        }
        #expect(tiled.first?.startOffset == 0)
        #expect(tiled.last?.endOffset == text.unicodeScalars.count)
    }

    @Test("a heading starts a new chunk, and chunks carry their section path")
    func headings() throws {
        let text = """
            Preamble before any heading.

            # Install
            Run the installer.

            ## On Linux
            Use the package manager.

            ## On macOS
            Use the disk image.

            # Configure
            Edit the file.
            """
        let chunks = TextChunker().chunks(of: text)
        #expect(
            chunks.map(\.text) == [
                "Preamble before any heading.",
                "# Install\nRun the installer.",
                "## On Linux\nUse the package manager.",
                "## On macOS\nUse the disk image.",
                "# Configure\nEdit the file.",
            ])
        #expect(chunks.map(\.section) == [nil, "Install", "Install > On Linux", "Install > On macOS", "Configure"])
        // Headings never appear in a chunk's overlap: nothing from "Install" leaks into "On Linux".
        for (previous, next) in zip(chunks, chunks.dropFirst()) {
            #expect(next.startOffset >= previous.endOffset)
        }
    }

    @Test("paragraphs stay whole when they fit; long sentences and words are cut")
    func paragraphsAndLongText() {
        let first = "First paragraph, one sentence."
        let second = "Second paragraph. It has two sentences."
        let chunks = TextChunker(options: ChunkingOptions(maxCharacters: 100, overlapCharacters: 0))
            .chunks(
                of:
                    "\(first)\n\n\(second)\n\n\(String(repeating: "word ", count: 60))\n\n\(String(repeating: "x", count: 230))"
            )
        #expect(chunks[0].text == "\(first)\n\n\(second)")
        #expect(chunks.allSatisfy { $0.text.unicodeScalars.count <= 100 })
        #expect(chunks.dropFirst().allSatisfy { !$0.text.hasPrefix(" ") })
        #expect(chunks.count == 1 + 3 + 3)
    }

    @Test("empty and blank texts have no chunks")
    func empty() {
        #expect(TextChunker().chunks(of: "").isEmpty)
        #expect(TextChunker().chunks(of: " \n\n\t ").isEmpty)
    }
}
