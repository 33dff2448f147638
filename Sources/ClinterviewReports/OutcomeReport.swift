import ClinterviewCore
import ClinterviewJournal
import Foundation

/// Outcomes between a client's first and last assessment: loss of diagnostic
/// status from the diagnostic interview, and the NHS Talking Therapies measures
/// from PHQ-9 and GAD-7, side by side.
public struct OutcomeReport: Sendable {
    public enum Change: String, Sendable {
        case lost, kept, new
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
        /// nil when the client has no follow-up assessment: see `episode`.
        public var followUp: Date?
        /// The latest episode status the service recorded (`Interviews/episode.json`), if any.
        public var episode: EpisodeStatus?
        /// The roles of the assessors who made the intake's diagnostic interviews.
        public var intakeRoles: [String]
        /// Every assessment session of the client: who made it and how (for fidelity per assessor).
        public var administered: [Administered]
        /// Diagnostic interviews of one day made by two raters, compared diagnosis by diagnosis.
        public var doubleRatings: [DoubleRating] = []
        /// A case by PHQ-9 or GAD-7 at intake (nil when either was not measured).
        public var caseAtIntake: Bool?
        /// Both questionnaires measured at intake.
        public var measuredAtIntake: Bool { caseAtIntake != nil }
        /// Every diagnosis met or undetermined at intake or follow-up, current
        /// ones first; loss is judged on the current ones.
        public var diagnoses: [DiagnosisChange]
        /// nil when there was no current diagnosis at intake, or some follow-up status is undetermined.
        public var lostEveryDiagnosis: Bool?
        /// A current diagnosis was met at intake.
        public var hadDiagnosis: Bool
        public var blindFollowUp: Bool
        /// Every follow-up diagnostic interview was made blind, by an assessor
        /// who made none of the intake's.
        public var independentBlindFollowUp: Bool
        public var phq: (first: Double, last: Double)?
        public var gad: (first: Double, last: Double)?
        public var questionnaire: TalkingTherapiesOutcome?

        /// The questionnaires say recovered but a diagnosis remains, or the reverse.
        public var measuresDisagree: Bool {
            guard let questionnaire, questionnaire.caseAtFirst, let lost = lostEveryDiagnosis else { return false }
            return questionnaire.recovered != lost
        }
    }

    /// One session, as fidelity per assessor counts it.
    public struct Administered: Sendable {
        public var rater: String
        public var role: String
        public var fidelity: SessionFidelity?
    }

    /// Two raters' interviews of a client on one day: how many of the
    /// diagnoses both rated they put in the same status.
    public struct DoubleRating: Sendable {
        public var raters: (String, String)
        public var agree: Int
        public var of: Int
    }

    public static let questionnaireInterviews: Set<String> = ["phq9", "gad7", "wsas"]
    /// Sessions of this interview record where a client's episode stands;
    /// they are not assessments.
    public static let episodeInterview = "episode"

    /// Why a client has no follow-up, as the service recorded it: the codes
    /// of `status` in `Interviews/episode.json`.
    public enum EpisodeStatus: Int, Sendable, CaseIterable {
        case inTreatment = 1, finished, droppedOut, declined, notContactable, referred

        public var text: String {
            switch self {
            case .inTreatment: "still in treatment"
            case .finished: "finished treatment"
            case .droppedOut: "dropped out"
            case .declined: "declined follow-up"
            case .notContactable: "not contactable"
            case .referred: "referred elsewhere"
            }
        }
    }

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

    /// One client's outcome from all their sessions: the first and last day
    /// with an assessment are intake and follow-up (none when they are the
    /// same day); the latest episode status says why a follow-up is missing.
    public static func outcome(_ client: String, _ own: [AssessmentResults]) -> Result<ClientOutcome, LeftOut> {
        func day(_ session: AssessmentResults) -> Int? { session.date.map { Int($0.timeIntervalSince1970 / 86_400) } }
        let assessments = own.filter { $0.interviewID != episodeInterview }
        let days = Set(assessments.compactMap(day)).sorted()
        guard let first = days.first, let last = days.last else {
            return .failure(LeftOut(text: "client \(client): no dated assessment; left out"))
        }
        let intake = assessments.filter { day($0) == first }
        let followUp = first == last ? [] : assessments.filter { day($0) == last }
        var result = outcome(client, intake, followUp)
        result.administered = assessments.map { Administered(rater: $0.rater, role: $0.role, fidelity: $0.fidelity) }
        result.doubleRatings = doubleRatings(assessments.filter { !questionnaireInterviews.contains($0.interviewID) })
        // The latest status recorded; of one day's, the last.
        let episode = own.filter { $0.interviewID == episodeInterview && $0.scores["episode_status"] != nil }
            .enumerated().max {
                ($0.element.date ?? .distantPast, $0.offset) < ($1.element.date ?? .distantPast, $1.offset)
            }
        result.episode = episode.flatMap {
            $0.element.scores["episode_status"].flatMap { EpisodeStatus(rawValue: Int($0)) }
        }
        return .success(result)
    }

    /// Each day's interviews of one definition by two different raters (the
    /// first two, in the order given), compared on the diagnoses both rated.
    static func doubleRatings(_ sessions: [AssessmentResults]) -> [DoubleRating] {
        var byDay: [String: [AssessmentResults]] = [:]
        var order: [String] = []
        for session in sessions {
            guard let date = session.date else { continue }
            let key = "\(Int(date.timeIntervalSince1970 / 86_400)) \(session.interviewID)"
            if byDay[key] == nil { order.append(key) }
            byDay[key, default: []].append(session)
        }
        return order.compactMap { key in
            let day = byDay[key] ?? []
            guard let first = day.first, let second = day.first(where: { $0.rater != first.rater }) else { return nil }
            let theirs = Dictionary(second.diagnoses.map { ($0.id, $0.status) }, uniquingKeysWith: { a, _ in a })
            var rating = DoubleRating(raters: (first.rater, second.rater), agree: 0, of: 0)
            for diagnosis in first.diagnoses {
                guard let other = theirs[diagnosis.id] else { continue }
                rating.of += 1
                if other == diagnosis.status { rating.agree += 1 }
            }
            return rating
        }
    }

    public static func outcome(
        _ client: String, _ intake: [AssessedSession], _ followUp: [AssessedSession]
    ) -> ClientOutcome {
        outcome(client, intake.map(\.results), followUp.map(\.results))
    }

    public static func outcome(
        _ client: String, _ intake: [AssessmentResults], _ followUp: [AssessmentResults]
    ) -> ClientOutcome {
        typealias Found = (label: String, status: Status, period: DiagnosisPeriod)
        // A day's status of a diagnosis, across its sessions: met wins (the
        // last), then undetermined (the first), then not met (the first).
        // Only the diagnoses met or undetermined on some day are compared;
        // one met on neither is absent and left out, so a day's not-met
        // statuses are looked up for those few only.
        func notable(_ sessions: [AssessmentResults]) -> [String: Found] {
            var result: [String: Found] = [:]
            for session in sessions where !questionnaireInterviews.contains(session.interviewID) {
                for diagnosis in session.diagnoses where diagnosis.status != .notMet {
                    if diagnosis.status == .met || result[diagnosis.id] == nil {
                        result[diagnosis.id] = (diagnosis.label, diagnosis.status, diagnosis.period)
                    }
                }
            }
            return result
        }
        func notMet(_ id: String, _ sessions: [AssessmentResults]) -> Found? {
            for session in sessions where !questionnaireInterviews.contains(session.interviewID) {
                if let diagnosis = session.diagnoses.first(where: { $0.id == id }) {
                    return (diagnosis.label, .notMet, diagnosis.period)
                }
            }
            return nil
        }
        func score(_ id: String, _ sessions: [AssessmentResults]) -> Double? {
            sessions.lazy.compactMap { $0.scores[id] }.first
        }
        let before = notable(intake), after = notable(followUp)
        // Current diagnoses first, each part by id; the ids are sorted, not the changes.
        typealias Pair = (history: Bool, id: String, label: String, period: DiagnosisPeriod, was: Status?, now: Status?)
        var order: [Pair] = []
        for (id, now) in after {
            let was = before[id] ?? notMet(id, intake)
            order.append((now.period != .current, id, was?.label ?? now.label, now.period, was?.status, now.status))
        }
        for (id, was) in before where after[id] == nil {
            let now = notMet(id, followUp)
            let period = now?.period ?? was.period
            order.append((period != .current, id, was.label, period, was.status, now?.status))
        }
        order.sort { $0.history != $1.history ? !$0.history : $0.id < $1.id }
        var changes: [DiagnosisChange] = []
        changes.reserveCapacity(order.count)
        for pair in order {
            let change: Change =
                switch (pair.was, pair.now) {
                case (.met?, .notMet?): .lost
                case (.met?, .met?): .kept
                case (.notMet?, .met?), (nil, .met?): .new
                // Met at intake and not asked at follow-up, or indeterminate at either.
                default: .undetermined
                }
            changes.append(
                DiagnosisChange(
                    id: pair.id, label: pair.label, period: pair.period, intake: pair.was, followUp: pair.now,
                    change: pair.history ? .history : change))
        }
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
        let diagnostic = { (sessions: [AssessmentResults]) in
            sessions.filter { !questionnaireInterviews.contains($0.interviewID) }
        }
        let intakeRaters = Set(diagnostic(intake).map(\.rater))
        let followUpInterviews = diagnostic(followUp)
        let independentBlind =
            !followUpInterviews.isEmpty
            && followUpInterviews.allSatisfy { $0.blind && !intakeRaters.contains($0.rater) }
        var caseAtIntake: Bool?
        if let phq = score("phq9_total", intake), let gad = score("gad7_total", intake) {
            caseAtIntake = phq >= TalkingTherapiesOutcome.phqCaseness || gad >= TalkingTherapiesOutcome.gadCaseness
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
            episode: nil, intakeRoles: Set(diagnostic(intake).map(\.role)).sorted(),
            administered: (intake + followUp).map {
                Administered(rater: $0.rater, role: $0.role, fidelity: $0.fidelity)
            }, caseAtIntake: caseAtIntake,
            diagnoses: changes, lostEveryDiagnosis: lostEvery, hadDiagnosis: hadDiagnosis,
            blindFollowUp: !followUp.isEmpty && followUp.allSatisfy(\.blind),
            independentBlindFollowUp: independentBlind, phq: phq, gad: gad, questionnaire: questionnaire)
    }

    // MARK: Figures

    public struct Proportion: Sendable {
        public var count: Int
        public var of: Int
        public var percent: Double? { of == 0 ? nil : Double(count) * 100 / Double(of) }
        public var text: String { percent.map { String(format: "%.0f%% (%d of %d)", $0, count, of) } ?? "— (0 of 0)" }
    }

    public var summary: OutcomeSummary {
        var summary = OutcomeSummary()
        for client in clients { summary.add(client) }
        return summary
    }

    public var text: String { String(decoding: rendered(.text), as: UTF8.self) }
    public var csv: String { String(decoding: rendered(.csv), as: UTF8.self) }
    public var json: JSONOutput {
        OutcomeWriter.jsonObject(summary, perClient: clients.map(OutcomeWriter.clientJSON), notes: notes)
    }

    /// The report as `OutcomeWriter` writes it, one client at a time.
    public func rendered(_ format: OutcomeWriter.Format) -> [UInt8] {
        let writer = OutcomeWriter(format: format, spool: MemorySpool())
        for client in clients { writer.add(client) }
        for note in notes { writer.note(note) }
        var out: [UInt8] = []
        writer.finish { out += $0 }
        return out
    }
}

/// The figures over every client, gathered one client at a time: memory
/// holds counts, and the few clients for whom the two measures disagree.
///
/// Each rate is given twice (docs/outcomes.md): among the clients followed
/// up, and among everyone assessed at intake, where a client with no
/// follow-up counts as not recovered.
public struct OutcomeSummary: Sendable {
    public typealias Proportion = OutcomeReport.Proportion

    /// A rate among clients followed up, and among everyone it could apply to at intake.
    public struct Rate: Sendable {
        public var followedUp = Proportion(count: 0, of: 0)
        public var everyone = Proportion(count: 0, of: 0)
    }

    /// Every client with an intake assessment.
    public private(set) var assessed = 0
    public private(set) var followedUp = 0
    /// Clients with no follow-up, by the status the service recorded ("no status recorded" when none).
    public private(set) var withoutFollowUp: [String: Int] = [:]
    public private(set) var recovered = Rate()
    public private(set) var reliablyRecovered = Rate()
    public private(set) var reliablyImproved = Rate()
    public private(set) var reliablyDeteriorated = Proportion(count: 0, of: 0)
    public private(set) var lostEveryDiagnosis = Rate()
    /// Loss of diagnosis judged by a blind follow-up from an assessor who made no intake interview.
    public private(set) var lostByIndependentBlind = Proportion(count: 0, of: 0)
    /// Loss judged by the intake's assessor, or not blind.
    public private(set) var lostByOthers = Proportion(count: 0, of: 0)
    public private(set) var blindFollowUps = 0
    /// Clients with a current diagnosis at intake, by the role of the intake's assessors.
    public private(set) var intakeDiagnosesByRole: [String: Int] = [:]
    /// Clients for whom the questionnaires and the interview disagree, with what each says.
    public private(set) var disagreements: [(client: String, text: String)] = []
    /// How each assessor's sessions were administered, by rater.
    public private(set) var fidelity: [String: AssessorFidelity] = [:]

    /// The assessors with anything to show (a journal, or a second rater), by name.
    public var assessorsWithFigures: [(rater: String, figures: AssessorFidelity)] {
        fidelity.filter { $0.value.journaled > 0 || $0.value.doubleRated > 0 }.sorted { $0.key < $1.key }
            .map { ($0.key, $0.value) }
    }

    /// One assessor's sessions, added up (docs/outcomes.md, "Fidelity").
    public struct AssessorFidelity: Sendable {
        public var role = ""
        /// Sessions with a journal: answer files have no timings.
        public var journaled = 0
        public var unfinished = 0
        public var answers = 0
        public var quickAnswers = 0
        public var skipped = 0
        /// How often each item was skipped.
        public var skippedItems: [String: Int] = [:]
        public var inadequate = 0
        public var overridden = 0
        public var amendedAfterCompletion = 0
        public var implausiblyQuick = 0
        var secondsPerAnswerTotal = 0.0
        var timedSessions = 0
        /// The items skipped most, most first (five at most).
        public var mostSkipped: [(item: String, count: Int)] {
            Array(skippedItems.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(5)).map { ($0.key, $0.value) }
        }

        /// Time on each module against its expectation, added over sessions: (seconds, expected).
        public var modules: [String: (seconds: Double, expected: Double)] = [:]

        /// A module done in less than this share of its expected time was hurried.
        public static let hurriedShare = 0.5

        /// Modules done in under half their expected time, with the share of it taken, quickest first.
        public var hurriedModules: [(id: String, share: Double)] {
            modules.compactMap { id, time in
                time.expected > 0 && time.seconds < Self.hurriedShare * time.expected
                    ? (id, time.seconds / time.expected) : nil
            }.sorted { ($0.share, $0.id) < ($1.share, $1.id) }
        }

        /// Sessions rated by a second rater too, and the diagnoses the two put in the same status.
        public var doubleRated = 0
        public var agreedWithSecondRater = OutcomeReport.Proportion(count: 0, of: 0)

        /// The mean over sessions of each session's median seconds per answer.
        public var secondsPerAnswer: Double? {
            timedSessions == 0 ? nil : secondsPerAnswerTotal / Double(timedSessions)
        }

        /// Another part of the same assessor's sessions, added.
        mutating func merge(_ other: AssessorFidelity) {
            if role.isEmpty { role = other.role }
            journaled += other.journaled
            unfinished += other.unfinished
            answers += other.answers
            quickAnswers += other.quickAnswers
            skipped += other.skipped
            skippedItems.merge(other.skippedItems, uniquingKeysWith: +)
            inadequate += other.inadequate
            overridden += other.overridden
            amendedAfterCompletion += other.amendedAfterCompletion
            implausiblyQuick += other.implausiblyQuick
            secondsPerAnswerTotal += other.secondsPerAnswerTotal
            timedSessions += other.timedSessions
            modules.merge(other.modules) { ($0.seconds + $1.seconds, $0.expected + $1.expected) }
            doubleRated += other.doubleRated
            agreedWithSecondRater.count += other.agreedWithSecondRater.count
            agreedWithSecondRater.of += other.agreedWithSecondRater.of
        }

        mutating func add(_ session: OutcomeReport.Administered) {
            if role.isEmpty { role = session.role }
            guard let f = session.fidelity else { return }
            journaled += 1
            if !f.completed { unfinished += 1 }
            answers += f.answers
            quickAnswers += f.quickAnswers
            skipped += f.skipped
            for item in f.skippedItems { skippedItems[item, default: 0] += 1 }
            inadequate += f.inadequate
            overridden += f.overridden
            amendedAfterCompletion += f.amendedAfterCompletion
            if f.implausiblyQuick { implausiblyQuick += 1 }
            for module in f.modules {
                let sum = modules[module.id] ?? (0, 0)
                modules[module.id] = (sum.seconds + module.seconds, sum.expected + module.expected)
            }
            if let s = f.secondsPerAnswer {
                secondsPerAnswerTotal += s
                timedSessions += 1
            }
        }
    }

    public init() {}

    /// The figures over the clients of `other` too, as if each had been
    /// added here after these: the summary of a batch judged elsewhere.
    public mutating func merge(_ other: OutcomeSummary) {
        func sum(_ a: inout Proportion, _ b: Proportion) {
            a.count += b.count
            a.of += b.of
        }
        func sum(_ a: inout Rate, _ b: Rate) {
            sum(&a.followedUp, b.followedUp)
            sum(&a.everyone, b.everyone)
        }
        assessed += other.assessed
        followedUp += other.followedUp
        withoutFollowUp.merge(other.withoutFollowUp, uniquingKeysWith: +)
        sum(&recovered, other.recovered)
        sum(&reliablyRecovered, other.reliablyRecovered)
        sum(&reliablyImproved, other.reliablyImproved)
        sum(&reliablyDeteriorated, other.reliablyDeteriorated)
        sum(&lostEveryDiagnosis, other.lostEveryDiagnosis)
        sum(&lostByIndependentBlind, other.lostByIndependentBlind)
        sum(&lostByOthers, other.lostByOthers)
        blindFollowUps += other.blindFollowUps
        intakeDiagnosesByRole.merge(other.intakeDiagnosesByRole, uniquingKeysWith: +)
        disagreements += other.disagreements
        for (rater, figures) in other.fidelity { fidelity[rater, default: AssessorFidelity()].merge(figures) }
    }

    public mutating func add(_ c: OutcomeReport.ClientOutcome) {
        assessed += 1
        for session in c.administered { fidelity[session.rater, default: AssessorFidelity()].add(session) }
        for rating in c.doubleRatings {
            for rater in [rating.raters.0, rating.raters.1] {
                fidelity[rater, default: AssessorFidelity()].doubleRated += 1
                fidelity[rater, default: AssessorFidelity()].agreedWithSecondRater.count += rating.agree
                fidelity[rater, default: AssessorFidelity()].agreedWithSecondRater.of += rating.of
            }
        }
        let followed = c.followUp != nil
        if followed {
            followedUp += 1
        } else {
            withoutFollowUp[c.episode?.text ?? "no status recorded", default: 0] += 1
        }
        let q = c.questionnaire
        if c.caseAtIntake == true {
            recovered.everyone.of += 1
            reliablyRecovered.everyone.of += 1
            if let q, q.caseAtFirst {
                recovered.followedUp.of += 1
                reliablyRecovered.followedUp.of += 1
                if q.recovered {
                    recovered.followedUp.count += 1
                    recovered.everyone.count += 1
                }
                if q.reliableRecovery {
                    reliablyRecovered.followedUp.count += 1
                    reliablyRecovered.everyone.count += 1
                }
            }
        }
        if c.measuredAtIntake { reliablyImproved.everyone.of += 1 }
        if let q {
            reliablyImproved.followedUp.of += 1
            reliablyDeteriorated.of += 1
            if q.reliableImprovement {
                reliablyImproved.followedUp.count += 1
                reliablyImproved.everyone.count += 1
            }
            if q.reliableDeterioration { reliablyDeteriorated.count += 1 }
        }
        if c.hadDiagnosis {
            lostEveryDiagnosis.everyone.of += 1
            for role in c.intakeRoles { intakeDiagnosesByRole[role, default: 0] += 1 }
            if let lost = c.lostEveryDiagnosis {
                lostEveryDiagnosis.followedUp.of += 1
                if c.independentBlindFollowUp { lostByIndependentBlind.of += 1 } else { lostByOthers.of += 1 }
                if lost {
                    lostEveryDiagnosis.followedUp.count += 1
                    lostEveryDiagnosis.everyone.count += 1
                    if c.independentBlindFollowUp { lostByIndependentBlind.count += 1 } else { lostByOthers.count += 1 }
                }
            }
        }
        if c.blindFollowUp { blindFollowUps += 1 }
        if c.measuresDisagree {
            let kept = c.diagnoses.filter { $0.period == .current && $0.followUp == .met }.map(\.id)
            disagreements.append(
                (
                    c.client,
                    c.questionnaire!.recovered
                        ? "recovered by questionnaire, but still meets \(kept.joined(separator: ", "))"
                        : "lost every current diagnosis, but not recovered by questionnaire"
                ))
        }
    }
}
