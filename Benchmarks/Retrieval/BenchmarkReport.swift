import Foundation

/// The measurements of one run and the retrieval measures computed from them, as trec_eval computes them.
struct BenchmarkReport {
    let documents: Int
    let chunks: Int
    let queries: Int
    let ingestSeconds: Double
    let latencies: [Double]
    /// Query id → ranked (document id, score), best first.
    let rankings: [String: [(String, Double)]]
    let qrels: [String: [String: Int]]

    /// nDCG at `depth` with the grades as gains and log2(rank + 1) discounts, averaged over every judged query
    /// (a query with no results counts as 0).
    func ndcg(at depth: Int) -> Double {
        average { queryID, judged in
            let ranking = rankings[queryID] ?? []
            var dcg = 0.0
            for (index, (documentID, _)) in ranking.prefix(depth).enumerated() {
                let gain = Double(max(0, judged[documentID] ?? 0))
                dcg += gain / log2(Double(index + 2))
            }
            let ideal = judged.values.filter { $0 > 0 }.sorted(by: >).prefix(depth).enumerated().reduce(0.0) {
                $0 + Double($1.element) / log2(Double($1.offset + 2))
            }
            return ideal > 0 ? dcg / ideal : 0
        }
    }

    /// The share of relevant documents found in the first `depth`, averaged over every judged query.
    func recall(at depth: Int) -> Double {
        average { queryID, judged in
            let relevant = Set(judged.filter { $0.value > 0 }.keys)
            guard !relevant.isEmpty else { return 0 }
            let found = (rankings[queryID] ?? []).prefix(depth).filter { relevant.contains($0.0) }.count
            return Double(found) / Double(relevant.count)
        }
    }

    private func average(_ measure: (String, [String: Int]) -> Double) -> Double {
        let judged = qrels.filter { $0.value.values.contains { $0 > 0 } }
        guard !judged.isEmpty else { return 0 }
        return judged.reduce(0.0) { $0 + measure($1.key, $1.value) } / Double(judged.count)
    }

    /// The latency at quantile `q` (nearest rank), in milliseconds.
    func latency(quantile q: Double) -> Double {
        let sorted = latencies.sorted()
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)] * 1000
    }

    func summary(dataset: String, engine: String, mode: String) -> String {
        func format(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
        return """
            dataset \(dataset), engine \(engine), mode \(mode)
              documents \(documents) (\(chunks) chunks), queries \(queries)
              nDCG@10     \(format(ndcg(at: 10), 4))
              R@100       \(format(recall(at: 100), 4))
              ingestion   \(format(Double(documents) / max(ingestSeconds, 1e-9), 1)) docs/s (\(format(ingestSeconds, 2)) s)
              query p50   \(format(latency(quantile: 0.5), 2)) ms
              query p99   \(format(latency(quantile: 0.99), 2)) ms
            """
    }

    /// The ranking in TREC run format: `query Q0 document rank score tag`.
    func trecRun(tag: String) -> String {
        var lines: [String] = []
        for queryID in rankings.keys.sorted(by: { (Int($0) ?? 0, $0) < (Int($1) ?? 0, $1) }) {
            for (index, (documentID, score)) in (rankings[queryID] ?? []).enumerated() {
                lines.append("\(queryID) Q0 \(documentID) \(index + 1) \(score) \(tag)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
