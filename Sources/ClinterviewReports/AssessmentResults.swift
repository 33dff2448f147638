import ClinterviewCore
import Foundation

/// What an outcome needs of one assessment: who, when, and its results. It
/// comes from a session replayed (`AssessedSession.results`) or from the
/// results the service store kept when the session was synced.
public struct AssessmentResults: Sendable {
    public struct Diagnosis: Sendable {
        public var id: String
        public var label: String
        public var status: Status
        public var period: DiagnosisPeriod

        public init(id: String, label: String, status: Status, period: DiagnosisPeriod) {
            self.id = id
            self.label = label
            self.status = status
            self.period = period
        }
    }

    public var client: String
    public var rater: String
    public var role: String
    public var date: Date?
    public var interviewID: String
    public var blind: Bool
    public var diagnoses: [Diagnosis]
    /// Score id to value, for the scores that have one.
    public var scores: [String: Double]
    /// How it was administered, when a journal says (not for answer files).
    public var fidelity: SessionFidelity?

    public init(
        client: String, rater: String, role: String, date: Date?, interviewID: String, blind: Bool,
        diagnoses: [Diagnosis], scores: [String: Double], fidelity: SessionFidelity? = nil
    ) {
        self.fidelity = fidelity
        self.client = client
        self.rater = rater
        self.role = role
        self.date = date
        self.interviewID = interviewID
        self.blind = blind
        self.diagnoses = diagnoses
        self.scores = scores
    }
}

extension AssessedSession {
    public var results: AssessmentResults {
        AssessmentResults(
            client: client, rater: rater, role: role, date: date, interviewID: interviewID, blind: blind,
            diagnoses: evaluation.diagnoses.map {
                AssessmentResults.Diagnosis(id: $0.id, label: $0.label, status: $0.status, period: $0.period)
            },
            scores: Dictionary(
                evaluation.scores.compactMap { score in score.value.map { (score.id, $0) } },
                uniquingKeysWith: { first, _ in first }), fidelity: fidelity)
    }
}
