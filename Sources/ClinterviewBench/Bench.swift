import ArgumentParser
import ClinterviewCore
import ClinterviewTerminal
import Foundation

@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clinterview-bench",
        abstract:
            "Benchmarks: load and lint, replay, and key to frame, on synthetic interviews or the reference interview model.",
        discussion: """
            With no subcommand, generates the reference interview model from a fixed seed and measures it \
            (swift run -c release clinterview-bench). 'peers' runs the reference model's generated inputs (bench/peers.sh \
            makes them) for the side-by-side ratios. Results: docs/benchmarks.md.
            """,
        subcommands: [Synthetic.self, Peers.self, Keys.self, Convert.self, ServiceYear.self],
        defaultSubcommand: Synthetic.self
    )
}

/// Interviews and recorded sessions generated here from a fixed seed.
struct Synthetic: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Generate the reference interview model from a fixed seed; measure load and lint, replay and key to frame.")

    @OptionGroup var workload: WorkloadOptions

    @Option(help: "Seed of the generator.")
    var seed: UInt64 = 1

    @Option(help: "Keys to press on the 150-item interview.")
    var presses = 2000

    func run() throws {
        var bench = Workloads(json: workload.json)
        let interview150 = SyntheticModel.modules(items: 150, seed: seed)
        let model150 = SyntheticModel.referenceModel(interview150)
        for m in Workloads.numbers(workload.answers) {
            let sessions = SyntheticModel.sessions(interview150, count: m, seed: seed &+ 1000 &+ UInt64(m))
            try bench.replay(
                model: model150, sessions: sessions, expected: SyntheticModel.checksum(interview150, sessions))
        }
        for n in Workloads.numbers(workload.sizes) {
            try bench.load(n: n, model: SyntheticModel.referenceModel(SyntheticModel.modules(items: n, seed: seed)))
        }
        try bench.keys(model: model150, presses: presses)
        bench.finish()
    }
}

/// The reference model's generated inputs (shared/bench/peers/gen.py), so the work is the same.
struct Peers: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load and lint model-N.json, replay answers-M.ndjson and check expected-M.json.")

    @Option(help: "The reference model's data directory (gen.py --out; bench/peers.sh makes it).")
    var data = "/tmp/peers-data"

    @OptionGroup var workload: WorkloadOptions

    /// Replay first, while the heap is small: a heap grown by loading 100,000
    /// items slows every later measurement.
    func run() throws {
        var bench = Workloads(json: workload.json)
        let model150 = try Self.model(at: "\(data)/model-150.json")
        for m in Workloads.numbers(workload.answers) {
            guard let lines = try? String(contentsOfFile: "\(data)/answers-\(m).ndjson", encoding: .utf8) else {
                continue
            }
            let sessions = lines.split(separator: "\n").map { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Int]) ?? [:]
            }
            var expected: [String: Int]?
            if let data = FileManager.default.contents(atPath: "\(data)/expected-\(m).json") {
                expected = try? JSONSerialization.jsonObject(with: data) as? [String: Int]
            }
            try bench.replay(model: model150, sessions: sessions, expected: expected)
        }
        for n in Workloads.numbers(workload.sizes) {
            try bench.load(n: n, model: try Self.model(at: "\(data)/model-\(n).json"))
        }
        bench.finish()
    }

    static func model(at path: String) throws -> [String: Any] {
        guard let raw = FileManager.default.contents(atPath: path),
            let model = try JSONSerialization.jsonObject(with: raw) as? [String: Any]
        else {
            print("missing \(path): run bench/peers.sh (shared/bench/peers/gen.py) first")
            throw ExitCode(1)
        }
        return model
    }
}

/// What to measure, for either workload.
struct WorkloadOptions: ParsableArguments {
    @Option(help: "Definition sizes to load and lint.")
    var sizes = "100,1000,10000,100000"

    @Option(help: "Recorded sessions to replay over the 150-item interview.")
    var answers = "1000,10000"

    @Flag(help: "Print JSON lines instead of a table.")
    var json = false
}

/// The measurements both workloads make, printed as a table or JSON lines.
struct Workloads {
    var json: Bool
    private var rows: [[String]] = []

    init(json: Bool) { self.json = json }

    static func numbers(_ list: String) -> [Int] { list.split(separator: ",").compactMap { Int($0) } }

    static func interview(_ model: [String: Any], name: String) throws -> Interview {
        guard
            let interview = InterviewLoader.load(source: SourceFile(path: name, text: ReferenceModel.convert(model)))
                .interview
        else { throw ExitCode(1) }
        return interview
    }

    mutating func load(n: Int, model: [String: Any]) throws {
        let bytes = Array(ReferenceModel.convert(model).utf8)
        let before = Measure.peakMB
        let (seconds, result) = Measure.time(n >= 100_000 ? 1 : 3) {
            InterviewLoader.load(source: SourceFile(path: "model-\(n).json", bytes: bytes))
        }
        let items = result.interview?.items.count ?? 0
        report(
            [
                "work": "load+lint", "n": n, "items": items, "errors": result.errors.count,
                "warnings": result.warnings.count,
                "seconds": seconds, "us_per_item": seconds * 1e6 / Double(max(1, items)), "mb": bytes.count / 1_000_000,
                "peak_rss_mb": Measure.peakMB, "rss_before_mb": before,
            ],
            row: [
                "load + lint", "\(items) items", Self.format(seconds) + " s",
                Self.format(seconds * 1e6 / Double(max(1, items))) + " µs/item",
                Self.format(Measure.peakMB),
                "\(result.errors.count) errors, \(result.warnings.count) warnings, \(bytes.count / 1_000_000) MB",
            ])
    }

    /// Each session's route, values, criteria, diagnoses and scores; the
    /// checksum (enabled items, total, diagnoses) must equal `expected`.
    mutating func replay(model: [String: Any], sessions answerSets: [[String: Int]], expected: [String: Int]?) throws {
        let interview = try Self.interview(model, name: "model-150")
        // As recorded item states, made once (not timed).
        let sessions: [[ItemState]] = answerSets.map { answers in
            var states = [ItemState](repeating: .open, count: interview.items.count)
            for (linkID, rating) in answers {
                if let index = interview.itemIndex[ReferenceModel.id(linkID)] {
                    states[index] = .known(.code(String(rating), weight: Double(rating)))
                }
            }
            return states
        }
        let totalIndex = interview.ruleIndex["total"]!
        let diagnoses = interview.rules.indices.filter { interview.rules[$0].kind == .diagnosis }
        let (seconds, checksum) = Measure.time(3) { () -> (Int, Int, Int) in
            var enabled = 0, total = 0, dx = 0
            for states in sessions {
                var evaluation = RecordedEvaluation(interview: interview, recorded: states)
                for index in 0..<states.count where evaluation.isEnabled(index) { enabled += 1 }
                total += Int(evaluation.rule(totalIndex).value?.numeric ?? 0)
                for d in diagnoses where evaluation.rule(d).bool == true { dx += 1 }
            }
            return (enabled, total, dx)
        }
        let matches =
            expected?["enabled_items"] == checksum.0 && expected?["total"] == checksum.1
            && expected?["dx"] == checksum.2
        let perSession = seconds * 1e6 / Double(max(1, sessions.count))
        report(
            [
                "work": "replay", "m": sessions.count, "seconds": seconds, "us_per_session": perSession,
                "checksum": "\(checksum.0)/\(checksum.1)/\(checksum.2)", "matches_expected": matches,
                "peak_rss_mb": Measure.peakMB,
            ],
            row: [
                "replay", "\(sessions.count) sessions", Self.format(seconds) + " s",
                Self.format(perSession) + " µs/session",
                Self.format(Measure.peakMB),
                "checksum \(checksum.0)/\(checksum.1)/\(checksum.2) " + (matches ? "as expected" : "NOT as expected"),
            ])
        if expected != nil, !matches { throw ExitCode(1) }
    }

    mutating func keys(model: [String: Any], presses: Int) throws {
        let interview = try Self.interview(model, name: "model-150")
        let timing = Keys.measure(interview, presses: presses)
        report(
            [
                "work": "keys", "presses": timing.presses, "session_start_us_median": timing.sessionStart,
                "key_to_frame_us_median": timing.median, "key_to_frame_us_p90": timing.p90,
                "peak_rss_mb": Measure.peakMB,
            ],
            row: [
                "key to frame", "\(timing.presses) keys", "",
                Self.format(timing.median) + " µs median, p90 " + Self.format(timing.p90),
                Self.format(Measure.peakMB), "a new session " + Self.format(timing.sessionStart) + " µs",
            ])
    }

    mutating func report(_ fields: [String: Any], row: [String]) {
        if json {
            let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            rows.append(row)
        }
    }

    /// The table, once every row is measured.
    func finish() {
        guard !json, !rows.isEmpty else { return }
        let header = ["work", "size", "time", "per unit", "peak MB", ""]
        let table = [header] + rows
        let widths = header.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
        for line in table {
            print(
                line.indices.map { line[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(
                    separator: "  "
                )
                .trimmingCharacters(in: .whitespaces))
        }
    }

    static func format(_ value: Double) -> String { String(format: value < 10 ? "%.3g" : "%.1f", value) }
}

/// Writes the reference interview model in Clinterview's format, and optionally their recorded
/// sessions as answer files, to replay them with the CLI (bench/replay-files.sh).
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Convert a reference model-N.json into an interview definition, and answers-M.ndjson into answer files.")

    @Argument(help: "model-N.json")
    var model: String

    @Option(name: .shortAndLong, help: "Output file.")
    var output: String

    @Option(help: "answers-M.ndjson: one answer file per line is written to --answer-directory.")
    var answers: String?

    @Option(help: "Where the answer files go (created).")
    var answerDirectory = "/tmp/peers-answer-files"

    func run() throws {
        guard let raw = FileManager.default.contents(atPath: model),
            let object = try JSONSerialization.jsonObject(with: raw) as? [String: Any]
        else { throw ExitCode(1) }
        try ReferenceModel.convert(object).write(toFile: output, atomically: true, encoding: .utf8)
        guard let answers else { return }
        let lines = try String(contentsOfFile: answers, encoding: .utf8).split(separator: "\n")
        try FileManager.default.createDirectory(atPath: answerDirectory, withIntermediateDirectories: true)
        for (number, line) in lines.enumerated() {
            guard let ratings = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Int] else {
                throw ExitCode(1)
            }
            try ReferenceModel.answerFile(ratings).write(
                toFile: "\(answerDirectory)/\(String(format: "%05d", number)).json", atomically: false, encoding: .utf8)
        }
    }
}
