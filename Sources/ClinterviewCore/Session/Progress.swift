/// How far a count toward a threshold has got, e.g. "4 of 9 at 3, need 5".
public struct CountProgress: Sendable, Hashable {
    /// Items that definitely pass the test.
    public var counted: Int
    /// Items whose answers are still open.
    public var undecided: Int
    public var total: Int
    /// The test each item is put to, e.g. "== 3".
    public var test: String
    /// The threshold, e.g. ">= 5".
    public var needed: String

    /// In words, e.g. "4 of 9 at 3, need 5 (2 open)".
    public var summary: String {
        func words(_ test: String) -> String {
            let parts = test.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return test }
            switch parts[0] {
            case "==": return "at \(parts[1])"
            case ">=": return "at \(parts[1]) or more"
            case ">": return "above \(parts[1])"
            case "<=": return "at \(parts[1]) or less"
            case "<": return "below \(parts[1])"
            case "!=": return "not \(parts[1])"
            default: return test
            }
        }
        let threshold = needed.split(separator: " ", maxSplits: 1).map(String.init)
        var need = needed
        if threshold.count == 2 {
            switch threshold[0] {
            case ">=": need = "need \(threshold[1])"
            case ">": need = "need more than \(threshold[1])"
            case "==": need = "need exactly \(threshold[1])"
            case "<=": need = "at most \(threshold[1])"
            case "<": need = "fewer than \(threshold[1])"
            default: need = "need \(needed)"
            }
        }
        let open = undecided > 0 ? " (\(undecided) unanswered)" : ""
        return "\(counted) of \(total) \(words(test)), \(need)\(open)"
    }
}

extension Interview {
    /// Counts toward thresholds in a rule (`count(...) >= k` joined by `and`/`or`).
    /// For each rule given, one evaluation of the answers serving them all.
    public func countProgress(ofRules indices: [Int], recorded: [ItemState]) -> [[CountProgress]] {
        var evaluator = Evaluator(interview: self, store: DenseRouteStore(answers: recorded))
        return indices.map { index in
            var found: [CountProgress] = []
            var visited = Set<Int>()
            collect(rules[index].expression.expression, &evaluator, &found, &visited)
            return found
        }
    }

    private func collect(
        _ expression: Expression, _ evaluator: inout Evaluator<DenseRouteStore>, _ found: inout [CountProgress],
        _ visited: inout Set<Int>
    ) {
        switch expression {
        case .and(let a, let b), .or(let a, let b):
            collect(a, &evaluator, &found, &visited)
            collect(b, &evaluator, &found, &visited)
        case .rule(let index) where rules[index].kind != .diagnosis:
            if visited.insert(index).inserted {
                collect(rules[index].expression.expression, &evaluator, &found, &visited)
            }
        case .compare(let op, let left, .constant(let threshold)):
            guard case .count(let items, let predicate) = left, let k = threshold.numeric else { return }
            let outcome = evaluator.evaluate(left)
            let counted = Int(outcome.low)
            let test: String
            switch predicate {
            case .compare(let testOp, .constant(let value))?: test = "\(testOp.rawValue) \(Self.describe(value))"
            case .member(let values, let negated)?:
                let list = values.compactMap { if case .constant(let v) = $0 { Self.describe(v) } else { nil } }.joined(
                    separator: ", ")
                test = (negated ? "not in [" : "in [") + list + "]"
            case nil: test = "yes"
            default: test = "pass"
            }
            found.append(
                CountProgress(
                    counted: counted, undecided: Int(outcome.high) - counted, total: items.count,
                    test: test, needed: "\(op.rawValue) \(formatNumber(k))"))
        default:
            break
        }
    }

    static func describe(_ value: Value) -> String {
        switch value {
        case .code(let code, _): code
        case .number(let n): formatNumber(n)
        case .bool(let b): b ? "yes" : "no"
        default: "\(value)"
        }
    }

    /// Diagnoses whose rules read item `index`, directly or through criteria.
    public func diagnoses(readingItem index: Int) -> [Int] {
        let closure = ruleItemClosure()
        return rules.indices.filter { rules[$0].kind == .diagnosis && closure[$0].contains(index) }
    }
}

extension Session {
    /// Counts toward thresholds of each rule named, by id.
    public func countProgress(ofRules ids: [String]) -> [String: [CountProgress]] {
        let known = ids.filter { interview.ruleIndex[$0] != nil }
        let progress = interview.countProgress(
            ofRules: known.map { interview.ruleIndex[$0]! }, recorded: recordedStates)
        return Dictionary(zip(known, progress), uniquingKeysWith: { first, _ in first })
    }
}
