/// The words of a user's query, ready to be matched with OR.
///
/// Users type text, not query syntax: quotes, parentheses, `NEAR`, `*`, `-` or `:` are never operators here. The
/// text is split into runs of letters and digits (as SQLite's `unicode61` tokenizer does), lower-cased, and each
/// word is later quoted by the engine-specific code, so every input is a valid query.
struct QueryTerms: Sendable, Hashable {
    /// The words to match, in query order, without duplicates.
    let words: [String]

    /// Queries are capped so that a pasted page cannot make one search arbitrarily expensive.
    static let maxWords = 64

    /// Lucene's English stop words (the list BM25 baselines such as Anserini and BEIR use). They carry almost no
    /// ranking signal and would only widen the candidate set; a query made only of them keeps them.
    static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not",
        "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was",
        "will", "with",
    ]

    init(_ text: String) {
        var seen: Set<String> = []
        var all: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            guard !current.isEmpty else { return }
            let word = String(current).lowercased()
            current = String.UnicodeScalarView()
            if seen.insert(word).inserted { all.append(word) }
        }
        for scalar in text.unicodeScalars {
            if Self.isWordScalar(scalar) {
                current.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        let content = all.filter { !Self.stopWords.contains($0) }
        self.words = Array((content.isEmpty ? all : content).prefix(Self.maxWords))
    }

    var isEmpty: Bool { words.isEmpty }

    /// Letters, marks, digits and private-use characters form words, like the `unicode61` tokenizer's defaults.
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark,
            .privateUse:
            true
        default:
            false
        }
    }

    /// An FTS5 expression matching any of the words: each word is a double-quoted string (inner quotes doubled),
    /// which FTS5 never reads as an operator, joined by `OR`.
    var fts5Expression: String {
        words.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " OR ")
    }
}
