/// What-if evaluation for the linter: tries every combination of answers to the
/// few items a condition depends on.
struct RouteAnalysis {
    let interview: Interview
    let ruleClosure: [Set<Int>]
    /// For number, duration and date items: the values worth trying, at and
    /// either side of every constant they are compared with, and their bounds.
    let numericDomains: [Int: [ItemState]]

    init(interview: Interview) {
        self.interview = interview
        self.ruleClosure = interview.ruleItemClosure()
        self.numericDomains = Self.numericDomains(interview)
    }

    /// Values either side of each constant decide every comparison with it,
    /// so trying them (within the item's bounds) covers what a condition over
    /// a number, a duration or a date can do.
    static func numericDomains(_ interview: Interview) -> [Int: [ItemState]] {
        // Only numeric items get a domain: constants compared with any other item are not kept.
        let isNumeric = interview.items.map { item in
            switch item.kind {
            case .integer, .decimal, .duration, .date: true
            default: false
            }
        }
        var constants: [Int: Set<Double>] = [:]
        func note(_ item: Int, _ value: Value) {
            if isNumeric[item], let number = value.numeric { constants[item, default: []].insert(number) }
        }
        func walk(_ expression: Expression) {
            switch expression {
            case .compare(_, .item(let item), .constant(let value)), .compare(_, .constant(let value), .item(let item)):
                note(item, value)
            case .compare(_, let a, let b), .and(let a, let b), .or(let a, let b), .arithmetic(_, let a, let b):
                walk(a)
                walk(b)
            case .not(let e), .negate(let e), .weight(let e), .absolute(let e), .round(let e): walk(e)
            case .member(.item(let item), let list, _):
                for case .constant(let value) in list { note(item, value) }
            case .ifThen(let c, let a, let b):
                walk(c)
                walk(a)
                walk(b)
            case .count(let items, .compare(_, .constant(let value))?),
                .any(let items, .compare(_, .constant(let value))),
                .all(let items, .compare(_, .constant(let value))):
                for item in items { note(item, value) }
            default: break
            }
        }
        let plan = interview.plan
        for expression in plan.ruleExpressions { walk(expression) }
        for case let expression? in plan.moduleConditions + plan.sectionConditions + plan.itemConditions {
            walk(expression)
        }
        var domains: [Int: [ItemState]] = [:]
        for index in interview.items.indices {
            let kind = interview.items[index].kind
            let (range, step, make): (NumericRange?, Double, (Double) -> Value)
            switch kind {
            case .integer(let r): (range, step, make) = (r, 1, { .number($0) })
            case .decimal(let r): (range, step, make) = (r, 0.5, { .number($0) })
            case .duration: (range, step, make) = (NumericRange(min: 0, max: nil, unit: nil), 1, { .duration($0) })
            case .date: (range, step, make) = (nil, 1, { .date(Int($0)) })
            default: continue
            }
            var values = Set<Double>()
            for constant in constants[index] ?? [] { values.formUnion([constant - step, constant, constant + step]) }
            if let low = range?.min { values.insert(low) }
            if let high = range?.max { values.insert(high) }
            let allowed = values.filter { value in
                (range?.min.map { value >= $0 } ?? true) && (range?.max.map { value <= $0 } ?? true)
            }
            guard !allowed.isEmpty, allowed.count <= 24 else { continue }
            domains[index] = allowed.sorted().map { .known(make($0)) } + [.open]
        }
        return domains
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
            // One array, sized at once: `[.open] + options.map` made two for
            // every item of every search.
            var states: [ItemState] = []
            states.reserveCapacity(options.count + 1)
            states.append(.open)
            for index in options.indices {
                states.append(
                    options[index].isUnknown
                        ? .inadequate : .known(.code(options[index].code, weight: options[index].weight)))
            }
            return states
        default: return numericDomains[index]
        }
    }

    enum Search {
        /// The states of the items searched, in their order.
        case found([ItemState])
        case notFound
        case tooMany
    }

    /// Tries every combination of states of `items` (the last item varying
    /// fastest) until `test` accepts one; `test` is given the states in the
    /// order of `items`. The combination is changed in place, one item at a
    /// time, rather than built as a list of combinations first.
    func search(_ items: [Int], excludingOpen: Bool = false, _ test: ([ItemState]) -> Bool) -> Search {
        var domains: [[ItemState]] = []
        var count = 1
        for item in items {
            guard var states = domain(of: item) else { return .tooMany }
            if excludingOpen { states.removeAll { $0 == .open } }
            count *= states.count
            guard count <= Linter.maximumCombinations else { return .tooMany }
            domains.append(states)
        }
        guard count > 0 else { return .notFound }
        var choice = [Int](repeating: 0, count: items.count)
        var assignment = domains.map { $0[0] }
        while true {
            if test(assignment) { return .found(assignment) }
            var position = items.count - 1
            while position >= 0 {
                choice[position] += 1
                if choice[position] < domains[position].count { break }
                choice[position] = 0
                assignment[position] = domains[position][0]
                position -= 1
            }
            guard position >= 0 else { return .notFound }
            assignment[position] = domains[position][choice[position]]
        }
    }

    /// True when no combination of answers to the items the conditions read makes
    /// every condition definitely true. Those items are taken to be on the route
    /// (whether they are is their own conditions' business), which keeps the check
    /// conservative and its cost independent of how long routing chains are.
    ///
    /// `evaluator` (from `whatIfEvaluator()`) serves search after search, so
    /// the interview is not copied for each.
    func neverDefinitelyTrue(_ conditions: [Condition], using evaluator: inout Evaluator<SparseRouteStore>) -> Bool {
        let deciders = deciders(of: conditions)
        // Every decider is on the route (the store's `enabled` left nil).
        let result = search(deciders) { assignment in
            evaluator.restart(with: SparseRouteStore(items: deciders, states: assignment), routeOf: [])
            defer { evaluator.releaseStore(for: SparseRouteStore()) }
            return conditions.allSatisfy { evaluator.evaluate($0.expression).bool == true }
        }
        if case .notFound = result { return true }
        return false
    }

    /// The items the conditions depend on, directly or through rules,
    /// ascending (as the store looks them up), each once. A condition names
    /// two or three items, so a sorted list serves.
    func deciders(of conditions: [Condition]) -> [Int] {
        var references = ReferenceLists()
        for condition in conditions { condition.expression.collect(into: &references) }
        var items = references.items
        for rule in references.rules { items.append(contentsOf: ruleClosure[rule]) }
        items.sort()
        var kept = 0
        for index in items.indices where kept == 0 || items[kept - 1] != items[index] {
            items[kept] = items[index]
            kept += 1
        }
        items.removeLast(items.count - kept)
        return items
    }

    /// An evaluator for `neverDefinitelyTrue`, one per thread.
    func whatIfEvaluator() -> Evaluator<SparseRouteStore> {
        Evaluator(interview: interview, store: SparseRouteStore(), routeOf: [])
    }

    enum GateFinding {
        /// Answers that close the gate and leave the diagnosis undecided, for a message.
        case leavesUndecided(String)
        case decided
        /// The gate's items cannot all be tried (free text, or too many values).
        case notAnalysed
    }

    /// Whether some answers close the gate yet leave the diagnosis unknown
    /// because of items the gate skips.
    func closedGateLeavingUnknown(_ gate: Condition, gateStart: Int, diagnosis: Int) -> GateFinding {
        let deciders = routeClosure(of: interview.items(of: gate, closure: ruleClosure)).sorted()
        guard !deciders.isEmpty else { return .decided }
        let route = routeClosure(of: ruleClosure[diagnosis].union(deciders)).sorted()
        var evaluator = Evaluator(interview: interview, store: SparseRouteStore(enabled: [:]), routeOf: [])
        let result = search(deciders, excludingOpen: true) { assignment in
            evaluator.restart(with: SparseRouteStore(items: deciders, states: assignment, enabled: [:]), routeOf: route)
            defer { evaluator.releaseStore(for: SparseRouteStore(enabled: [:])) }
            guard evaluator.evaluate(gate.expression).bool == false else { return false }
            let outcome = evaluator.evaluateRule(diagnosis)
            return !outcome.isKnown && outcome.reachesSkipped
        }
        switch result {
        case .found(let assignment):
            return .leavesUndecided(
                zip(deciders, assignment).map { "\(interview.items[$0].id) = \(describe($1))" }.joined(separator: ", "))
        case .notFound: return .decided
        case .tooMany: return .notAnalysed
        }
    }

    private func describe(_ state: ItemState) -> String {
        switch state {
        case .known(.code(let code, _)): code
        case .known(.bool(let b)): b ? "yes" : "no"
        case .known(.number(let n)): formatNumber(n)
        case .known(.duration(let days)): "\(formatNumber(days)) days"
        case .known(.date(let days)): CalendarDate.isoString(days: days)
        case .inadequate: "?"
        default: "unanswered"
        }
    }
}
