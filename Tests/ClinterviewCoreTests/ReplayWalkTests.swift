import ClinterviewTestSupport
import Foundation
import Testing

@testable import ClinterviewCore

/// `Replayer` walks the items once; answering item by item through a `Session`,
/// as a clinician would, must give exactly the same result. The step-by-step
/// walk here is the reference.
@Suite struct ReplayWalkTests {
    static func stepByStep(_ file: AnswerFile, interview: Interview) -> ReplayResult {
        var session = Session(interview: interview, clock: .fixed(file.date ?? Date(timeIntervalSince1970: 0)))
        var inputs: [Int: AnswerInput] = [:]
        for (itemID, node, _) in file.answers {
            if let index = interview.itemIndex[itemID],
                case .success(let input) = interview.items[index].input(from: node)
            {
                inputs[index] = input
            }
        }
        var result = ReplayResult(
            file: file.path, interviewID: interview.id, interviewVersion: interview.version,
            client: file.client, rater: file.rater, role: file.role, evaluation: session.evaluate())
        while let index = session.position {
            let item = interview.items[index]
            guard item.kind.isAnswerable else {
                session.moveOn()
                continue
            }
            result.asked.append(item.id)
            if let reason = file.skipped[item.id] {
                session.skip(reason: reason)
                result.skipped.append((item.id, reason))
            } else if let input = inputs[index] {
                let outcome = session.answer(input, overrides: file.overrides)
                result.checks += outcome.checks.map { (item.id, $0) }
                switch outcome.status {
                case .accepted: break
                case .rejected(let message):
                    result.rejected.append((item.id, message))
                    session.moveOn()
                case .needsCorrection, .needsOverride, .reasonRequired:
                    result.missing.append(item.id)
                    session.moveOn()
                }
            } else {
                result.missing.append(item.id)
                session.moveOn()
            }
            for text in file.notes[item.id] ?? [] { try? session.attachNote(text, to: item.id) }
        }
        let asked = Set(result.asked)
        result.unused = file.answers.map(\.item).filter { interview.itemIndex[$0] != nil && !asked.contains($0) }
        result.evaluation = session.complete()
        result.session = session
        return result
    }

    func expectSame(_ file: AnswerFile, _ interview: Interview, _ context: String) {
        var sink = DiagnosticSink(source: file.source)
        let walked = Replayer.replay(file, interview: interview, sink: &sink)
        let reference = Self.stepByStep(file, interview: interview)
        #expect(walked.json.serialized() == reference.json.serialized(), "\(context)")
        // Printed JSON is written without the tree; it must be the tree's text.
        for indent in [nil, "  "] {
            #expect(walked.serializedJSON(indent: indent) == walked.json.serialized(indent: indent), "\(context)")
        }
        #expect(walked.evaluation.route == reference.evaluation.route, "\(context)")
        // Without the session (as the CLI replays), the results are the same.
        var quietSink = DiagnosticSink(source: file.source)
        let resultsOnly = Replayer.replay(file, interview: interview, sink: &quietSink, keepingSession: false)
        #expect(resultsOnly.session == nil && resultsOnly.json.serialized() == walked.json.serialized(), "\(context)")
        #expect(quietSink.sorted.map(\.description) == sink.sorted.map(\.description), "\(context)")
        let (a, b) = (walked.session!, reference.session!)
        #expect(a.responses == b.responses, "\(context)")
        #expect(a.notes == b.notes, "\(context)")
        #expect(a.route == b.route, "\(context)")
        #expect(a.recordedStates == b.recordedStates, "\(context)")
        #expect(a.unacknowledgedAlerts == b.unacknowledgedAlerts, "\(context)")
        #expect(a.isCompleted && b.isCompleted && a.position == nil && b.position == nil, "\(context)")
    }

    @Test(arguments: ReplayTests.vignettes)
    func vignettesWalkAsSessionsDo(_ path: String) throws {
        let source = SourceFile(
            path: path, bytes: try [UInt8](Data(contentsOf: URL(fileURLWithPath: Repository.path(path)))))
        var sink = DiagnosticSink(source: source)
        let file = try #require(AnswerFile.read(source: source, sink: &sink))
        let interview = try #require(ReplayTests.interviews[file.interviewID ?? ""])
        expectSame(file, interview, path)
    }

    /// Random interviews with hard and soft checks that look back, gates on
    /// earlier ratings and rules, and answer files with valid, invalid, skipped,
    /// overridden, annotated and unused answers.
    @Test func generatedInterviewsWalkAsSessionsDo() throws {
        var rng = SplitMix64(state: 8)
        for iteration in 0..<150 {
            let (definition, ids) = generate(&rng)
            let interview = try #require(
                load(definition, path: "walk-\(iteration).json").interview, "iteration \(iteration)")
            for round in 0..<4 {
                let text = answerFile(ids, &rng)
                let source = SourceFile(path: "walk-\(iteration)-\(round).json", text: text)
                var sink = DiagnosticSink(source: source)
                let file = try #require(AnswerFile.read(source: source, sink: &sink), "\(text)")
                expectSame(file, interview, "iteration \(iteration) round \(round): \(text)")
            }
        }
    }

    func generate(_ rng: inout SplitMix64) -> (String, [String]) {
        var items: [String] = []
        var ids: [String] = []
        for index in 0..<Int.random(in: 2...14, using: &rng) {
            let id = "R\(index)"
            var fields =
                "\"id\": \"\(id)\", \"kind\": \"rating\", \"prompt\": \"p\", \"notes\": \(Bool.random(using: &rng))"
            if let earlier = ids.randomElement(using: &rng), Int.random(in: 0..<3, using: &rng) > 0 {
                let test = [
                    "\(earlier) == 3", "\(earlier) >= 2", "not inadequate(\(earlier))", "answered(\(earlier))",
                    "count(R0..\(earlier), == 3) >= 1",
                ]
                fields += ", \"when\": \"\(test.randomElement(using: &rng)!)\""
            }
            if Bool.random(using: &rng) {
                let earlier = ids.randomElement(using: &rng) ?? id
                let rule = [
                    "\(id) != 1", "\(id) >= \(earlier) or \(earlier) == 1", "not (\(id) == 3 and \(earlier) == 3)",
                ].randomElement(using: &rng)!
                let severity = Bool.random(using: &rng) ? "hard" : "soft"
                fields +=
                    ", \"checks\": [{ \"id\": \"k\(index)\", \"severity\": \"\(severity)\", \"rule\": \"\(rule)\", \"message\": \"m\" }]"
            }
            ids.append(id)
            items.append("{ \(fields) }")
        }
        let last = ids.last!
        let definition = """
            { "format": "clinterview/1", "id": "walk", "version": "1", "title": "W",
              "modules": [
                { "id": "m1", "title": "M", "sections": [{ "id": "s1", "title": "S", "items": [\(items.joined(separator: ", "))] }] },
                { "id": "m2", "title": "N", "when": "count(R0..\(last), == 3) >= 2", "sections": [
                  { "id": "s2", "title": "T", "when": "c", "items": [{ "id": "late", "kind": "rating", "prompt": "q" }, { "id": "info", "kind": "display", "prompt": "i" }] }] }],
              "criteria": [{ "id": "c", "label": "c", "rule": "count(R0..\(last), >= 2) >= 2" }],
              "diagnoses": [{ "id": "d", "label": "d", "rule": "c and late == 3", "criteria": ["c"] }],
              "scores": [{ "id": "s", "label": "s", "expr": "sum(R0..\(last))" }],
              "alerts": [{ "id": "al", "severity": "urgent", "when": "\(ids.randomElement(using: &rng)!) == 3", "message": "m" }] }
            """
        return (definition, ids + ["late"])
    }

    func answerFile(_ ids: [String], _ rng: inout SplitMix64) -> String {
        var answers: [String] = []
        var skipped: [String] = []
        var notes: [String] = []
        for id in ids {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0: continue
            case 1: answers.append("\"\(id)\": 7")
            case 2: skipped.append("\"\(id)\": \"declined\"")
            case 3: answers.append("\"\(id)\": \"?\"")
            default: answers.append("\"\(id)\": \(Int.random(in: 1...3, using: &rng))")
            }
            if Int.random(in: 0..<4, using: &rng) == 0 { notes.append("\"\(id)\": [\"said more\"]") }
        }
        let overrides = (0..<14).filter { _ in Bool.random(using: &rng) }.map {
            "\"k\($0)\": \"\(Bool.random(using: &rng) ? "confirmed" : " ")\""
        }
        return """
            { "interview": "walk", "date": "2026-01-02", "answers": { \(answers.joined(separator: ", ")) },
              "skipped": { \(skipped.joined(separator: ", ")) }, "notes": { \(notes.joined(separator: ", ")) },
              "overrides": { \(overrides.joined(separator: ", ")) } }
            """
    }
}
