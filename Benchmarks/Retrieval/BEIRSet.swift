import Foundation

/// A retrieval test collection in the BEIR layout.
struct BEIRSet {
    struct Entry: Decodable {
        let id: String
        let title: String
        let text: String

        enum CodingKeys: String, CodingKey {
            case id = "_id"
            case title
            case text
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            title = try container.decodeIfPresent(String.self, forKey: .title) ?? ""
            text = try container.decodeIfPresent(String.self, forKey: .text) ?? ""
        }
    }

    let corpus: [Entry]
    /// Only the queries that have judgements, in file order.
    let queries: [Entry]
    /// Query id → document id → graded relevance (0 or less: not relevant).
    let qrels: [String: [String: Int]]

    init(directory: URL) throws {
        corpus = try Self.readLines(directory.appendingPathComponent("corpus.jsonl"))
        var judgements: [String: [String: Int]] = [:]
        let tsv = try String(contentsOf: directory.appendingPathComponent("qrels/test.tsv"), encoding: .utf8)
        for (number, line) in tsv.split(whereSeparator: \.isNewline).enumerated() {
            let fields = line.split(separator: "\t").map { String($0).trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 3, let grade = Int(fields[2]) else {
                if number == 0 { continue }  // the header
                throw BenchmarkError("qrels line \(number + 1) is not 'query-id<TAB>corpus-id<TAB>score'")
            }
            judgements[fields[0], default: [:]][fields[1]] = grade
        }
        qrels = judgements
        queries = try Self.readLines(directory.appendingPathComponent("queries.jsonl")).filter {
            judgements[$0.id] != nil
        }
    }

    static func readLines(_ url: URL) throws -> [Entry] {
        let decoder = JSONDecoder()
        return try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).map {
            try decoder.decode(Entry.self, from: Data($0.utf8))
        }
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
