import Foundation

/// How large chunks are and how much consecutive chunks share.
public struct ChunkingOptions: Sendable, Hashable {
    /// The longest chunk, in Unicode scalars. About 1,200 characters is 200 to 300 English words: long enough
    /// to carry a paragraph's context, short enough that a match points at the right passage.
    public var maxCharacters: Int
    /// How much of the end of a chunk the next one repeats, at most, so a passage cut at a boundary is still
    /// found whole. Overlap is taken in whole sentences, and never across a heading.
    public var overlapCharacters: Int

    public init(maxCharacters: Int = 1200, overlapCharacters: Int = 200) {
        self.maxCharacters = max(50, maxCharacters)
        self.overlapCharacters = min(max(0, overlapCharacters), self.maxCharacters / 2)
    }
}

/// A piece of a text, with where it lies in that text.
public struct TextChunk: Sendable, Hashable {
    public var text: String
    /// Offsets in Unicode scalars (code points, as Python counts string positions), end exclusive.
    public var startOffset: Int
    public var endOffset: Int
    /// The headings the chunk sits under, outermost first, joined by " > ".
    public var section: String?
}

/// Splits text into overlapping chunks along its structure: a Markdown heading (`#` to `######`) always starts a
/// new chunk; paragraphs are kept together when they fit; a paragraph too long for one chunk is cut between
/// sentences, and a sentence too long is cut between words. Each chunk is exactly the text between its offsets.
public struct TextChunker: Sendable {
    public let options: ChunkingOptions

    public init(options: ChunkingOptions = ChunkingOptions()) {
        self.options = options
    }

    public func chunks(of text: String) -> [TextChunk] {
        let scalars = Array(text.unicodeScalars)
        let segments = Self.segments(of: scalars, maxLength: options.maxCharacters)
        var packer = Packer(scalars: scalars, options: options)
        for segment in segments {
            packer.add(segment)
        }
        packer.finish()
        return packer.chunks
    }

    // MARK: Segmentation

    /// A unit the packer never splits: a heading line, or a sentence (or part of one) of a paragraph.
    struct Segment: Hashable {
        enum Kind: Hashable {
            case heading(level: Int, title: String)
            case text
        }
        var start: Int
        var end: Int
        var kind: Kind
    }

    static func segments(of scalars: [Unicode.Scalar], maxLength: Int) -> [Segment] {
        var segments: [Segment] = []
        var paragraphStart: Int?
        var paragraphEnd = 0
        func closeParagraph() {
            if let start = paragraphStart {
                for sentence in sentences(in: scalars, from: start, to: paragraphEnd) {
                    segments += split(sentence, in: scalars, maxLength: maxLength)
                }
            }
            paragraphStart = nil
        }
        var lineStart = 0
        while lineStart < scalars.count {
            var lineEnd = lineStart
            while lineEnd < scalars.count, scalars[lineEnd] != "\n" { lineEnd += 1 }
            if isBlank(scalars, lineStart, lineEnd) {
                closeParagraph()
            } else if let heading = heading(in: scalars, from: lineStart, to: lineEnd) {
                closeParagraph()
                segments += split(
                    Segment(start: lineStart, end: lineEnd, kind: heading), in: scalars, maxLength: maxLength)
            } else {
                if paragraphStart == nil { paragraphStart = lineStart }
                paragraphEnd = lineEnd
            }
            lineStart = lineEnd + 1
        }
        closeParagraph()
        return segments
    }

    static func isBlank(_ scalars: [Unicode.Scalar], _ start: Int, _ end: Int) -> Bool {
        scalars[start..<end].allSatisfy { $0.properties.isWhitespace }
    }

    /// An ATX heading: up to three spaces, one to six `#`, then a space or the end of the line.
    static func heading(in scalars: [Unicode.Scalar], from start: Int, to end: Int) -> Segment.Kind? {
        var index = start
        while index < end, index - start < 3, scalars[index] == " " { index += 1 }
        var level = 0
        while index < end, scalars[index] == "#" {
            level += 1
            index += 1
        }
        guard (1...6).contains(level), index == end || scalars[index] == " " || scalars[index] == "\t" else {
            return nil
        }
        var title = String(String.UnicodeScalarView(scalars[index..<end]))
            .trimmingCharacters(in: .whitespaces)
        while title.hasSuffix("#") { title.removeLast() }
        return .heading(level: level, title: title.trimmingCharacters(in: .whitespaces))
    }

    /// Sentences of a paragraph: cut after `.`, `!` or `?` (and any closing quotes or brackets) followed by
    /// whitespace, and at line breaks inside the paragraph (list items, verse, addresses).
    static func sentences(in scalars: [Unicode.Scalar], from start: Int, to end: Int) -> [Segment] {
        var result: [Segment] = []
        var sentenceStart = start
        var index = start
        while index < end {
            let scalar = scalars[index]
            var boundary: Int?
            if scalar == "\n" {
                boundary = index
            } else if scalar == "." || scalar == "!" || scalar == "?" {
                var after = index + 1
                while after < end, "\"')]»”’".unicodeScalars.contains(scalars[after]) { after += 1 }
                if after < end, scalars[after].properties.isWhitespace { boundary = after }
            }
            if let boundary {
                if !isBlank(scalars, sentenceStart, boundary) {
                    result.append(Segment(start: sentenceStart, end: boundary, kind: .text))
                }
                sentenceStart = boundary
                index = boundary + 1
            } else {
                index += 1
            }
        }
        if sentenceStart < end, !isBlank(scalars, sentenceStart, end) {
            result.append(Segment(start: sentenceStart, end: end, kind: .text))
        }
        return result
    }

    /// Cuts a segment longer than `maxLength` at the last whitespace that keeps each piece short enough, or
    /// anywhere when a word alone is longer.
    static func split(_ segment: Segment, in scalars: [Unicode.Scalar], maxLength: Int) -> [Segment] {
        guard segment.end - segment.start > maxLength else { return [segment] }
        var pieces: [Segment] = []
        var start = segment.start
        while segment.end - start > maxLength {
            var cut = start + maxLength
            while cut > start + maxLength / 2, !scalars[cut].properties.isWhitespace { cut -= 1 }
            if !scalars[cut].properties.isWhitespace { cut = start + maxLength }
            pieces.append(Segment(start: start, end: cut, kind: pieces.isEmpty ? segment.kind : .text))
            start = cut
        }
        pieces.append(Segment(start: start, end: segment.end, kind: pieces.isEmpty ? segment.kind : .text))
        return pieces
    }

    // MARK: Packing

    /// Packs segments into chunks no longer than the maximum, carrying whole trailing sentences over as overlap.
    struct Packer {
        let scalars: [Unicode.Scalar]
        let options: ChunkingOptions
        var chunks: [TextChunk] = []
        /// Segments of the chunk being built.
        var current: [Segment] = []
        /// Whether the chunk being built holds more than headings and carried-over overlap.
        var hasNewText = false
        var headings: [(level: Int, title: String)] = []
        var currentSection: String?

        init(scalars: [Unicode.Scalar], options: ChunkingOptions) {
            self.scalars = scalars
            self.options = options
        }

        mutating func add(_ segment: Segment) {
            if case .heading(let level, let title) = segment.kind {
                // A heading ends the chunk before it, unless that chunk holds only headings so far.
                if hasNewText { emit() }
                if !current.isEmpty, segment.end - current[0].start > options.maxCharacters {
                    emit()
                }
                headings.removeAll { $0.level >= level }
                headings.append((level, title))
                if current.isEmpty || !hasNewText {
                    currentSection = headings.map(\.title).filter { !$0.isEmpty }.joined(separator: " > ")
                }
                current.append(segment)
                return
            }
            if let first = current.first, segment.end - first.start > options.maxCharacters {
                let carried = hasNewText ? overlap(before: segment) : []
                emit()
                current = carried
            }
            if current.isEmpty {
                currentSection =
                    headings.isEmpty ? nil : headings.map(\.title).filter { !$0.isEmpty }.joined(separator: " > ")
            }
            current.append(segment)
            hasNewText = true
        }

        /// The trailing text segments of the current chunk that fit in the overlap and still leave room for
        /// `next`; never the whole chunk, so every chunk moves forward.
        func overlap(before next: Segment) -> [Segment] {
            guard let last = current.last, options.overlapCharacters > 0 else { return [] }
            var carried: [Segment] = []
            for segment in current.dropFirst().reversed() {
                guard segment.kind == .text,
                    last.end - segment.start <= options.overlapCharacters,
                    next.end - segment.start <= options.maxCharacters
                else { break }
                carried.insert(segment, at: 0)
            }
            return carried
        }

        mutating func finish() {
            if hasNewText || !current.isEmpty { emit() }
        }

        mutating func emit() {
            defer {
                current = []
                hasNewText = false
            }
            guard var start = current.first?.start, var end = current.last?.end else { return }
            while start < end, scalars[start].properties.isWhitespace { start += 1 }
            while end > start, scalars[end - 1].properties.isWhitespace { end -= 1 }
            guard start < end else { return }
            let section = currentSection.flatMap { $0.isEmpty ? nil : $0 }
            chunks.append(
                TextChunk(
                    text: String(String.UnicodeScalarView(scalars[start..<end])),
                    startOffset: start,
                    endOffset: end,
                    section: section
                ))
        }
    }
}
