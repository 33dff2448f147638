extension Evaluator {
    /// The value of the compiled program at `start` (of `CompiledPrograms`),
    /// or nil where it is not decided here: the same contract as `knownValue`,
    /// whose results the tests compare with these on random interviews.
    mutating func compiledValue(_ start: Int32) -> Value? {
        // The programs are read in place: a local copy of an array retained
        // and released it on every run.
        let begin = interview.plan.programs.ops[Int(start)]
        var stack = ProgramStack()
        var top = -1
        var pc = Int(start) + 1
        while true {
            let op = interview.plan.programs.ops[pc]
            pc += 1
            switch op.code {
            case .begin:
                return nil  // not reached: a program's jumps stay inside it
            case .constant:
                top += 1
                stack[top] = op.x
            case .item:
                let index = Int(op.a)
                guard store.isEnabled(index), facts[index].flags & op.flag != 0 else { return nil }
                top += 1
                stack[top] = facts[index].number
            case .answered:
                let index = Int(op.a)
                top += 1
                stack[top] = store.isEnabled(index) && facts[index].flags & ItemFact.answered != 0 ? 1 : 0
            case .inadequate:
                let index = Int(op.a)
                top += 1
                stack[top] = store.isEnabled(index) && facts[index].flags & ItemFact.inadequate != 0 ? 1 : 0
            case .compareItem:
                let index = Int(op.a)
                guard store.isEnabled(index), facts[index].flags & op.flag != 0 else { return nil }
                top += 1
                stack[top] = Self.compare(op.comparison, facts[index].number, op.x) ? 1 : 0
            case .answeredAndCompareItem:
                let index = Int(op.a)
                top += 1
                guard store.isEnabled(index), facts[index].flags & ItemFact.answered != 0 else {
                    stack[top] = 0
                    continue
                }
                guard facts[index].flags & op.flag != 0 else { return nil }
                stack[top] = Self.compare(op.comparison, facts[index].number, op.x) ? 1 : 0
            case .compare:
                top -= 1
                stack[top] = Self.compare(op.comparison, stack[top], stack[top + 1]) ? 1 : 0
            case .not:
                stack[top] = stack[top] == 0 ? 1 : 0
            case .jumpIfFalse:
                if stack[top] == 0 { pc = Int(op.a) } else { top -= 1 }
            case .jumpIfTrue:
                if stack[top] != 0 { pc = Int(op.a) } else { top -= 1 }
            case .branch:
                top -= 1
                if stack[top + 1] == 0 { pc = Int(op.a) }
            case .jump:
                pc = Int(op.a)
            case .add:
                top -= 1
                stack[top] += stack[top + 1]
            case .subtract:
                top -= 1
                stack[top] -= stack[top + 1]
            case .multiply:
                top -= 1
                stack[top] *= stack[top + 1]
            case .divide:
                top -= 1
                guard stack[top + 1] != 0 else { return nil }
                stack[top] /= stack[top + 1]
            case .negate:
                stack[top] = -stack[top]
            case .absolute:
                stack[top] = Swift.abs(stack[top])
            case .round:
                stack[top] = stack[top].rounded(.toNearestOrAwayFromZero)
            case .count, .any, .all:
                guard let value = listTest(interview.plan.programs.lists[Int(op.a)], op.code) else { return nil }
                top += 1
                stack[top] = value
            case .countTrue, .sum, .mean, .knownCount, .answeredCount:
                guard let value = listValue(interview.plan.programs.lists[Int(op.a)].items, op.code) else { return nil }
                top += 1
                stack[top] = value
            case .countAnsweredTests:
                var count = 0
                for test in interview.plan.programs.answeredTests[Int(op.a)] {
                    let index = Int(test.item)
                    guard store.isEnabled(index), facts[index].flags & ItemFact.answered != 0 else { continue }
                    guard facts[index].flags & test.flag != 0 else { return nil }
                    if Self.compare(test.comparison, facts[index].number, test.constant) { count += 1 }
                }
                top += 1
                stack[top] = Double(count)
            case .member:
                let test = interview.plan.programs.lists[Int(op.a)]
                let found = test.candidates?.contains(stack[top]) ?? false
                stack[top] = found != test.negated ? 1 : 0
            case .rule:
                if let known = ruleCache.compiledNumber(Int(op.a)), known.isYesNo == (op.flag == 1) {
                    top += 1
                    stack[top] = known.number
                    continue
                }
                switch evaluateRule(Int(op.a)).value {
                case .number(let x)? where op.flag == 0: top += 1; stack[top] = x
                case .bool(let b)? where op.flag == 1: top += 1; stack[top] = b ? 1 : 0
                default: return nil
                }
            case .end:
                return begin.flag == 1 ? .bool(stack[0] != 0) : .number(stack[0])
            }
        }
    }

    @inline(__always)
    static func compare(_ op: ComparisonOperator, _ a: Double, _ b: Double) -> Bool {
        switch op {
        case .equal: a == b
        case .notEqual: a != b
        case .less: a < b
        case .lessOrEqual: a <= b
        case .greater: a > b
        case .greaterOrEqual: a >= b
        }
    }

    /// The number of an answered item that programs can read, or nil.
    @inline(__always)
    private mutating func fastNumber(_ index: Int) -> Double? {
        guard store.isEnabled(index), facts[index].flags & ItemFact.fast != 0 else { return nil }
        return facts[index].number
    }

    /// `count`, `any` or `all` with a test: nil at the first item not answered
    /// before the result is decided, as in `knownValue`.
    private mutating func listTest(_ test: CompiledPrograms.ListTest, _ code: CompiledPrograms.OpCode) -> Double? {
        var count = 0
        for index in test.items {
            guard let number = fastNumber(index) else { return nil }
            let passes = if let candidates = test.candidates { candidates.contains(number) != test.negated }
                         else { Self.compare(test.comparison, number, test.constant) }
            switch code {
            case .any where passes: return 1
            case .all where !passes: return 0
            default: if passes { count += 1 }
            }
        }
        switch code {
        case .any: return 0
        case .all: return 1
        default: return Double(count)
        }
    }

    /// The list functions without a test. One loop per function: a switch
    /// inside the loop cost as much as the loop's work.
    private mutating func listValue(_ items: [Int], _ code: CompiledPrograms.OpCode) -> Double? {
        var total = 0.0
        var count = 0
        switch code {
        case .countTrue:
            for index in items {
                guard store.isEnabled(index), facts[index].flags & ItemFact.yesNo != 0 else { return nil }
                if facts[index].number != 0 { count += 1 }
            }
        case .sum:
            for index in items {
                guard let number = fastNumber(index) else { return nil }
                total += number
            }
            return total
        case .mean:
            for index in items {
                if let number = fastNumber(index) {
                    total += number
                    count += 1
                }
            }
            return count == 0 ? nil : total / Double(count)
        case .knownCount:
            for index in items where store.isEnabled(index) && facts[index].flags & ItemFact.known != 0 { count += 1 }
        default:
            for index in items where store.isEnabled(index) && facts[index].flags & ItemFact.answered != 0 { count += 1 }
        }
        return Double(count)
    }
}

/// The value stack of a running program, inline: programs need a few places
/// (`ProgramCompiler.maximumStack` at most), and an array was an allocation per run.
struct ProgramStack {
    private var places: (Double, Double, Double, Double, Double, Double, Double, Double,
                         Double, Double, Double, Double, Double, Double, Double, Double)
        = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    subscript(index: Int) -> Double {
        // Mutating, so the tuple is read in place rather than copied.
        mutating get {
            precondition(index >= 0 && index < 16)
            return withUnsafeMutableBytes(of: &places) { $0.load(fromByteOffset: index * 8, as: Double.self) }
        }
        set {
            precondition(index >= 0 && index < 16)
            withUnsafeMutableBytes(of: &places) { $0.storeBytes(of: newValue, toByteOffset: index * 8, as: Double.self) }
        }
    }
}
