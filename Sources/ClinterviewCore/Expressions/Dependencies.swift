extension Expression {
    /// The items and rules this expression refers to directly.
    public var directReferences: (items: Set<Int>, rules: Set<Int>) {
        var items = Set<Int>(), rules = Set<Int>()
        collect(&items, &rules)
        return (items, rules)
    }

    private func collect(_ items: inout Set<Int>, _ rules: inout Set<Int>) {
        switch self {
        case .constant, .none: break
        case .item(let i), .answered(let i), .inadequate(let i), .has(let i, _), .size(let i): items.insert(i)
        case .rule(let r): rules.insert(r)
        case .not(let e), .negate(let e), .weight(let e), .absolute(let e), .round(let e): e.collect(&items, &rules)
        case .and(let a, let b), .or(let a, let b), .compare(_, let a, let b), .arithmetic(_, let a, let b):
            a.collect(&items, &rules)
            b.collect(&items, &rules)
        case .member(let s, let list, _):
            s.collect(&items, &rules)
            for e in list { e.collect(&items, &rules) }
        case .count(let list, let predicate):
            items.formUnion(list)
            predicate?.collect(&items, &rules)
        case .any(let list, let predicate), .all(let list, let predicate):
            items.formUnion(list)
            predicate.collect(&items, &rules)
        case .sum(let list), .mean(let list), .answeredCount(let list), .knownCount(let list): items.formUnion(list)
        case .ifThen(let c, let a, let b):
            c.collect(&items, &rules)
            a.collect(&items, &rules)
            b.collect(&items, &rules)
        case .minimum(let list), .maximum(let list): for e in list { e.collect(&items, &rules) }
        }
    }
}

extension Predicate {
    fileprivate func collect(_ items: inout Set<Int>, _ rules: inout Set<Int>) {
        switch self {
        case .compare(_, let e): (items, rules) = merge(e, items, rules)
        case .member(let list, _): for e in list { (items, rules) = merge(e, items, rules) }
        }
    }

    private func merge(_ e: Expression, _ items: Set<Int>, _ rules: Set<Int>) -> (Set<Int>, Set<Int>) {
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
            closure[rule] = refs.rules.reduce(into: refs.items) { $0.formUnion(closure[$1]) }
        }
        return closure
    }

    /// Items a condition depends on, directly or through rules.
    func items(of condition: Condition?, closure: [Set<Int>]) -> Set<Int> {
        guard let condition else { return [] }
        let refs = condition.expression.directReferences
        return refs.rules.reduce(into: refs.items) { $0.formUnion(closure[$1]) }
    }

    /// The conditions that decide whether item `index` is on the route: its module's,
    /// its section's and its own.
    func conditionChain(ofItem index: Int) -> [Condition] {
        let item = items[index]
        let section = sections[item.section]
        return [modules[section.module].condition, section.condition, item.condition].compactMap { $0 }
    }
}
