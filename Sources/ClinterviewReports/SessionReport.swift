import ClinterviewCore
import ClinterviewJournal
import Foundation

/// Everything a score sheet shows about one session, gathered from its journal
/// and its interview definition; the renderers only lay it out.
public struct SessionReport: Sendable {
    public struct AnswerLine: Sendable, Hashable {
        public var item: String
        public var prompt: String
        public var answer: String
    }

    public struct CriterionLine: Sendable, Hashable {
        public var id: String
        public var label: String
        public var status: Status
        /// Undecided only because its items were skipped by routing.
        public var notAsked: Bool
        /// The answers the criterion reads, in administration order.
        public var evidence: [AnswerLine]
        public var progress: [String]
    }

    public struct DiagnosisLine: Sendable, Hashable {
        public var id: String
        public var label: String
        public var status: Status
        public var period: DiagnosisPeriod
        public var criteria: [CriterionLine]
        public var blocking: [String]
    }

    public struct ScoreLine: Sendable, Hashable {
        public var id: String
        public var label: String
        public var value: Double?
        public var band: String?
        public var low: Double?
        public var high: Double?
    }

    public struct AlertLine: Sendable, Hashable {
        public var id: String
        public var severity: String
        public var message: String
        public var raised: Date?
        public var acknowledged: Date?
    }

    public struct Amendment: Sendable, Hashable {
        public var item: String
        public var from: String
        public var to: String
        public var reason: String
        public var time: Date
    }

    public struct Dated: Sendable, Hashable {
        public var item: String
        public var text: String
        public var time: Date
    }

    public var header: SessionHeader
    public var interviewTitle: String
    public var started: Date
    public var lastActivity: Date
    public var completed: Bool
    public var journalIntact: Bool
    public var journalHeadHash: String
    public var journalRecords: Int
    public var overview: [AnswerLine]
    /// The risk questions on the route, asked or not yet, with their answers.
    public var risk: [AnswerLine]
    public var diagnoses: [DiagnosisLine]
    public var scores: [ScoreLine]
    public var alerts: [AlertLine]
    public var amendments: [Amendment]
    public var skipped: [Dated]
    public var notes: [Dated]
    public var session: Session
    /// Set when the results were computed with another definition than the one
    /// recorded (its path and SHA-256): the report says so in its first lines.
    public var definitionUsed: (path: String, sha256: String)?
    /// Time spent interviewing: from the first record to the last, less the
    /// time between each pause and the resumption after it.
    public var interviewingTime: TimeInterval

    public var duration: TimeInterval { lastActivity.timeIntervalSince(started) }

    public static func build(from contents: JournalContents, interview: Interview) -> SessionReport? {
        guard let header = contents.header, let first = contents.records.first, let last = contents.records.last else {
            return nil
        }
        let session = SessionRebuilder.rebuild(contents.records, interview: interview, language: header.language)
            .session
        let language = header.language
        func text(_ t: LocalizedText?) -> String { interview.text(t, language: language, timeFrame: header.timeFrame) }
        func display(_ answer: RecordedAnswer?, _ item: Item) -> String {
            answer?.describe(for: item, label: text) ?? "not answered"
        }
        func line(_ index: Int) -> AnswerLine {
            let item = interview.items[index]
            return AnswerLine(
                item: item.id, prompt: text(item.prompt), answer: display(session.responses[index]?.answer, item))
        }

        let evaluation = session.evaluate()
        let closure = interview.ruleItemClosure()
        let progress = session.countProgress(ofRules: evaluation.criteria.map(\.id))
        let diagnoses = evaluation.diagnoses.map { diagnosis -> DiagnosisLine in
            let criteria = diagnosis.evidence.map { criterion -> CriterionLine in
                let index = interview.ruleIndex[criterion.id]!
                let items = closure[index].sorted().filter { session.route[$0] }
                let notAsked = criterion.status == .indeterminate && criterion.blocking.isEmpty
                return CriterionLine(
                    id: criterion.id, label: criterion.label ?? criterion.id, status: criterion.status,
                    notAsked: notAsked,
                    evidence: items.map(line), progress: notAsked ? [] : (progress[criterion.id] ?? []).map(\.summary))
            }
            return DiagnosisLine(
                id: diagnosis.id, label: diagnosis.label, status: diagnosis.status, period: diagnosis.period,
                criteria: criteria, blocking: diagnosis.blocking)
        }
        let overview = interview.items.indices.filter { index in
            if case .text = interview.items[index].kind, session.route[index], session.responses[index] != nil {
                return true
            }
            return false
        }.map(line)

        let risk = interview.items.indices.filter { interview.items[$0].isRisk && session.route[$0] }.map(line)

        var alerts: [AlertLine] = []
        var amendments: [Amendment] = []
        var skipped: [Dated] = []
        var notes: [Dated] = []
        var latest: [String: String] = [:]
        for record in contents.records {
            switch record.event {
            case .alertShown(let id, let severity):
                let message = interview.alerts.first { $0.id == id }.map { text($0.message) } ?? id
                alerts.append(
                    AlertLine(id: id, severity: severity, message: message, raised: record.time, acknowledged: nil))
            case .alertAcknowledged(let id):
                if let index = alerts.lastIndex(where: { $0.id == id && $0.acknowledged == nil }) {
                    alerts[index].acknowledged = record.time
                }
            case .answered(let item, let value, _):
                if let previous = latest[item], previous.hasPrefix("skipped (") {
                    amendments.append(
                        Amendment(
                            item: item, from: previous, to: value.plainText, reason: "answered after the skip",
                            time: record.time))
                }
                latest[item] = value.plainText
            case .changed(let item, let value, let reason, _):
                amendments.append(
                    Amendment(
                        item: item, from: latest[item] ?? "(none)", to: value.plainText, reason: reason,
                        time: record.time))
                latest[item] = value.plainText
            case .skipped(let item, let reason):
                if let previous = latest[item] {
                    amendments.append(
                        Amendment(item: item, from: previous, to: "skipped", reason: reason, time: record.time))
                }
                // An answer given after the skip reads as a change from it, with its reason.
                latest[item] = "skipped (\(reason))"
                skipped.append(Dated(item: item, text: reason, time: record.time))
            case .note(let item, let note):
                notes.append(Dated(item: item, text: note, time: record.time))
            default:
                break
            }
        }
        // Alerts active now that were never shown (e.g. from a replayed session) are listed too.
        for alert in evaluation.alerts where !alerts.contains(where: { $0.id == alert.id }) {
            alerts.append(
                AlertLine(
                    id: alert.id, severity: alert.severity.rawValue, message: alert.message, raised: nil,
                    acknowledged: session.acknowledgedAlerts.contains(alert.id) ? last.time : nil))
        }
        skipped = skipped.filter { entry in
            if case .skipped? = session.response(to: entry.item)?.answer { return true }
            return false
        }
        return SessionReport(
            header: header, interviewTitle: text(interview.title), started: first.time, lastActivity: last.time,
            completed: contents.isCompleted, journalIntact: contents.isIntact, journalHeadHash: contents.headHash,
            journalRecords: contents.records.count, overview: overview, risk: risk, diagnoses: diagnoses,
            scores: evaluation.scores.map {
                ScoreLine(id: $0.id, label: $0.label, value: $0.value, band: $0.band, low: $0.low, high: $0.high)
            },
            alerts: alerts, amendments: amendments, skipped: skipped, notes: notes, session: session,
            definitionUsed: nil, interviewingTime: Self.interviewingTime(contents.records))
    }

    static func interviewingTime(_ records: [JournalRecord]) -> TimeInterval {
        var total: TimeInterval = 0
        for (previous, next) in zip(records, records.dropFirst()) where previous.event != .paused {
            total += max(0, next.time.timeIntervalSince(previous.time))
        }
        return total
    }
}
