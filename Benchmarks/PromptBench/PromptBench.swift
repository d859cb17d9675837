import AnvilCore
import Foundation
import PromptExtractionCases

/// `swift run -c release anvil-bench-prompts [path/to/extraction-cases.json]`
///
/// Reports the deterministic extractors' accuracy per value type on the labelled cases, and the latency of
/// compiling typical templates and of extracting one case (p50, p99, max), measured over many repetitions.
@main
struct PromptBench {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        let url =
            arguments.first { !$0.hasPrefix("--") }.map { URL(fileURLWithPath: $0) } ?? ExtractionCaseSet.defaultURL
        let set = try ExtractionCaseSet(contentsOf: url)

        let outcomes = set.cases.map(ExtractionCaseSet.run)
        let main = outcomes.filter { !$0.prepared.labelled.isHeldOut }
        let heldOut = outcomes.filter(\.prepared.labelled.isHeldOut)
        report("Extraction accuracy (\(main.count) labelled cases, deterministic extractors)", main)
        print("")
        report("Held-out cases (\(heldOut.count), written after the extractors, not tuned on)", heldOut)
        if arguments.contains("--failures") || ProcessInfo.processInfo.environment["BENCH_FAILURES"] != nil {
            for outcome in outcomes where !outcome.passed {
                let label = outcome.prepared.labelled
                print("  FAIL [\(label.kind)\(label.isHeldOut ? ", held out" : "")] \(label.text)")
                for mismatch in outcome.mismatches { print("       \(mismatch)") }
            }
        }

        // Typical templates: the two multi-parameter ones from the case set, and a one-liner.
        let sources = [
            "Find {{cuisine: enum(italian|thai|any) = any # Kind of food}} restaurants in {{city # The city}} for "
                + "{{guests: integer(1..20) = 2}} people on {{date: date}} with a budget of {{budget: money?}}.",
            "Summarise {{url: url}} in {{words: integer(10..500) = 100}} words for {{audience: text?}}.",
            "Translate {{text: text}} into {{language: enum(french|german|spanish)}}.",
        ]
        var compileSamples: [Double] = []
        for _ in 0..<2_000 {
            for source in sources {
                let start = ContinuousClock.now
                let template = try PromptTemplate(source)
                _ = template.jsonSchema
                _ = template.formFields
                compileSamples.append(microseconds(since: start))
            }
        }
        print("")
        print("Compile (parse + JSON Schema + form hints), \(compileSamples.count) runs over 3 templates:")
        print(summary(compileSamples))

        var extractSamples: [Double] = []
        for _ in 0..<20 {
            for prepared in set.cases {
                let start = ContinuousClock.now
                _ = ExtractionCaseSet.run(prepared)
                extractSamples.append(microseconds(since: start))
            }
        }
        print("Deterministic extraction, one case, \(extractSamples.count) runs over \(set.cases.count) cases:")
        print(summary(extractSamples))
        var byKind: [String: [Double]] = [:]
        for (index, sample) in extractSamples.enumerated() {
            byKind[set.cases[index % set.cases.count].labelled.kind, default: []].append(sample)
        }
        for kind in byKind.keys.sorted() {
            print("  \(kind):" + summary(byKind[kind] ?? []).dropFirst(1))
        }
    }

    static func report(_ title: String, _ outcomes: [ExtractionCaseSet.Outcome]) {
        let accuracy = ExtractionCaseSet.accuracy(of: outcomes)
        print(title)
        print("| type | cases | correct | accuracy |")
        print("|---|---:|---:|---:|")
        var passed = 0
        for kind in accuracy.keys.sorted() {
            guard let entry = accuracy[kind] else { continue }
            passed += entry.passed
            print("| \(kind) | \(entry.total) | \(entry.passed) | \(percent(entry.passed, entry.total)) |")
        }
        print("| all | \(outcomes.count) | \(passed) | \(percent(passed, outcomes.count)) |")
    }

    static func microseconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        let (seconds, attoseconds) = elapsed.components
        return Double(seconds) * 1_000_000 + Double(attoseconds) / 1_000_000_000_000
    }

    static func summary(_ samples: [Double]) -> String {
        let sorted = samples.sorted()
        func percentile(_ p: Double) -> Double {
            sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }
        return String(
            format: "  p50 %.1f µs, p99 %.1f µs, max %.1f µs", percentile(0.5), percentile(0.99), sorted.last ?? 0)
    }

    static func percent(_ part: Int, _ whole: Int) -> String {
        String(format: "%.1f%%", whole == 0 ? 0 : Double(part) * 100 / Double(whole))
    }
}
