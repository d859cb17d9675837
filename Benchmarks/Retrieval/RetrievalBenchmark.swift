import AnvilCore
import AnvilProviders
import AnvilStore
import ArgumentParser
import Foundation
import Logging
import RAGSearch
import SQLKit

/// Retrieval quality and speed of the document search on a BEIR-layout set (`corpus.jsonl`, `queries.jsonl`,
/// `qrels/test.tsv`): every corpus entry is ingested as one document through the real ingestion path, every query
/// runs through the real search, and the ranking is scored with nDCG@10 and recall@100 (trec_eval semantics).
@main
struct RetrievalBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anvil-bench-retrieval",
        abstract: "Ingests a BEIR-layout collection, runs its queries and reports nDCG@10, R@100 and timings."
    )

    @Argument(help: "Directory with corpus.jsonl, queries.jsonl and qrels/test.tsv.")
    var dataset: String

    @Option(
        help: "A postgres:// URL; a throwaway schema is created and dropped. SQLite in a temporary file when absent.")
    var databaseURL: String?

    @Flag(help: "Embed chunks and queries with the built-in local:anvil-embed model and search hybrid.")
    var embeddings = false

    @Option(help: "full_text, vector or hybrid (default: hybrid with --embeddings, full_text without).")
    var mode: String?

    @Option(help: "Longest chunk in characters.")
    var chunkSize = ChunkingOptions().maxCharacters

    @Option(help: "Characters shared by consecutive chunks.")
    var overlap = ChunkingOptions().overlapCharacters

    @Option(help: "Write the ranking as a TREC run file here (for score_run.py).")
    var runFile: String?

    @Option(help: "Documents ingested concurrently.")
    var concurrency = 1

    @Flag(help: "Keep the database (SQLite file or PostgreSQL schema) for inspection instead of removing it.")
    var keepDatabase = false

    mutating func run() async throws {
        let directory = URL(fileURLWithPath: dataset)
        let set = try BEIRSet(directory: directory)
        var searchMode: SearchMode?
        if let mode {
            guard let parsed = SearchMode(rawValue: mode) else { throw ValidationError("unknown mode '\(mode)'") }
            searchMode = parsed
        }
        if searchMode != nil, searchMode != .fullText, !embeddings {
            throw ValidationError("--mode \(mode ?? "") needs --embeddings")
        }
        let embedder: (any TextEmbedder)? =
            embeddings
            ? ProviderTextEmbedder(provider: LocalModelProvider(), model: LocalModelProvider.embeddingModelName) : nil

        var logger = Logger(label: "anvil.bench.retrieval")
        logger.logLevel = .warning
        let sandbox = try await BenchmarkDatabase.make(postgresURL: databaseURL, logger: logger)
        do {
            let report = try await measure(
                set: set, database: sandbox.database, embedder: embedder, mode: searchMode, logger: logger)
            let engine = databaseURL == nil ? "sqlite" : "postgres"
            let modeName = (searchMode ?? (embedder == nil ? .fullText : .hybrid)).rawValue
            print(report.summary(dataset: directory.lastPathComponent, engine: engine, mode: modeName))
            if let runFile {
                try report.trecRun(tag: "anvil-\(engine)-\(modeName)").write(
                    toFile: runFile, atomically: true, encoding: .utf8)
            }
            if keepDatabase {
                print("kept: \(sandbox.name)")
                try await sandbox.database.shutdown()
            } else {
                try await sandbox.destroy()
            }
        } catch {
            try? await sandbox.destroy()
            throw error
        }
    }

    func measure(
        set: BEIRSet, database: Database, embedder: (any TextEmbedder)?, mode: SearchMode?, logger: Logger
    ) async throws -> BenchmarkReport {
        try await Migrator(database: database, migrations: CoreMigrations.all + RAGSearchMigrations.all, logger: logger)
            .migrate()
        let owner = try await SQLUserRepository(database: database).create(
            email: "bench@example.com", passwordHash: "-", displayName: nil, isAdmin: false
        ).id
        let library = DocumentLibrary(
            database: database, embedder: embedder,
            chunker: TextChunker(options: ChunkingOptions(maxCharacters: chunkSize, overlapCharacters: overlap)),
            logger: logger)

        // Ingestion: one document per corpus entry, title and text as given.
        let clock = ContinuousClock()
        let ingestStart = clock.now
        var documentIDs: [String: String] = [:]
        var chunks = 0
        let workers = max(1, concurrency)
        try await withThrowingTaskGroup(of: (String, Document).self) { group in
            var pending = set.corpus.makeIterator()
            func submit() -> Bool {
                guard let entry = pending.next() else { return false }
                group.addTask {
                    let title = entry.title.isEmpty ? "untitled" : entry.title
                    let document = try await library.ingest(
                        DocumentUpload(
                            title: title, text: entry.text, metadata: .object(["corpus_id": .string(entry.id)])),
                        ownerID: owner)
                    return (entry.id, document)
                }
                return true
            }
            for _ in 0..<workers where submit() {}
            while let (corpusID, document) = try await group.next() {
                documentIDs[document.id] = corpusID
                chunks += document.chunkCount
                _ = submit()
            }
        }
        let ingestSeconds = (clock.now - ingestStart).seconds

        // Queries: ask for more chunks than documents scored, since several chunks may share a document.
        var rankings: [String: [(String, Double)]] = [:]
        var latencies: [Double] = []
        for query in set.queries {
            let start = clock.now
            let results = try await library.search(
                DocumentSearchRequest(query: query.text, k: DocumentLibrary.maxResults, mode: mode), ownerID: owner)
            latencies.append((clock.now - start).seconds)
            var seen: Set<String> = []
            var ranking: [(String, Double)] = []
            for result in results where seen.insert(result.documentID).inserted {
                if let corpusID = documentIDs[result.documentID] { ranking.append((corpusID, result.score)) }
                if ranking.count == 100 { break }
            }
            rankings[query.id] = ranking
        }
        return BenchmarkReport(
            documents: set.corpus.count, chunks: chunks, queries: set.queries.count, ingestSeconds: ingestSeconds,
            latencies: latencies, rankings: rankings, qrels: set.qrels)
    }
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

/// A throwaway database: an SQLite file in a temporary directory, or a fresh schema on a PostgreSQL server.
struct BenchmarkDatabase {
    let database: Database
    /// The SQLite file or PostgreSQL schema.
    let name: String
    let cleanup: @Sendable () async throws -> Void

    static func make(postgresURL: String?, logger: Logger) async throws -> BenchmarkDatabase {
        guard let postgresURL else {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("anvil-bench-\(UUID().uuidString.lowercased())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let database = try Database(
                location: .sqlite(path: directory.appendingPathComponent("bench.sqlite").path), logger: logger)
            return BenchmarkDatabase(database: database, name: directory.appendingPathComponent("bench.sqlite").path) {
                try await database.shutdown()
                try? FileManager.default.removeItem(at: directory)
            }
        }
        let schema = "bench_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await withAdmin(url: postgresURL, logger: logger) { db in
            try await db.raw("CREATE SCHEMA \(ident: schema)").run()
        }
        let database = try Database(location: .postgres(url: postgresURL, schema: schema), logger: logger)
        return BenchmarkDatabase(database: database, name: schema) {
            try await database.shutdown()
            try await withAdmin(url: postgresURL, logger: logger) { db in
                try await db.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
            }
        }
    }

    func destroy() async throws { try await cleanup() }

    static func withAdmin(
        url: String, logger: Logger, _ body: @Sendable (any SQLDatabase) async throws -> Void
    ) async throws {
        let admin = try Database(location: .postgres(url: url), maxConnectionsPerEventLoop: 1, logger: logger)
        do {
            try await admin.withConnection { try await body($0) }
            try await admin.shutdown()
        } catch {
            try? await admin.shutdown()
            throw error
        }
    }
}
