import Foundation

/// Walks answer files through a session exactly as a live interview would go.
public enum Replayer {
    /// Replays one answer file. Problems in the file (unknown items, answers that do
    /// not fit their item) are reported to `sink`; the walk still completes.
    public static func replay(_ file: AnswerFile, interview: Interview, sink: inout DiagnosticSink) -> ReplayResult {
        if let id = file.interviewID, id != interview.id {
            sink.warning("interview-mismatch", at: 0, "this answer file is for interview '\(id)', but it is replayed with '\(interview.id)'")
        }
        let date = file.date ?? Date(timeIntervalSince1970: 0)
        var session = Session(interview: interview, clock: .fixed(date))
        var inputs: [Int: AnswerInput] = [:]
        for (itemID, node, keyOffset) in file.answers {
            guard let index = interview.itemIndex[itemID] else {
                sink.error("unknown-reference", at: keyOffset, "unknown item '\(itemID)'\(Suggestion.didYouMean(itemID, in: interview.itemIndex.keys))")
                continue
            }
            switch interview.items[index].input(from: node) {
            case .success(let input):
                if case .failure(let rejection) = interview.items[index].record(input) {
                    sink.error("invalid-answer", at: node.offset, rejection.message)
                }
                inputs[index] = input
            case .failure(let rejection):
                sink.error("invalid-answer", at: node.offset, rejection.message)
            }
        }
        for id in Array(file.skipped.keys) + Array(file.notes.keys) where interview.itemIndex[id] == nil {
            sink.error("unknown-reference", at: 0, "unknown item '\(id)' in 'skipped' or 'notes'\(Suggestion.didYouMean(id, in: interview.itemIndex.keys))")
        }
        let checkIDs = Set(interview.items.flatMap { $0.checks.map(\.id) })
        for id in file.overrides.keys.sorted() where !checkIDs.contains(id) {
            sink.error("unknown-reference", at: 0, "unknown check '\(id)' in 'overrides'\(Suggestion.didYouMean(id, in: checkIDs))")
        }

        var result = ReplayResult(file: file.path, interviewID: interview.id, interviewVersion: interview.version,
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
                for check in outcome.checks { result.checks.append((item.id, check)) }
                switch outcome.status {
                case .accepted:
                    break
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
}
