import Foundation

/// Stores embeddings compactly: 32-bit floats, little-endian, one after another (a 256-dimension vector takes
/// 1 KiB), identically on both engines.
enum EmbeddingCodec {
    static func encode(_ vector: [Float]) -> Data {
        var data = Data(capacity: vector.count * 4)
        for value in vector {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }

    static func decode(_ data: Data) throws -> [Float] {
        guard data.count % 4 == 0 else {
            throw StoreError.corruptData("an embedding's length (\(data.count) bytes) is not a multiple of 4")
        }
        var vector = [Float](repeating: 0, count: data.count / 4)
        data.withUnsafeBytes { raw in
            for index in vector.indices {
                let bits = raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)
                vector[index] = Float(bitPattern: UInt32(littleEndian: bits))
            }
        }
        return vector
    }

    /// The cosine of the angle between two vectors of the same length; 0 when either has no length.
    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return 0 }
        var dot: Float = 0
        var normA: Float = 0
        var normB: Float = 0
        for index in a.indices {
            dot += a[index] * b[index]
            normA += a[index] * a[index]
            normB += b[index] * b[index]
        }
        guard normA > 0, normB > 0 else { return 0 }
        return Double(dot / (normA.squareRoot() * normB.squareRoot()))
    }
}
