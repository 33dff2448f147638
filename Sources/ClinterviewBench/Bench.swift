import ArgumentParser
import ClinterviewCore
import ClinterviewTerminal
import Foundation

@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clinterview-bench",
        abstract: "Benchmarks: load and lint, replay, and key to frame, on the peers' model and our own synthetic interviews.",
        discussion: "Run a release build: swift run -c release clinterview-bench --peers /tmp/peers-data. Results: docs/benchmarks.md.",
        subcommands: [Peers.self, Keys.self, Convert.self],
        defaultSubcommand: Peers.self
    )
}

/// The peers' own inputs (shared/bench/peers/gen.py), so the work is the same.
struct Peers: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load and lint model-N.json, replay answers-M.ndjson and check expected-M.json.")

    @Option(help: "The peers' data directory (gen.py --out).")
    var data = "/tmp/peers-data"

    @Option(help: "Definition sizes to load.")
    var sizes = "100,1000,10000,100000"

    @Option(help: "Answer sets to replay.")
    var answers = "1000,10000"

    @Flag(help: "Print JSON lines.")
    var json = false

    /// Replay first, while the heap is small: after loading 100,000 items it is
    /// not, and the same replay measures a third slower.
    func run() throws {
        try replay()
        try load()
    }

    func load() throws {
        for n in sizes.split(separator: ",").compactMap({ Int($0) }) {
            let path = "\(data)/model-\(n).json"
            guard let raw = FileManager.default.contents(atPath: path),
                  let model = try JSONSerialization.jsonObject(with: raw) as? [String: Any] else {
                print("missing \(path): run shared/bench/peers/gen.py first")
                throw ExitCode(1)
            }
            let text = PeerModel.convert(model)
            let bytes = Array(text.utf8)
            let before = Measure.peakMB
            let (seconds, result) = Measure.time(n >= 100_000 ? 1 : 3) { InterviewLoader.load(source: SourceFile(path: "model-\(n).json", bytes: bytes)) }
            let items = result.interview?.items.count ?? 0
            report(["work": "load+lint", "n": n, "items": items, "errors": result.errors.count, "warnings": result.warnings.count,
                    "seconds": seconds, "us_per_item": seconds * 1e6 / Double(max(1, items)), "mb": bytes.count / 1_000_000,
                    "peak_rss_mb": Measure.peakMB, "rss_before_mb": before])
        }
    }

    func replay() throws {
        guard let raw = FileManager.default.contents(atPath: "\(data)/model-150.json"),
              let model = try JSONSerialization.jsonObject(with: raw) as? [String: Any],
              let interview = InterviewLoader.load(source: SourceFile(path: "model-150", text: PeerModel.convert(model))).interview else {
            print("missing \(data)/model-150.json")
            throw ExitCode(1)
        }
        for m in answers.split(separator: ",").compactMap({ Int($0) }) {
            guard let lines = try? String(contentsOfFile: "\(data)/answers-\(m).ndjson", encoding: .utf8) else { continue }
            // Parse once (not timed): each session as recorded item states.
            let sessions: [[ItemState]] = lines.split(separator: "\n").map { line in
                var states = [ItemState](repeating: .open, count: interview.items.count)
                if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Int] {
                    for (linkID, rating) in object {
                        if let index = interview.itemIndex[PeerModel.id(linkID)] { states[index] = .known(.code(String(rating), weight: Double(rating))) }
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
            var expected: [String: Int] = [:]
            if let data = FileManager.default.contents(atPath: "\(data)/expected-\(m).json") {
                expected = (try? JSONSerialization.jsonObject(with: data) as? [String: Int]) ?? [:]
            }
            let matches = expected["enabled_items"] == checksum.0 && expected["total"] == checksum.1 && expected["dx"] == checksum.2
            report(["work": "replay", "m": m, "seconds": seconds, "us_per_session": seconds * 1e6 / Double(max(1, sessions.count)),
                    "checksum": "\(checksum.0)/\(checksum.1)/\(checksum.2)", "matches_expected": matches, "peak_rss_mb": Measure.peakMB])
        }
    }

    func report(_ fields: [String: Any]) {
        if json {
            let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value is Double ? String(format: "%.4g", $0.value as! Double) : "\($0.value)")" }.joined(separator: "  "))
        }
    }
}

/// Writes the peers' model in Clinterview's format, and optionally their recorded
/// sessions as answer files, to replay them with the CLI (bench/replay-files.sh).
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Convert a peers' model-N.json into an interview definition, and answers-M.ndjson into answer files.")

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
              let object = try JSONSerialization.jsonObject(with: raw) as? [String: Any] else { throw ExitCode(1) }
        try PeerModel.convert(object).write(toFile: output, atomically: true, encoding: .utf8)
        guard let answers else { return }
        let lines = try String(contentsOfFile: answers, encoding: .utf8).split(separator: "\n")
        try FileManager.default.createDirectory(atPath: answerDirectory, withIntermediateDirectories: true)
        for (number, line) in lines.enumerated() {
            guard let ratings = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Int] else { throw ExitCode(1) }
            try PeerModel.answerFile(ratings).write(toFile: "\(answerDirectory)/\(String(format: "%05d", number)).json", atomically: false, encoding: .utf8)
        }
    }
}
