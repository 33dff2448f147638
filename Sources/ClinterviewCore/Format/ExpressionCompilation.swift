import Foundation

extension LoaderRun {
    /// The distinct texts of the conditions (every expression but the rules'),
    /// and for each pending expression the number of its text (-1 for a rule).
    struct DistinctTexts {
        var texts: [String] = []
        var entryText: [Int]
    }

    /// A text means the same wherever it stands, so each distinct condition is
    /// parsed and checked once (skip-outs repeat one condition item after
    /// item); then each place gets the text's expression, or its own error,
    /// and its own look-back check.
    func distinctConditionTexts() -> DistinctTexts {
        var numbers: [String: Int] = [:]
        var texts: [String] = []
        var entryText = [Int](repeating: -1, count: pending.count)
        for index in pending.indices {
            if case .rule = pending[index].target { continue }
            let text = pending[index].text
            if let number = numbers[text] {
                entryText[index] = number
            } else {
                numbers[text] = texts.count
                entryText[index] = texts.count
                texts.append(text)
            }
        }
        return DistinctTexts(texts: texts, entryText: entryText)
    }

    /// What checking an expression first came to: a rule or a condition
    /// checked, or one that names a rule, parsed and left until the rules it
    /// names are checked.
    enum FirstPass {
        case condition(CompiledCondition)
        case rule(CompiledRule)
        case namesARule(SyntaxTree)
    }

    /// The rules' texts, then the distinct condition texts, each checked if it
    /// names no rule (most rules, such as a module's count, name only items).
    func firstPass(
        rules ruleTexts: [(text: String, expected: ExpressionType?)], conditions: [String], checker: ExpressionChecker
    ) -> [FirstPass] {
        var checker = checker
        var outcomes: [FirstPass] = []
        outcomes.reserveCapacity(ruleTexts.count + conditions.count)
        for job in ruleTexts {
            do {
                let tree = try ExpressionParser.parse(job.text)
                if tree.namesAny(of: checker.ruleIndex) {
                    outcomes.append(.namesARule(tree))
                    continue
                }
                let (expression, type) = try checker.check(tree, expecting: job.expected)
                outcomes.append(.rule(.success((expression, type, checker.referencedItems))))
            } catch {
                outcomes.append(.rule(.failure(error)))
            }
        }
        for text in conditions {
            do {
                let tree = try ExpressionParser.parse(text, trimmed: false)
                // Each name is resolved once: the look-back check's items, and whether any is a rule.
                guard
                    let lookBacks = Self.lookBacks(
                        tree, itemIndex: checker.itemIndex, ruleIndex: checker.ruleIndex, ruleItems: nil)
                else {
                    outcomes.append(.namesARule(tree))
                    continue
                }
                outcomes.append(.condition(.success((try checker.check(tree, expecting: .bool).0, lookBacks))))
            } catch {
                outcomes.append(.condition(.failure(error)))
            }
        }
        return outcomes
    }

    /// Parses, orders and type-checks every expression; returns the rule order,
    /// the items each rule depends on, directly or through other rules, and
    /// the plan's condition groups (items whose conditions have the same text).
    mutating func compileExpressions(
        itemIndex: [String: Int], ruleIndex: [String: Int], distinct: DistinctTexts
    ) -> (order: [Int], ruleItems: [Set<Int>], conditionGroups: ConditionGroups) {
        let (texts, entryText) = (distinct.texts, distinct.entryText)
        let kinds = rules.map(\.kind)
        var ruleOfJob: [Int] = []
        var pendingOfRule = [Int](repeating: -1, count: rules.count)
        var ruleJobs: [(text: String, expected: ExpressionType?)] = []
        for index in pending.indices {
            guard case .rule(let rule) = pending[index].target else { continue }
            pendingOfRule[rule] = index
            ruleOfJob.append(rule)
            ruleJobs.append((pending[index].text, Self.expectedType(of: kinds[rule])))
        }
        var outcomes = firstPass(
            rules: ruleJobs, conditions: texts,
            checker: ExpressionChecker(
                items: items, itemIndex: itemIndex, ruleIndex: ruleIndex, ruleTypes: [], ruleKinds: kinds,
                itemsWithoutKind: itemsWithoutKind))

        let (order, ruleTypes, ruleItems) = takeRules(
            outcomes, ruleOfJob: ruleOfJob, pendingOfRule: pendingOfRule,
            itemIndex: itemIndex, ruleIndex: ruleIndex, kinds: kinds)

        // The conditions that name a rule are checked now that the rules are.
        do {
            let checker = ExpressionChecker(
                items: items, itemIndex: itemIndex, ruleIndex: ruleIndex, ruleTypes: ruleTypes, ruleKinds: kinds,
                itemsWithoutKind: itemsWithoutKind)
            for job in ruleOfJob.count..<outcomes.count {
                guard case .namesARule(let tree) = outcomes[job] else { continue }
                outcomes[job] = .condition(Self.compileCondition(tree, checker: checker, ruleItems: ruleItems))
            }
        }
        // Conditions are stored once every checker is gone: writing into
        // `items` while a checker still shares it would copy the whole array
        // for every condition.
        for index in pending.indices where entryText[index] >= 0 {
            // Matched in one pattern, without copying the result out per place.
            switch outcomes[ruleOfJob.count + entryText[index]] {
            case .condition(.success(let (expression, references))):
                store(
                    Condition(source: pending[index].text, expression: expression, offset: pending[index].place.offset),
                    for: pending[index].target)
                if !references.isEmpty { checkLooksBack(pending[index], references: references) }
            case .condition(.failure(let error)):
                report(error, in: pending[index])
            case .rule, .namesARule:
                preconditionFailure("a condition's job came back as a rule, or unchecked")
            }
        }
        return (order, ruleItems, conditionGroups(entryText: entryText, textCount: texts.count))
    }

    /// Stores the rules the first pass checked (those that name no rule), then
    /// orders the rules by what they name and checks the others in that
    /// order. Returns the order, each rule's type and the items each depends
    /// on, directly or through other rules.
    mutating func takeRules(
        _ outcomes: [FirstPass], ruleOfJob: [Int], pendingOfRule: [Int],
        itemIndex: [String: Int], ruleIndex: [String: Int], kinds: [Rule.Kind]
    )
        -> (order: [Int], types: [ExpressionType?], items: [Set<Int>])
    {
        var ruleTypes = [ExpressionType?](repeating: nil, count: rules.count)
        var ruleItems = [Set<Int>](repeating: [], count: rules.count)
        syntaxOfRule = [SyntaxTree?](repeating: nil, count: rules.count)
        for (job, rule) in ruleOfJob.enumerated() {
            let entry = pending[pendingOfRule[rule]]
            switch outcomes[job] {
            case .rule(.success(let (expression, type, referencedItems))):
                rules[rule].expression = Condition(
                    source: entry.text, expression: expression, offset: entry.place.offset)
                ruleTypes[rule] = type
                ruleItems[rule] = referencedItems
            case .rule(.failure(let error)):
                report(error, in: entry)
                ruleTypes[rule] = .invalid
            case .namesARule(let tree):
                syntaxOfRule[rule] = tree
            case .condition:
                preconditionFailure("a rule's job came back as a condition")
            }
        }
        let ruleDependencies = dependenciesOfRules(ruleIndex: ruleIndex)
        let order = orderRules(dependencies: ruleDependencies)
        checkRuleDepth(order: order, dependencies: ruleDependencies)

        for rule in order {
            guard let syntax = syntaxOfRule[rule] else { continue }
            let entry = pending[pendingOfRule[rule]]
            // The checker shares `ruleTypes`; it must be gone before `ruleTypes` is written,
            // or every rule would copy the whole array.
            let checked: Result<(Expression, ExpressionType), ExpressionError>
            let references: (items: Set<Int>, rules: Set<Int>)
            do {
                var checker = ExpressionChecker(
                    items: items, itemIndex: itemIndex, ruleIndex: ruleIndex, ruleTypes: ruleTypes, ruleKinds: kinds,
                    itemsWithoutKind: itemsWithoutKind)
                checked = Result { () throws(ExpressionError) in
                    try checker.check(syntax, expecting: Self.expectedType(of: kinds[rule]))
                }
                references = (checker.referencedItems, checker.referencedRules)
            }
            switch checked {
            case .success(let (expression, type)):
                rules[rule].expression = Condition(
                    source: entry.text, expression: expression, offset: entry.place.offset)
                ruleTypes[rule] = type
            case .failure(let error):
                report(error, in: entry)
                ruleTypes[rule] = .invalid
            }
            ruleItems[rule] = Interview.union(references.items, throughRules: references.rules, closure: ruleItems)
        }
        syntaxOfRule = []
        return (order, ruleTypes, ruleItems)
    }

    /// What a rule of this kind must come to; nil for a value, which may be of any type.
    static func expectedType(of kind: Rule.Kind) -> ExpressionType? {
        switch kind {
        case .criterion, .diagnosis: .bool
        case .score: .number
        case .value: nil
        }
    }

    /// Puts a compiled condition in its place. Straight into the model: a
    /// list of conditions to store afterwards retained each twice more.
    mutating func store(_ condition: Condition, for target: Target) {
        switch target {
        case .module(let i): modules[i].condition = condition
        case .section(let i): sections[i].condition = condition
        case .item(let i): items[i].condition = condition
        case .check(let i, let c): items[i].checks[c].rule = condition
        case .alert(let i): alerts[i].condition = condition
        case .rule: break
        }
    }

    /// Each item's condition group, numbered in the order the items come,
    /// from the distinct texts already numbered.
    func conditionGroups(entryText: [Int], textCount: Int) -> ConditionGroups {
        var groupOfText = [Int](repeating: -1, count: textCount)
        var groups = ConditionGroups(ofItem: [Int](repeating: -1, count: items.count), count: 0)
        for index in pending.indices {
            guard case .item(let item) = pending[index].target, items[item].condition != nil else { continue }
            let text = entryText[index]
            if groupOfText[text] < 0 {
                groupOfText[text] = groups.count
                groups.count += 1
            }
            groups.ofItem[item] = groupOfText[text]
        }
        return groups
    }

    struct ConditionGroups {
        var ofItem: [Int]
        var count: Int
    }

    mutating func report(_ error: ExpressionError, in entry: PendingExpression) {
        sink.error(
            error.code, at: reader.offset(in: entry.text, at: entry.place, character: error.offset), error.message)
    }

    typealias CompiledCondition = Result<(Expression, [LookBack]), ExpressionError>
    /// A rule's expression, its type and the items it names.
    typealias CompiledRule = Result<(Expression, ExpressionType, Set<Int>), ExpressionError>

    /// Checks one parsed condition.
    static func compileCondition(
        _ syntax: SyntaxTree, checker: ExpressionChecker, ruleItems: [Set<Int>]
    ) -> CompiledCondition {
        Result { () throws(ExpressionError) in
            var checker = checker
            let expression = try checker.check(syntax, expecting: .bool).0
            return (
                expression,
                lookBacks(syntax, itemIndex: checker.itemIndex, ruleIndex: checker.ruleIndex, ruleItems: ruleItems)
                    ?? []
            )
        }
    }

    /// A name in a condition and the latest item it depends on (through a rule
    /// when `rule` is set): what the forward-reference check compares.
    struct LookBack {
        var name: String
        var offset: Int
        var latestItem: Int
        var rule: Int?
    }

    /// The names of a condition resolved for `checkLooksBack`, once per text.
    /// Nil when the condition names a rule and `ruleItems` is nil (the rules
    /// are not checked yet).
    static func lookBacks(
        _ syntax: SyntaxTree, itemIndex: [String: Int], ruleIndex: [String: Int], ruleItems: [Set<Int>]?
    ) -> [LookBack]? {
        var found: [LookBack] = []
        var namesARule = false
        syntax.forEachName { name, offset in
            // An item is usually named twice in a row (`answered(A1) and A1 == 3`).
            if let previous = found.last, previous.rule == nil, previous.name == name {
                found.append(LookBack(name: name, offset: offset, latestItem: previous.latestItem))
            } else if let index = itemIndex[name] {
                found.append(LookBack(name: name, offset: offset, latestItem: index))
            } else if let rule = ruleIndex[name] {
                guard let ruleItems else {
                    namesARule = true
                    return
                }
                if let latest = ruleItems[rule].max() {
                    found.append(LookBack(name: name, offset: offset, latestItem: latest, rule: rule))
                }
            }
        }
        return namesARule ? nil : found
    }

    /// Conditions may only refer to items asked before them, so routing can never
    /// loop; a check may also refer to its own item.
    mutating func checkLooksBack(_ entry: PendingExpression, references: [LookBack]) {
        let limit: Int
        switch entry.target {
        case .module(let i):
            limit = modules[i].sectionRange.first.map { sections[$0].itemRange.lowerBound } ?? items.count
        case .section(let i): limit = sections[i].itemRange.lowerBound
        case .item(let i): limit = i
        case .check(let i, _): limit = i + 1
        case .alert, .rule: return
        }
        for reference in references where reference.latestItem >= limit {
            let dependsOn = reference.latestItem
            let via =
                reference.rule.map {
                    " (through \(rules[$0].kind.noun) '\(reference.name)', which depends on item '\(items[dependsOn].id)')"
                } ?? ""
            let location = sink.source.location(ofByte: items[dependsOn].offset)
            var refersToItself = false
            if case .item(let own) = entry.target, reference.rule == nil, dependsOn == own { refersToItself = true }
            let what =
                refersToItself ? "itself" : "'\(items[dependsOn].id)', which is asked later (line \(location.line))"
            sink.error(
                .forwardReference, at: reader.offset(in: entry.text, at: entry.place, character: reference.offset),
                "the condition of \(owner(of: entry.target)) refers to \(what)\(via); conditions may only refer to items asked before them, so that routing never loops"
            )
        }
    }

    /// "item 'A1'": built only for a message, since building it for every
    /// condition allocated and freed a string per item.
    func owner(of target: Target) -> String {
        switch target {
        case .module(let i): "module '\(modules[i].id)'"
        case .section(let i): "section '\(sections[i].id)'"
        case .item(let i): "item '\(items[i].id)'"
        case .check(let i, let c): "check '\(items[i].checks[c].id)'"
        case .alert(let i): "alert '\(alerts[i].id)'"
        case .rule(let i): "\(rules[i].kind.noun) '\(rules[i].id)'"
        }
    }

    static let maximumRuleDepth = 64

    /// Rules are evaluated recursively, so a chain of rules built on rules is bounded.
    mutating func checkRuleDepth(order: [Int], dependencies: RuleDependencies) {
        var depth = [Int](repeating: 0, count: rules.count)
        for rule in order {
            depth[rule] = 1 + dependencies.targets[rule].reduce(0) { max($0, depth[$1]) }
            if depth[rule] == Self.maximumRuleDepth + 1 {
                sink.error(
                    .tooDeep, at: rules[rule].offset,
                    "\(rules[rule].kind.noun) '\(rules[rule].id)' rests on a chain of more than \(Self.maximumRuleDepth) rules: flatten the chain"
                )
            }
        }
    }

    /// The rules each rule names, each once, and where it first names each
    /// (`firstOffsets[rule][n]` for `targets[rule][n]`).
    struct RuleDependencies {
        var targets: [[Int]]
        var firstOffsets: [[Int]]

        /// Where `rule` first names `target`.
        func firstOffset(of target: Int, in rule: Int) -> Int? {
            targets[rule].firstIndex(of: target).map { firstOffsets[rule][$0] }
        }
    }

    func dependenciesOfRules(ruleIndex: [String: Int]) -> RuleDependencies {
        var found = RuleDependencies(
            targets: [[Int]](repeating: [], count: rules.count),
            firstOffsets: [[Int]](repeating: [], count: rules.count))
        for rule in syntaxOfRule.indices {
            syntaxOfRule[rule]?.forEachName { name, offset in
                guard let target = ruleIndex[name], !found.targets[rule].contains(target) else { return }
                found.targets[rule].append(target)
                found.firstOffsets[rule].append(offset)
            }
        }
        return found
    }

    /// Orders rules so each follows what it depends on; reports every dependency cycle.
    mutating func orderRules(dependencies ruleDependencies: RuleDependencies) -> [Int] {
        let dependencies = ruleDependencies.targets
        enum Mark { case unvisited, active, done }
        var marks = [Mark](repeating: .unvisited, count: rules.count)
        var order: [Int] = []
        var inCycle = Set<Int>()
        var reportedCycles = Set<Set<Int>>()

        for start in rules.indices where marks[start] == .unvisited {
            // Most rules (a module's count) name no rule: no search for them.
            if dependencies[start].isEmpty {
                marks[start] = .done
                order.append(start)
                continue
            }
            // Iterative depth-first search: a deep chain of rules cannot overflow the stack.
            var stack: [(rule: Int, next: Int)] = [(start, 0)]
            marks[start] = .active
            while let top = stack.last {
                if top.next < dependencies[top.rule].count {
                    stack[stack.count - 1].next += 1
                    let target = dependencies[top.rule][top.next]
                    switch marks[target] {
                    case .unvisited:
                        marks[target] = .active
                        stack.append((target, 0))
                    case .active:
                        let path = stack.map(\.rule)
                        let cycle = Array(path[path.firstIndex(of: target)!...])
                        inCycle.formUnion(cycle)
                        if reportedCycles.insert(Set(cycle)).inserted {
                            let first = cycle.min()!
                            let rotated = Array(
                                cycle[cycle.firstIndex(of: first)!...] + cycle[..<cycle.firstIndex(of: first)!])
                            let names = (rotated + [first]).map { rules[$0].id }.joined(separator: " -> ")
                            let next = rotated.count > 1 ? rotated[1] : first
                            let offset = ruleDependencies.firstOffset(of: next, in: first) ?? 0
                            let entry = pending.first { if case .rule(first) = $0.target { true } else { false } }
                            let at =
                                entry.map { reader.offset(in: $0.text, at: $0.place, character: offset) }
                                ?? rules[first].offset
                            sink.error(.cycle, at: at, "dependency cycle: \(names)")
                        }
                    case .done:
                        break
                    }
                } else {
                    marks[top.rule] = .done
                    order.append(top.rule)
                    stack.removeLast()
                }
            }
        }
        return order.filter { !inCycle.contains($0) }
    }
}
