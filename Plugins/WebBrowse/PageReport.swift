/// A tool result: a few header lines saying what was fetched, the text, and (for pages) the links, fitted into a
/// character budget. The text gives way first, links keep up to a quarter of the budget, and whatever is cut is
/// said to be cut, so the model knows to ask for more or to follow a link.
struct PageReport {
    var header: [String]
    var text: String
    var links: [PageLink] = []

    func rendered(maxCharacters limit: Int) -> String {
        let head = header.joined(separator: "\n") + "\n\n"
        let body = text.isEmpty ? "(No readable text.)" : text
        let linkLines = links.map { link in "- [\(link.text.isEmpty ? link.url : link.text)](\(link.url))" }
        let linksTitle = "\n\nLinks:\n"
        let allLinks = linkLines.isEmpty ? "" : linksTitle + linkLines.joined(separator: "\n")
        if head.count + body.count + allLinks.count <= limit {
            return head + body + allLinks
        }

        let linkBudget = min(allLinks.count, limit / 4)
        let totalCharacters = body.count
        let note = "\n\n[Text cut after \(totalCharacters) of \(totalCharacters) characters.]"
        let textBudget = max(limit - head.count - linkBudget - note.count, 0)
        var output = head
        if body.count > textBudget {
            let kept = Self.prefix(of: body, fitting: textBudget)
            output += kept + "\n\n[Text cut after \(kept.count) of \(totalCharacters) characters.]"
        } else {
            output += body
        }

        guard !linkLines.isEmpty else { return output }
        let omittedNote = "\n- (\(linkLines.count) more links not shown)"
        var remaining = limit - output.count - linksTitle.count - omittedNote.count
        var shown: [String] = []
        for line in linkLines {
            let cost = line.count + (shown.isEmpty ? 0 : 1)
            guard cost <= remaining else { break }
            shown.append(line)
            remaining -= cost
        }
        guard !shown.isEmpty else { return output }
        output += linksTitle + shown.joined(separator: "\n")
        if shown.count < linkLines.count {
            output += "\n- (\(linkLines.count - shown.count) more links not shown)"
        }
        return output
    }

    /// The longest prefix of `text` within `budget` characters, ending at a line or word boundary when one is near.
    private static func prefix(of text: String, fitting budget: Int) -> String {
        let hard = text.prefix(budget)
        let searchFrom = hard.index(hard.endIndex, offsetBy: -min(200, hard.count))
        if let boundary = hard[searchFrom...].lastIndex(where: { $0 == "\n" || $0 == " " }) {
            return String(hard[..<boundary])
        }
        return String(hard)
    }
}
