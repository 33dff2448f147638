/// The live state of every rule, alert and item at one moment of a session.
public struct Evaluation: Sendable {
    public var route: [Bool]
    public var values: [RuleResult]
    public var criteria: [RuleResult]
    public var diagnoses: [DiagnosisResult]
    public var scores: [ScoreResult]
    /// Alerts whose condition is true.
    public var alerts: [ActiveAlert]

    public func criterion(_ id: String) -> RuleResult? { criteria.first { $0.id == id } }
    public func diagnosis(_ id: String) -> DiagnosisResult? { diagnoses.first { $0.id == id } }
    public func score(_ id: String) -> ScoreResult? { scores.first { $0.id == id } }
}

public struct RuleResult: Sendable, Hashable {
    public var id: String
    public var label: String?
    public var status: Status
    public var value: Value?
    /// Open items on the route whose answers would decide this result.
    public var blocking: [String]
}

public struct DiagnosisResult: Sendable, Hashable {
    public var id: String
    public var label: String
    public var status: Status
    public var period: DiagnosisPeriod
    /// The criteria (and diagnoses) it rests on, with their statuses.
    public var evidence: [RuleResult]
    public var blocking: [String]
}

public struct ScoreResult: Sendable, Hashable {
    public var id: String
    public var label: String
    public var value: Double?
    /// When unknown: the range the score must lie in, if bounded.
    public var low: Double?
    public var high: Double?
    public var band: String?
    public var blocking: [String]
}

public struct ActiveAlert: Sendable, Hashable {
    public var id: String
    public var severity: Alert.Severity
    public var message: String
}

extension Interview {
    /// Evaluates every rule and alert against recorded item states.
    public func evaluate(recorded: [ItemState], language: String? = nil) -> Evaluation {
        var evaluator = Evaluator(interview: self, store: DenseRouteStore(answers: recorded))
        return evaluate(with: &evaluator, language: language)
    }

    func evaluate(with evaluator: inout Evaluator<DenseRouteStore>, language: String?) -> Evaluation {
        func text(_ t: LocalizedText?) -> String? { t?.resolved(language, fallbacks: languages) }
        func blocking(_ outcome: Outcome) -> [String] {
            outcome.isKnown ? [] : outcome.blockers.sorted().map { items[$0].id }
        }
        let results = rules.indices.map { index in
            let outcome = evaluator.evaluateRule(index)
            return RuleResult(
                id: rules[index].id, label: text(rules[index].label), status: outcome.status, value: outcome.value,
                blocking: blocking(outcome))
        }
        var evaluation = Evaluation(
            route: items.indices.map { evaluator.isEnabled($0) }, values: [], criteria: [], diagnoses: [], scores: [],
            alerts: [])
        // Sized once, and rules read in place.
        var counts = (values: 0, criteria: 0, diagnoses: 0, scores: 0)
        for index in rules.indices {
            switch rules[index].kind {
            case .value: counts.values += 1
            case .criterion: counts.criteria += 1
            case .diagnosis: counts.diagnoses += 1
            case .score: counts.scores += 1
            }
        }
        evaluation.values.reserveCapacity(counts.values)
        evaluation.criteria.reserveCapacity(counts.criteria)
        evaluation.diagnoses.reserveCapacity(counts.diagnoses)
        evaluation.scores.reserveCapacity(counts.scores)
        for index in rules.indices {
            let result = results[index]
            switch rules[index].kind {
            case .value: evaluation.values.append(result)
            case .criterion: evaluation.criteria.append(result)
            case .diagnosis:
                let criteria =
                    index < plan.diagnosisEvidence.count
                    ? plan.diagnosisEvidence[index]
                    : rules[index].criteria.compactMap { ruleIndex[$0] }
                let evidence = criteria.map { results[$0] }
                evaluation.diagnoses.append(
                    DiagnosisResult(
                        id: result.id, label: result.label ?? result.id, status: result.status,
                        period: rules[index].period, evidence: evidence, blocking: result.blocking))
            case .score:
                let outcome = evaluator.evaluateRule(index)
                let value = outcome.value?.numeric
                let band = value.flatMap { v in rules[index].bands.first { $0.min <= v && v <= $0.max } }
                evaluation.scores.append(
                    ScoreResult(
                        id: result.id, label: result.label ?? result.id, value: value,
                        low: value == nil && outcome.low.isFinite ? outcome.low : nil,
                        high: value == nil && outcome.high.isFinite ? outcome.high : nil,
                        band: band.flatMap { text($0.label) }, blocking: result.blocking))
            }
        }
        for alert in alerts where evaluator.evaluate(alert.condition.expression).bool == true {
            evaluation.alerts.append(
                ActiveAlert(id: alert.id, severity: alert.severity, message: text(alert.message) ?? alert.id))
        }
        return evaluation
    }
}
