import Foundation

extension String {
    /// Decodes a text body in the charset its `Content-Type` declared. Without a declaration the body is read as
    /// UTF-8 when it is valid UTF-8 and as Windows-1252 otherwise, which is what browsers fall back to. Labels
    /// Foundation cannot decode are read as UTF-8 with replacement characters rather than refused.
    init(decodingBody body: [UInt8], charset: String?) {
        switch charset?.lowercased() {
        case "iso-8859-1", "iso8859-1", "latin1", "l1", "us-ascii", "ascii", "windows-1252", "cp1252":
            // The WHATWG encoding standard reads all of these labels as Windows-1252.
            self = Self.windows1252(body)
        case "utf-16", "utf-16le", "utf-16be":
            self =
                String(bytes: body, encoding: charset?.lowercased() == "utf-16be" ? .utf16BigEndian : .utf16)
                ?? String(decoding: body, as: UTF8.self)
        case nil:
            self = Self.strictUTF8(body) ?? Self.windows1252(body)
        default:
            self = Self.strictUTF8(body) ?? String(decoding: body, as: UTF8.self)
        }
    }

    /// `body` as UTF-8 if it is valid, allowing a sequence cut short at the very end (a body capped mid-character).
    private static func strictUTF8(_ body: [UInt8]) -> String? {
        for cut in 0...Swift.min(3, body.count) {
            if let text = String(bytes: body.dropLast(cut), encoding: .utf8) { return text }
        }
        return nil
    }

    /// Windows-1252, with the five bytes it leaves undefined read as the Latin-1 control characters they are in
    /// ISO-8859-1, so decoding never fails.
    private static func windows1252(_ body: [UInt8]) -> String {
        if let text = String(bytes: body, encoding: .windowsCP1252) { return text }
        return String(String.UnicodeScalarView(body.map { Unicode.Scalar($0) }))
    }
}
