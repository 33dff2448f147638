import Foundation

/// Walks answer files through a session exactly as a live interview would go.
public enum Replayer {
    /// Replays one answer file. Problems in the file (unknown items, answers that do
    /// not fit their item) are reported to `sink`; the walk still completes.
    /// `keepingSession: false` leaves `ReplayResult.session` nil, for callers
    /// that need only the results: building the session's responses cost a
    /// tenth of replaying a file.
    public static func replay(
        _ file: AnswerFile, interview: Interview, sink: inout DiagnosticSink, keepingSession: Bool = true
    ) -> ReplayResult {
        if let id = file.interviewID, id != interview.id {
            sink.warning(
                .interviewMismatch, at: 0,
                "this answer file is for interview '\(id)', but it is replayed with '\(interview.id)'")
        }
        // Each answer checked against its item once. Only the item's kind is
        // read: calling a method on the item copied all of it, a retain and a
        // release per field.
        var answers = CheckedAnswers(itemCount: interview.items.count)
        for (itemID, node, keyOffset) in file.answers {
            guard let index = interview.itemIndex[itemID] else {
                sink.error(
                    .unknownReference, at: keyOffset,
                    "unknown item '\(itemID)'\(Suggestion.didYouMean(itemID, in: interview.itemIndex.keys))")
                continue
            }
            answers.items.append(index)
            let kind = interview.items[index].kind
            switch kind.input(from: node, item: itemID) {
            case .success(let input):
                let answer = kind.record(input, item: itemID)
                if case .failure(let rejection) = answer {
                    sink.error(.invalidAnswer, at: node.offset, rejection.message)
                }
                answers.record(answer, for: index)
            case .failure(let rejection):
                sink.error(.invalidAnswer, at: node.offset, rejection.message)
            }
        }
        for id in Array(file.skipped.keys) + Array(file.notes.keys) where interview.itemIndex[id] == nil {
            sink.error(
                .unknownReference, at: 0,
                "unknown item '\(id)' in 'skipped' or 'notes'\(Suggestion.didYouMean(id, in: interview.itemIndex.keys))"
            )
        }
        if !file.overrides.isEmpty {
            let checkIDs = Set(interview.items.flatMap { $0.checks.map(\.id) })
            for id in file.overrides.keys.sorted() where !checkIDs.contains(id) {
                sink.error(
                    .unknownReference, at: 0,
                    "unknown check '\(id)' in 'overrides'\(Suggestion.didYouMean(id, in: checkIDs))")
            }
        }

        return walk(file, interview: interview, answers: answers, keepingSession: keepingSession)
    }

    /// Walks the items once, in order. Conditions and checks only look back, so
    /// when the walk reaches an item every item before it is final, and one pass
    /// gives what answering item by item in a `Session` would give (the tests
    /// compare the two on every vignette and on generated interviews), without
    /// recomputing the route and the alerts after every answer.
    static func walk(
        _ file: AnswerFile, interview: Interview, answers: CheckedAnswers, keepingSession: Bool
    ) -> ReplayResult {
        let date = file.date ?? Date(timeIntervalSince1970: 0)
        let count = interview.items.count
        var record = keepingSession ? SessionRecord(itemCount: count) : nil
        var preloaded = [ItemState](repeating: .open, count: count)
        // Lookups in the file's (mostly empty) dictionaries hash the id even when empty.
        func skipReason(_ id: String) -> String? { file.skipped.isEmpty ? nil : file.skipped[id] }
        for index in answers.items where skipReason(interview.items[index].id) == nil {
            if case .success(let recorded)? = answers[index] { preloaded[index] = recorded.itemState }
        }
        var asked = [Bool](repeating: false, count: count)
        var evaluator = Evaluator(walking: interview, store: DenseRouteStore(answers: preloaded))
        var moduleOn = [Bool?](repeating: nil, count: interview.modules.count)
        var sectionOn = [Bool?](repeating: nil, count: interview.sections.count)
        var result = ReplayResult(
            file: file.path, interviewID: interview.id, interviewVersion: interview.version,
            client: file.client, rater: file.rater, role: file.role,
            evaluation: Evaluation(route: [], values: [], criteria: [], diagnoses: [], scores: [], alerts: []))
        for index in 0..<count {
            guard evaluator.decideRoute(ofItem: index, moduleOn: &moduleOn, sectionOn: &sectionOn),
                interview.items[index].kind.isAnswerable
            else { continue }
            // Fields are read in place: a copy of the whole item costs a retain per field.
            let id = interview.items[index].id
            result.asked.append(id)
            asked[index] = true
            if let reason = skipReason(id) {
                record?.set(index, Response(answer: .skipped(reason: reason), time: date))
                result.skipped.append((id, reason))
            } else if case .success(let answer)? = answers[index] {
                var fired: [FiredCheck] = []
                for check in interview.items[index].checks where evaluator.evaluate(check.rule.expression).bool == false
                {
                    fired.append(
                        FiredCheck(
                            id: check.id, severity: check.severity,
                            message: check.message.resolved(nil, fallbacks: interview.languages),
                            overrideReason: file.overrides[check.id]))
                }
                // Most answers fire no check: they are recorded directly.
                if fired.isEmpty {
                    record?.set(index, Response(answer: answer, time: date))
                } else {
                    result.checks += fired.map { (id, $0) }
                    let refused = fired.contains {
                        $0.severity == .hard || ($0.overrideReason ?? "").trimmingCharacters(in: .whitespaces).isEmpty
                    }
                    if refused {
                        result.missing.append(id)
                        evaluator.setRecorded(index, .open)
                    } else {
                        var response = Response(answer: answer, time: date)
                        for check in fired { response.overrides[check.id] = check.overrideReason }
                        record?.set(index, response)
                    }
                }
            } else if case .failure(let rejection)? = answers[index] {
                result.rejected.append((id, rejection.message))
            } else {
                result.missing.append(id)
            }
            if record != nil, interview.items[index].notesAllowed, !file.notes.isEmpty, let texts = file.notes[id] {
                record!.notes[index, default: []] += texts.map { Note(text: $0, time: date) }
            }
        }
        result.unused = answers.items.filter { !asked[$0] }.map { interview.items[$0].id }
        result.evaluation = interview.evaluate(with: &evaluator, language: nil)
        if let record {
            result.session = Session(
                completedReplay: interview, clock: .fixed(date), responses: record.responses, notes: record.notes,
                states: record.states, evaluation: result.evaluation)
        }
        return result
    }
}

/// What a walk records for the session it returns.
private struct SessionRecord {
    var responses: [Response?]
    /// The states of the responses, kept as they are made (mapping the
    /// responses afterwards copied each one).
    var states: [ItemState]
    var notes: [Int: [Note]] = [:]

    init(itemCount: Int) {
        responses = [Response?](repeating: nil, count: itemCount)
        states = [ItemState](repeating: .open, count: itemCount)
    }

    mutating func set(_ index: Int, _ response: Response) {
        states[index] = response.answer.itemState
        responses[index] = response
    }
}

/// The answers of a file, each checked against its item once: what to record,
/// or why not. Kept as indices into a list of the answers given: an array of
/// optional results for every item of the interview cost more to fill and
/// free than the replay itself.
struct CheckedAnswers {
    /// The item of each answer with a known item, in file order.
    var items: [Int] = []
    private var slots: [Int32]
    private var results: [Result<RecordedAnswer, AnswerRejection>] = []

    init(itemCount: Int) {
        slots = [Int32](repeating: -1, count: itemCount)
    }

    mutating func record(_ result: Result<RecordedAnswer, AnswerRejection>, for item: Int) {
        slots[item] = Int32(results.count)
        results.append(result)
    }

    /// Nil when the file has no usable answer for `item`.
    subscript(item: Int) -> Result<RecordedAnswer, AnswerRejection>? {
        slots[item] < 0 ? nil : results[Int(slots[item])]
    }
}
