import CLibXML2
import Foundation

/// A page reduced to what a model reads: its title, its text with the block structure kept as line breaks, and
/// where its links lead.
public struct ExtractedPage: Sendable, Hashable {
    public var title: String?
    public var text: String
    /// Unique by URL, in document order.
    public var links: [PageLink]
}

/// A link on a page, resolved to an absolute URL.
public struct PageLink: Sendable, Hashable {
    public var text: String
    public var url: String

    public init(text: String, url: String) {
        self.text = text
        self.url = url
    }
}

/// Turns HTML into readable text with libxml2's HTML parser, which copes with the broken markup real pages are made
/// of and decodes character sets and entities.
///
/// Dropped: scripts, styles, `noscript`, `template`, `svg`, `iframe` and other embedded content, the `head` (its
/// title aside), and elements hidden with the `hidden` attribute, `aria-hidden="true"` or an inline
/// `display:none`/`visibility:hidden`. `nav` menus contribute their links but not their text, which is the same
/// on every page of a site.
public struct HTMLTextExtractor: Sendable {
    public init() {}

    /// Extracts `html`, which the caller has capped in size (the fetcher caps bodies at `maxBodyBytes`).
    ///
    /// - Parameters:
    ///   - charset: the `Content-Type` charset when the server sent one; otherwise libxml2 detects it from a byte
    ///     order mark or a `<meta>` declaration.
    ///   - baseURL: the URL the page was fetched from (after redirects), which relative links resolve against
    ///     unless the page has a `<base href>`.
    public func extract(html: [UInt8], charset: String?, baseURL: String) -> ExtractedPage {
        _ = LibXML2.initialization
        guard !html.isEmpty, html.count <= Int(Int32.max) else {
            return ExtractedPage(title: nil, text: "", links: [])
        }
        // XML_PARSE_HUGE lifts libxml2's nesting limit of 256 elements, past which it silently drops the rest of the
        // page, and legacy pages with hundreds of unclosed tags go that deep. The limits it lifts guard against
        // unbounded input; the fetcher has already capped the body, and libxml2 parses and frees iteratively.
        let options = Int32(
            HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue
                | HTML_PARSE_RECOVER.rawValue | HTML_PARSE_COMPACT.rawValue | XML_PARSE_HUGE.rawValue)
        let parse: (String?) -> htmlDocPtr? = { encoding in
            html.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    htmlReadMemory(chars.baseAddress, Int32(chars.count), baseURL, encoding, options)
                }
            }
        }
        // An encoding name libxml2 does not know fails the parse; detection is the better fallback.
        guard let document = parse(charset) ?? (charset == nil ? nil : parse(nil)) else {
            return ExtractedPage(title: nil, text: "", links: [])
        }
        defer { xmlFreeDoc(document) }
        var walker = DocumentWalker(baseURL: URL(string: baseURL))
        walker.walk(document.pointee.children)
        return walker.page
    }
}

/// libxml2's process-wide set-up (`xmlInitParser`), which is not safe to race when several threads parse at once.
/// A `static let` runs it exactly once, thread-safely, on first use; it holds no state of ours.
struct LibXML2: Sendable {
    static let initialization = LibXML2()

    private init() {
        xmlInitParser()
    }
}

/// One pass over a parsed document. The walk is iterative, so a page nested thousands of elements deep cannot
/// overflow the stack.
private struct DocumentWalker {
    /// What to undo when leaving an element whose children were visited.
    private struct Frame {
        var breakAfter = 0
        var endsLink = false
        var endsPreformatted = false
        var endsList = false
        var endsListItem = false
        var endsLinksOnly = false
        var endsCell = false
        var endsRow = false
        var clearsLinePrefix = false
    }

    private static let skipped: Set<String> = [
        "script", "style", "noscript", "template", "svg", "math", "iframe", "frame", "frameset", "object", "embed",
        "canvas", "audio", "video", "select", "datalist", "dialog", "map",
    ]
    private static let paragraphBlocks: Set<String> = [
        "p", "ul", "ol", "dl", "table", "blockquote", "figure", "hr", "address", "fieldset", "details",
    ]
    private static let lineBlocks: Set<String> = [
        "html", "body", "div", "section", "article", "main", "header", "footer", "aside", "dt", "dd", "form",
        "figcaption", "caption", "summary", "center", "legend", "label", "option", "thead", "tbody", "tfoot",
    ]
    private static let headingLevels: [String: Int] = ["h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6]

    private var baseURL: URL?
    private var hasBaseElement = false
    private var title: String?
    private var text = TextBuilder()
    private var links: [PageLink] = []
    private var linkIndexByURL: [String: Int] = [:]
    private var activeLink: (url: String, text: String, fallback: String)?
    private var preformattedDepth = 0
    private var listDepth = 0
    private var listItemDepth = 0
    private var linksOnlyDepth = 0
    private var cellDepth = 0
    private var cellsInRow: [Int] = []

    init(baseURL: URL?) {
        self.baseURL = baseURL
    }

    var page: ExtractedPage {
        ExtractedPage(title: title, text: text.finished(), links: links)
    }

    mutating func walk(_ first: xmlNodePtr?) {
        var stack: [Frame] = []
        var next = first
        while let node = next {
            if let frame = enter(node) {
                if let child = node.pointee.children {
                    stack.append(frame)
                    next = child
                    continue
                }
                leave(frame)
            }
            var cursor = node
            while cursor.pointee.next == nil {
                guard let frame = stack.popLast(), let parent = cursor.pointee.parent else { return }
                leave(frame)
                cursor = parent
            }
            next = cursor.pointee.next
        }
    }

    /// Handles a node; returns the frame to apply when leaving it, or `nil` to skip its children.
    private mutating func enter(_ node: xmlNodePtr) -> Frame? {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            if let content = node.pointee.content {
                appendText(String(cString: content))
            }
            return nil
        case XML_ELEMENT_NODE:
            return enterElement(node)
        default:
            return nil
        }
    }

    private mutating func enterElement(_ node: xmlNodePtr) -> Frame? {
        guard let rawName = node.pointee.name else { return nil }
        let name = String(cString: rawName)
        let attributes = Attributes(node)
        if Self.skipped.contains(name) || attributes.marksHidden { return nil }

        var frame = Frame()
        switch name {
        case "head":
            linksOnlyDepth += 1
            frame.endsLinksOnly = true
        case "title":
            if title == nil {
                let value = collapsedWhitespace(textContent(of: node))
                title = value.isEmpty ? nil : value
            }
            return nil
        case "base":
            if !hasBaseElement, let href = attributes["href"], let url = URL(string: href, relativeTo: baseURL) {
                baseURL = url.absoluteURL
                hasBaseElement = true
            }
            return nil
        case "nav":
            linksOnlyDepth += 1
            frame.endsLinksOnly = true
            blockBreak(1)
            frame.breakAfter = 1
        case "br":
            if cellDepth > 0 { text.space() } else { text.lineBreak() }
            return nil
        case "img":
            if activeLink != nil, let alt = attributes["alt"], activeLink?.fallback.isEmpty == true {
                activeLink?.fallback = collapsedWhitespace(alt)
            }
            return nil
        case "a":
            if activeLink == nil, let href = attributes["href"], let url = resolvedLink(href) {
                activeLink = (url, "", attributes["aria-label"] ?? attributes["title"] ?? "")
                frame.endsLink = true
            }
        case "pre", "listing", "xmp", "plaintext":
            blockBreak(2)
            preformattedDepth += 1
            frame.endsPreformatted = true
            frame.breakAfter = 2
        case "ul", "ol", "menu":
            // A list inside a list item continues it line by line; a top-level list is a paragraph.
            let strength = listDepth > 0 ? 1 : 2
            blockBreak(strength)
            listDepth += 1
            frame.endsList = true
            frame.breakAfter = strength
        case "li":
            blockBreak(1)
            listItemDepth += 1
            frame.endsListItem = true
            if cellDepth == 0 {
                text.linePrefix = String(repeating: "  ", count: max(listDepth - 1, 0)) + "- "
                frame.clearsLinePrefix = true
            }
            frame.breakAfter = 1
        case "tr":
            blockBreak(1)
            cellsInRow.append(0)
            frame.endsRow = true
            frame.breakAfter = 1
        case "td", "th":
            if let count = cellsInRow.last {
                if count > 0 { text.cellSeparator() }
                cellsInRow[cellsInRow.count - 1] = count + 1
            }
            cellDepth += 1
            frame.endsCell = true
        default:
            if let level = Self.headingLevels[name] {
                blockBreak(2)
                if cellDepth == 0 {
                    text.linePrefix = String(repeating: "#", count: level) + " "
                    frame.clearsLinePrefix = true
                }
                frame.breakAfter = 2
            } else if Self.paragraphBlocks.contains(name) {
                blockBreak(2)
                frame.breakAfter = 2
            } else if Self.lineBlocks.contains(name) {
                blockBreak(1)
                frame.breakAfter = 1
            }
        }
        return frame
    }

    private mutating func leave(_ frame: Frame) {
        if frame.endsLink, let link = activeLink {
            activeLink = nil
            record(link)
        }
        if frame.endsPreformatted { preformattedDepth -= 1 }
        if frame.endsList { listDepth -= 1 }
        if frame.endsListItem { listItemDepth -= 1 }
        if frame.endsLinksOnly { linksOnlyDepth -= 1 }
        if frame.endsCell { cellDepth -= 1 }
        if frame.endsRow { cellsInRow.removeLast() }
        if frame.clearsLinePrefix { text.linePrefix = "" }
        if frame.breakAfter > 0 { blockBreak(frame.breakAfter) }
    }

    /// Inside a table cell a block only separates words, so a data table stays one line per row; inside a list
    /// item paragraphs only start lines, so the list stays one item per line.
    private mutating func blockBreak(_ strength: Int) {
        if cellDepth > 0 {
            text.space()
        } else {
            text.blockBreak(listItemDepth > 0 ? 1 : strength)
        }
    }

    private mutating func appendText(_ value: String) {
        if activeLink != nil {
            activeLink?.text += value
        }
        guard linksOnlyDepth == 0 else { return }
        if preformattedDepth > 0 {
            text.appendPreformatted(value)
        } else {
            text.appendInline(value)
        }
    }

    private mutating func record(_ link: (url: String, text: String, fallback: String)) {
        var label = collapsedWhitespace(link.text)
        if label.isEmpty { label = collapsedWhitespace(link.fallback) }
        if let index = linkIndexByURL[link.url] {
            if links[index].text.isEmpty { links[index].text = label }
            return
        }
        linkIndexByURL[link.url] = links.count
        links.append(PageLink(text: label, url: link.url))
    }

    /// The absolute URL of `href` without its fragment, or `nil` for links that lead nowhere a browser would
    /// fetch: in-page anchors, `javascript:` and other non-web schemes. `mailto:` links are kept.
    private func resolvedLink(_ href: String) -> String? {
        let trimmed = href.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
        guard let url = URL(string: trimmed, relativeTo: baseURL)?.absoluteURL,
            var components = URLComponents(url: url, resolvingAgainstBaseURL: false),
            let scheme = components.scheme?.lowercased(), ["http", "https", "mailto"].contains(scheme)
        else {
            return nil
        }
        // Scheme and host are case-insensitive; lowercasing them lets the list hold each link once.
        components.scheme = scheme
        components.host = components.host?.lowercased()
        components.fragment = nil
        return components.string
    }

    /// The concatenated text below `node` (for `<title>`, whose content is plain text).
    private func textContent(of node: xmlNodePtr) -> String {
        var result = ""
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_TEXT_NODE, let content = current.pointee.content {
                result += String(cString: content)
            }
            child = current.pointee.next
        }
        return result
    }
}

/// The attributes of one element that decide how it is read.
private struct Attributes {
    private var values: [String: String] = [:]

    init(_ node: xmlNodePtr) {
        var attribute = node.pointee.properties
        while let current = attribute {
            if let name = current.pointee.name {
                var value = ""
                var child = current.pointee.children
                while let node = child {
                    if let content = node.pointee.content { value += String(cString: content) }
                    child = node.pointee.next
                }
                values[String(cString: name).lowercased()] = value
            }
            attribute = current.pointee.next
        }
    }

    subscript(name: String) -> String? { values[name] }

    /// Hidden from readers: the `hidden` attribute, `aria-hidden="true"`, or an inline style that hides it.
    var marksHidden: Bool {
        if values["hidden"] != nil { return true }
        if values["aria-hidden"]?.trimmingASCIIWhitespace().lowercased() == "true" { return true }
        if let style = values["style"] {
            let compact = style.lowercased().filter { !$0.isWhitespace }
            let declarations = compact.split(separator: ";")
            return declarations.contains { $0.hasPrefix("display:none") || $0.hasPrefix("visibility:hidden") }
        }
        return false
    }
}

/// `text` with every run of whitespace turned into one space and none at the ends.
func collapsedWhitespace(_ text: String) -> String {
    text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
}
