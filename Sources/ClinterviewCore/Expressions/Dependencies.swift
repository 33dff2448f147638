extension Expression {
    /// The items and rules this expression refers to directly.
    public var directReferences: (items: Set<Int>, rules: Set<Int>) {
        var items = Set<Int>(), rules = Set<Int>()
        collect(&items, &rules)
        return (items, rules)
    }

    /// The rules this expression refers to directly. Cheaper than
    /// `directReferences` when the items are not wanted: a total score over
    /// every item of a large definition put each of them in a set.
    public var directlyReferencedRules: Set<Int> {
        var items = Set<Int>(), rules = Set<Int>()
        collect(&items, &rules, items: false)
        return rules
    }

    /// `items: false` leaves `items` alone.
    private func collect(_ items: inout Set<Int>, _ rules: inout Set<Int>, items wanted: Bool = true) {
        func collect(_ e: Expression, _ items: inout Set<Int>, _ rules: inout Set<Int>) { e.collect(&items, &rules, items: wanted) }
        switch self {
        case .constant, .none: break
        case .item(let i), .answered(let i), .inadequate(let i), .has(let i, _), .size(let i): if wanted { items.insert(i) }
        case .rule(let r): rules.insert(r)
        case .not(let e), .negate(let e), .weight(let e), .absolute(let e), .round(let e): collect(e, &items, &rules)
        case .and(let a, let b), .or(let a, let b), .compare(_, let a, let b), .arithmetic(_, let a, let b):
            collect(a, &items, &rules)
            collect(b, &items, &rules)
        case .member(let s, let list, _):
            collect(s, &items, &rules)
            for e in list { collect(e, &items, &rules) }
        case .count(let list, let predicate):
            if wanted { items.formUnion(list) }
            predicate?.collect(&items, &rules, items: wanted)
        case .any(let list, let predicate), .all(let list, let predicate):
            if wanted { items.formUnion(list) }
            predicate.collect(&items, &rules, items: wanted)
        case .sum(let list), .mean(let list), .answeredCount(let list), .knownCount(let list): if wanted { items.formUnion(list) }
        case .ifThen(let c, let a, let b):
            collect(c, &items, &rules)
            collect(a, &items, &rules)
            collect(b, &items, &rules)
        case .minimum(let list), .maximum(let list): for e in list { collect(e, &items, &rules) }
        }
    }
}

extension Predicate {
    fileprivate func collect(_ items: inout Set<Int>, _ rules: inout Set<Int>, items wanted: Bool) {
        switch self {
        case .compare(_, let e): (items, rules) = merge(e, items, rules, wanted)
        case .member(let list, _): for e in list { (items, rules) = merge(e, items, rules, wanted) }
        }
    }

    private func merge(_ e: Expression, _ items: Set<Int>, _ rules: Set<Int>, _ wanted: Bool) -> (Set<Int>, Set<Int>) {
        if !wanted { return (items, rules.union(e.directlyReferencedRules)) }
        let refs = e.directReferences
        return (items.union(refs.items), rules.union(refs.rules))
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
