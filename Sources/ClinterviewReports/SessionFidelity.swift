import ClinterviewCore
import ClinterviewJournal
import Foundation

/// Whether a session was administered as designed, from its journal
/// (docs/outcomes.md, "Fidelity"): how fast answers came, what was skipped,
/// rated `?`, overridden or changed after completion, and whether it was
/// finished. Answer files have no timings and so no fidelity.
public struct SessionFidelity: Sendable, Equatable {
    /// An answer given sooner than this after the record before it is quick.
    public static let quickSeconds = 3.0
    /// A session of at least `plausibleMinimumAnswers` answers whose median
    /// time per answer is below this was implausibly quick.
    public static let implausibleSecondsPerAnswer = 5.0
    public static let plausibleMinimumAnswers = 10

    public var answers = 0
    public var quickAnswers = 0
    /// The median time from the record before each answer to it, pauses left out, to a tenth.
    public var secondsPerAnswer: Double?
    /// From the start to the last record, pauses left out, to a tenth.
    public var minutes = 0.0
    public var skipped = 0
    /// The items skipped, by id: the reasons are free text, which audits never show.
    public var skippedItems: [String] = []
    /// Answers still rated "inadequate information" (`?`) at the end.
    public var inadequate = 0
    /// Answers that overrode a soft check.
    public var overridden = 0
    /// Answers changed after the session was first completed.
    public var amendedAfterCompletion = 0
    public var completed = false
    /// Time on each module whose definition gives `seconds_per_question`,
    /// against that expectation for the questions answered in it.
    public var modules: [ModuleTime] = []

    public struct ModuleTime: Sendable, Equatable {
        public var id: String
        /// From the record before each of the module's answers to the answer, pauses left out.
        public var seconds: Double
        /// The module's `seconds_per_question` times the answers given in it.
        public var expected: Double

        public init(id: String, seconds: Double, expected: Double) {
            self.id = id
            self.seconds = seconds
            self.expected = expected
        }
    }

    public var implausiblyQuick: Bool {
        answers >= Self.plausibleMinimumAnswers && (secondsPerAnswer ?? .infinity) < Self.implausibleSecondsPerAnswer
    }

    public init() {}

    /// The session's fidelity from its records, and `session` rebuilt from
    /// them. A session entered afterwards (`record` of a paper form: the
    /// header has an assessment date) has no administration times to judge.
    public init(_ records: [JournalRecord], session: Session, enteredAfterwards: Bool) {
        var gaps: [Double] = []
        var seconds = 0.0
        let interview = session.interview
        var moduleSeconds: [Int: Double] = [:]
        var moduleAnswers: [Int: Int] = [:]
        var previous: Date?
        var paused = false
        var wasCompleted = false
        for record in records {
            let gap = previous.map { record.time.timeIntervalSince($0) } ?? 0
            if !paused { seconds += max(gap, 0) }
            previous = record.time
            switch record.event {
            case .answered(let item, _, let overrides):
                answers += 1
                if !paused && !enteredAfterwards {
                    gaps.append(gap)
                    if gap < Self.quickSeconds { quickAnswers += 1 }
                    if let index = interview.itemIndex[item] {
                        let module = interview.sections[interview.items[index].section].module
                        moduleSeconds[module, default: 0] += gap
                        moduleAnswers[module, default: 0] += 1
                    }
                }
                if !overrides.isEmpty { overridden += 1 }
            case .changed(_, _, _, let overrides):
                if wasCompleted { amendedAfterCompletion += 1 }
                if !overrides.isEmpty { overridden += 1 }
            case .skipped(let item, _):
                skipped += 1
                skippedItems.append(item)
            case .paused: paused = true
            case .resumed: paused = false
            case .completed:
                completed = true
                wasCompleted = true
            default: break
            }
        }
        // Kept to a tenth, as stored: the journals and the store give the same figures.
        minutes = enteredAfterwards ? 0 : (seconds / 6).rounded() / 10
        gaps.sort()
        if !gaps.isEmpty {
            let median =
                gaps.count % 2 == 1 ? gaps[gaps.count / 2] : (gaps[gaps.count / 2 - 1] + gaps[gaps.count / 2]) / 2
            secondsPerAnswer = (median * 10).rounded() / 10
        }
        modules = moduleAnswers.keys.sorted().compactMap { module in
            guard let pace = interview.modules[module].secondsPerQuestion else { return nil }
            return ModuleTime(
                id: interview.modules[module].id, seconds: (moduleSeconds[module] ?? 0).rounded(),
                expected: (pace * Double(moduleAnswers[module] ?? 0)).rounded())
        }
        inadequate =
            session.responses.lazy.filter {
                if case .inadequate? = $0?.answer { return true }
                return false
            }.count
    }

    /// As the service store keeps it (`results.fidelity`).
    public var json: JSONOutput {
        .object([
            ("answers", .number(Double(answers))), ("quick_answers", .number(Double(quickAnswers))),
            ("seconds_per_answer", secondsPerAnswer.map(JSONOutput.number) ?? .null),
            ("minutes", .number(minutes)), ("skipped", .number(Double(skipped))),
            ("inadequate", .number(Double(inadequate))), ("overridden", .number(Double(overridden))),
            ("amended_after_completion", .number(Double(amendedAfterCompletion))), ("completed", .bool(completed)),
            ("skipped_items", .array(skippedItems.map(JSONOutput.string))),
            (
                "modules",
                .array(
                    modules.map {
                        .object([
                            ("id", .string($0.id)), ("seconds", .number($0.seconds)),
                            ("expected", .number($0.expected)),
                        ])
                    })
            ),
        ])
    }
}
