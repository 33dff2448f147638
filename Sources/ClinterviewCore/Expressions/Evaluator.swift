/// What the engine knows about one item when expressions are evaluated.
public enum ItemState: Sendable, Equatable {
    /// Off the route: its condition (or its section's or module's) is false.
    case disabled
    /// On the route with no usable answer yet (unanswered or skipped).
    case open
    /// Answered with an option that means "inadequate information" (`?`).
    case inadequate
    case known(Value)
}

/// Where an evaluator reads recorded answers and keeps the route it computes.
public protocol RouteStore {
    func recorded(_ item: Int) -> ItemState
    func isEnabled(_ item: Int) -> Bool
    mutating func setEnabled(_ item: Int, _ enabled: Bool)
}

/// Answers and route for every item of an interview, in arrays.
public struct DenseRouteStore: RouteStore, Sendable {
    public var answers: [ItemState]
    public var enabled: [Bool]

    public init(answers: [ItemState], enabled: [Bool]? = nil) {
        self.answers = answers
        self.enabled = enabled ?? [Bool](repeating: false, count: answers.count)
    }

    public func recorded(_ item: Int) -> ItemState { answers[item] }
    public func isEnabled(_ item: Int) -> Bool { enabled[item] }
    public mutating func setEnabled(_ item: Int, _ value: Bool) { enabled[item] = value }
}

/// Answers and route for a few items only, for the linter's what-if evaluations;
/// items not mentioned are open and their route is not computed.
struct SparseRouteStore: RouteStore {
    /// The items with a recorded state, ascending, and their states: the
    /// linter's what-if searches try a handful of items at a time.
    var items: [Int]
    var states: [ItemState]
    /// The items on the route; nil: exactly the items in `items`.
    var enabled: [Int: Bool]?

    init(items: [Int] = [], states: [ItemState] = [], enabled: [Int: Bool]? = nil) {
        self.items = items
        self.states = states
        self.enabled = enabled
    }

    func recorded(_ item: Int) -> ItemState {
        guard let position = position(of: item) else { return .open }
        return states[position]
    }

    func isEnabled(_ item: Int) -> Bool {
        if let enabled { return enabled[item] ?? false }
        return position(of: item) != nil
    }

    mutating func setEnabled(_ item: Int, _ value: Bool) {
        if enabled == nil { enabled = Dictionary(uniqueKeysWithValues: items.map { ($0, true) }) }
        enabled![item] = value
    }

    private func position(of item: Int) -> Int? {
        var low = 0, high = items.count
        while low < high {
            let middle = (low + high) / 2
            if items[middle] < item { low = middle + 1 } else { high = middle }
        }
        return low < items.count && items[low] == item ? low : nil
    }
}

/// Evaluates expressions against one state of a session: the answers and the route.
///
/// Three-valued: see `Outcome`. Named rules are evaluated at most once per evaluator.
public struct Evaluator<Store: RouteStore> {
    public let interview: Interview
    public private(set) var store: Store
    private(set) var ruleCache: RuleCache
    /// Whether the condition of each group of `EvaluationPlan.itemConditionGroups`
    /// held where `decideRoute` first met it; empty until then.
    private var groupHolds: [Bool?] = []
    /// Off only in tests, which compare routes with and without sharing.
    var sharesConditionGroups = true

    /// Computes the route over every item.
    public init(interview: Interview, store: Store) {
        self.interview = interview
        self.store = store
        self.ruleCache = RuleCache(dense: interview.rules.count)
        computeRoute()
    }

    /// Computes the route of `items` only (ascending, closed under the items their
    /// conditions depend on). For the linter's what-if checks, thousands per
    /// definition: the rule cache is sparse, so each costs what it evaluates.
    init(interview: Interview, store: Store, routeOf items: [Int]) {
        self.interview = interview
        self.store = store
        self.ruleCache = RuleCache(dense: 0)
        decideRoutes(of: items)
    }

    /// Starts again from another store, as `init(interview:store:routeOf:)`
    /// would, for the linter's many combinations of answers.
    mutating func restart(with store: Store, routeOf items: [Int]) {
        self.store = store
        ruleCache = RuleCache(dense: 0)
        groupHolds = []
        decideRoutes(of: items)
    }

    /// Lets go of the store, so that the caller's answers are referenced
    /// once again: the linter's search changes one answer at a time, and an
    /// evaluator still holding them made every change copy them all.
    mutating func releaseStore(for empty: Store) {
        store = empty
    }

    private mutating func decideRoutes(of items: [Int]) {
        // The never-enabled search restarts with no route to decide, tens of
        // thousands of times: its two empty tables were made and freed each time.
        guard !items.isEmpty else { return }
        var sectionOn: [Int: Bool] = [:]
        var moduleOn: [Int: Bool] = [:]
        for index in items {
            let sectionIndex = interview.plan.itemSection[index]
            let moduleIndex = interview.plan.sectionModule[sectionIndex]
            if moduleOn[moduleIndex] == nil {
                moduleOn[moduleIndex] = holds(interview.plan.moduleConditions[moduleIndex])
            }
            if sectionOn[sectionIndex] == nil {
                sectionOn[sectionIndex] =
                    moduleOn[moduleIndex]! && holds(interview.plan.sectionConditions[sectionIndex])
            }
            store.setEnabled(index, sectionOn[sectionIndex]! && holds(interview.plan.itemConditions[index]))
        }
    }

    /// Recomputes the route only after item `start`: the store's route up to and
    /// including `start` is kept. Conditions only look back, so an answer to
    /// item `start` cannot change whether it or any earlier item is asked.
    public init(interview: Interview, store: Store, recomputingAfter start: Int) {
        self.interview = interview
        self.store = store
        self.ruleCache = RuleCache(dense: interview.rules.count)
        computeRoute(after: start)
    }

    /// Starts a forward walk (a replay): nothing is on the route until `decideRoute`
    /// has been called for each item in order, after the items before it are final.
    init(walking interview: Interview, store: Store) {
        self.interview = interview
        self.store = store
        self.ruleCache = RuleCache(dense: interview.rules.count)
    }

    /// Decides whether item `index` is on the route from the states of the items
    /// before it; `moduleOn` and `sectionOn` keep the gates already decided.
    mutating func decideRoute(ofItem index: Int, moduleOn: inout [Bool?], sectionOn: inout [Bool?]) -> Bool {
        // The plan's arrays are read in place: copying the plan for every item
        // would retain each of its arrays.
        let section = interview.plan.itemSection[index]
        let sectionHolds: Bool
        if let decided = sectionOn[section] {
            sectionHolds = decided
        } else {
            let module = interview.plan.sectionModule[section]
            if moduleOn[module] == nil {
                moduleOn[module] = holds(interview.plan.moduleConditions[module])
            }
            sectionHolds =
                moduleOn[module]!
                && holds(interview.plan.sectionConditions[section])
            sectionOn[section] = sectionHolds
        }
        let enabled = sectionHolds && itemConditionHolds(index)
        store.setEnabled(index, enabled)
        return enabled
    }

    /// Whether item `index`'s own condition holds, from its group when an
    /// earlier item of the group has decided it.
    @inline(__always)
    private mutating func itemConditionHolds(_ index: Int) -> Bool {
        let group = interview.plan.itemConditionGroups[index]
        guard group >= 0 else { return true }
        guard sharesConditionGroups else { return holds(interview.plan.itemConditions[index]) }
        if groupHolds.isEmpty { groupHolds = [Bool?](repeating: nil, count: interview.plan.conditionGroupCount) }
        if let decided = groupHolds[group] { return decided }
        let decided = holds(interview.plan.itemConditions[index])
        groupHolds[group] = decided
        return decided
    }

    /// A condition holds for routing when it is true, or unknown because of items
    /// still open on the route (ask rather than skip when information is missing).
    /// Unknowns caused only by items off the route do not enable anything.
    public static func conditionHolds(_ outcome: Outcome) -> Bool {
        if let value = outcome.bool { return value }
        return !outcome.blockers.isEmpty
    }

    private mutating func holds(_ condition: Expression?) -> Bool {
        guard let condition else { return true }
        return Self.conditionHolds(evaluate(condition))
    }

    /// The route of every item after `start` (all of them by default), in order.
    private mutating func computeRoute(after start: Int = -1) {
        var moduleOn = [Bool?](repeating: nil, count: interview.plan.moduleSections.count)
        var sectionOn = [Bool?](repeating: nil, count: interview.plan.sectionItems.count)
        for item in (start + 1)..<interview.items.count {
            _ = decideRoute(ofItem: item, moduleOn: &moduleOn, sectionOn: &sectionOn)
        }
    }

    public func isEnabled(_ index: Int) -> Bool { store.isEnabled(index) }

    /// Changes what is recorded for an item; rule results computed so far are dropped.
    mutating func setRecorded(_ index: Int, _ state: ItemState) where Store == DenseRouteStore {
        store.answers[index] = state
        ruleCache = RuleCache(dense: interview.rules.count)
        groupHolds = []
    }

    public func state(ofItem index: Int) -> ItemState {
        store.isEnabled(index) ? store.recorded(index) : .disabled
    }

    public mutating func evaluateRule(_ index: Int) -> Outcome {
        if let cached = ruleCache[index] { return cached }
        let outcome = evaluate(interview.plan.ruleExpressions[index])
        ruleCache[index] = outcome
        return outcome
    }

    /// An expression's outcome under Kleene's three-valued logic, with the
    /// interval an unknown number must lie in and the open items that could
    /// decide it. The one definition of the expression semantics: sessions,
    /// replay, reports and the linter's what-if search all evaluate here.
    public mutating func evaluate(_ expression: Expression) -> Outcome {
        switch expression {
        case .constant(let value):
            return .known(value)
        case .none:
            return .unknown()
        case .item(let index):
            return itemOutcome(index)
        case .rule(let index):
            return evaluateRule(index)
        case .not(let inner):
            let outcome = evaluate(inner)
            if let value = outcome.bool { return .known(.bool(!value)) }
            return outcome
        case .and(let left, let right):
            return kleene(evaluate(left), evaluate(right), dominant: false)
        case .or(let left, let right):
            return kleene(evaluate(left), evaluate(right), dominant: true)
        case .compare(let op, let left, let right):
            return OutcomeMath.compare(op, evaluate(left), evaluate(right))
        case .member(let subject, let candidates, let negated):
            let value = evaluate(subject)
            var result = Outcome.false
            for candidate in candidates {
                result = kleene(consume result, OutcomeMath.compare(.equal, value, evaluate(candidate)), dominant: true)
                if result.bool == true { break }
            }
            if negated, let b = result.bool { return .known(.bool(!b)) }
            return result
        case .arithmetic(let op, let left, let right):
            return OutcomeMath.arithmetic(op, evaluate(left), evaluate(right))
        case .negate(let inner):
            let outcome = evaluate(inner)
            if case .number(let v)? = outcome.value { return .known(.number(-v)) }
            var result = outcome
            (result.low, result.high) = (-outcome.high, -outcome.low)
            return result
        case .count(let items, let predicate):
            return count(items) { evaluator, outcome in
                guard let predicate else { return outcome }
                return evaluator.apply(predicate, to: outcome)
            }
        case .any(let items, let predicate):
            var result = Outcome.false
            for index in items {
                result = kleene(consume result, apply(predicate, to: itemOutcome(index)), dominant: true)
                if result.bool == true { return result }
            }
            return result
        case .all(let items, let predicate):
            var result = Outcome.true
            for index in items {
                result = kleene(consume result, apply(predicate, to: itemOutcome(index)), dominant: false)
                if result.bool == false { return result }
            }
            return result
        case .sum(let items):
            var total = Outcome.known(.number(0))
            for index in items {
                total = OutcomeMath.arithmetic(.add, consume total, numeric(itemOutcome(index)))
            }
            return total
        case .mean(let items):
            var values: [Double] = []
            var pending = Outcome.unknown()
            for index in items {
                let outcome = numeric(itemOutcome(index))
                if case .number(let v)? = outcome.value { values.append(v) } else { pending.absorbReasons(of: outcome) }
            }
            if values.isEmpty {
                let bounds = items.map(bounds)
                pending.low = bounds.map(\.lowerBound).min() ?? -.infinity
                pending.high = bounds.map(\.upperBound).max() ?? .infinity
                return pending
            }
            return .known(.number(values.reduce(0, +) / Double(values.count)))
        case .answeredCount(let items):
            return .known(.number(Double(items.filter { isAnswered($0) }.count)))
        case .knownCount(let items):
            return .known(
                .number(Double(items.filter { if case .known = state(ofItem: $0) { true } else { false } }.count)))
        case .answered(let index):
            return .known(.bool(isAnswered(index)))
        case .inadequate(let index):
            return .known(.bool(state(ofItem: index) == .inadequate))
        case .weight(let inner):
            return numeric(evaluate(inner))
        case .has(let index, let code):
            let outcome = itemOutcome(index)
            if case .codes(let codes)? = outcome.value { return .known(.bool(codes.contains(code))) }
            return .unknownBecause(of: outcome)
        case .size(let index):
            let outcome = itemOutcome(index)
            if case .codes(let codes)? = outcome.value { return .known(.number(Double(codes.count))) }
            return .unknownBecause(of: outcome, low: 0, high: Double(interview.items[index].kind.options?.count ?? 0))
        case .ifThen(let condition, let then, let otherwise):
            let test = evaluate(condition)
            switch test.bool {
            case true?: return evaluate(then)
            case false?: return evaluate(otherwise)
            case nil:
                let a = evaluate(then), b = evaluate(otherwise)
                if let va = a.value, va == b.value { return a }
                var result = Outcome.unknownBecause(of: a, b, low: min(a.low, b.low), high: max(a.high, b.high))
                result.absorbReasons(of: test)
                return result
            }
        case .minimum(let arguments):
            return extremum(arguments, pickLow: true)
        case .maximum(let arguments):
            return extremum(arguments, pickLow: false)
        case .absolute(let inner):
            let outcome = evaluate(inner)
            if case .number(let v)? = outcome.value { return .known(.number(Swift.abs(v))) }
            let low = outcome.low <= 0 && outcome.high >= 0 ? 0 : min(Swift.abs(outcome.low), Swift.abs(outcome.high))
            return .unknownBecause(of: outcome, low: low, high: max(Swift.abs(outcome.low), Swift.abs(outcome.high)))
        case .round(let inner):
            let outcome = evaluate(inner)
            if case .number(let v)? = outcome.value { return .known(.number(v.rounded(.toNearestOrAwayFromZero))) }
            return .unknownBecause(of: outcome, low: outcome.low.rounded(.down), high: outcome.high.rounded(.up))
        }
    }

    /// Mutating, as the evaluation that calls it is, so the evaluator is not copied.
    mutating func isAnswered(_ index: Int) -> Bool {
        switch state(ofItem: index) {
        case .known, .inadequate: true
        case .open, .disabled: false
        }
    }

    func itemOutcome(_ index: Int) -> Outcome {
        switch state(ofItem: index) {
        case .known(let value):
            return .known(value)
        case .inadequate, .open:
            let bounds = bounds(index)
            return .unknown(low: bounds.lowerBound, high: bounds.upperBound, blockers: BlockerSet(item: index))
        case .disabled:
            let bounds = bounds(index)
            return .unknown(low: bounds.lowerBound, high: bounds.upperBound, reachesSkipped: true)
        }
    }

    private func bounds(_ index: Int) -> ClosedRange<Double> {
        index < interview.itemBounds.count ? interview.itemBounds[index] : interview.items[index].numericBounds
    }

    /// Converts coded values to their weights, for sums and arithmetic.
    private func numeric(_ outcome: Outcome) -> Outcome {
        guard let value = outcome.value, case .number(let number) = OutcomeMath.asNumber(value),
            value != .number(number)
        else { return outcome }
        return .known(.number(number))
    }

    private mutating func count(_ items: [Int], _ test: (inout Self, Outcome) -> Outcome) -> Outcome {
        var definite = 0
        var undecided = 0
        var reasons = Outcome.unknown()
        for index in items {
            let outcome = test(&self, itemOutcome(index))
            switch outcome.bool {
            case true?: definite += 1
            case false?: break
            case nil:
                undecided += 1
                reasons.absorbReasons(of: outcome)
            }
        }
        if undecided == 0 { return .known(.number(Double(definite))) }
        reasons.low = Double(definite)
        reasons.high = Double(definite + undecided)
        return reasons
    }

    private mutating func apply(_ predicate: Predicate, to outcome: Outcome) -> Outcome {
        switch predicate {
        case .compare(let op, let right):
            return OutcomeMath.compare(op, outcome, evaluate(right))
        case .member(let candidates, let negated):
            var result = Outcome.false
            for candidate in candidates {
                result = kleene(
                    consume result, OutcomeMath.compare(.equal, outcome, evaluate(candidate)), dominant: true)
            }
            if negated, let b = result.bool { return .known(.bool(!b)) }
            return result
        }
    }

    private mutating func extremum(_ arguments: [Expression], pickLow: Bool) -> Outcome {
        let outcomes = arguments.map { numeric(evaluate($0)) }
        if outcomes.allSatisfy(\.isKnown) {
            let values = outcomes.compactMap { $0.value?.numeric }
            return .known(.number(pickLow ? values.min()! : values.max()!))
        }
        let low = pickLow ? outcomes.map(\.low).min()! : outcomes.map(\.low).max()!
        let high = pickLow ? outcomes.map(\.high).min()! : outcomes.map(\.high).max()!
        var result = Outcome.unknown(low: low, high: high)
        for outcome in outcomes where !outcome.isKnown { result.absorbReasons(of: outcome) }
        return result
    }

    /// Kleene conjunction (`dominant` false) or disjunction (`dominant` true):
    /// the dominant value decides whatever the other side is.
    private func kleene(_ a: consuming Outcome, _ b: consuming Outcome, dominant: Bool) -> Outcome {
        if a.bool == dominant { return a }
        if b.bool == dominant { return b }
        if a.isKnown && b.isKnown { return a }
        return .unknownBecause(of: a, b)
    }
}

/// Rule outcomes already computed by one evaluator: an array when most rules
/// will be evaluated, a dictionary when only a few will (the linter's what-if
/// evaluations evaluate a handful of rules each).
struct RuleCache {
    private let count: Int
    /// Allocated on first use: many evaluators never store an `Outcome`.
    private var dense: [Outcome?] = []
    private var sparse: [Int: Outcome] = [:]

    init(dense count: Int) {
        self.count = count
    }

    subscript(index: Int) -> Outcome? {
        get {
            if count == 0 { return sparse[index] }
            return dense.isEmpty ? nil : dense[index]
        }
        set {
            if count == 0 {
                sparse[index] = newValue
                return
            }
            if dense.isEmpty { dense = [Outcome?](repeating: nil, count: count) }
            dense[index] = newValue
        }
    }

}

extension Item {
    /// The interval an unknown answer of this item must lie in, for interval reasoning.
    public var numericBounds: ClosedRange<Double> {
        switch kind {
        case .rating(_, let options), .choice(let options):
            // In place: filtering the options into new arrays was most of
            // loading the bounds of a large definition.
            var low = Double.infinity, high = -Double.infinity
            for index in options.indices where !options[index].isUnknown {
                guard let weight = options[index].weight else { continue }
                low = min(low, weight)
                high = max(high, weight)
            }
            return low <= high ? low...high : -Double.infinity...Double.infinity
        case .integer(let range), .decimal(let range):
            let low = range.min ?? -.infinity, high = range.max ?? .infinity
            // An inverted range is reported by the loader; it must never crash here.
            return low <= high ? low...high : -Double.infinity...Double.infinity
        case .yesNo:
            return 0...1
        case .duration:
            return 0...Double.infinity
        default:
            return -Double.infinity...Double.infinity
        }
    }
}

/// Comparison and arithmetic on outcomes. Outside the generic evaluator, so that
/// calling them needs no generic metadata lookup on the hot path.
enum OutcomeMath {
    /// A value as a number for sums and arithmetic: a code by its weight, yes/no as 1 and 0, a duration in days.
    static func asNumber(_ value: Value) -> Value {
        switch value {
        case .code(_, let weight?): .number(weight)
        case .bool(let b): .number(b ? 1 : 0)
        case .duration(let d): .number(d)
        default: value
        }
    }

    static func compare(_ op: ComparisonOperator, _ a: consuming Outcome, _ b: consuming Outcome) -> Outcome {
        if let left = a.value, let right = b.value {
            return .known(.bool(compareKnown(op, left, right)))
        }
        // Decide from the intervals of unknown numbers where possible.
        func isNumberOrUnknown(_ value: Value?) -> Bool {
            switch value {
            case nil, .number?, .duration?, .date?: true
            default: false
            }
        }
        let numericKnown = isNumberOrUnknown(a.value) && isNumberOrUnknown(b.value)
        let decided: Bool?
        switch op {
        case .greaterOrEqual: decided = a.low >= b.high ? true : (a.high < b.low ? false : nil)
        case .greater: decided = a.low > b.high ? true : (a.high <= b.low ? false : nil)
        case .lessOrEqual: decided = a.high <= b.low ? true : (a.low > b.high ? false : nil)
        case .less: decided = a.high < b.low ? true : (a.low >= b.high ? false : nil)
        case .equal: decided = numericKnown && (a.high < b.low || a.low > b.high) ? false : nil
        case .notEqual: decided = numericKnown && (a.high < b.low || a.low > b.high) ? true : nil
        }
        if let decided { return .known(.bool(decided)) }
        return .unknownBecause(of: a, b)
    }

    static func compareKnown(_ op: ComparisonOperator, _ a: Value, _ b: Value) -> Bool {
        switch op {
        case .equal: return valuesEqual(a, b)
        case .notEqual: return !valuesEqual(a, b)
        default:
            guard let x = a.numeric, let y = b.numeric else { return false }
            switch op {
            case .less: return x < y
            case .lessOrEqual: return x <= y
            case .greater: return x > y
            case .greaterOrEqual: return x >= y
            case .equal, .notEqual: return false
            }
        }
    }

    static func valuesEqual(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.code(let x, _), .code(let y, _)): x == y
        case (.codes(let x), .codes(let y)): Set(x) == Set(y)
        default: a.numeric != nil && b.numeric != nil ? a.numeric == b.numeric : a == b
        }
    }

    static func arithmetic(_ op: ArithmeticOperator, _ a: consuming Outcome, _ b: consuming Outcome) -> Outcome {
        if let x = a.value?.numeric, let y = b.value?.numeric {
            let result: Double
            switch op {
            case .add: result = x + y
            case .subtract: result = x - y
            case .multiply: result = x * y
            case .divide:
                guard y != 0 else { return .unknown() }
                result = x / y
            }
            return .known(.number(result))
        }
        var low = -Double.infinity, high = Double.infinity
        switch op {
        case .add: (low, high) = (a.low + b.low, a.high + b.high)
        case .subtract: (low, high) = (a.low - b.high, a.high - b.low)
        case .multiply:
            (low, high) = extremes(a.low * b.low, a.low * b.high, a.high * b.low, a.high * b.high)
        case .divide:
            if b.low > 0 || b.high < 0 {
                (low, high) = extremes(a.low / b.low, a.low / b.high, a.high / b.low, a.high / b.high)
            }
        }
        if low.isNaN || high.isNaN { (low, high) = (-.infinity, .infinity) }
        return .unknownBecause(of: a, b, low: low, high: high)
    }

    /// The least and greatest of four bounds; unbounded when any is NaN (0 × ∞).
    private static func extremes(_ w: Double, _ x: Double, _ y: Double, _ z: Double) -> (Double, Double) {
        if w.isNaN || x.isNaN || y.isNaN || z.isNaN { return (-.infinity, .infinity) }
        return (min(min(w, x), min(y, z)), max(max(w, x), max(y, z)))
    }
}
