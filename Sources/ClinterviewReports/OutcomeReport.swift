import ClinterviewCore
import ClinterviewJournal
import Foundation

/// Outcomes between a client's first and last assessment: loss of diagnostic
/// status from the diagnostic interview, and the NHS Talking Therapies measures
/// from PHQ-9 and GAD-7, side by side.
public struct OutcomeReport: Sendable {
    public enum Change: String, Sendable {
        case lost, kept, new, absent
        case undetermined
        /// A past or lifetime diagnosis: reported, never compared.
        case history
    }

    public struct DiagnosisChange: Sendable {
        public var id: String
        public var label: String
        /// Only current diagnoses can be lost; past and lifetime ones are history.
        public var period: DiagnosisPeriod
        public var intake: Status?
        public var followUp: Status?
        public var change: Change
    }

    public struct ClientOutcome: Sendable {
        public var client: String
        public var intake: Date?
        public var followUp: Date?
        /// Every diagnosis, current ones first; loss is judged on the current ones.
        public var diagnoses: [DiagnosisChange]
        /// nil when there was no current diagnosis at intake, or some follow-up status is undetermined.
        public var lostEveryDiagnosis: Bool?
        /// A current diagnosis was met at intake.
        public var hadDiagnosis: Bool
        public var blindFollowUp: Bool
        public var phq: (first: Double, last: Double)?
        public var gad: (first: Double, last: Double)?
        public var questionnaire: TalkingTherapiesOutcome?

        /// The questionnaires say recovered but a diagnosis remains, or the reverse.
        public var measuresDisagree: Bool {
            guard let questionnaire, questionnaire.caseAtFirst, let lost = lostEveryDiagnosis else { return false }
            return questionnaire.recovered != lost
        }
    }

    public static let questionnaireInterviews: Set<String> = ["phq9", "gad7", "wsas"]

    public var clients: [ClientOutcome]
    public var notes: [String]

    public init(clients: [ClientOutcome], notes: [String]) {
        self.clients = clients
        self.notes = notes
    }

    /// Groups sessions by client; the first and last day with a session are intake and follow-up.
    public static func build(_ sessions: [AssessedSession]) -> OutcomeReport {
        build(sessions.map(\.results))
    }

    /// Groups assessments by client; the first and last day with one are intake and follow-up.
    public static func build(_ sessions: [AssessmentResults]) -> OutcomeReport {
        var notes: [String] = []
        var clients: [ClientOutcome] = []
        for (client, own) in Dictionary(grouping: sessions, by: \.client).sorted(by: { $0.key < $1.key }) {
            switch outcome(client, own) {
            case .success(let outcome): clients.append(outcome)
            case .failure(let note): notes.append(note.text)
            }
        }
        return OutcomeReport(clients: clients, notes: notes)
    }

    public struct LeftOut: Error {
        public var text: String
    }

    /// One client's outcome from all their assessments: the first and last
    /// day with one are intake and follow-up.
    public static func outcome(_ client: String, _ own: [AssessmentResults]) -> Result<ClientOutcome, LeftOut> {
        let days = Set(own.compactMap { $0.date.map { Int($0.timeIntervalSince1970 / 86_400) } }).sorted()
        guard let first = days.first, let last = days.last, first != last else {
            return .failure(LeftOut(text: "client \(client): fewer than two assessment dates; left out"))
        }
        let intake = own.filter { $0.date.map { Int($0.timeIntervalSince1970 / 86_400) } == first }
        let followUp = own.filter { $0.date.map { Int($0.timeIntervalSince1970 / 86_400) } == last }
        return .success(outcome(client, intake, followUp))
    }

    public static func outcome(
        _ client: String, _ intake: [AssessedSession], _ followUp: [AssessedSession]
    ) -> ClientOutcome {
        outcome(client, intake.map(\.results), followUp.map(\.results))
    }

    public static func outcome(
        _ client: String, _ intake: [AssessmentResults], _ followUp: [AssessmentResults]
    ) -> ClientOutcome {
        func diagnoses(
            _ sessions: [AssessmentResults]
        ) -> [String: (label: String, status: Status, period: DiagnosisPeriod)] {
            var result: [String: (label: String, status: Status, period: DiagnosisPeriod)] = [:]
            for session in sessions where !questionnaireInterviews.contains(session.interviewID) {
                for diagnosis in session.diagnoses {
                    let existing = result[diagnosis.id]?.status
                    // Across sessions on one day: met wins, then undetermined.
                    if existing == nil || diagnosis.status == .met
                        || (diagnosis.status == .indeterminate && existing == .notMet)
                    {
                        result[diagnosis.id] = (diagnosis.label, diagnosis.status, diagnosis.period)
                    }
                }
            }
            return result
        }
        func score(_ id: String, _ sessions: [AssessmentResults]) -> Double? {
            sessions.lazy.compactMap { $0.scores[id] }.first
        }
        let before = diagnoses(intake), after = diagnoses(followUp)
        var changes: [DiagnosisChange] = []
        for id in Set(before.keys).union(after.keys).sorted() {
            let was = before[id]?.status, now = after[id]?.status
            let change: Change =
                switch (was, now) {
                case (.met?, .notMet?): .lost
                case (.met?, .met?): .kept
                case (.notMet?, .met?), (nil, .met?): .new
                case (.met?, _), (_, .indeterminate?), (.indeterminate?, _): .undetermined
                default: .absent
                }
            let period = after[id]?.period ?? before[id]?.period ?? .current
            changes.append(
                DiagnosisChange(
                    id: id, label: before[id]?.label ?? after[id]?.label ?? id,
                    period: period, intake: was, followUp: now, change: period == .current ? change : .history))
        }
        changes.sort { ($0.period != .current ? 1 : 0, $0.id) < ($1.period != .current ? 1 : 0, $1.id) }
        let current = changes.filter { $0.period == .current }
        let hadDiagnosis = current.contains { $0.intake == .met }
        var lostEvery: Bool?
        if hadDiagnosis {
            if current.contains(where: { $0.followUp == .met }) {
                lostEvery = false
            } else if current.contains(where: { $0.intake == .met && $0.change == .undetermined }) {
                lostEvery = nil
            } else {
                lostEvery = true
            }
        }
        var phq: (Double, Double)?
        if let a = score("phq9_total", intake), let b = score("phq9_total", followUp) { phq = (a, b) }
        var gad: (Double, Double)?
        if let a = score("gad7_total", intake), let b = score("gad7_total", followUp) { gad = (a, b) }
        var questionnaire: TalkingTherapiesOutcome?
        if let phq, let gad {
            questionnaire = TalkingTherapiesOutcome(phqFirst: phq.0, gadFirst: gad.0, phqLast: phq.1, gadLast: gad.1)
        }
        return ClientOutcome(
            client: client, intake: intake.compactMap(\.date).min(), followUp: followUp.compactMap(\.date).max(),
            diagnoses: changes, lostEveryDiagnosis: lostEvery, hadDiagnosis: hadDiagnosis,
            blindFollowUp: !followUp.isEmpty && followUp.allSatisfy(\.blind), phq: phq, gad: gad,
            questionnaire: questionnaire)
    }

    // MARK: Summary

    public struct Proportion: Sendable {
        public var count: Int
        public var of: Int
        public var percent: Double? { of == 0 ? nil : Double(count) * 100 / Double(of) }
        public var text: String { percent.map { String(format: "%.0f%% (%d of %d)", $0, count, of) } ?? "— (0 of 0)" }
    }

    public var cases: [ClientOutcome] { clients.filter { $0.questionnaire?.caseAtFirst == true } }
    public var diagnosed: [ClientOutcome] { clients.filter { $0.hadDiagnosis && $0.lostEveryDiagnosis != nil } }

    public var recovered: Proportion {
        Proportion(count: cases.filter { $0.questionnaire!.recovered }.count, of: cases.count)
    }
    public var reliablyRecovered: Proportion {
        Proportion(count: cases.filter { $0.questionnaire!.reliableRecovery }.count, of: cases.count)
    }
    public var reliablyImproved: Proportion {
        let measured = clients.filter { $0.questionnaire != nil }
        return Proportion(count: measured.filter { $0.questionnaire!.reliableImprovement }.count, of: measured.count)
    }
    public var reliablyDeteriorated: Proportion {
        let measured = clients.filter { $0.questionnaire != nil }
        return Proportion(count: measured.filter { $0.questionnaire!.reliableDeterioration }.count, of: measured.count)
    }
    public var lostEveryDiagnosis: Proportion {
        Proportion(count: diagnosed.filter { $0.lostEveryDiagnosis == true }.count, of: diagnosed.count)
    }

    public var text: String {
        var out =
            "Outcomes: \(clients.count) client\(clients.count == 1 ? "" : "s") with an intake and a follow-up assessment\n\n"
        out += "By questionnaire (NHS Talking Therapies, PHQ-9 and GAD-7, of clients who were cases at intake):\n"
        out += "  recovered by questionnaire: \(recovered.text)\n"
        out += "  reliable recovery: \(reliablyRecovered.text)\n"
        out += "  reliable improvement (of all measured): \(reliablyImproved.text)\n"
        out += "  reliable deterioration (of all measured): \(reliablyDeteriorated.text)\n"
        out += "By diagnostic interview (current diagnoses, of clients with a current diagnosis at intake):\n"
        out += "  lost every current diagnosis: \(lostEveryDiagnosis.text)\n"
        let blind = clients.filter(\.blindFollowUp).count
        out += "  follow-up assessments made blind: \(blind) of \(clients.count)\n"
        let disagree = clients.filter(\.measuresDisagree)
        if !disagree.isEmpty {
            out += "\nClients for whom the two disagree:\n"
            for c in disagree {
                let kept = c.diagnoses.filter { $0.period == .current && $0.followUp == .met }.map(\.id)
                out +=
                    c.questionnaire!.recovered
                    ? "  \(c.client): recovered by questionnaire, but still meets \(kept.joined(separator: ", "))\n"
                    : "  \(c.client): lost every current diagnosis, but not recovered by questionnaire\n"
            }
        }
        out += "\nPer client:\n"
        for c in clients {
            let q =
                c.questionnaire.map {
                    "PHQ-9 \(formatNumber(c.phq!.first))→\(formatNumber(c.phq!.last)), GAD-7 \(formatNumber(c.gad!.first))→\(formatNumber(c.gad!.last))"
                        + ($0.recovered ? ", recovered" : "") + ($0.reliableImprovement ? ", reliable improvement" : "")
                        + ($0.reliableDeterioration ? ", reliable deterioration" : "")
                } ?? "questionnaires not measured"
            out += "  \(c.client): \(q)\n"
            for d in c.diagnoses where d.period == .current && d.change != .absent {
                out +=
                    "    \(d.label): \(d.change.rawValue) (\(d.intake?.rawValue ?? "—") → \(d.followUp?.rawValue ?? "—"))\n"
            }
            if let lost = c.lostEveryDiagnosis {
                out +=
                    "    lost every current diagnosis: \(lost ? "yes" : "no")\(c.blindFollowUp ? " (blind follow-up)" : "")\n"
            }
            let history = c.diagnoses.filter { $0.period != .current && ($0.intake == .met || $0.followUp == .met) }
            if !history.isEmpty {
                out +=
                    "    history (not compared): "
                    + history.map { "\($0.label) [\($0.period.rawValue)]" }.joined(separator: "; ") + "\n"
            }
        }
        for note in notes { out += "note: \(note)\n" }
        return out
    }

    public var json: JSONOutput {
        func proportion(_ p: Proportion) -> JSONOutput {
            .object([
                ("count", .number(Double(p.count))), ("of", .number(Double(p.of))),
                ("percent", p.percent.map(JSONOutput.number) ?? .null),
            ])
        }
        func bool(_ b: Bool?) -> JSONOutput { b.map(JSONOutput.bool) ?? .null }
        return .object([
            ("clients", .number(Double(clients.count))),
            (
                "compares",
                .string("current diagnoses: past and lifetime diagnoses are reported as history and never lost")
            ),
            (
                "summary",
                .object([
                    ("recovered", proportion(recovered)), ("reliable_recovery", proportion(reliablyRecovered)),
                    ("reliable_improvement", proportion(reliablyImproved)),
                    ("reliable_deterioration", proportion(reliablyDeteriorated)),
                    ("lost_every_diagnosis", proportion(lostEveryDiagnosis)),
                ])
            ),
            ("disagree", .array(clients.filter(\.measuresDisagree).map { .string($0.client) })),
            ("per_client", .array(clients.map(Self.clientJSON))),
            ("notes", .array(notes.map(JSONOutput.string))),
        ])
    }

    static func clientJSON(_ c: ClientOutcome) -> JSONOutput {
        func bool(_ b: Bool?) -> JSONOutput { b.map(JSONOutput.bool) ?? .null }
        var questionnaire: JSONOutput = .null
        if let q = c.questionnaire, let phq = c.phq, let gad = c.gad {
            questionnaire = .object([
                ("phq9", .array([.number(phq.first), .number(phq.last)])),
                ("gad7", .array([.number(gad.first), .number(gad.last)])),
                ("case_at_intake", .bool(q.caseAtFirst)), ("recovered", .bool(q.recovered)),
                ("reliable_improvement", .bool(q.reliableImprovement)),
                ("reliable_deterioration", .bool(q.reliableDeterioration)),
                ("reliable_recovery", .bool(q.reliableRecovery)),
            ])
        }
        let diagnoses: [JSONOutput] = c.diagnoses.map { d in
            .object([
                ("id", .string(d.id)), ("period", .string(d.period.rawValue)),
                ("intake", d.intake.map { .string($0.rawValue) } ?? .null),
                ("follow_up", d.followUp.map { .string($0.rawValue) } ?? .null), ("change", .string(d.change.rawValue)),
            ])
        }
        return .object([
            ("client", .string(c.client)), ("intake", c.intake.map { .string(Timestamp.string($0)) } ?? .null),
            ("follow_up", c.followUp.map { .string(Timestamp.string($0)) } ?? .null),
            ("blind_follow_up", .bool(c.blindFollowUp)),
            ("diagnoses", .array(diagnoses)), ("lost_every_diagnosis", bool(c.lostEveryDiagnosis)),
            ("questionnaires", questionnaire),
        ])
    }

    public var csv: String {
        var lines = [
            "client,phq9_first,phq9_last,gad7_first,gad7_last,case_at_intake,recovered,reliable_improvement,reliable_deterioration,reliable_recovery,had_diagnosis,lost_every_diagnosis,blind_follow_up"
        ]
        func b(_ v: Bool?) -> String { v.map { $0 ? "true" : "false" } ?? "" }
        for c in clients {
            let q = c.questionnaire
            let fields: [String] = [
                c.client, c.phq.map { formatNumber($0.first) } ?? "", c.phq.map { formatNumber($0.last) } ?? "",
                c.gad.map { formatNumber($0.first) } ?? "", c.gad.map { formatNumber($0.last) } ?? "",
                b(q?.caseAtFirst), b(q?.recovered), b(q?.reliableImprovement), b(q?.reliableDeterioration),
                b(q?.reliableRecovery),
                b(c.hadDiagnosis), b(c.lostEveryDiagnosis), b(c.blindFollowUp),
            ]
            lines.append(fields.map(AnswerTable.quote).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
