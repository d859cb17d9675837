import Foundation

/// Turns HTML into readable text: tags removed, entities decoded, block elements on lines of their own, headings
/// written as Markdown headings so that the chunker sees the document's structure, and script, style and other
/// non-text elements dropped.
///
/// A small scanner rather than libxml2 (which the `web_browse` plugin uses) keeps this plugin free of C
/// libraries; it is tolerant of broken markup but knows no more of HTML than text extraction needs.
struct HTMLTextStripper: Sendable {
    /// Elements whose content is never text.
    static let skipped: Set<String> = ["script", "style", "noscript", "template", "svg", "head", "iframe", "object"]
    /// Elements that start and end a line of text.
    static let blocks: Set<String> = [
        "p", "div", "section", "article", "header", "footer", "nav", "aside", "main", "ul", "ol", "li", "dl", "dt",
        "dd", "table", "thead", "tbody", "tfoot", "tr", "blockquote", "pre", "figure", "figcaption", "form",
        "fieldset", "address", "details", "summary", "title", "body", "html",
    ]
    static let headings: [String: Int] = ["h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6]

    func text(of html: String) -> String {
        var output = ""
        var line = ""
        var skipping: String?
        var preformatted = 0
        var index = html.startIndex

        func endLine(blank: Bool) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty {
                output += trimmed + "\n"
            }
            if blank, !output.isEmpty, !output.hasSuffix("\n\n") { output += "\n" }
            line = ""
        }

        while index < html.endIndex {
            let character = html[index]
            if character == "<" {
                if html[index...].hasPrefix("<!--") {
                    let close = html.range(of: "-->", range: index..<html.endIndex)
                    index = close?.upperBound ?? html.endIndex
                    continue
                }
                guard let close = html[index...].firstIndex(of: ">") else {
                    if skipping == nil { line.append(contentsOf: html[index...]) }
                    break
                }
                let tag = Self.tagName(html[html.index(after: index)..<close])
                index = html.index(after: close)
                if let skipped = skipping {
                    if tag.closing && tag.name == skipped { skipping = nil }
                    continue
                }
                if !tag.closing, Self.skipped.contains(tag.name), !tag.selfClosing {
                    skipping = tag.name
                    continue
                }
                if let level = Self.headings[tag.name] {
                    endLine(blank: true)
                    if !tag.closing { line = String(repeating: "#", count: level) + " " }
                } else if tag.name == "br" {
                    endLine(blank: false)
                } else if tag.name == "hr" {
                    endLine(blank: true)
                } else if Self.blocks.contains(tag.name) {
                    endLine(blank: tag.name != "li" && tag.name != "tr" && tag.name != "dt" && tag.name != "dd")
                    if tag.name == "pre" { preformatted += tag.closing ? -1 : 1 }
                    if tag.name == "li", !tag.closing { line = "- " }
                } else if tag.name == "td" || tag.name == "th" {
                    line += " "
                }
                continue
            }
            index = html.index(after: index)
            if skipping != nil { continue }
            if character == "&" {
                let (decoded, next) = Self.entity(in: html, at: html.index(before: index))
                line += decoded
                index = next
            } else if character.isWhitespace {
                if preformatted > 0, character == "\n" {
                    endLine(blank: false)
                } else if !line.hasSuffix(" ") || preformatted > 0 {
                    line.append(" ")
                }
            } else {
                line.append(character)
            }
        }
        endLine(blank: false)
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    struct Tag {
        var name: String
        var closing: Bool
        var selfClosing: Bool
    }

    static func tagName(_ inner: Substring) -> Tag {
        var body = inner
        let closing = body.first == "/"
        if closing { body = body.dropFirst() }
        let name = body.prefix { $0.isLetter || $0.isNumber }.lowercased()
        return Tag(name: name, closing: closing, selfClosing: inner.hasSuffix("/"))
    }

    static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "ndash": "–", "mdash": "—",
        "hellip": "…", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "copy": "©", "reg": "®",
        "trade": "™", "euro": "€", "pound": "£", "yen": "¥", "laquo": "«", "raquo": "»", "middot": "·",
        "bull": "•", "times": "×", "deg": "°",
    ]

    /// Decodes the entity starting at `start` (an `&`); an unknown or malformed one is kept as written.
    static func entity(in html: String, at start: String.Index) -> (String, String.Index) {
        let afterAmpersand = html.index(after: start)
        guard let semicolon = html[afterAmpersand...].prefix(12).firstIndex(of: ";") else {
            return ("&", afterAmpersand)
        }
        let name = html[afterAmpersand..<semicolon]
        let next = html.index(after: semicolon)
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            let value =
                digits.first == "x" || digits.first == "X"
                ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            if let value, let scalar = Unicode.Scalar(value), value != 0 {
                return (String(Character(scalar)), next)
            }
            return ("&", afterAmpersand)
        }
        if let decoded = namedEntities[String(name).lowercased()] {
            return (decoded, next)
        }
        return ("&", afterAmpersand)
    }
}
