/// The route and the rules of one set of recorded answers, for callers outside
/// the engine (the benchmark, tools). Not generic, so it runs the evaluator
/// code specialised inside this module rather than the generic version.
public struct RecordedEvaluation {
    private var evaluator: Evaluator<DenseRouteStore>

    public init(interview: Interview, recorded: [ItemState]) {
        evaluator = Evaluator(interview: interview, store: DenseRouteStore(answers: recorded))
    }

    public func isEnabled(_ item: Int) -> Bool { evaluator.isEnabled(item) }

    /// The outcome of rule `index` (of `Interview.rules`).
    public mutating func rule(_ index: Int) -> Outcome { evaluator.evaluateRule(index) }
}
