/// Where a walk over an expression puts the items and rules it meets.
protocol ReferenceSink {
    mutating func item(_ index: Int)
    mutating func items(_ list: [Int])
    mutating func rule(_ index: Int)
}

/// Sets of the items and rules referred to; `wantsItems: false` leaves the items out.
struct ReferenceSets: ReferenceSink {
    var items = Set<Int>(), rules = Set<Int>()
    var wantsItems = true
    mutating func item(_ index: Int) { if wantsItems { items.insert(index) } }
    mutating func items(_ list: [Int]) { if wantsItems { items.formUnion(list) } }
    mutating func rule(_ index: Int) { rules.insert(index) }
}

/// The items and rules referred to, in the order met, repeats included: for
/// the few references of a condition, cheaper than building sets.
struct ReferenceLists: ReferenceSink {
    var items: [Int] = [], rules: [Int] = []
    mutating func item(_ index: Int) { items.append(index) }
    mutating func items(_ list: [Int]) { items.append(contentsOf: list) }
    mutating func rule(_ index: Int) { rules.append(index) }
}

extension Expression {
    /// The items and rules this expression refers to directly.
    public var directReferences: (items: Set<Int>, rules: Set<Int>) {
        var sets = ReferenceSets()
        collect(into: &sets)
        return (sets.items, sets.rules)
    }

    /// The rules this expression refers to directly. Cheaper than
    /// `directReferences` when the items are not wanted: a total score over
    /// every item of a large definition put each of them in a set.
    public var directlyReferencedRules: Set<Int> {
        var sets = ReferenceSets(wantsItems: false)
        collect(into: &sets)
        return sets.rules
    }

    func collect(into sink: inout some ReferenceSink) {
        switch self {
        case .constant, .none: break
        case .item(let i), .answered(let i), .inadequate(let i), .has(let i, _), .size(let i): sink.item(i)
        case .rule(let r): sink.rule(r)
        case .not(let e), .negate(let e), .weight(let e), .absolute(let e), .round(let e): e.collect(into: &sink)
        case .and(let a, let b), .or(let a, let b), .compare(_, let a, let b), .arithmetic(_, let a, let b):
            a.collect(into: &sink)
            b.collect(into: &sink)
        case .member(let s, let list, _):
            s.collect(into: &sink)
            for e in list { e.collect(into: &sink) }
        case .count(let list, let predicate):
            sink.items(list)
            predicate?.collect(into: &sink)
        case .any(let list, let predicate), .all(let list, let predicate):
            sink.items(list)
            predicate.collect(into: &sink)
        case .sum(let list), .mean(let list), .answeredCount(let list), .knownCount(let list): sink.items(list)
        case .ifThen(let c, let a, let b):
            c.collect(into: &sink)
            a.collect(into: &sink)
            b.collect(into: &sink)
        case .minimum(let list), .maximum(let list): for e in list { e.collect(into: &sink) }
        }
    }
}

extension Predicate {
    fileprivate func collect(into sink: inout some ReferenceSink) {
        switch self {
        case .compare(_, let e): e.collect(into: &sink)
        case .member(let list, _): for e in list { e.collect(into: &sink) }
        }
    }
}

extension Interview {
    /// Items each rule depends on, directly or through other rules (computed once, at load).
    public func ruleItemClosure() -> [Set<Int>] {
        if plan.ruleItems.count == rules.count { return plan.ruleItems }
        return computeRuleItemClosure()
    }

    func computeRuleItemClosure() -> [Set<Int>] {
        var closure = [Set<Int>](repeating: [], count: rules.count)
        for rule in ruleOrder {
            let refs = rules[rule].expression.expression.directReferences
            closure[rule] = Self.union(refs.items, throughRules: refs.rules, closure: closure)
        }
        return closure
    }

    /// `items` and the items of each rule in `rules`. Grown from the largest
    /// set, so that a rule naming one other rule (a criterion on a count, a
    /// diagnosis on its criterion) shares that rule's set instead of hashing
    /// every item into a new one.
    static func union(_ items: Set<Int>, throughRules rules: Set<Int>, closure: [Set<Int>]) -> Set<Int> {
        guard !rules.isEmpty else { return items }
        var largest = items
        var largestRule: Int?
        for rule in rules where closure[rule].count > largest.count {
            largest = closure[rule]
            largestRule = rule
        }
        guard let largestRule else {
            return rules.reduce(into: items) { $0.formUnion(closure[$1]) }
        }
        var result = largest
        result.formUnion(items)
        for rule in rules where rule != largestRule { result.formUnion(closure[rule]) }
        return result
    }

    /// Items a condition depends on, directly or through rules.
    func items(of condition: Condition?, closure: [Set<Int>]) -> Set<Int> {
        guard let condition else { return [] }
        let refs = condition.expression.directReferences
        return Self.union(refs.items, throughRules: refs.rules, closure: closure)
    }

    /// The conditions that decide whether item `index` is on the route: its module's,
    /// its section's and its own.
    func conditionChain(ofItem index: Int) -> [Condition] {
        let item = items[index]
        let section = sections[item.section]
        return [modules[section.module].condition, section.condition, item.condition].compactMap { $0 }
    }
}
