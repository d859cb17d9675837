/// Accumulates readable text the way a browser lays it out: whitespace in running text collapses to single spaces,
/// blocks start on new lines, and line breaks are only written once text follows, so empty elements leave no gaps.
struct TextBuilder {
    /// Written at the start of the next line that gets text (a list bullet, a heading's `#`s).
    var linePrefix = ""

    private var output = ""
    private var atLineStart = true
    /// Right after a cell's tab, where a space would only pad the cell.
    private var atCellStart = false
    private var pendingSpace = false
    /// 1 for a new line, 2 for a blank line between paragraphs.
    private var pendingBreak = 0

    /// Text from ordinary flow content.
    mutating func appendInline(_ text: String) {
        var word = ""
        for character in text {
            if character.isWhitespace {
                if !word.isEmpty { write(word) }
                word = ""
                space()
            } else {
                word.append(character)
            }
        }
        if !word.isEmpty { write(word) }
    }

    /// Text from `<pre>`, kept as written.
    mutating func appendPreformatted(_ text: String) {
        let normalized = text.replacingCRLF()
        guard !normalized.isEmpty else { return }
        flushPending()
        output += normalized
        atLineStart = normalized.hasSuffix("\n")
        atCellStart = false
    }

    /// Ends the current line (strength 1) or paragraph (strength 2) before the next text.
    mutating func blockBreak(_ strength: Int) {
        pendingBreak = max(pendingBreak, strength)
        pendingSpace = false
    }

    /// A `<br>`: each one adds a line break, so two make a blank line.
    mutating func lineBreak() {
        pendingBreak = min(pendingBreak + 1, 2)
        pendingSpace = false
        if output.isEmpty { pendingBreak = 0 }
    }

    /// A word gap where a block would otherwise break the line (inside a table cell).
    mutating func space() {
        if !atLineStart && !atCellStart { pendingSpace = true }
    }

    /// A tab between table cells, written at once so empty cells keep the columns aligned.
    mutating func cellSeparator() {
        flushPending()
        output += "\t"
        atLineStart = false
        atCellStart = true
        pendingSpace = false
    }

    /// The text with trailing spaces removed from lines, at most one blank line in a row, none at the ends.
    func finished() -> String {
        var lines: [Substring] = []
        var blankRun = 0
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            var trimmed = line
            while let last = trimmed.last, last == " " || last == "\t" { trimmed = trimmed.dropLast() }
            if trimmed.isEmpty {
                blankRun += 1
                if blankRun > 1 || lines.isEmpty { continue }
            } else {
                blankRun = 0
            }
            lines.append(trimmed)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    private mutating func write(_ word: String) {
        flushPending()
        if pendingSpace { output += " " }
        pendingSpace = false
        output += word
        atLineStart = false
        atCellStart = false
    }

    private mutating func flushPending() {
        if pendingBreak > 0 && !output.isEmpty {
            if !atLineStart { output += "\n" }
            if pendingBreak > 1 { output += "\n" }
            atLineStart = true
            atCellStart = false
            pendingSpace = false
        }
        pendingBreak = 0
        if atLineStart && !linePrefix.isEmpty {
            output += linePrefix
            linePrefix = ""
        }
    }
}

extension String {
    fileprivate func replacingCRLF() -> String {
        var result = ""
        result.reserveCapacity(utf8.count)
        for character in self {
            // "\r\n" is one Character in Swift; a lone "\r" is an old Mac line end.
            if character == "\r\n" || character == "\r" { result.append("\n") } else { result.append(character) }
        }
        return result
    }
}
