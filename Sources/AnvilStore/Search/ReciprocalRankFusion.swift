/// Fuses rankings by reciprocal rank (Cormack, Clarke and Büttcher, 2009): each list adds `1 / (k + rank)` to an
/// item's score. It needs no score calibration between BM25 and cosine similarity, which live on different scales.
enum ReciprocalRankFusion {
    /// The constant from the original paper; it damps the weight of the very first ranks.
    static let defaultK = 60.0

    static func fuse(fullText: [SearchHit], vector: [SearchHit], limit: Int, k: Double = defaultK) -> [SearchHit] {
        var fused: [String: SearchHit] = [:]
        for (index, hit) in fullText.enumerated() {
            var entry = fused[hit.itemID] ?? SearchHit(itemID: hit.itemID, groupID: hit.groupID, score: 0)
            entry.score += 1 / (k + Double(index + 1))
            entry.fullTextRank = index + 1
            fused[hit.itemID] = entry
        }
        for (index, hit) in vector.enumerated() {
            var entry = fused[hit.itemID] ?? SearchHit(itemID: hit.itemID, groupID: hit.groupID, score: 0)
            entry.score += 1 / (k + Double(index + 1))
            entry.vectorRank = index + 1
            fused[hit.itemID] = entry
        }
        let ranked = fused.values.sorted { left, right in
            left.score != right.score ? left.score > right.score : left.itemID < right.itemID
        }
        return Array(ranked.prefix(limit))
    }
}
