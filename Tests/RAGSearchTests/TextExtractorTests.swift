import Foundation
import RAGSearch
import Testing

@Suite("Extracting text from uploads")
struct TextExtractorTests {
    @Test("HTML: tags and scripts dropped, entities decoded, headings kept as Markdown")
    func html() async throws {
        let html = """
            <!doctype html><html><head><title>Ignored</title><style>p { color: red }</style></head>
            <body><h1>Main &amp; only</h1><script>var x = "<p>no</p>";</script>
            <p>First   paragraph with <b>bold</b> and&nbsp;an&#x20AC;sign &#233;t&eacute;.</p>
            <!-- a comment <p>hidden</p> -->
            <ul><li>one</li><li>two</li></ul><h2>Next</h2><p>Line<br>break</p></body></html>
            """
        let text = try await TextExtractor(pdfToTextPath: nil).extract(
            Data(html.utf8), mimeType: "text/html; charset=utf-8")
        #expect(
            text == """
                # Main & only

                First paragraph with bold and an€sign ét&eacute;.

                - one
                - two

                ## Next

                Line
                break
                """)
    }

    @Test("plain text and Markdown are kept; Windows line ends and a byte-order mark are normalised")
    func plain() async throws {
        let extractor = TextExtractor(pdfToTextPath: nil)
        let bytes = Data([0xEF, 0xBB, 0xBF]) + Data("# Title\r\nbody\r\n".utf8)
        #expect(try await extractor.extract(bytes, mimeType: "text/markdown") == "# Title\nbody\n")
        #expect(try await extractor.extract(Data([0x63, 0x61, 0x66, 0xE9]), mimeType: "text/plain") == "café")
    }

    @Test("unsupported types and a missing PDF extractor are clear errors")
    func errors() async throws {
        let extractor = TextExtractor(pdfToTextPath: nil)
        await #expect(throws: RAGSearchError.unsupportedMediaType("image/png")) {
            try await extractor.extract(Data([1, 2, 3]), mimeType: "image/png")
        }
        await #expect(throws: RAGSearchError.extractorUnavailable("pdftotext")) {
            try await extractor.extract(Data("%PDF-1.4".utf8), mimeType: "application/pdf")
        }
    }

    @Test(
        "PDF text comes from pdftotext",
        .enabled(if: TextExtractor.findOnPath("pdftotext") != nil, "pdftotext is not installed"))
    func pdf() async throws {
        let extractor = TextExtractor()
        let text = try await extractor.extract(
            SamplePDF.make(text: "Hello from a PDF page"), mimeType: "application/pdf")
        #expect(text.contains("Hello from a PDF page"))
        await #expect(throws: RAGSearchError.self) {
            try await extractor.extract(Data("not a pdf".utf8), mimeType: "application/pdf")
        }
    }
}

/// Builds a minimal one-page PDF with one line of Helvetica text and a correct cross-reference table.
enum SamplePDF {
    static func make(text: String) -> Data {
        let stream = "BT /F1 24 Tf 72 720 Td (\(text)) Tj ET"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        var pdf = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets {
            pdf += String(format: "%010d 00000 n \n", offset)
        }
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(pdf.utf8)
    }
}
