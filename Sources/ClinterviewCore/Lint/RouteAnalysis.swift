/// What-if evaluation for the linter: tries every combination of answers to the
/// few items a condition depends on.
struct RouteAnalysis {
    let interview: Interview
    let ruleClosure: [Set<Int>]

    init(interview: Interview) {
        self.interview = interview
        self.ruleClosure = interview.ruleItemClosure()
    }

    /// The items that decide whether `items` are on the route, and their own deciders, transitively.
    func routeClosure(of items: Set<Int>) -> Set<Int> {
        var result = Set<Int>()
        var frontier = Array(items)
        while let item = frontier.popLast() {
            guard result.insert(item).inserted else { continue }
            for condition in interview.conditionChain(ofItem: item) {
                frontier.append(contentsOf: interview.items(of: condition, closure: ruleClosure))
            }
        }
        return result
    }

    /// The possible recorded states of an item, or nil when it has too many to try.
    func domain(of index: Int) -> [ItemState]? {
        switch interview.items[index].kind {
        case .yesNo: return [.open, .known(.bool(true)), .known(.bool(false))]
        case .rating(_, let options), .choice(let options):
            return [.open] + options.map { $0.isUnknown ? .inadequate : .known(.code($0.code, weight: $0.weight)) }
        default: return nil
        }
    }

    /// Every combination of states of `items`, or nil when there are too many.
    func combinations(of items: [Int], excludingOpen: Bool = false) -> [[Int: ItemState]]? {
        var result: [[Int: ItemState]] = [[:]]
        for item in items {
            guard var states = domain(of: item) else { return nil }
            if excludingOpen { states.removeAll { $0 == .open } }
            guard result.count * states.count <= Linter.maximumCombinations else { return nil }
            result = result.flatMap { partial in states.map { partial.merging([item: $0]) { a, _ in a } } }
        }
        return result
    }

    /// True when no combination of answers to the items the conditions read makes
    /// every condition definitely true. Those items are taken to be on the route
    /// (whether they are is their own conditions' business), which keeps the check
    /// conservative and its cost independent of how long routing chains are.
    func neverDefinitelyTrue(_ conditions: [Condition], routeOf target: Int) -> Bool {
        let deciders = conditions.reduce(into: Set<Int>()) { $0.formUnion(interview.items(of: $1, closure: ruleClosure)) }.sorted()
        guard let assignments = combinations(of: deciders) else { return false }
        for assignment in assignments {
            var store = SparseRouteStore(answers: assignment)
            for item in deciders { store.setEnabled(item, true) }
            var evaluator = Evaluator(interview: interview, store: store, routeOf: [])
            if conditions.allSatisfy({ evaluator.evaluate($0.expression).bool == true }) { return false }
        }
        return true
    }

    /// An example of answers that close the gate yet leave the diagnosis unknown
    /// because of items the gate skips, described for a message; nil when none.
    func closedGateLeavingUnknown(_ gate: Condition, gateStart: Int, diagnosis: Int) -> String? {
        let deciders = routeClosure(of: interview.items(of: gate, closure: ruleClosure)).sorted()
        guard !deciders.isEmpty, let assignments = combinations(of: deciders, excludingOpen: true) else { return nil }
        let route = routeClosure(of: ruleClosure[diagnosis].union(deciders)).sorted()
        for assignment in assignments {
            var evaluator = Evaluator(interview: interview, store: SparseRouteStore(answers: assignment), routeOf: route)
            guard evaluator.evaluate(gate.expression).bool == false else { continue }
            let outcome = evaluator.evaluateRule(diagnosis)
            if !outcome.isKnown, outcome.reachesSkipped {
                return deciders.map { "\(interview.items[$0].id) = \(describe(assignment[$0]!))" }.joined(separator: ", ")
            }
        }
        return nil
    }

    private func describe(_ state: ItemState) -> String {
        switch state {
        case .known(.code(let code, _)): code
        case .known(.bool(let b)): b ? "yes" : "no"
        case .inadequate: "?"
        default: "unanswered"
        }
    }
}
