import ArgumentParser
import ClinterviewCore
import ClinterviewJournal
import ClinterviewReports
import Foundation

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Walk recorded answer files through an interview and report or check the results.",
        discussion: """
            Each answer file is walked through the same engine as a live session.
            With --json, standard output holds only JSON: one object per file, one line each (JSON Lines), however many files; summaries and PASS/FAIL lines go to standard error.
            With --check, compares each file's "expect" block, prints every difference, \
            a PASS/FAIL line per file and a summary, and exits 1 on any difference.
            A directory stands for every .json file below it. A session journal (.jsonl) may be \
            given instead of an answer file: its final answers are replayed; so may a FHIR \
            QuestionnaireResponse (answers matched by linkId). See docs/replay.md.
            """
    )

    @Option(
        name: .shortAndLong, help: "The interview definition file, or an interview id.",
        completion: Completions.interviews)
    var interview: String

    @Flag(help: "Print results as JSON.")
    var json = false

    @Flag(help: "Compare results with each file's \"expect\" block; exit 1 on any difference.")
    var check = false

    @Argument(help: "Answer files, or directories of them.", completion: .file(extensions: ["json", "jsonl"]))
    var answers: [String]

    func run() throws {
        let definition = try loadDefinition(interview).interview

        let files = try answers.flatMap(expand)
        let job = ReplayJob(definition: definition, json: json, check: check)
        // Files are replayed on every core; each one's output is printed in
        // order as soon as it and every file before it are done.
        let (passed, failed) = InOrderResults.run(
            files.count, into: (passed: 0, failed: 0), { index in job.replay(files[index]) }
        ) { tally, transcript in
            transcript.emit()
            if transcript.ok { tally.passed += 1 } else { tally.failed += 1 }
        }
        if check || files.count > 1 {
            // Machine output keeps standard output for JSON alone.
            if json {
                printError("\(passed) passed, \(failed) failed")
            } else {
                print("\(passed) passed, \(failed) failed")
            }
        }
        if failed > 0 { throw CommandFailure.inputError }
    }

    private func expand(_ path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            printError("\(path): no such file or directory")
            throw CommandFailure.inputError
        }
        guard isDirectory.boolValue else { return [path] }
        var found: [String] = []
        for entry in DirectoryListing.files(under: path) where entry.hasSuffix(".json") || entry.hasSuffix(".jsonl") {
            found.append(path.hasSuffix("/") ? path + entry : path + "/" + entry)
        }
        return found.sorted()
    }
}

/// One replay of one file, safe to run on any thread; its output is kept, not printed,
/// so that files replayed in parallel still print in order.
struct ReplayJob: Sendable {
    var definition: Interview
    var json: Bool
    var check: Bool

    /// Returns whether the file replayed without errors (and, with --check, matched).
    func replay(_ path: String) -> Transcript {
        var transcript = Transcript()
        let ok = replayOne(path, &transcript)
        transcript.ok = ok
        return transcript
    }

    private func replayOne(_ path: String, _ transcript: inout Transcript) -> Bool {
        let bytes: [UInt8]
        switch InterviewLoader.readFile(path: path) {
        case .success(let data): bytes = data
        case .failure(let diagnostic):
            transcript.err(diagnostic.description)
            if check { json ? transcript.err("FAIL \(path)") : transcript.out("FAIL \(path)") }
            return false
        }
        var source = SourceFile(path: path, bytes: bytes)
        if isJournal(path: path, bytes: bytes) {
            let contents = JournalReader.parse(bytes, path: path)
            if let problem = contents.problems.first {
                transcript.err(
                    "\(path): warning: \(problem); replaying the \(contents.records.count) intact records before it")
            }
            source = SourceFile(path: path, text: AnswerFileExport.answerFile(from: contents).serialized(indent: "  "))
        } else if FHIRResponseImport.isResponse(bytes) {
            let (file, problems) = FHIRResponseImport.answerFile(source: source, interview: definition)
            for problem in problems { transcript.err(problem.description) }
            guard let file else { return false }
            source = SourceFile(path: path, text: file.serialized(indent: "  "))
        }
        var sink = DiagnosticSink(source: source)
        guard let file = AnswerFile.read(source: source, sink: &sink) else {
            for diagnostic in sink.sorted { transcript.err(diagnostic.description) }
            if check { json ? transcript.err("FAIL \(path)") : transcript.out("FAIL \(path)") }
            return false
        }
        let result = Replayer.replay(file, interview: definition, sink: &sink, keepingSession: false)
        for diagnostic in sink.sorted { transcript.err(diagnostic.description) }
        var ok = !sink.hasErrors
        // The tree is built only to check; printed JSON is written straight out.
        let output = check ? (json ? result.json : file.expect.map(result.json(for:)) ?? result.json) : nil
        if json {
            transcript.outExact(
                output?.serialized(indent: nil) ?? result.serializedJSON(indent: nil))
        } else if !check {
            printSummary(result, &transcript)
        }
        if check {
            if let expect = file.expect, let output {
                let mismatches = Expectations.compare(expect, with: output, source: source)
                for mismatch in mismatches { json ? transcript.err(mismatch.description) : transcript.out(mismatch) }
                ok = ok && mismatches.isEmpty
            } else {
                transcript.err("\(path):1:1: error: there is no \"expect\" block to check against")
                ok = false
            }
            let verdict = "\(ok ? "PASS" : "FAIL") \(path)"
            if json { transcript.err(verdict) } else { transcript.out(verdict) }
        }
        return ok
    }

    private func isJournal(path: String, bytes: [UInt8]) -> Bool {
        path.hasSuffix(".jsonl") || bytes.starts(with: Array("{\"seq\":".utf8))
    }

    /// The summary is built as the bytes of one string: a line at a time, with
    /// string interpolation and appending, cost as much as replaying the file.
    private func printSummary(_ result: ReplayResult, _ transcript: inout Transcript) {
        var out = SummaryBytes()
        out.line(
            result.file, ": ", String(result.asked.count), " asked, ", String(result.missing.count),
            " missing, ",
            String(result.unused.count), " unused")
        if !result.missing.isEmpty { out.line("  missing: ", result.missing.joined(separator: ", ")) }
        if !result.unused.isEmpty { out.line("  unused: ", result.unused.joined(separator: ", ")) }
        for (item, reason) in result.skipped { out.line("  skipped ", item, ": ", reason) }
        for (item, message) in result.rejected { out.line("  rejected ", item, ": ", message) }
        for (item, check) in result.checks {
            out.line(
                "  check ", check.id, " on ", item, " (", check.severity.rawValue, "): ", check.message,
                check.overrideReason.map { " [overridden: \($0)]" } ?? "")
        }
        let evaluation = result.evaluation
        for diagnosis in evaluation.diagnoses {
            let blocking =
                diagnosis.blocking.isEmpty ? "" : " (blocked by \(diagnosis.blocking.joined(separator: ", ")))"
            let period = diagnosis.period == .current ? "" : " [\(diagnosis.period.rawValue)]"
            out.line(
                "  diagnosis ", diagnosis.id, ": ", diagnosis.status.rawValue, period, blocking, " - ", diagnosis.label)
        }
        for criterion in evaluation.criteria {
            out.line("  criterion ", criterion.id, ": ", criterion.status.rawValue)
        }
        for score in evaluation.scores {
            if let value = score.value {
                out.line("  score ", score.id, ": ", format(value), score.band.map { " (\($0))" } ?? "")
            } else {
                let range =
                    score.low.flatMap { low in score.high.map { " (between \(format(low)) and \(format($0)))" } } ?? ""
                out.line("  score ", score.id, ": unknown", range)
            }
        }
        for alert in evaluation.alerts {
            out.line("  alert ", alert.id, " [", alert.severity.rawValue, "]: ", alert.message)
        }
        transcript.out(String(decoding: out.bytes, as: UTF8.self))
    }

    private func format(_ value: Double) -> String {
        // Beyond an Int, `Int(value)` would stop the program.
        value.rounded() == value && abs(value) < 9e18 ? String(Int(value)) : String(format: "%.2f", value)
    }
}

/// A file's summary as UTF-8, line by line; text is copied through a
/// pointer (appending a small string's `utf8` went byte by byte).
private struct SummaryBytes {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(1024) }

    mutating func line(_ parts: String...) {
        if !bytes.isEmpty { bytes.append(UInt8(ascii: "\n")) }
        for var part in parts { part.withUTF8 { bytes.append(contentsOf: $0) } }
    }
}

/// What replaying one file printed, kept until its turn comes.
struct Transcript: Sendable {
    var lines: [(toError: Bool, text: String)] = []
    var ok = false

    /// Human-readable lines show escape sequences and bidirectional controls visibly.
    mutating func out(_ text: String) { lines.append((false, VisibleText.escaped(text, keepingNewlines: true))) }
    mutating func out(_ item: CustomStringConvertible) { out(item.description) }
    mutating func err(_ text: String) { lines.append((true, VisibleText.escaped(text, keepingNewlines: true))) }
    /// JSON, printed exactly as serialized.
    mutating func outExact(_ text: String) { lines.append((false, text)) }

    /// Standard output is written in one piece per file (a line at a time was a
    /// tenth of replaying a directory, all of it on the main thread).
    func emit() {
        var output = ""
        for line in lines {
            if line.toError {
                if !output.isEmpty { print(output, terminator: ""); output = "" }
                printError(line.text)
            } else {
                output += line.text
                output += "\n"
            }
        }
        if !output.isEmpty { print(output, terminator: "") }
    }
}
