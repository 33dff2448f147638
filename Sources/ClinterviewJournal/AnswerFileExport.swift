import ClinterviewCore
import Foundation

/// Turns a session journal into an answer file, so any real session can become
/// a regression test.
public enum AnswerFileExport {
    /// The latest answer, skip, notes and overrides of every item, in journal order.
    /// Needs no interview definition.
    public static func answerFile(from contents: JournalContents) -> JSONOutput {
        var order: [String] = []
        var answers: [String: JSONOutput] = [:]
        var skipped: [String: String] = [:]
        var notes: [String: [String]] = [:]
        var overrides: [(String, String)] = []
        func touch(_ item: String) { if !order.contains(item) { order.append(item) } }
        for record in contents.records {
            switch record.event {
            case .answered(let item, let value, let used), .changed(let item, let value, _, let used):
                touch(item)
                answers[item] = value
                skipped[item] = nil
                for (check, reason) in used.sorted(by: { $0.key < $1.key })
                where !overrides.contains(where: { $0.0 == check }) {
                    overrides.append((check, reason))
                }
            case .skipped(let item, let reason):
                touch(item)
                skipped[item] = reason
                answers[item] = nil
            case .note(let item, let text):
                notes[item, default: []].append(text)
            default:
                break
            }
        }
        var members: [(String, JSONOutput)] = []
        if let header = contents.header {
            members += [
                ("interview", .string(header.interviewID)),
                ("client", .string(header.client)),
                ("rater", .string(header.rater)),
                ("role", .string(header.role)),
            ]
        }
        if let date = contents.header?.assessedAt ?? contents.records.first?.time {
            members.append(("date", .string(Timestamp.string(date))))
        }
        if contents.header?.blind == true { members.append(("blind", .bool(true))) }
        members.append(("answers", .object(order.compactMap { item in answers[item].map { (item, $0) } })))
        if !skipped.isEmpty {
            members.append(("skipped", .object(order.compactMap { item in skipped[item].map { (item, .string($0)) } })))
        }
        if !notes.isEmpty {
            members.append(
                (
                    "notes",
                    .object(notes.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.map(JSONOutput.string))) })
                ))
        }
        if !overrides.isEmpty { members.append(("overrides", .object(overrides.map { ($0.0, .string($0.1)) }))) }
        return .object(members)
    }

    /// The answer file with an `expect` block holding the results it gives now.
    public static func answerFileWithExpectations(from contents: JournalContents, interview: Interview) -> JSONOutput {
        let plain = answerFile(from: contents)
        let source = SourceFile(path: contents.path, text: plain.serialized())
        var sink = DiagnosticSink(source: source)
        guard let file = AnswerFile.read(source: source, sink: &sink) else { return plain }
        let result = Replayer.replay(file, interview: interview, sink: &sink).json
        var expect: [(String, JSONOutput)] = []
        for key in ["missing", "unused", "criteria"] { if let value = result[key] { expect.append((key, value)) } }
        if case .object(let diagnoses)? = result["diagnoses"] {
            expect.append(("diagnoses", .object(diagnoses.map { ($0.0, $0.1["status"] ?? .null) })))
        }
        if case .object(let scores)? = result["scores"] {
            expect.append(
                (
                    "scores",
                    .object(
                        scores.map {
                            ($0.0, .object([("value", $0.1["value"] ?? .null), ("band", $0.1["band"] ?? .null)]))
                        })
                ))
        }
        if let alerts = result["alerts"] { expect.append(("alerts", alerts)) }
        guard case .object(var members) = plain else { return plain }
        members.append(("expect", .object(expect)))
        return .object(members)
    }
}
